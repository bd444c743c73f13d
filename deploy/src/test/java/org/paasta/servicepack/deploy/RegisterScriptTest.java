package org.paasta.servicepack.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/cloudfoundry/register.sh against a recording stand-in for the cf CLI (no Cloud Controller
 * exists here): the commands it issues, in order, the password kept off every command line, and the
 * security group it writes, whose ports must be the backend ports deploy/settings.yml lists.
 */
class RegisterScriptTest {
    private static final String FAKE_CF = """
            #!/usr/bin/env bash
            printf '%s|password=%s\\n' "$*" "${CF_BROKER_PASSWORD:-}" >> "$FAKE_CF_LOG"
            case "$1" in
              service-brokers)
                printf 'Getting service brokers as admin...\\n\\nname   url   status\\n%s   https://x   available\\n' \\
                  "${FAKE_CF_BROKERS:-}" ;;
              security-group)
                [ -n "${FAKE_CF_ASG_EXISTS:-}" ] || { echo "Security group $2 not found"; exit 1; } ;;
              create-security-group|update-security-group)
                cp "$3" "$FAKE_CF_LOG.asg.json" ;;
            esac
            """;

    private final Path repository = Documents.repositoryRoot();
    @TempDir
    Path dir;
    private Path log;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void fakeCf() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path cf = bin.resolve("cf");
        Files.writeString(cf, FAKE_CF);
        Files.setPosixFilePermissions(cf, PosixFilePermissions.fromString("rwxr-xr-x"));
        log = dir.resolve("cf.log");
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("FAKE_CF_LOG", log.toString());
        env.put("TMPDIR", dir.toString());
        env.put("BROKER_URL", "https://mysql-broker.sys.example.com");
        env.put("BROKER_USERNAME", "broker");
        env.put("BROKER_PASSWORD", "s3cret-pass");
        env.put("BACKEND_DESTINATIONS", "10.0.1.10, 10.0.2.0/24");
    }

    @Test
    void registersANewBrokerAndOpensItsBackendToEveryApp() throws IOException {
        Scripts.Result result = register("mysql");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(Files.readAllLines(log)).containsExactly(
                "service-brokers|password=",
                "create-service-broker mysql-broker broker https://mysql-broker.sys.example.com|password=s3cret-pass",
                "enable-service-access Mysql-DB -b mysql-broker|password=",
                "security-group servicepack-mysql-backend|password=",
                "create-security-group servicepack-mysql-backend " + asgPath() + "|password=",
                "bind-running-security-group servicepack-mysql-backend|password=");
        JsonNode rules = asg();
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).path("destination").asText()).isEqualTo("10.0.1.10");
        assertThat(rules.get(1).path("destination").asText()).isEqualTo("10.0.2.0/24");
        rules.forEach(rule -> {
            assertThat(rule.path("protocol").asText()).isEqualTo("tcp");
            assertThat(rule.path("ports").asText()).isEqualTo("3306");
        });
        assertThat(Files.list(dir).filter(f -> f.getFileName().toString().startsWith("servicepack-asg"))).isEmpty();
    }

    @Test
    void updatesWhatExistsAndScopesTheGroupToOneSpace() throws IOException {
        env.put("FAKE_CF_BROKERS", "redis-broker");
        env.put("FAKE_CF_ASG_EXISTS", "1");
        env.put("BROKER_URL", "https://redis-broker.sys.example.com");
        env.put("REDIS_SHARED_DESTINATIONS", "10.0.3.5");
        env.put("ASG_SPACE", "apps-org/prod");
        env.put("ORG", "apps-org");
        Scripts.Result result = register("redis");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(Files.readAllLines(log)).containsExactly(
                "service-brokers|password=",
                "update-service-broker redis-broker broker https://redis-broker.sys.example.com|password=s3cret-pass",
                "enable-service-access redis -b redis-broker -o apps-org -p dedicated-vm|password=",
                "enable-service-access redis -b redis-broker -o apps-org -p shared-vm|password=",
                "security-group servicepack-redis-backend|password=",
                "update-security-group servicepack-redis-backend " + asgPath() + "|password=",
                "bind-security-group servicepack-redis-backend apps-org --space prod --lifecycle running|password=");
        assertThat(asg()).extracting(r -> r.path("destination").asText() + ":" + r.path("ports").asText())
                .containsExactly("10.0.1.10:6379", "10.0.2.0/24:6379", "10.0.3.5:16400-16499");
    }

    @Test
    void redisWithoutSharedHostsOffersDedicatedVmOnly() throws IOException {
        assertThat(register("redis").exitCode()).isZero();
        assertThat(Files.readAllLines(log)).filteredOn(l -> l.startsWith("enable-service-access"))
                .containsExactly("enable-service-access redis -b redis-broker -p dedicated-vm|password=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "redis", "rabbitmq", "mongodb"})
    void securityGroupOpensTheBackendPortsTheSettingsList(String broker) throws IOException {
        if (broker.equals("redis")) {
            env.put("REDIS_SHARED_DESTINATIONS", "10.0.3.5");
        }
        assertThat(register(broker).exitCode()).isZero();
        Set<String> ports = new TreeSet<>();
        asg().forEach(rule -> ports.add(rule.path("ports").asText()));
        assertThat(ports).containsExactlyInAnyOrderElementsOf(
                BrokerSettings.load(repository, broker).backendPorts());
    }

    @Test
    void refusesToRunWithoutTheBackendsAddress() throws IOException {
        env.remove("BACKEND_DESTINATIONS");
        Scripts.Result result = register("mysql");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("BACKEND_DESTINATIONS");
        assertThat(log).doesNotExist();
    }

    @Test
    void refusesAnUnknownBroker() {
        Scripts.Result result = register("postgres");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("register.sh <mysql|redis|rabbitmq|mongodb>");
    }

    private Scripts.Result register(String broker) {
        return Scripts.run(List.of("bash", repository.resolve("deploy/cloudfoundry/register.sh").toString(), broker),
                dir, env);
    }

    private JsonNode asg() throws IOException {
        return Documents.json(Files.readString(Path.of(log + ".asg.json")), "the security group");
    }

    /** The temporary file name register.sh chose, read back from the log. */
    private String asgPath() throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("-security-group servicepack"))
                .map(l -> l.split("\\|")[0].split(" ")[2]).findFirst().orElse("(none)");
    }
}
