package org.paasta.servicepack.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The 3-node MariaDB Galera cluster of {@code scripts/clusters/galera.sh}, as its env file describes it
 * ({@code $GALERA_ENV_FILE}, else {@code $GALERA_DIR/galera.env}, else /tmp/servicepack-galera/galera.env).
 *
 * <p>{@link #require()} skips the calling test when there is no cluster, unless
 * {@code SERVICEPACK_REQUIRE_GALERA=true} (scripts/test-all.sh sets it after starting the cluster):
 * then a missing cluster fails the test, so CI never passes by skipping.
 */
public final class GaleraCluster {
    /** The env variable that turns "no cluster" from a skip into a failure. */
    public static final String REQUIRE = "SERVICEPACK_REQUIRE_GALERA";

    private final Map<String, String> values;
    private final Path envFile;

    private GaleraCluster(Path envFile, Map<String, String> values) {
        this.envFile = envFile;
        this.values = values;
    }

    /** The running cluster; aborts (skip) or fails the calling test when there is none. */
    public static GaleraCluster require() {
        Path file = envFile();
        if (!Files.isReadable(file)) {
            String message = "no Galera cluster: " + file + " is missing; start one with "
                    + "`bash scripts/clusters/galera.sh start`";
            if ("true".equals(System.getenv(REQUIRE))) {
                Assertions.fail(message + " (" + REQUIRE + "=true: the cluster is required here)");
            }
            Assumptions.abort(message);
        }
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int equals = line.indexOf('=');
                if (equals > 0 && !line.startsWith("#")) {
                    values.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new GaleraCluster(file, values);
    }

    static Path envFile() {
        String explicit = System.getenv("GALERA_ENV_FILE");
        if (explicit != null && !explicit.isEmpty()) {
            return Path.of(explicit);
        }
        String dir = System.getenv("GALERA_DIR");
        return Path.of(dir == null || dir.isEmpty() ? "/tmp/servicepack-galera" : dir, "galera.env");
    }

    /** The failover URL over all nodes, e.g. {@code jdbc:mariadb:sequential://h:13306,h:13307,h:13308/}. */
    public String adminUrl() {
        return get("GALERA_ADMIN_URL");
    }

    public String adminUsername() {
        return get("GALERA_ADMIN_USERNAME");
    }

    public String adminPassword() {
        return get("GALERA_ADMIN_PASSWORD");
    }

    /** Node {@code n}'s own URL (1-based), e.g. {@code jdbc:mariadb://127.0.0.1:13307/}. */
    public String nodeUrl(int n) {
        return get("GALERA_NODE" + n + "_URL");
    }

    public String nodeHost(int n) {
        return get("GALERA_NODE" + n + "_HOST");
    }

    public int nodePort(int n) {
        return Integer.parseInt(get("GALERA_NODE" + n + "_PORT"));
    }

    /** {@code host:port} of every node, comma-separated. */
    public String nodes() {
        return get("GALERA_NODES");
    }

    public int nodeCount() {
        return Integer.parseInt(values.getOrDefault("GALERA_NODE_COUNT", "3"));
    }

    /** {@code kill -9} of node {@code n}: a crash. */
    public void killNode(int n) {
        script("kill-node", String.valueOf(n));
    }

    /** Starts node {@code n} again and waits (bounded by the script) until it is Synced. */
    public void startNode(int n) {
        script("start-node", String.valueOf(n));
    }

    private String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalStateException(envFile + " has no " + key);
        }
        return value;
    }

    private void script(String... arguments) {
        Path script = scriptPath();
        List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(arguments));
        Path log = Path.of("target", "galera-script.log").toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("GALERA_DIR", envFile.getParent().toString());
        Duration timeout = Duration.ofSeconds(180);
        try {
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took more than " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue()
                        + "; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** scripts/clusters/galera.sh of the checkout the test runs in (a module's directory or the root). */
    private static Path scriptPath() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("scripts/clusters/galera.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new IllegalStateException("scripts/clusters/galera.sh not found above " + Path.of("").toAbsolutePath());
    }
}
