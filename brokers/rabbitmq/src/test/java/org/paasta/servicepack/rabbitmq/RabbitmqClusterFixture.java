package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The 3-node RabbitMQ cluster of {@code scripts/clusters/rabbitmq-cluster.sh}, driven from tests:
 * started once per test JVM (idempotent, bounded) and shared by every cluster test class, its env
 * file read, nodes stopped and started. When the JVM ends, a cluster this fixture started is
 * stopped again (scripts/test-all.sh's trap stops it too, should the JVM be killed); one that ran
 * before is left running, with any node a test stopped started again. The script's output goes to
 * {@code target/rabbitmq-cluster.log}.
 */
final class RabbitmqClusterFixture {
    /** Set (to anything) to run the cluster tests; scripts/test-all.sh sets it. */
    static final String SWITCH = "SERVICEPACK_RABBITMQ_CLUSTER";
    /** A fresh start measured 23-69 s on 2 shared cores; a start-node 21-31 s. */
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(300);

    private final Path script;
    private final Path log;
    private final boolean startedHere;
    private final Map<String, String> env;

    private RabbitmqClusterFixture(Path script, Path log, boolean startedHere, Map<String, String> env) {
        this.script = script;
        this.log = log;
        this.startedHere = startedHere;
        this.env = env;
    }

    static boolean enabled() {
        String value = System.getProperty("servicepack.rabbitmq-cluster", System.getenv(SWITCH));
        return value != null && !value.isBlank() && !value.equals("0") && !value.equalsIgnoreCase("false");
    }

    private static RabbitmqClusterFixture shared;
    /** A start that failed fails every later caller at once rather than trying (and waiting) again. */
    private static AssertionError failedStart;

    /** The cluster, started on first use unless all three nodes already run; fails the test if it cannot. */
    static synchronized RabbitmqClusterFixture shared() {
        if (failedStart != null) {
            throw failedStart;
        }
        if (shared == null) {
            try {
                shared = start();
            } catch (AssertionError | RuntimeException e) {
                failedStart = new AssertionError("the 3-node RabbitMQ cluster did not start", e);
                throw failedStart;
            }
            RabbitmqClusterFixture fixture = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(fixture::stopIfStartedHere, "rabbitmq-cluster-stop"));
        }
        return shared;
    }

    private static RabbitmqClusterFixture start() {
        Path script = findScript();
        Path log = Path.of("target", "rabbitmq-cluster.log").toAbsolutePath();
        boolean running = run(script, log, "status") == 0;
        int exit = run(script, log, "start");
        assertThat(exit).as("rabbitmq-cluster.sh start (log: %s)", log).isZero();
        Map<String, String> env = readEnv(Path.of(System.getenv().getOrDefault("RABBITMQ_CLUSTER_DIR",
                "/tmp/servicepack-rabbitmq"), "rabbitmq-cluster.env"));
        return new RabbitmqClusterFixture(script, log, !running, env);
    }

    /** Stops the cluster if this fixture started it; otherwise brings back any node a test stopped. */
    private void stopIfStartedHere() {
        run(script, log, startedHere ? "stop" : "start");
    }

    /** Every node running again (a test that stopped one calls this when done; 1 s when all run). */
    void allNodesUp() {
        assertThat(run(script, log, "start")).as("rabbitmq-cluster.sh start (log: %s)", log).isZero();
    }

    void stopNode(int node) {
        assertThat(run(script, log, "stop-node", String.valueOf(node))).as("stop-node %d (log: %s)", node, log)
                .isZero();
    }

    void startNode(int node) {
        assertThat(run(script, log, "start-node", String.valueOf(node))).as("start-node %d (log: %s)", node, log)
                .isZero();
    }

    String nodeName(int node) {
        return env.get("RABBITMQ_CLUSTER_NODE" + node + "_NAME");
    }

    URI managementUrl(int node) {
        return URI.create(env.get("RABBITMQ_CLUSTER_NODE" + node + "_MANAGEMENT_URL"));
    }

    /** host:port of each node's AMQP listener, node 1 first. */
    List<String> amqpAddresses() {
        return Arrays.asList(env.get("RABBITMQ_CLUSTER_AMQP_ADDRESSES").split(","));
    }

    String adminUsername() {
        return env.get("RABBITMQ_CLUSTER_ADMIN_USERNAME");
    }

    String adminPassword() {
        return env.get("RABBITMQ_CLUSTER_ADMIN_PASSWORD");
    }

    /** The management API of the given nodes, in that order (one node: no failover). */
    ManagementApi api(int... nodes) {
        return new ManagementApi(Arrays.stream(nodes).mapToObj(this::managementUrl).toList(), adminUsername(),
                adminPassword(), Duration.ofSeconds(10));
    }

    private static int run(Path script, Path log, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("rabbitmq-cluster.sh " + String.join(" ", args) + " took more than "
                        + SCRIPT_TIMEOUT.toSeconds() + " s (log: " + log + ")");
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** scripts/clusters/rabbitmq-cluster.sh of this checkout, found upwards from the module directory. */
    private static Path findScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts/clusters/rabbitmq-cluster.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("scripts/clusters/rabbitmq-cluster.sh not found above " + new File("").getAbsolutePath());
    }

    private static Map<String, String> readEnv(Path file) {
        try {
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    env.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
            return env;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
