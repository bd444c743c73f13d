package org.paasta.servicepack.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The project's CLI ({@code cli/target/servicepack-cli.jar}) as a developer runs it, with a config
 * and state file of this harness's own: it registers the brokers, creates the instances, binds
 * them to app names, and prints the VCAP_SERVICES an app gets on Cloud Foundry.
 */
final class Cli {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path config;
    private final Path directory;

    Cli(Path directory) {
        this.directory = directory;
        this.config = directory.resolve("config.json");
    }

    ChildProcess.Outcome run(Map<String, String> environment, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Reactor.java().toString(), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-jar", Reactor.cliJar().toString(), "--config", config.toString()));
        command.addAll(List.of(arguments));
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("SERVICEPACK_CLI_POLL_INTERVAL", "250ms");
        return ChildProcess.run(command, env, directory, TIMEOUT);
    }

    /** Runs a command that must succeed; returns its standard output. */
    String ok(String... arguments) {
        ChildProcess.Outcome outcome = run(Map.of(), arguments);
        assertThat(outcome.exitCode()).as("servicepack %s\nstderr: %s", String.join(" ", arguments), outcome.stderr())
                .isZero();
        return outcome.stdout();
    }

    void registerBroker(BrokerProcess broker) {
        ChildProcess.Outcome outcome = run(Map.of("SERVICEPACK_BROKER_PASSWORD", broker.password),
                "register-broker", broker.name, broker.url, "--username", BrokerProcess.USERNAME);
        assertThat(outcome.exitCode()).as("register-broker %s: %s", broker.name, outcome.stderr()).isZero();
    }

    void createService(String broker, String service, String plan, String name) {
        ok("create-service", service, plan, name, "-b", broker);
    }

    /** {@code bind NAME APP}: what it prints is the app's VCAP_SERVICES entry for this binding. */
    ObjectNode bind(String instance, String app) {
        return parse(ok("bind", instance, app));
    }

    void unbind(String instance, String app) {
        ok("unbind", instance, app);
    }

    /** {@code env APP}: VCAP_SERVICES with all of the app's bindings, as the app gets it. */
    String env(String app) {
        String vcap = ok("env", app);
        parse(vcap);
        return vcap;
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    static String write(ObjectNode json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
