package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The {@code redis} health component against real processes and pool nodes: UP, and DOWN naming the trouble. */
class RedisHealthTest {
    @TempDir
    Path root;
    PoolNodeServers servers;
    Broker broker;

    @AfterEach
    void stop() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
        if (servers != null) {
            servers.close();
        }
        RedisProcessesOnDisk.killAll(root);
        RedisProcessesOnDisk.assertNoneLeft(root);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPoolNodeThatStopsAnsweringMakesItDownByName() throws Exception {
        servers = new PoolNodeServers(root);
        servers.start(16457);
        List<DedicatedVm.NodeSettings> nodes = new ArrayList<>(servers.settings());
        nodes.add(new DedicatedVm.NodeSettings("127.0.0.1", 16458, null, "nobody-listens-here"));
        broker = new Broker(root, 16442, 16444, 3, nodes, Duration.ofMillis(500));
        broker.provision("dedicated", Broker.DEDICATED);

        Health health = broker.health.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        Map<String, String> conditions = (Map<String, String>) health.getDetails().get("dedicatedVmNodes");
        assertThat(conditions).containsEntry("127.0.0.1:16457", "UP, in use");
        assertThat(conditions.get("127.0.0.1:16458")).startsWith("DOWN, free: does not answer within");
        assertThat((String) health.getDetails().get("reason")).contains("127.0.0.1:16458").doesNotContain("16457");
        String everything = health.toString();
        assertThat(everything).doesNotContain(servers.settings().get(0).password()).doesNotContain("nobody-listens-here")
                .doesNotContain(broker.poolNodes.ofInstance("dedicated").orElseThrow().adminPassword());
        broker.deprovision("dedicated", Broker.DEDICATED);
    }

    @Test
    @SuppressWarnings("unchecked")
    void upWhileEverySharedVmProcessRunsAndEveryNodeAnswers() throws Exception {
        servers = new PoolNodeServers(root);
        servers.start(16459);
        broker = new Broker(root, 16442, 16444, 3, servers.settings(), Duration.ofMillis(500));
        broker.provision("one", Broker.SHARED);
        broker.provision("two", Broker.SHARED);

        Health health = broker.health.health();

        assertThat(health.getStatus()).as("%s", health).isEqualTo(Status.UP);
        assertThat((Map<String, Object>) health.getDetails().get("sharedVm")).containsEntry("enabled", true)
                .containsEntry("host", "127.0.0.1").containsEntry("expected", 2).containsEntry("running", 2);
        assertThat((Map<String, String>) health.getDetails().get("dedicatedVmNodes"))
                .containsExactly(Map.entry("127.0.0.1:16459", "UP, free"));
        assertThat(health.getDetails()).doesNotContainKey("reason");
        broker.deprovision("one", Broker.SHARED);
        broker.deprovision("two", Broker.SHARED);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSharedVmProcessNobodyRestartsMakesItDownByInstance() throws Exception {
        broker = new Broker(root, 16442, 16444, 3, List.of(), Duration.ofMillis(500));
        broker.provision("watched", Broker.SHARED);
        broker.provision("dead", Broker.SHARED);
        long pid = broker.sharedVm.pid("dead").orElseThrow();
        // No supervision from here on (as when its start keeps failing), then the process dies.
        broker.supervisor.close();
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly();
        process.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);

        Health health = broker.health.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat((Map<String, Object>) health.getDetails().get("sharedVm")).containsEntry("expected", 2)
                .containsEntry("running", 1).containsEntry("notRunning", List.of("dead"));
        assertThat((String) health.getDetails().get("reason"))
                .isEqualTo("shared-vm instances without a running redis-server on 127.0.0.1: dead");
        broker.deprovision("watched", Broker.SHARED);
        broker.deprovision("dead", Broker.SHARED);
    }

    @Test
    @SuppressWarnings("unchecked")
    void withSharedVmSwitchedOffOnlyThePoolCounts() {
        broker = new Broker(root, 16442, 16444, 3, List.of(), Duration.ofMillis(500));
        Health health = new RedisHealth(Optional.empty(), broker.dedicatedVm).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat((Map<String, Object>) health.getDetails().get("sharedVm")).containsExactly(Map.entry("enabled", false));
    }
}
