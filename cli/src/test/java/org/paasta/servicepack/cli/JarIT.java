package org.paasta.servicepack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as CI and users run it, {@code java -jar cli/target/servicepack-cli.jar}, in a
 * process of its own: proves the jar is complete (picocli, Jackson, the main class, the JDK HTTP
 * client) and that exit codes reach the shell. What the CLI does with a broker is tested in-process
 * against a real one (LifecycleTest, ErrorsTest); starting that broker a second time here would
 * double the module's test time for no new claim.
 */
class JarIT {
    private static final Path JAR = Path.of("target", "servicepack-cli.jar");

    @TempDir
    Path home;

    record Process(int exit, String out, String err) {
    }

    @Test
    void theJarRunsAndItsExitCodesReachTheShell() throws Exception {
        assertThat(JAR).exists();
        Process version = java("", "--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).contains("Open Service Broker API 2.17");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        Process unreachable = java("secret\n", "register-broker", "b", url, "-u", "broker", "--password-stdin");
        assertThat(unreachable.exit()).isEqualTo(4);
        assertThat(unreachable.err()).contains("cannot reach broker 'b'", "connection refused").doesNotContain("Exception");

        Process registered = java("secret\n", "register-broker", "b", url, "-u", "broker", "--password-stdin", "--no-check");
        assertThat(registered.exit()).as(registered.err()).isZero();
        Path config = home.resolve("config.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        JsonNode saved = new ObjectMapper().readTree(Files.readString(config));
        assertThat(saved.path("brokers").path("b").path("password").asText()).isEqualTo("secret");

        assertThat(java("", "brokers").out()).contains(url);
        assertThat(java("", "create-service", "s", "p", "n").exit()).isEqualTo(4);
        assertThat(java("", "no-such-command").exit()).isEqualTo(1);
    }

    private Process java(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put(ConfigStore.ENV_CONFIG, home.resolve("config.json").toString());
        java.lang.Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("java -jar " + String.join(" ", args) + " did not end within 60 s");
        }
        return new Process(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
