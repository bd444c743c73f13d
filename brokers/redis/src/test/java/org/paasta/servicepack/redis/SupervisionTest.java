package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paasta.servicepack.sdk.CapacityExhaustedException;
import org.paasta.servicepack.sdk.config.MissingSettingException;
import org.paasta.servicepack.sdk.Credentials;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/** The shared-vm supervisor against real processes: kill -9 a server, restart the broker, race for capacity. */
class SupervisionTest {
    @TempDir
    Path root;
    final List<Broker> brokers = new ArrayList<>();

    @AfterEach
    void stop() {
        brokers.forEach(Broker::close);
        RedisProcessesOnDisk.killAll(root);
    }

    Broker broker(int firstPort, int lastPort, int maxInstances) {
        Broker broker = new Broker(root, firstPort, lastPort, maxInstances, List.of(), Duration.ofMillis(500));
        brokers.add(broker);
        return broker;
    }

    @Test
    void aKilledRedisServerIsBroughtBackAndItsBindingsStillWork() throws Exception {
        Broker broker = broker(16420, 16424, 10);
        broker.provision("killed", Broker.SHARED);
        Credentials credentials = broker.bind("killed", "app", Broker.SHARED);
        long pid = broker.sharedVm.pid("killed").orElseThrow();

        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL

        awaitTrue("a new process is watched and answers the binding again",
                () -> broker.sharedVm.pid("killed").filter(p -> p != pid).isPresent() && answers(credentials));
        assertThat(RedisProcessesOnDisk.running(root)).hasSize(1);
        try (Jedis passwordOnly = PasswordOnlyClientsTest.passwordOnly(credentials)) {
            assertThat(passwordOnly.ping()).as("the binding's password on default, from users.acl").isEqualTo("PONG");
        }
        // The broker's kept admin connection died with the process: unbind and bind work on new ones.
        broker.unbind("killed", "app", Broker.SHARED);
        assertThat(answers(credentials)).isFalse();
        assertThat(answers(broker.bind("killed", "after-restart", Broker.SHARED))).isTrue();
        broker.deprovision("killed", Broker.SHARED);
        RedisProcessesOnDisk.assertNoneLeft(root);
    }

    /**
     * Two brokers over one host's instances (one data root) each supervise them, and neither sees
     * the other's deprovisions: the second restarts, from the handle it adopted, an instance the
     * first deleted and provisions again on another port, and the first's provision then fails for
     * the port (seen as a 503 in the hostile-input test, when Spring kept two HTTP test contexts).
     * So a second broker on the same data root does not start; once the first is gone, it does.
     */
    @Test
    void aSecondBrokerOnTheSameDataRootDoesNotStart() throws Exception {
        Broker first = broker(16420, 16424, 10);
        first.provision("reused", Broker.SHARED);

        assertThatThrownBy(() -> broker(16420, 16424, 10))
                .isInstanceOf(MissingSettingException.class)
                .hasMessageContaining("REDIS_SHARED_DATA_DIR")
                .hasMessageContaining(root.resolve("instances") + " is held by the broker with pid "
                        + ProcessHandle.current().pid());

        // The first broker goes on alone: the port comes back to the next instance and an id again.
        first.deprovision("reused", Broker.SHARED);
        first.provision("next", Broker.SHARED);
        first.provision("reused", Broker.SHARED);
        Credentials next = first.bind("next", "app", Broker.SHARED);
        Credentials reused = first.bind("reused", "app", Broker.SHARED);
        assertThat(answers(next) && answers(reused)).isTrue();
        assertThat(next.get("port")).isEqualTo(16420);

        first.close();
        Broker second = broker(16420, 16424, 10);
        awaitTrue("adopted by the broker after it", () -> second.sharedVm.pid("next").isPresent());
        second.deprovision("next", Broker.SHARED);
        second.deprovision("reused", Broker.SHARED);
        RedisProcessesOnDisk.assertNoneLeft(root);
    }

    @Test
    void aRestartedBrokerAdoptsRunningServersAndRestartsDeadOnes() throws Exception {
        Broker first = broker(16425, 16429, 10);
        first.provision("survivor", Broker.SHARED);
        first.provision("victim", Broker.SHARED);
        Credentials survivor = first.bind("survivor", "app", Broker.SHARED);
        Credentials victim = first.bind("victim", "app", Broker.SHARED);
        long survivorPid = first.sharedVm.pid("survivor").orElseThrow();
        long victimPid = first.sharedVm.pid("victim").orElseThrow();
        try (Jedis jedis = AppClients.byFields(survivor)) {
            jedis.set("kept", "across the broker's restart");
        }

        first.close(); // the broker is gone: no supervisor, the processes and the state store remain
        assertThat(ProcessHandle.of(survivorPid)).as("processes outlive their broker").isPresent();
        ProcessHandle.of(victimPid).orElseThrow().destroyForcibly(); // and one dies while nobody watches
        ProcessHandle.of(victimPid).ifPresent(p -> p.onExit().join());

        Broker second = broker(16425, 16429, 10);

        awaitTrue("the dead instance is started again", () -> answers(victim));
        assertThat(answers(survivor)).isTrue();
        try (Jedis jedis = AppClients.byFields(survivor)) {
            assertThat(jedis.get("kept")).as("adopted, not restarted: its data is still there")
                    .isEqualTo("across the broker's restart");
        }
        assertThat(second.sharedVm.pid("survivor")).contains(survivorPid);
        assertThat(RedisProcessesOnDisk.running(root)).hasSize(2);

        // The new broker supervises the adopted process as well.
        ProcessHandle.of(survivorPid).orElseThrow().destroyForcibly();
        awaitTrue("the adopted instance is brought back after kill -9",
                () -> answers(survivor) && !second.sharedVm.pid("survivor").orElse(survivorPid).equals(survivorPid));

        second.deprovision("survivor", Broker.SHARED);
        second.deprovision("victim", Broker.SHARED);
        RedisProcessesOnDisk.assertNoneLeft(root);
    }

    @Test
    void twoProvisionsRacingForTheLastPortOneWinsTheOtherFailsCleanly() throws Exception {
        Broker broker = broker(16430, 16431, 10);
        broker.provision("first", Broker.SHARED); // takes 16430: one port is left
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (String id : List.of("racer-1", "racer-2")) {
                outcomes.add(pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    try {
                        broker.provision(id, Broker.SHARED);
                        return "won";
                    } catch (CapacityExhaustedException e) {
                        return "507: " + e.description();
                    }
                }));
            }
            List<String> results = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                results.add(outcome.get(30, TimeUnit.SECONDS));
            }
            assertThat(results).containsOnlyOnce("won");
            assertThat(results).anyMatch(r -> r.startsWith("507: No port is free"));
        } finally {
            pool.shutdownNow();
        }
        assertThat(broker.instances.onHost("127.0.0.1")).hasSize(2);
        assertThat(RedisProcessesOnDisk.running(root)).hasSize(2);
        for (SharedInstance instance : broker.instances.onHost("127.0.0.1")) {
            broker.deprovision(instance.instanceId(), Broker.SHARED);
        }
        RedisProcessesOnDisk.assertNoneLeft(root);
    }

    @Test
    void aFullHostRefusesAnotherInstance() {
        Broker broker = broker(16432, 16439, 1);
        broker.provision("only", Broker.SHARED);
        assertThatThrownBy(() -> broker.provision("one-too-many", Broker.SHARED))
                .isInstanceOf(CapacityExhaustedException.class)
                .hasMessageContaining("limit of 1 shared-vm instances");
        assertThat(broker.instances.find("one-too-many")).isEmpty();
        broker.deprovision("only", Broker.SHARED);
        broker.provision("one-too-many", Broker.SHARED); // the freed slot is usable again
        broker.deprovision("one-too-many", Broker.SHARED);
        RedisProcessesOnDisk.assertNoneLeft(root);
    }

    static boolean answers(Credentials credentials) {
        try (Jedis jedis = AppClients.byFields(credentials)) {
            return "PONG".equals(jedis.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
