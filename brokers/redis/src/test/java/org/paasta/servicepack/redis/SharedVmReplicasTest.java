package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.Origin;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.UnbindRequest;
import redis.clients.jedis.Jedis;

/**
 * Two broker replicas on two hosts sharing one state store, as an operator who put two VM brokers
 * behind one address has them: each shared-vm operation acts on the host the instance's row names,
 * and the other replica refuses (503 naming that host) instead of answering with its own host or
 * deleting a row whose process keeps running.
 */
class SharedVmReplicasTest {
    static final String HOST_A = "127.0.0.1";
    static final String HOST_B = "127.0.0.2";

    @TempDir
    Path root;
    Broker a;
    Broker b;

    @AfterEach
    void stop() {
        for (Broker broker : new Broker[] {a, b}) {
            if (broker != null) {
                broker.close();
            }
        }
        RedisProcessesOnDisk.killAll(root);
    }

    void twoReplicas() {
        a = new Broker(root, HOST_A, 16490, 16492, 3, List.of(), Duration.ofMillis(500));
        b = new Broker(root, HOST_B, 16493, 16495, 3, List.of(), Duration.ofMillis(500));
    }

    @Test
    void theReplicaOnAnotherHostRefusesAndLeavesTheInstanceAlone() {
        twoReplicas();
        a.provision("on-a", Broker.SHARED);
        long pid = a.sharedVm.pid("on-a").orElseThrow();
        Path directory = a.processes.directory("on-a");

        assertThatThrownBy(() -> b.bind("on-a", "app", Broker.SHARED))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("runs on the broker host " + HOST_A)
                .hasMessageContaining("this broker serves shared-vm on " + HOST_B);
        assertThatThrownBy(() -> b.unbind("on-a", "app", Broker.SHARED))
                .isInstanceOf(BackendUnavailableException.class).hasMessageContaining(HOST_A);
        assertThatThrownBy(() -> b.provision("on-a", Broker.SHARED))
                .as("a repeated provision reaching the other replica")
                .isInstanceOf(BackendUnavailableException.class).hasMessageContaining(HOST_A);
        assertThatThrownBy(() -> b.deprovision("on-a", Broker.SHARED))
                .isInstanceOf(BackendUnavailableException.class).hasMessageContaining(HOST_A);

        assertThat(a.instances.find("on-a")).as("the row, after the other replica's deprovision").isPresent()
                .get().extracting(SharedInstance::state).isEqualTo(SharedInstance.RUNNING);
        assertThat(ProcessHandle.of(pid)).as("the process").isPresent();
        assertThat(Files.exists(directory)).as("its data").isTrue();
        assertThat(RedisProcessesOnDisk.running(root)).hasSize(1);

        // The instance's own host serves it, and apps are given that host.
        Credentials credentials = a.bind("on-a", "app", Broker.SHARED);
        assertThat(credentials.getString("host")).isEqualTo(HOST_A);
        try (Jedis jedis = AppClients.byFields(credentials)) {
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
        a.unbind("on-a", "app", Broker.SHARED);
        a.deprovision("on-a", Broker.SHARED);
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(a.instances.find("on-a")).isEmpty();
        RedisProcessesOnDisk.assertNoneLeft(root);
    }

    @Test
    void eachReplicaRecordsItsOwnHostAndGivesItToApps() {
        twoReplicas();
        b.provision("on-b", Broker.SHARED);
        assertThat(b.instances.find("on-b").orElseThrow().host()).isEqualTo(HOST_B);
        // Its process listens on 127.0.0.1 like every process of this test; what matters is the
        // host written into the credentials: the recorded one, whichever replica made them.
        assertThat(b.bind("on-b", "app", Broker.SHARED).getString("host")).isEqualTo(HOST_B);
        assertThatThrownBy(() -> a.bind("on-b", "app-2", Broker.SHARED))
                .isInstanceOf(BackendUnavailableException.class).hasMessageContaining(HOST_B);
        assertThat(a.supervisor.supervision().expected()).as("host A supervises only its own").isEmpty();
        assertThat(b.supervisor.supervision().expected()).containsExactly("on-b");
        assertThat(a.backend.advertisedHosts()).containsExactly(HOST_A);
        assertThat(b.backend.advertisedHosts()).containsExactly(HOST_B);
        b.deprovision("on-b", Broker.SHARED);
        RedisProcessesOnDisk.assertNoneLeft(root);
    }

    /** A broker with shared-vm switched off (Cloud Foundry, Kubernetes) on the same store: it refuses too. */
    @Test
    void aBrokerWithoutSharedVmRefusesEveryInstanceOfIt() {
        twoReplicas();
        a.provision("on-a", Broker.SHARED);
        RedisBackend off = new RedisBackend(new SharedVmSwitchedOff(a.instances), a.dedicatedVm,
                new BindingUsers(a.connections), a.connections);

        assertThatThrownBy(() -> off.provision(new ProvisionRequest<>("new", Broker.SHARED, Map.of(), Origin.NONE)))
                .isInstanceOf(BackendUnavailableException.class).hasMessageContaining("REDIS_SHARED_ENABLED=false");
        assertThatThrownBy(() -> off.bind(new BindRequest<>("on-a", "app", Broker.SHARED, Map.of(), Map.of(), "app-1",
                null, List.of(), Origin.NONE)))
                .isInstanceOf(BackendUnavailableException.class).hasMessageContaining(HOST_A);
        assertThatThrownBy(() -> off.bind(new BindRequest<>("unknown", "app", Broker.SHARED, Map.of(), Map.of(),
                "app-1", null, List.of(), Origin.NONE)))
                .isInstanceOf(BackendUnavailableException.class).hasMessageContaining("REDIS_SHARED_ENABLED=false");
        assertThatThrownBy(() -> off.deprovision(new DeprovisionRequest<>("on-a", Broker.SHARED, List.of(),
                Origin.NONE))).isInstanceOf(BackendUnavailableException.class).hasMessageContaining(HOST_A);
        assertThat(a.instances.find("on-a")).isPresent();
        // Nothing on record: nothing to delete (the platform's orphan mitigation after the 503).
        off.deprovision(new DeprovisionRequest<>("new", Broker.SHARED, List.of(), Origin.NONE));
        off.unbind(new UnbindRequest<>("new", "app", Broker.SHARED, List.of(), Origin.NONE));
        assertThat(off.advertisedHosts()).isEmpty();

        a.deprovision("on-a", Broker.SHARED);
        RedisProcessesOnDisk.assertNoneLeft(root);
    }
}
