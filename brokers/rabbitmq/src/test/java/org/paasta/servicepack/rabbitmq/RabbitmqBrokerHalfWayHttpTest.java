package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.BeforeEach;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.Catalog;
import org.paasta.servicepack.testkit.OsbClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The management API fails between two steps of a provision, and the cleanup fails too: the
 * platform gets a retryable 503, the SDK keeps a record of the failed instance, and a retried
 * provision completes it or a deprovision removes the half-made vhost.
 */
@BrokerTest
class RabbitmqBrokerHalfWayHttpTest {
    private static final FlakyManagementProxy PROXY = start();
    private final ManagementApi admin = LocalRabbitmq.admin();
    private String serviceId;
    private String planId;

    @DynamicPropertySource
    static void managementThroughTheProxy(DynamicPropertyRegistry registry) {
        registry.add("servicepack.rabbitmq.management.url", () -> PROXY.url().toString());
    }

    @BeforeEach
    void plan(OsbClient platform) {
        Catalog catalog = Catalog.of(platform);
        serviceId = catalog.serviceId(LocalRabbitmq.SERVICE);
        planId = catalog.planId(LocalRabbitmq.SERVICE, LocalRabbitmq.PLAN);
    }

    @AfterEach
    void heal() {
        PROXY.heal();
    }

    @AfterAll
    static void stop() {
        PROXY.close();
    }

    @Test
    void aRetriedProvisionCompletesTheHalfMadeVhost(OsbClient platform) throws Exception {
        String instance = LocalRabbitmq.newId();
        String vhost = ResourceNames.vhost(instance);
        breakAfterTheVhostIsMade();

        assertThat(platform.provision(instance, serviceId, planId, null, false).status()).isEqualTo(503);
        assertThat(admin.vhostExists(vhost)).as("half-made, the cleanup was refused too").isTrue();
        assertThat(admin.operatorPolicy(vhost, RabbitmqBackend.PLAN_POLICY)).isNull();

        PROXY.heal();
        assertThat(platform.provision(instance, serviceId, planId, null, false).status()).isEqualTo(201);
        assertThat(admin.operatorPolicy(vhost, RabbitmqBackend.PLAN_POLICY)).isNotNull();
        assertThat(platform.deprovision(instance, serviceId, planId, false).status()).isEqualTo(200);
        assertThat(admin.vhostExists(vhost)).isFalse();
    }

    @Test
    void aDeprovisionRemovesTheHalfMadeVhost(OsbClient platform) throws Exception {
        String instance = LocalRabbitmq.newId();
        String vhost = ResourceNames.vhost(instance);
        breakAfterTheVhostIsMade();

        assertThat(platform.provision(instance, serviceId, planId, null, false).status()).isEqualTo(503);
        assertThat(admin.vhostExists(vhost)).isTrue();

        PROXY.heal();
        // What a platform does after a failed provision (orphan mitigation).
        assertThat(platform.deprovision(instance, serviceId, planId, false).status()).isEqualTo(200);
        assertThat(admin.vhostExists(vhost)).isFalse();
    }

    @Test
    void aProvisionWhoseCleanupSucceedsLeavesNoVhost(OsbClient platform) throws Exception {
        String instance = LocalRabbitmq.newId();
        PROXY.refuse((method, path) -> path.startsWith("/api/vhost-limits/"));

        assertThat(platform.provision(instance, serviceId, planId, null, false).status()).isEqualTo(503);
        assertThat(admin.vhostExists(ResourceNames.vhost(instance))).isFalse();
    }

    private static void breakAfterTheVhostIsMade() {
        PROXY.refuse((method, path) -> path.startsWith("/api/operator-policies/")
                || (method.equals("DELETE") && path.startsWith("/api/vhosts/")));
    }

    private static FlakyManagementProxy start() {
        try {
            return new FlakyManagementProxy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
