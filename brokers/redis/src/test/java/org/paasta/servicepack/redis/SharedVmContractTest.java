package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.paasta.servicepack.testkit.BrokerContractTest;
import org.paasta.servicepack.testkit.OsbClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** The SDK's contract kit, through HTTP, against shared-vm redis-server processes the broker starts. */
@SpringBootTest(classes = RedisBrokerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("http-test")
class SharedVmContractTest extends BrokerContractTest {
    static {
        HttpTestEnvironment.ensureStarted();
    }

    static final String SERVICE_ID = "7aba7e52-f61b-4263-9de1-14e9d11fb67d";
    static final String SHARED_PLAN_ID = "78bf886c-bc50-4f31-a03c-cb786a158286";
    static final String DEDICATED_PLAN_ID = "48b35349-d3de-4e19-bc4a-66996ae07766";

    @LocalServerPort
    int port;
    @Autowired
    SharedInstances instances;
    @Autowired
    ServerProcesses processes;
    final Map<String, Integer> ports = new ConcurrentHashMap<>();

    @AfterAll
    static void noProcessLeft() {
        RedisProcessesOnDisk.assertNoneLeft(HttpTestEnvironment.INSTANCES);
    }

    @Override
    protected OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", "http-test-broker-password");
    }

    @Override
    protected String serviceName() {
        return "redis";
    }

    @Override
    protected String planName() {
        return "shared-vm";
    }

    @Override
    protected String otherPlanName() {
        return "dedicated-vm";
    }

    @Override
    protected void assertCredentialsWork(JsonNode credentials) {
        RedisCredentialChecks.assertWork(credentials);
    }

    @Override
    protected void assertCredentialsRefused(JsonNode credentials) {
        RedisCredentialChecks.assertRefused(credentials);
    }

    @Override
    protected void assertResourceExists(String instanceId, boolean exists) {
        if (exists) {
            SharedInstance instance = instances.find(instanceId).orElseThrow();
            ports.put(instanceId, instance.port());
            assertThat(processes.running(instance.adminLogin("127.0.0.1"), Broker.TIMEOUT))
                    .as("redis-server of %s", instanceId).isPresent();
            return;
        }
        assertThat(instances.find(instanceId)).isEmpty();
        assertThat(Files.exists(processes.directory(instanceId))).as("data directory of %s", instanceId).isFalse();
        Integer used = ports.get(instanceId);
        if (used != null) {
            assertThat(RedisProcessesOnDisk.portFree(used)).as("port %d free again", used).isTrue();
        }
    }
}
