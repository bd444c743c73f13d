package org.paasta.servicepack.mysql;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.Catalog;
import org.paasta.servicepack.testkit.OsbClient;

/**
 * The MySQL broker as a separate operating-system process, for what only a real process shows:
 * {@code kill -9} in the middle of an operation, and two replicas sharing one state store.
 *
 * <p>Every process gets the settings {@link BrokerTest} gives an in-process broker (credentials,
 * secrets key) and the test server's admin account ({@link MysqlServer}), so a test names only
 * what it changes. The state store is the broker's default, an H2 file under the working directory,
 * unless a test names another.
 */
final class BrokerProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private BrokerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static BrokerProcess start(Map<String, String> settings, Path workingDirectory, Path log) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                MysqlBrokerApplication.class.getName(),
                "--server.port=" + port));
        Map<String, String> all = new LinkedHashMap<>();
        all.put("servicepack.security.username", BrokerTest.USERNAME);
        all.put("servicepack.security.password", BrokerTest.PASSWORD);
        all.put("servicepack.secrets.key", BrokerTest.SECRETS_KEY);
        all.put("servicepack.mysql.admin.url", MysqlServer.ADMIN_URL);
        all.put("servicepack.mysql.admin.username", MysqlServer.ADMIN_USER);
        all.put("servicepack.mysql.admin.password", MysqlServer.ADMIN_PASSWORD);
        all.putAll(settings);
        all.forEach((key, value) -> command.add("--" + key + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            BrokerProcess broker = new BrokerProcess(builder.start(), port);
            broker.awaitReady(Duration.ofSeconds(90), log.toFile());
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh log file under target/broker-logs, kept after the test for a post-mortem. */
    static Path logFile(String name) {
        try {
            Path dir = java.nio.file.Files.createDirectories(Path.of("target", "broker-logs"));
            Path file = dir.resolve(name + "-" + System.currentTimeMillis() + ".log");
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), BrokerTest.USERNAME, BrokerTest.PASSWORD);
    }

    /** The process's catalog, to look ids up by name. */
    Catalog catalog() {
        return Catalog.of(client());
    }

    /** SIGKILL: no shutdown hook, no graceful end of anything in flight. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as a platform stops a broker: Spring's graceful shutdown; waits until the process is gone. */
    void terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("broker did not stop within " + timeout + " of SIGTERM");
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill9();
    }

    private void awaitReady(Duration timeout, File log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("broker process exited during startup; see " + log);
            }
            try {
                if (client().catalog().status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // connection refused until Tomcat listens
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("broker process not ready within " + timeout + "; see " + log);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
