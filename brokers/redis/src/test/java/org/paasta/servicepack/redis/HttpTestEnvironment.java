package org.paasta.servicepack.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What the broker under HTTP test needs before its Spring context starts (see
 * application-http-test.yml): an empty target/http-test and the operator's two pool nodes, real
 * redis-server processes with a requirepass. Everything started below target/http-test is killed
 * when the test JVM exits.
 */
final class HttpTestEnvironment {
    /**
     * The state store of every HTTP test context: one H2 file, because the contexts share the pool
     * nodes, and a node's admin password, rotated by the broker on first use, lives in the store. A
     * context with a store of its own would log in with the operator's password, long replaced. As
     * {@code @TestPropertySource(properties = STORE)} it wins over {@code @BrokerTest}'s in-memory store.
     */
    static final String STORE = "servicepack.store.url=jdbc:h2:file:./target/http-test/state;WRITE_DELAY=0";
    static final Path ROOT = Path.of("target/http-test").toAbsolutePath();
    static final Path INSTANCES = ROOT.resolve("instances");
    private static boolean started;

    private HttpTestEnvironment() {
    }

    static synchronized void ensureStarted() {
        if (started) {
            return;
        }
        try {
            RedisProcessesOnDisk.killAll(ROOT); // left by an earlier run that was killed itself
            delete(ROOT);
            Files.createDirectories(ROOT);
            PoolNodeServers nodes = new PoolNodeServers(ROOT);
            nodes.start(16470, "http-test-pool-node-password-16470");
            nodes.start(16471, "http-test-pool-node-password-16471");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> RedisProcessesOnDisk.killAll(ROOT)));
            started = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path root) throws IOException {
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
