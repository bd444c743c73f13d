package org.paasta.servicepack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** The config file holds broker passwords: owner-only, and refused when it is not. */
class ConfigFileTest extends CliTestSupport {

    @Test
    void registerBrokerWritesAnOwnerOnlyConfig() throws IOException {
        Run run = run(false, BROKER_PASSWORD + "\n", "register-broker", "memory", brokerUrl(), "-u", "broker", "--password-stdin")
                .succeeded();
        assertThat(run.out()).contains("broker memory registered", "(targeted)");
        assertThat(run.err()).contains("1 service(s), 4 plan(s)");
        assertThat(run.out() + run.err()).doesNotContain(BROKER_PASSWORD);

        assertThat(mode(configFile())).isEqualTo("rw-------");
        assertThat(mode(configFile().getParent())).isEqualTo("rwx------");
        JsonNode config = json.readTree(Files.readString(configFile()));
        assertThat(config.path("target").asText()).isEqualTo("memory");
        assertThat(config.path("brokers").path("memory").path("password").asText()).isEqualTo(BROKER_PASSWORD);
        assertThat(config.path("platform").path("organization_guid").asText()).hasSize(36);
        assertThat(config.path("platform").path("space_guid").asText()).hasSize(36);

        cli("create-service", "memory-db", "small", "s").succeeded();
        assertThat(mode(stateFile())).isEqualTo("rw-------");
        // The made-up org and space stay the same from run to run.
        assertThat(json.readTree(Files.readString(configFile())).path("platform")).isEqualTo(config.path("platform"));
        cli("delete-service", "s").succeeded();
    }

    @Test
    void aConfigOthersCanReadIsRefused() throws IOException {
        registerBroker();
        Files.setPosixFilePermissions(configFile(), PosixFilePermissions.fromString("rw-r--r--"));
        Run run = cli("brokers");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("is open to others (rw-r--r--)", "chmod 600 " + configFile());

        Files.setPosixFilePermissions(configFile(), PosixFilePermissions.fromString("rw-------"));
        cli("create-service", "memory-db", "small", "p").succeeded();
        Files.setPosixFilePermissions(stateFile(), PosixFilePermissions.fromString("rw-rw----"));
        Run state = cli("services");
        assertThat(state.exit()).isEqualTo(1);
        assertThat(state.err()).contains("chmod 600 " + stateFile());
        Files.setPosixFilePermissions(stateFile(), PosixFilePermissions.fromString("rw-------"));
        cli("delete-service", "p").succeeded();
    }

    @Test
    void passwordComesFromOptionEnvOrStdinAndIsRequired() throws IOException {
        env.put(BrokerCommands.PASSWORD_ENV, BROKER_PASSWORD);
        cli("register-broker", "from-env", brokerUrl(), "-u", "broker").succeeded();
        env.remove(BrokerCommands.PASSWORD_ENV);
        cli("register-broker", "from-option", brokerUrl(), "-u", "broker", "-p", BROKER_PASSWORD).succeeded();
        Run missing = cli("register-broker", "nothing", brokerUrl(), "-u", "broker");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no password");
        Run notHttp = cli("register-broker", "ftp", "ftp://example", "-u", "broker", "-p", "x");
        assertThat(notHttp.exit()).isEqualTo(1);

        Run brokers = cli("brokers").succeeded();
        assertThat(brokers.out()).containsPattern("from-env\\s+http://127.0.0.1:\\d+\\s+broker\\s+yes")
                .contains("from-option").doesNotContain(BROKER_PASSWORD);
        cli("target", "from-option").succeeded();
        assertThat(cli("target").succeeded().out()).startsWith("from-option ");
        cli("remove-broker", "from-option").succeeded();
        assertThat(json.readTree(Files.readString(configFile())).path("brokers").has("from-option")).isFalse();
        assertThat(cli("target").exit()).isEqualTo(1);
    }

    @Test
    void configOptionWinsOverTheEnvironmentBeforeOrAfterTheCommand() throws IOException {
        registerBroker();
        Path other = home.resolve("elsewhere").resolve("config.json");
        env.put(BrokerCommands.PASSWORD_ENV, BROKER_PASSWORD);
        cli("--config", other.toString(), "register-broker", "second", brokerUrl(), "-u", "broker").succeeded();
        assertThat(cli("brokers", "--config", other.toString()).succeeded().out()).contains("second").doesNotContain("memory ");
        assertThat(cli("brokers").succeeded().out()).contains("memory").doesNotContain("second");
        assertThat(mode(other)).isEqualTo("rw-------");
    }

    @Test
    void removeBrokerIsRefusedWhileItsInstancesAreListed() throws IOException {
        registerBroker();
        cli("create-service", "memory-db", "small", "keep").succeeded();
        Run refused = cli("remove-broker", "memory");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("keep");
        cli("delete-service", "keep").succeeded();
        cli("remove-broker", "memory").succeeded();
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
