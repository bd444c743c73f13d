package org.paasta.servicepack.consumer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end within a time limit: the CLI and the consumer app. */
final class ChildProcess {
    record Outcome(int exitCode, String stdout, String stderr) {
    }

    /** Variables of the test's own environment that would configure a child behind the harness's back. */
    private static final List<String> INHERITED_CONFIGURATION_PREFIXES = List.of("VCAP_", "SPRING_", "SERVICEPACK_",
            "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "MYSQL_", "RABBITMQ_", "MONGODB_", "REDIS_", "PORT");

    private ChildProcess() {
    }

    static Outcome run(List<String> command, Map<String, String> environment, Path directory, Duration timeout) {
        try {
            Files.createDirectories(directory);
            Path stdout = Files.createTempFile(directory, "stdout", ".txt");
            Path stderr = Files.createTempFile(directory, "stderr", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            cleanEnvironment(builder.environment());
            builder.environment().putAll(environment);
            Process process = builder.start();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(4, command.size())))
                            + "... did not finish within " + timeout + "; stderr: " + Files.readString(stderr));
                }
                return new Outcome(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                        Files.readString(stderr, StandardCharsets.UTF_8));
            } finally {
                process.destroyForcibly();
                Files.deleteIfExists(stdout);
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void cleanEnvironment(Map<String, String> environment) {
        environment.keySet().removeIf(name -> INHERITED_CONFIGURATION_PREFIXES.stream().anyMatch(name::startsWith));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
