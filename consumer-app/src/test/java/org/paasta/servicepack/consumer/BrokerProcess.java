package org.paasta.servicepack.consumer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One broker from its executable jar, as an operator runs it: its own JVM, its port from
 * {@code PORT}, basic auth and secrets key from the environment, a state store of its own (an H2
 * file under target/), and the settings of its backend.
 */
final class BrokerProcess implements AutoCloseable {
    static final String USERNAME = "broker";
    /**
     * A broker serves its catalog within 20 s on an idle 2-core machine; on a shared one running
     * other builds, four brokers starting together have taken over 5 minutes. A broker that exits
     * is noticed at once, whatever this says.
     */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(600);
    private static final SecureRandom RANDOM = new SecureRandom();

    final String name;
    final String url;
    final String password;
    final Path log;
    private final Process process;

    private BrokerProcess(String name, String url, String password, Path log, Process process) {
        this.name = name;
        this.url = url;
        this.password = password;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code brokers/NAME/target/NAME-broker.jar} and returns once its catalog is served. */
    static BrokerProcess start(String name, Map<String, String> settings) {
        Path directory = Reactor.WORK.resolve(name + "-broker");
        int port = ChildProcess.freePort();
        String password = secret(24);
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("PORT", Integer.toString(port));
        environment.put("SERVICEPACK_SECURITY_USERNAME", USERNAME);
        environment.put("SERVICEPACK_SECURITY_PASSWORD", password);
        environment.put("SERVICEPACK_SECRETS_KEY", secret(40));
        environment.put("SERVICEPACK_STORE_URL", "jdbc:h2:file:" + directory.resolve("state").toAbsolutePath()
                + ";WRITE_DELAY=0;QUERY_CACHE_SIZE=64;DB_CLOSE_ON_EXIT=FALSE");
        List<String> command = new ArrayList<>(List.of(Reactor.java().toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx192m", "-jar", Reactor.brokerJar(name).toString()));
        try {
            deleteRecursively(directory);
            Files.createDirectories(directory);
            Path log = Files.createDirectories(Reactor.WORK.resolve("logs")).resolve(name + "-broker.log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            ChildProcess.cleanEnvironment(builder.environment());
            builder.environment().putAll(environment);
            Process process = builder.start();
            BrokerProcess broker = new BrokerProcess(name, "http://127.0.0.1:" + port, password, log, process);
            broker.awaitCatalog();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitCatalog() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest catalog = HttpRequest.newBuilder(URI.create(url + "/v2/catalog")).timeout(Duration.ofSeconds(5))
                .header("X-Broker-API-Version", "2.17")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((USERNAME + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " broker exited during startup; see " + log);
                }
                try {
                    if (http.send(catalog, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notListeningYet) {
                    // still starting
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        throw new IllegalStateException(name + " broker did not serve its catalog within " + START_TIMEOUT + "; see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static String secret(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder secret = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            secret.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return secret.toString();
    }

    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
