package org.paasta.servicepack.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.paasta.servicepack.consumer.Platform.Instances;

/**
 * The project's proof that apps read the brokers' credentials with zero configuration: the
 * consumer app, a Spring Boot app with java-cfenv and no settings of its own, run as its own JVM
 * with the VCAP_SERVICES that the CLI builds from real bindings of the four brokers (as Cloud
 * Foundry builds it from the bind responses and the catalog), writes and reads data on each; after
 * unbind the same app is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsumerAppIT {
    private Platform platform;
    private Cli cli;

    @BeforeAll
    void startPlatform() throws Exception {
        platform = Platform.start();
        cli = platform.cli;
    }

    @AfterAll
    void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void mysqlWithConnectorJ() {
        writesAndReadsThenIsRefusedAfterUnbind(ConsumerVariant.CONNECTOR_J, Instances.MYSQL, "mysql",
                credentials -> "database=" + credentials.path("name").asText() + " driver="
                        + ConsumerVariant.CONNECTOR_J.driverName);
    }

    /** Fails until the MySQL broker's jdbcUrl is one MariaDB Connector/J accepts (see README). */
    @Test
    void mysqlWithMariadbDriver() {
        writesAndReadsThenIsRefusedAfterUnbind(ConsumerVariant.MARIADB, Instances.MYSQL, "mysql",
                credentials -> "database=" + credentials.path("name").asText() + " driver="
                        + ConsumerVariant.MARIADB.driverName);
    }

    /** Fails until a password-only client logs in to Redis with the binding's credentials (see README). */
    @Test
    void redisSharedVm() {
        writesAndReadsThenIsRefusedAfterUnbind(ConsumerVariant.CONNECTOR_J, Instances.REDIS_SHARED, "redis",
                credentials -> "port=" + credentials.path("port").asText());
    }

    /** Fails until a password-only client logs in to Redis with the binding's credentials (see README). */
    @Test
    void redisDedicatedVm() {
        writesAndReadsThenIsRefusedAfterUnbind(ConsumerVariant.CONNECTOR_J, Instances.REDIS_DEDICATED, "redis",
                credentials -> "port=" + credentials.path("port").asText());
    }

    @Test
    void rabbitmq() {
        writesAndReadsThenIsRefusedAfterUnbind(ConsumerVariant.CONNECTOR_J, Instances.RABBITMQ, "rabbitmq",
                credentials -> "vhost=" + credentials.path("vhost").asText());
    }

    @Test
    void mongodb() {
        writesAndReadsThenIsRefusedAfterUnbind(ConsumerVariant.CONNECTOR_J, Instances.MONGODB, "mongodb",
                credentials -> "database=" + credentials.path("database").asText());
    }

    /** What a real app is: one app bound to one instance of each service at once. */
    @Test
    void oneAppBoundToAllFourServices() {
        String app = "all-four";
        List<String> instances = List.of(Instances.MYSQL, Instances.REDIS_SHARED, Instances.RABBITMQ, Instances.MONGODB);
        instances.forEach(instance -> cli.bind(instance, app));
        try {
            ConsumerRunOutcome run = ConsumerApp.run(ConsumerVariant.CONNECTOR_J, cli.env(app));
            SoftAssertions softly = new SoftAssertions();
            for (String kind : List.of("mysql", "redis", "rabbitmq", "mongodb")) {
                softly.assertThat(run.results()).as(run.transcript()).containsKey(kind);
                ConsumerRunOutcome.Line line = run.results().get(kind);
                softly.assertThat(line != null && line.ok()).as("%s: %s", kind, line).isTrue();
            }
            softly.assertThat(run.exitCode()).as(run.transcript()).isZero();
            softly.assertAll();
        } finally {
            instances.forEach(instance -> cli.unbind(instance, app));
        }
    }

    /**
     * The run depends on the binding's password and nothing else: with every credential field that
     * carries it removed, each service fails, where the same VCAP_SERVICES with them passes.
     */
    @Test
    void credentialsWithoutTheirPasswordFail() {
        String app = "shapes";
        List<String> instances = List.of(Instances.MYSQL, Instances.RABBITMQ, Instances.MONGODB);
        instances.forEach(instance -> cli.bind(instance, app));
        try {
            ObjectNode vcap = Cli.parse(cli.env(app));
            ConsumerRunOutcome intact = ConsumerApp.run(ConsumerVariant.CONNECTOR_J, Cli.write(vcap));
            assertThat(intact.exitCode()).as(intact.transcript()).isZero();
            assertThat(intact.results()).as(intact.transcript()).containsOnlyKeys("mysql", "rabbitmq", "mongodb");

            List<String> removed = new ArrayList<>();
            forEachCredentials(vcap, credentials -> {
                String password = credentials.path("password").asText();
                assertThat(password).as("password of %s", credentials.fieldNames()).isNotEmpty();
                removed.addAll(removeFieldsHolding(credentials, password));
            });
            assertThat(removed).contains("password", "jdbcUrl", "uri");
            ConsumerRunOutcome broken = ConsumerApp.run(ConsumerVariant.CONNECTOR_J, Cli.write(vcap));
            assertThat(broken.exitCode()).as(broken.transcript()).isEqualTo(1);
            assertThat(broken.results()).as(broken.transcript()).containsOnlyKeys("mysql", "rabbitmq", "mongodb");
            broken.results().values().forEach(line -> assertThat(line.ok()).as(broken.transcript()).isFalse());
        } finally {
            instances.forEach(instance -> cli.unbind(instance, app));
        }
    }

    @Test
    void nothingBoundIsAFailure() {
        ConsumerRunOutcome run = ConsumerApp.run(ConsumerVariant.CONNECTOR_J, "{}");
        assertThat(run.exitCode()).as(run.transcript()).isEqualTo(ConsumerRun.NOTHING_BOUND);
        assertThat(run.results()).as(run.transcript()).containsOnlyKeys("none");
    }

    /**
     * Binds the instance to an app of its own, runs the app with {@code servicepack env APP}, expects
     * the service's RESULT line to pass and name what the binding points at; unbinds, runs the same
     * app with the same VCAP_SERVICES again and expects that service to be refused.
     */
    private void writesAndReadsThenIsRefusedAfterUnbind(ConsumerVariant variant, String instance, String kind,
            Function<JsonNode, String> expectedDetail) {
        String app = instance + "-" + variant.classifier;
        ObjectNode bound = cli.bind(instance, app);
        boolean unbound = false;
        try {
            String vcap = cli.env(app);
            assertThat(Cli.parse(vcap)).as("env %s repeats what bind printed", app).isEqualTo(bound);
            JsonNode credentials = onlyEntry(Cli.parse(vcap)).path("credentials");

            ConsumerRunOutcome run = ConsumerApp.run(variant, vcap);
            assertThat(run.results()).as(run.transcript()).containsOnlyKeys(kind);
            assertThat(run.results().get(kind).ok()).as(run.transcript()).isTrue();
            assertThat(run.results().get(kind).detail()).as(run.transcript()).isEqualTo(expectedDetail.apply(credentials));
            assertThat(run.exitCode()).as(run.transcript()).isZero();

            cli.unbind(instance, app);
            unbound = true;
            ConsumerRunOutcome refused = ConsumerApp.run(variant, vcap);
            assertThat(refused.results()).as(refused.transcript()).containsOnlyKeys(kind);
            assertThat(refused.results().get(kind).ok()).as(refused.transcript()).isFalse();
            assertThat(refused.exitCode()).as(refused.transcript()).isEqualTo(ConsumerRun.FAILED);
        } finally {
            if (!unbound) {
                cli.unbind(instance, app);
            }
        }
    }

    private static JsonNode onlyEntry(ObjectNode vcap) {
        assertThat(vcap.size()).as("services in %s", vcap).isEqualTo(1);
        JsonNode entries = vcap.elements().next();
        assertThat(entries.size()).as("bindings in %s", vcap).isEqualTo(1);
        return entries.get(0);
    }

    private static void forEachCredentials(ObjectNode vcap, java.util.function.Consumer<ObjectNode> action) {
        vcap.elements().forEachRemaining(entries -> entries.forEach(entry -> action.accept((ObjectNode) entry.path("credentials"))));
    }

    /** Removes, at any depth, every field whose value holds the secret; returns their names. */
    private static List<String> removeFieldsHolding(JsonNode node, String secret) {
        List<String> removed = new ArrayList<>();
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isValueNode() && field.getValue().asText().contains(secret)
                        || field.getValue().isArray() && field.getValue().toString().contains(secret)) {
                    removed.add(field.getKey());
                    fields.remove();
                } else {
                    removed.addAll(removeFieldsHolding(field.getValue(), secret));
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(element -> removed.addAll(removeFieldsHolding(element, secret)));
        }
        return removed;
    }
}
