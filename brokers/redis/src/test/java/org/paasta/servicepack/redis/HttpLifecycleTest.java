package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The lifecycle through HTTP, for both plans, as a platform and an app see it: async
 * provision, bind, use by fields and by uri alone, unbind (refused, and the open connection is
 * cut), async deprovision, and nothing left behind.
 */
@SpringBootTest(classes = RedisBrokerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("http-test")
class HttpLifecycleTest {
    static {
        HttpTestEnvironment.ensureStarted();
    }

    static final String SERVICE = SharedVmContractTest.SERVICE_ID;
    static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;
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

    OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", "http-test-broker-password");
    }

    @Test
    void sharedVmFromProvisionToNothingLeft() throws Exception {
        String instanceId = UUID.randomUUID().toString();
        provisionAsync(instanceId, SharedVmContractTest.SHARED_PLAN_ID);
        SharedInstance instance = instances.find(instanceId).orElseThrow();
        long pid = sharedVm.pid(instanceId).orElseThrow();
        JsonNode credentials;
        try {
            credentials = useUnbindAndCheckRevoked(instanceId, SharedVmContractTest.SHARED_PLAN_ID);
        } finally {
            deprovisionAsync(instanceId, SharedVmContractTest.SHARED_PLAN_ID);
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
        provisionAsync(instanceId, SharedVmContractTest.DEDICATED_PLAN_ID);
        PoolNode held = poolNodes.ofInstance(instanceId).orElseThrow();
        try {
            useUnbindAndCheckRevoked(instanceId, SharedVmContractTest.DEDICATED_PLAN_ID);
        } finally {
            deprovisionAsync(instanceId, SharedVmContractTest.DEDICATED_PLAN_ID);
        }
        PoolNode released = poolNodes.find(held.nodeId()).orElseThrow();
        assertThat(released.instanceId()).isNull();
        assertThatThrownBy(() -> held.login().connect(Broker.TIMEOUT).ping())
                .as("the instance's admin password").isInstanceOf(JedisAccessControlException.class);
        try (Jedis admin = released.login().connect(Broker.TIMEOUT)) {
            assertThat(admin.dbSize()).isZero();
            assertThat(admin.aclUsers()).containsExactlyInAnyOrder("default", BindingUsers.ADMIN_USER);
        }
    }

    @Test
    void anEmptyPoolAnswers507AndChangesNothing() throws Exception {
        List<String> holders = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                String id = UUID.randomUUID().toString();
                provisionAsync(id, SharedVmContractTest.DEDICATED_PLAN_ID);
                holders.add(id);
            }
            String oneTooMany = UUID.randomUUID().toString();
            OsbResponse refused = client().provision(oneTooMany, SERVICE, SharedVmContractTest.DEDICATED_PLAN_ID,
                    null, false);
            assertThat(refused.status()).as("%s", refused).isEqualTo(507);
            assertThat(refused.text("description")).contains("dedicated-vm nodes of the pool are in use");
            assertThat(client().fetchInstance(oneTooMany).status()).isEqualTo(404);
        } finally {
            for (String id : holders) {
                deprovisionAsync(id, SharedVmContractTest.DEDICATED_PLAN_ID);
            }
        }
    }

    @Test
    void aKilledRedisServerComesBackWithItsBindings() throws Exception {
        String instanceId = UUID.randomUUID().toString();
        provisionAsync(instanceId, SharedVmContractTest.SHARED_PLAN_ID);
        try {
            JsonNode credentials = bind(instanceId, SharedVmContractTest.SHARED_PLAN_ID);
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
            deprovisionAsync(instanceId, SharedVmContractTest.SHARED_PLAN_ID);
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
        OsbResponse unbind = client().unbind(instanceId, bindingId, SERVICE, planId, true);
        assertThat(unbind.status()).as("%s", unbind).isEqualTo(200);

        RedisCredentialChecks.assertRefused(credentials);
        assertThatThrownBy(() -> connected.get("before-unbind")).as("a client connected before unbind")
                .isInstanceOf(JedisConnectionException.class);
        connected.close();
        return credentials;
    }

    private JsonNode bind(String instanceId, String planId) {
        String bindingId = UUID.randomUUID().toString();
        OsbResponse bound = client().bind(instanceId, bindingId, SERVICE, planId, null, true);
        assertThat(bound.status()).as("%s", bound).isEqualTo(201);
        JsonNode credentials = bound.credentials().deepCopy();
        assertThat(credentials.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("host", "hostname", "port", "username", "password", "uri");
        ((com.fasterxml.jackson.databind.node.ObjectNode) credentials).put("binding_id_for_test", bindingId);
        return credentials;
    }

    private void provisionAsync(String instanceId, String planId) {
        OsbResponse accepted = client().provision(instanceId, SERVICE, planId, null, true);
        assertThat(accepted.status()).as("%s", accepted).isEqualTo(202);
        OsbResponse done = client().awaitInstance(instanceId, accepted.text("operation"), WAIT);
        assertThat(done.text("state")).as("%s", done).isEqualTo("succeeded");
    }

    private void deprovisionAsync(String instanceId, String planId) {
        OsbResponse accepted = client().deprovision(instanceId, SERVICE, planId, true);
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
