package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.testkit.Catalog;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import redis.clients.jedis.Jedis;

/**
 * kill -9 of the broker itself: the broker runs as a separate JVM (the real application, over HTTP),
 * is SIGKILLed with two instances provisioned, one of their redis-servers dies while no broker
 * runs, and a new broker on the same state store and data directory brings everything back.
 */
class BrokerRestartTest {
    static final Path ROOT = Path.of("target/restart-test").toAbsolutePath();
    static final Duration WAIT = Duration.ofSeconds(60);

    final List<Process> brokers = new ArrayList<>();
    String service;
    String plan;

    @Test
    void killMinusNineTheBrokerAndStartItAgain() throws Exception {
        RedisProcessesOnDisk.killAll(ROOT);
        delete(ROOT);
        Files.createDirectories(ROOT);
        int httpPort = freePort();
        OsbClient client = new OsbClient(URI.create("http://127.0.0.1:" + httpPort), "broker", "restart-test-password");
        try {
            Process first = startBroker(httpPort, "first");
            Catalog catalog = Catalog.of(client);
            service = catalog.serviceId("redis");
            plan = catalog.planId("redis", "shared-vm");
            String adopted = UUID.randomUUID().toString();
            String restarted = UUID.randomUUID().toString();
            provision(client, adopted);
            provision(client, restarted);
            JsonNode adoptedCredentials = bind(client, adopted, "binding-of-adopted");
            JsonNode restartedCredentials = bind(client, restarted, "binding-of-restarted");
            long adoptedPid = serverPid(adoptedCredentials);
            long restartedPid = serverPid(restartedCredentials);
            try (Jedis jedis = RedisCredentialChecks.byFields(adoptedCredentials)) {
                jedis.set("kept", "yes");
            }

            first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of anything
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(answers(adoptedCredentials)).as("instances outlive a killed broker").isTrue();
            ProcessHandle victim = ProcessHandle.of(restartedPid).orElseThrow();
            victim.destroyForcibly(); // and one of them dies while no broker watches
            victim.onExit().get(10, TimeUnit.SECONDS);

            Process second = startBroker(httpPort, "second");

            awaitTrue("the dead instance is started again by the new broker", () -> answers(restartedCredentials));
            // One broker per data directory: another one started beside it (here with a store of its
            // own) stops at its start with the one message, and the running broker keeps its lock.
            Process intruder = launch(freePort(), "intruder", ROOT.resolve("intruder-state"));
            assertThat(intruder.waitFor(60, TimeUnit.SECONDS)).as("a broker on a held data directory exits").isTrue();
            assertThat(intruder.exitValue()).isNotZero();
            assertThat(Files.readString(ROOT.resolve("broker-intruder.log")))
                    .contains("REDIS_SHARED_DATA_DIR")
                    .contains(ROOT.resolve("instances") + " is held by the broker with pid " + second.pid());
            RedisCredentialChecks.assertWork(restartedCredentials);
            RedisCredentialChecks.assertWork(adoptedCredentials);
            assertThat(serverPid(adoptedCredentials)).as("adopted, not restarted").isEqualTo(adoptedPid);
            try (Jedis jedis = RedisCredentialChecks.byFields(adoptedCredentials)) {
                assertThat(jedis.get("kept")).isEqualTo("yes");
            }

            assertThat(client.unbind(adopted, "binding-of-adopted", service, plan, false).status()).isEqualTo(200);
            RedisCredentialChecks.assertRefused(adoptedCredentials);
            assertThat(client.unbind(restarted, "binding-of-restarted", service, plan, false).status()).isEqualTo(200);
            RedisCredentialChecks.assertRefused(restartedCredentials);
            for (String instanceId : List.of(adopted, restarted)) {
                OsbResponse gone = client.deprovision(instanceId, service, plan, false);
                assertThat(gone.status()).as("%s", gone).isEqualTo(200);
            }
            assertThat(RedisProcessesOnDisk.running(ROOT)).as("redis-server processes after deprovision").isEmpty();
            assertThat(RedisProcessesOnDisk.portFree(adoptedCredentials.path("port").asInt())).isTrue();
            assertThat(RedisProcessesOnDisk.portFree(restartedCredentials.path("port").asInt())).isTrue();
        } finally {
            for (Process broker : brokers) {
                broker.destroyForcibly();
                broker.waitFor(10, TimeUnit.SECONDS);
            }
            RedisProcessesOnDisk.killAll(ROOT);
        }
        RedisProcessesOnDisk.assertNoneLeft(ROOT);
    }

    /**
     * The real application in a JVM of its own, on this test's class path; its log goes to ROOT. Its
     * port comes from PORT, as on Cloud Foundry.
     */
    Process startBroker(int httpPort, String name) throws Exception {
        Process broker = launch(httpPort, name, ROOT.resolve("state"));
        OsbClient client = new OsbClient(URI.create("http://127.0.0.1:" + httpPort), "broker", "restart-test-password");
        awaitTrue("broker " + name + " serves its catalog (see " + ROOT.resolve("broker-" + name + ".log") + ")", () -> {
            assertThat(broker.isAlive()).as("broker %s exited; see its log in %s", name, ROOT).isTrue();
            try {
                return client.catalog().status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
        return broker;
    }

    /** Starts the application over the store {@code state} and this test's data directory. */
    Process launch(int httpPort, String name, Path state) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                RedisBrokerApplication.class.getName(),
                "--server.address=127.0.0.1",
                "--servicepack.store.url=jdbc:h2:file:" + state + ";WRITE_DELAY=0",
                "--servicepack.security.username=broker",
                "--servicepack.security.password=restart-test-password",
                "--servicepack.secrets.key=restart-test-secrets-key-0123456789",
                "--servicepack.async.sweep-interval=1s",
                "--servicepack.redis.shared.first-port=16480",
                "--servicepack.redis.shared.last-port=16489",
                "--servicepack.redis.shared.data-dir=" + ROOT.resolve("instances"),
                "--servicepack.redis.shared.check-interval=500ms");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PORT", Integer.toString(httpPort));
        Process broker = builder
                .redirectErrorStream(true)
                .redirectOutput(ROOT.resolve("broker-" + name + ".log").toFile())
                .start();
        brokers.add(broker);
        return broker;
    }

    void provision(OsbClient client, String instanceId) {
        OsbResponse accepted = client.provision(instanceId, service, plan, null, true);
        assertThat(accepted.status()).as("%s", accepted).isEqualTo(202);
        assertThat(client.awaitInstance(instanceId, accepted.text("operation"), WAIT).text("state"))
                .isEqualTo("succeeded");
    }

    JsonNode bind(OsbClient client, String instanceId, String bindingId) {
        OsbResponse bound = client.bind(instanceId, bindingId, service, plan, null, false);
        assertThat(bound.status()).as("%s", bound).isEqualTo(201);
        return bound.credentials();
    }

    /** A binding may run INFO: it tells the pid of the server it talks to. */
    static long serverPid(JsonNode credentials) {
        try (Jedis jedis = RedisCredentialChecks.byFields(credentials)) {
            return ServerProcesses.pid(jedis);
        }
    }

    static boolean answers(JsonNode credentials) {
        try (Jedis jedis = RedisCredentialChecks.byFields(credentials)) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
