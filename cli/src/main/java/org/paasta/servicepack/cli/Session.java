package org.paasta.servicepack.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.paasta.servicepack.cli.CliConfig.RegisteredBroker;

/**
 * The parts one command run works with, made once: the composition root of the CLI. Nothing here
 * is done before a command needs it (no HTTP client for {@code brokers}), so start-up stays fast.
 */
final class Session {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final String POLL_INTERVAL_ENV = "SERVICEPACK_CLI_POLL_INTERVAL";

    final Terminal terminal;
    final ObjectMapper json;
    final ConfigStore configStore;
    final ServiceStore services;
    final Clock clock;
    private final PlatformIdentity.Kind platform;
    private final Duration requestTimeout;
    private CliConfig config;
    private HttpClient http;

    Session(Terminal terminal, Path configOption, PlatformIdentity.Kind platform, Duration requestTimeout) {
        this.terminal = terminal;
        this.json = new ObjectMapper()
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.configStore = new ConfigStore(ConfigStore.locate(configOption, terminal), json);
        this.services = new ServiceStore(configStore.stateFile(), json);
        this.clock = Clock.systemUTC();
        this.platform = platform;
        this.requestTimeout = requestTimeout;
    }

    CliConfig config() {
        if (config == null) {
            config = configStore.load();
        }
        return config;
    }

    CliConfig updateConfig(UnaryOperator<CliConfig> change) {
        config = configStore.update(change);
        return config;
    }

    /** The broker named with {@code --broker}, else the targeted one. */
    String brokerName(String explicit) {
        if (explicit != null) {
            return explicit;
        }
        String target = config().target();
        if (target == null) {
            throw CliFailure.usage(config().brokers().isEmpty()
                    ? "no broker is registered; first run: servicepack register-broker NAME URL --username USER"
                    : "no broker is targeted; run: servicepack target NAME (registered: "
                            + String.join(", ", config().brokers().keySet()) + ")");
        }
        return target;
    }

    OsbClient client(String brokerName) {
        RegisteredBroker broker = config().brokers().get(brokerName);
        if (broker == null) {
            throw CliFailure.usage("no broker named '" + brokerName + "' is registered in " + configStore.file()
                    + (config().brokers().isEmpty() ? "" : " (registered: " + String.join(", ", config().brokers().keySet()) + ")"));
        }
        return client(brokerName, broker);
    }

    /** A client for a broker that may not be registered yet ({@code register-broker} checks it first). */
    OsbClient client(String brokerName, RegisteredBroker broker) {
        if (!config().platform().complete()) {
            // Made-up org/space ids are written down the first time, so a broker sees the same ones on
            // every run; but no file is made before register-broker has checked the broker.
            config = Files.exists(configStore.file())
                    ? updateConfig(CliConfig::withPlatformDefaults)
                    : config().withPlatformDefaults();
        }
        if (http == null) {
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        PlatformIdentity identity = new PlatformIdentity(platform, config().platform(), terminal.user(), json);
        return new OsbClient(brokerName, broker, identity, http, json, requestTimeout);
    }

    OperationPoller poller() {
        Duration interval = OperationPoller.DEFAULT_INTERVAL;
        String configured = terminal.env(POLL_INTERVAL_ENV);
        if (configured != null) {
            try {
                interval = Durations.parse(configured);
            } catch (IllegalArgumentException e) {
                throw CliFailure.usage("$" + POLL_INTERVAL_ENV + ": " + e.getMessage());
            }
        }
        return new OperationPoller(clock, interval);
    }

    ProgressLine progress(String label) {
        int width = 100;
        String columns = terminal.env("COLUMNS");
        if (columns != null && columns.matches("\\d{2,4}")) {
            width = Integer.parseInt(columns);
        }
        return new ProgressLine(terminal.err(), terminal.interactive(), label, clock, width);
    }

    /** When to stop waiting: {@code --timeout}, or the plan's {@code maximum_polling_duration} if shorter. */
    Instant deadline(Duration timeout, Integer maximumPollingDuration) {
        Duration wait = timeout;
        if (maximumPollingDuration != null && Duration.ofSeconds(maximumPollingDuration).compareTo(wait) < 0) {
            wait = Duration.ofSeconds(maximumPollingDuration);
        }
        return clock.instant().plus(wait);
    }

    /** A note for the user on stderr: stdout carries only results. */
    void note(String message) {
        terminal.err().println(message);
        terminal.err().flush();
    }
}
