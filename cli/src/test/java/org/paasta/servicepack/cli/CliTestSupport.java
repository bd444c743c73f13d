package org.paasta.servicepack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.paasta.servicepack.cli.testbroker.MemoryBackend;
import org.paasta.servicepack.cli.testbroker.MemoryBrokerApplication;
import org.paasta.servicepack.cli.testbroker.RecordingFilter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Runs the CLI in-process, as {@code java -jar} would (its {@code execute} entry point with captured
 * streams and exit code), against a real OSB broker: the project's SDK on a random port with
 * {@link MemoryBackend}. Every test has its own home directory, so its own config and state files.
 */
@SpringBootTest(classes = MemoryBrokerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("memory")
abstract class CliTestSupport {
    static final String BROKER_PASSWORD = "cli-test-broker-password";
    static final String USER = "alice";

    @LocalServerPort
    int port;
    @Autowired
    MemoryBackend backend;
    @Autowired
    RecordingFilter recorder;
    @TempDir
    Path home;

    final ObjectMapper json = new ObjectMapper();
    final Map<String, String> env = new HashMap<>();

    /** One finished command line. */
    record Run(int exit, String out, String err) {
        Run succeeded() {
            assertThat(exit).as("exit code; stderr: %s; stdout: %s", err, out).isZero();
            return this;
        }
    }

    @BeforeEach
    void freshBroker() {
        recorder.clear();
        backend.rearm();
        env.clear();
        env.put(ConfigStore.ENV_CONFIG, configFile().toString());
    }

    @AfterEach
    void releaseHeldOperations() {
        backend.release();
    }

    Path configFile() {
        return home.resolve(".servicepack").resolve("config.json");
    }

    Path stateFile() {
        return home.resolve(".servicepack").resolve("state.json");
    }

    String brokerUrl() {
        return "http://127.0.0.1:" + port;
    }

    Run cli(String... args) {
        return run(false, "", args);
    }

    Run run(boolean interactive, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Map.copyOf(env), home, USER, interactive);
        int exit = ServicePackCli.execute(terminal, args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Registers the test broker as {@code memory} (password through the environment, as a script would). */
    void registerBroker() {
        env.put(BrokerCommands.PASSWORD_ENV, BROKER_PASSWORD);
        cli("register-broker", "memory", brokerUrl(), "--username", "broker").succeeded();
        env.remove(BrokerCommands.PASSWORD_ENV);
    }

    JsonNode state() throws IOException {
        return json.readTree(Files.readString(stateFile()));
    }

    JsonNode instanceState(String name) throws IOException {
        return state().path("services").path(name);
    }

    String instanceId(String name) throws IOException {
        return instanceState(name).path("instance_id").asText();
    }
}
