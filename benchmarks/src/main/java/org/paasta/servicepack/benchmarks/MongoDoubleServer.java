package org.paasta.servicepack.benchmarks;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.paasta.servicepack.mongodb.testserver.AuthorizingBackend;

/**
 * The MongoDB broker's TEST DOUBLE of MongoDB (mongo-java-server's in-memory storage behind the
 * broker tests' AuthorizingBackend: SCRAM-SHA-256 logins, createUser/dropUser/usersInfo, per-database
 * roles), as a process of its own on 127.0.0.1. Not mongod: no mongod can be installed on these
 * machines (see brokers/mongodb/README.md). Prints {@code READY <admin uri>} once listening and
 * exits when its standard input closes, so it never outlives the benchmark.
 */
public final class MongoDoubleServer {
    public static void main(String[] args) throws IOException {
        AuthorizingBackend backend = new AuthorizingBackend(new MemoryBackend());
        String password = UUID.randomUUID().toString().replace("-", "");
        backend.addRootUser("admin", password);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        System.out.println("READY mongodb://admin:" + password + "@127.0.0.1:" + address.getPort()
                + "/admin?authSource=admin");
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // wait for the benchmark to close our input
            }
        } finally {
            server.shutdownNow();
        }
    }

    /** The double as a child process of the benchmark. */
    static final class Handle implements AutoCloseable {
        final String adminUri;
        private final Process process;

        private Handle(Process process, String adminUri) {
            this.process = process;
            this.adminUri = adminUri;
        }

        static Handle start(String classPath, java.nio.file.Path log) throws IOException {
            java.nio.file.Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(
                    java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-Xmx256m", "-XX:CICompilerCount=2", "-cp", classPath,
                    MongoDoubleServer.class.getName())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("READY ")) {
                    return new Handle(process, line.substring("READY ".length()).trim());
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("the MongoDB test double did not start; see " + log);
        }

        @Override
        public void close() {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }
}
