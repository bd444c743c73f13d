package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.Catalog;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The lifecycle through HTTP, for both plans, as a platform and an app see it: async
 * provision, bind, use by fields and by uri alone, unbind (refused, and the open connection is
 * cut), async deprovision, and nothing left behind.
 */
@BrokerTest
@ActiveProfiles("http-test")
@TestPropertySource(properties = HttpTestEnvironment.STORE)
class HttpLifecycleTest {
    static {
        HttpTestEnvironment.ensureStarted();
    }

    static final Duration WAIT = Duration.ofSeconds(30);

    OsbClient client;
    String service;
    String sharedPlan;
    String dedicatedPlan;
    @Autowired
    @Qualifier("redisHealthIndicator")
    HealthIndicator health;
    @Autowired
    SharedInstances instances;
    @Autowired
    SharedVm sharedVm;
    @Autowired
    PoolNodes poolNodes;

    @AfterAll
    static void noProcessLeft() {
        RedisProcessesOnDisk.assertNoneLeft(HttpTestEnvironment.INSTANCES);
    }

    @BeforeEach
    void catalog(OsbClient broker) {
        client = broker;
        Catalog catalog = Catalog.of(broker);
        service = catalog.serviceId("redis");
        sharedPlan = catalog.planId("redis", "shared-vm");
        dedicatedPlan = catalog.planId("redis", "dedicated-vm");
    }

    OsbClient client() {
        return client;
    }

    @Test
    void sharedVmFromProvisionToNothingLeft() throws Exception {
        String instanceId = UUID.randomUUID().toString();
        provisionAsync(instanceId, sharedPlan);
        SharedInstance instance = instances.find(instanceId).orElseThrow();
        long pid = sharedVm.pid(instanceId).orElseThrow();
        JsonNode credentials;
        try {
            credentials = useUnbindAndCheckRevoked(instanceId, sharedPlan);
        } finally {
            deprovisionAsync(instanceId, sharedPlan);
        }
        assertThat(ProcessHandle.of(pid)).as("the instance's redis-server").isEmpty();
        assertThat(RedisProcessesOnDisk.portFree(instance.port())).isTrue();
        assertThat(instances.find(instanceId)).isEmpty();
        assertThatThrownBy(() -> RedisCredentialChecks.byFields(credentials).ping())
                .isInstanceOf(JedisConnectionException.class);
    }

    @Test
    void dedicatedVmFromProvisionToAWipedNodeWithANewPassword() throws Exception {
        String instanceId = UUID.randomUUID().toString();
        provisionAsync(instanceId, dedicatedPlan);
        PoolNode held = poolNodes.ofInstance(instanceId).orElseThrow();
        try {
            useUnbindAndCheckRevoked(instanceId, dedicatedPlan);
        } finally {
            deprovisionAsync(instanceId, dedicatedPlan);
        }
        PoolNode released = poolNodes.find(held.nodeId()).orElseThrow();
        assertThat(released.instanceId()).isNull();
        assertThatThrownBy(() -> held.login().connect(Broker.TIMEOUT).ping())
                .as("the instance's admin password").isInstanceOf(JedisAccessControlException.class);
        try (Jedis admin = released.login().connect(Broker.TIMEOUT)) {
            assertThat(admin.dbSize()).isZero();
            assertThat(admin.aclUsers()).containsExactlyInAnyOrder("default", ResourceNames.ADMIN_USER);
        }
    }

    @Test
    void anEmptyPoolAnswers507AndChangesNothing() throws Exception {
        List<String> holders = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                String id = UUID.randomUUID().toString();
                provisionAsync(id, dedicatedPlan);
                holders.add(id);
            }
            String oneTooMany = UUID.randomUUID().toString();
            OsbResponse refused = client().provision(oneTooMany, service, dedicatedPlan,
                    null, false);
            assertThat(refused.status()).as("%s", refused).isEqualTo(507);
            assertThat(refused.text("description")).contains("dedicated-vm nodes of the pool are in use");
            assertThat(client().fetchInstance(oneTooMany).status()).isEqualTo(404);
        } finally {
            for (String id : holders) {
                deprovisionAsync(id, dedicatedPlan);
            }
        }
    }

    @Test
    void aKilledRedisServerComesBackWithItsBindings() throws Exception {
        String instanceId = UUID.randomUUID().toString();
        provisionAsync(instanceId, sharedPlan);
        try {
            JsonNode credentials = bind(instanceId, sharedPlan);
            long pid = sharedVm.pid(instanceId).orElseThrow();

            ProcessHandle.of(pid).orElseThrow().destroyForcibly();

            long deadline = System.nanoTime() + WAIT.toNanos();
            // Back means: the supervisor watches a new process, and the binding gets in.
            while (sharedVm.pid(instanceId).filter(p -> p != pid).isEmpty() || !answers(credentials)) {
                assertThat(System.nanoTime()).as("back within %s", WAIT).isLessThan(deadline);
                Thread.sleep(50);
            }
            RedisCredentialChecks.assertWork(credentials);
        } finally {
            deprovisionAsync(instanceId, sharedPlan);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void healthCountsTheSupervisedProcessesAndPingsEveryPoolNode() {
        String instanceId = UUID.randomUUID().toString();
        provisionAsync(instanceId, sharedPlan);
        try {
            Health now = health.health();
            assertThat(now.getStatus()).as("%s", now).isEqualTo(Status.UP);
            Map<String, Object> shared = (Map<String, Object>) now.getDetails().get("sharedVm");
            assertThat(shared).containsEntry("enabled", true).containsEntry("host", "127.0.0.1");
            assertThat((Integer) shared.get("expected")).isPositive().isEqualTo(shared.get("running"));
            assertThat((Map<String, String>) now.getDetails().get("dedicatedVmNodes"))
                    .containsOnlyKeys("127.0.0.1:16470", "127.0.0.1:16471")
                    .allSatisfy((node, condition) -> assertThat(condition).startsWith("UP, "));
            assertThat(now.toString()).doesNotContain("http-test-pool-node-password")
                    .doesNotContain(instances.find(instanceId).orElseThrow().adminPassword());
            // The component is "redis" in /actuator/health, whose status alone anyone may read.
            OsbResponse overHttp = client().send("GET", "/actuator/health", null);
            assertThat(overHttp.status()).as("%s", overHttp).isEqualTo(200);
            assertThat(overHttp.text("status")).isEqualTo("UP");
        } finally {
            deprovisionAsync(instanceId, sharedPlan);
        }
    }

    private JsonNode useUnbindAndCheckRevoked(String instanceId, String planId) {
        JsonNode credentials = bind(instanceId, planId);
        assertThat(credentials.path("uri").asText()).startsWith("redis://" + credentials.path("username").asText()
                + ":" + credentials.path("password").asText() + "@127.0.0.1:" + credentials.path("port").asInt());
        RedisCredentialChecks.assertWork(credentials);
        Jedis connected = RedisCredentialChecks.byUri(credentials);
        connected.set("before-unbind", "1");

        String bindingId = credentials.path("binding_id_for_test").asText();
        OsbResponse unbind = client().unbind(instanceId, bindingId, service, planId, true);
        assertThat(unbind.status()).as("%s", unbind).isEqualTo(200);

        RedisCredentialChecks.assertRefused(credentials);
        assertThatThrownBy(() -> connected.get("before-unbind")).as("a client connected before unbind")
                .isInstanceOf(JedisConnectionException.class);
        connected.close();
        return credentials;
    }

    private JsonNode bind(String instanceId, String planId) {
        String bindingId = UUID.randomUUID().toString();
        OsbResponse bound = client().bind(instanceId, bindingId, service, planId, null, true);
        assertThat(bound.status()).as("%s", bound).isEqualTo(201);
        JsonNode credentials = bound.credentials().deepCopy();
        assertThat(credentials.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("host", "hostname", "port", "username", "password", "uri");
        ((com.fasterxml.jackson.databind.node.ObjectNode) credentials).put("binding_id_for_test", bindingId);
        return credentials;
    }

    private void provisionAsync(String instanceId, String planId) {
        OsbResponse accepted = client().provision(instanceId, service, planId, null, true);
        assertThat(accepted.status()).as("%s", accepted).isEqualTo(202);
        OsbResponse done = client().awaitInstance(instanceId, accepted.text("operation"), WAIT);
        assertThat(done.text("state")).as("%s", done).isEqualTo("succeeded");
    }

    private void deprovisionAsync(String instanceId, String planId) {
        OsbResponse accepted = client().deprovision(instanceId, service, planId, true);
        assertThat(accepted.status()).as("%s", accepted).isEqualTo(202);
        OsbResponse done = client().awaitInstance(instanceId, accepted.text("operation"), WAIT);
        assertThat(done.status()).as("%s", done).isEqualTo(410);
    }

    private static boolean answers(JsonNode credentials) {
        try (Jedis jedis = RedisCredentialChecks.byFields(credentials)) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
