package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.paasta.servicepack.testkit.BrokerContractTest;
import org.paasta.servicepack.testkit.BrokerTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/** The SDK's contract kit, through HTTP, against shared-vm redis-server processes the broker starts. */
@BrokerTest
@ActiveProfiles("http-test")
@TestPropertySource(properties = HttpTestEnvironment.STORE)
class SharedVmContractTest extends BrokerContractTest {
    static {
        HttpTestEnvironment.ensureStarted();
    }

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

    /**
     * The http-test profile lets the host run 5 shared-vm instances: the hostile-input test holds at
     * most 4 ids at once, so a valid provision among its requests is never refused for capacity (507).
     */
    @Override
    protected int hostileInstanceLimit() {
        return 4;
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
