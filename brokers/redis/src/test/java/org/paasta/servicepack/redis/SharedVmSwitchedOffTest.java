package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.Catalog;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * The broker as a Cloud Foundry app or a Kubernetes pod runs it, with REDIS_SHARED_ENABLED=false:
 * it starts without a redis-server binary and without a data directory, runs no supervisor, serves
 * dedicated-vm, and answers a shared-vm provision at once (not with a 202) with 503 and the reason.
 */
@BrokerTest
@ActiveProfiles("http-test")
@TestPropertySource(properties = {HttpTestEnvironment.STORE, "REDIS_SHARED_ENABLED=false",
        "servicepack.redis.shared.advertised-host=10.9.8.7",
        "servicepack.redis.shared.redis-server=/nonexistent/redis-server",
        "servicepack.redis.shared.data-dir=./target/http-test/never-created"})
class SharedVmSwitchedOffTest {
    static {
        HttpTestEnvironment.ensureStarted();
    }

    static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    ApplicationContext context;
    @Autowired
    RedisBackend backend;

    @Test
    void startsWithoutAnyOfSharedVmsMachinery() {
        assertThat(context.getBeansOfType(SharedVm.class)).isEmpty();
        assertThat(context.getBeansOfType(SharedVmSupervisor.class)).isEmpty();
        assertThat(context.getBeansOfType(ServerProcesses.class)).isEmpty();
        assertThat(Path.of("target/http-test/never-created")).doesNotExist();
        assertThat(backend.advertisedHosts()).as("the pool's hosts only").containsExactly("127.0.0.1");
    }

    @Test
    void aSharedVmProvisionIsRefusedAtOnceWith503AndNothingIsLeft(OsbClient broker) {
        Catalog catalog = Catalog.of(broker);
        String service = catalog.serviceId("redis");
        String plan = catalog.planId("redis", "shared-vm");
        String instanceId = Catalog.newId();

        OsbResponse refused = broker.provision(instanceId, service, plan, null, true);

        assertThat(refused.status()).as("%s", refused).isEqualTo(503);
        assertThat(refused.text("error")).isEqualTo("BackendUnavailable");
        assertThat(refused.text("description")).contains("REDIS_SHARED_ENABLED=false").contains("dedicated-vm");
        // The platform's orphan mitigation after a 5xx: DELETE finds nothing to remove and succeeds.
        OsbResponse deleted = broker.deprovision(instanceId, service, plan, true);
        assertThat(deleted.status()).as("%s", deleted).isEqualTo(200);
        assertThat(broker.fetchInstance(instanceId).status()).isEqualTo(404);
    }

    @Test
    void dedicatedVmIsServedAsEverywhere(OsbClient broker) {
        Catalog catalog = Catalog.of(broker);
        String service = catalog.serviceId("redis");
        String plan = catalog.planId("redis", "dedicated-vm");
        String instanceId = Catalog.newId();
        OsbResponse accepted = broker.provision(instanceId, service, plan, null, true);
        assertThat(accepted.status()).as("%s", accepted).isEqualTo(202);
        assertThat(broker.awaitInstance(instanceId, accepted.text("operation"), WAIT).text("state"))
                .isEqualTo("succeeded");
        try {
            String bindingId = Catalog.newId();
            OsbResponse bound = broker.bind(instanceId, bindingId, service, plan, null, false);
            assertThat(bound.status()).as("%s", bound).isEqualTo(201);
            JsonNode credentials = bound.credentials();
            RedisCredentialChecks.assertWork(credentials);
            assertThat(broker.unbind(instanceId, bindingId, service, plan, false).status()).isEqualTo(200);
            RedisCredentialChecks.assertRefused(credentials);
        } finally {
            OsbResponse gone = broker.deprovision(instanceId, service, plan, true);
            assertThat(gone.status()).as("%s", gone).isEqualTo(202);
            assertThat(broker.awaitInstance(instanceId, gone.text("operation"), WAIT).status()).isEqualTo(410);
        }
    }
}
