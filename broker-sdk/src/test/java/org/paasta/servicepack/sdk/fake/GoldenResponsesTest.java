package org.paasta.servicepack.sdk.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * Every answer of the SDK compared whole with a golden file (status, the headers a platform reads,
 * the body), as brokerapi's fixtures do: a field added, renamed or lost in any response fails here.
 * Values that differ per run (ids, operation ids, passwords, times) are replaced by placeholders
 * before the comparison. {@code -Dgolden.update=true} rewrites the files (review the diff!).
 */
@BrokerTest
@ActiveProfiles("fake")
@TestPropertySource(properties = "servicepack.bindings.ttl=1h")
class GoldenResponsesTest {
    static final String SERVICE = "fake-service-id";
    static final String SMALL = "fake-small";
    static final String LARGE = "fake-large";
    static final String FROZEN = "fake-frozen";
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    static final List<String> HEADERS = List.of("Content-Type", "Retry-After", "ETag", "WWW-Authenticate",
            "X-Broker-API-Request-Identity");

    @Autowired
    FakeBackend backend;

    @AfterEach
    void openGate() {
        CountDownLatch gate = backend.provisionGate;
        if (gate != null) {
            gate.countDown();
        }
        backend.provisionGate = null;
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void catalog(OsbClient broker) throws IOException {
        assertGolden("catalog", broker.catalog());
    }

    @Test
    void instanceLifecycle(OsbClient broker) throws IOException {
        String instanceId = id();
        assertGolden("provision-created", broker.provision(instanceId, SERVICE, SMALL, Map.of("color", "red"), false));
        assertGolden("provision-identical", broker.provision(instanceId, SERVICE, SMALL, Map.of("color", "red"), true));
        assertGolden("provision-conflict", broker.provision(instanceId, SERVICE, LARGE, null, false));
        assertGolden("fetch-instance", broker.fetchInstance(instanceId));
        assertGolden("last-operation-succeeded", broker.lastOperation(instanceId, null));
        assertGolden("last-operation-unknown-operation", broker.lastOperation(instanceId, "never-issued"));
        assertGolden("update-done", broker.update(instanceId, SERVICE, LARGE, null, false));
        assertGolden("deprovision-done", broker.deprovision(instanceId, SERVICE, LARGE, false));
        assertGolden("deprovision-gone", broker.deprovision(instanceId, SERVICE, LARGE, false));
        assertGolden("last-operation-not-found", broker.lastOperation(instanceId, null));
    }

    @Test
    void asyncOperations(OsbClient broker) throws IOException {
        backend.provisionGate = new CountDownLatch(1);
        String instanceId = id();
        assertGolden("provision-accepted", broker.provision(instanceId, SERVICE, LARGE, null, true));
        assertGolden("last-operation-in-progress", broker.lastOperation(instanceId, null));
        assertGolden("provision-concurrency-error", broker.provision(instanceId, SERVICE, LARGE, null, false));
        assertGolden("fetch-instance-provisioning", broker.fetchInstance(instanceId));
        backend.provisionGate.countDown();
        broker.awaitInstance(instanceId, null, java.time.Duration.ofSeconds(20));

        String bindingId = id();
        OsbResponse accepted = broker.bind(instanceId, bindingId, SERVICE, LARGE, null, true);
        assertGolden("bind-accepted", accepted);
        assertGolden("binding-last-operation-succeeded",
                broker.awaitBinding(instanceId, bindingId, accepted.text("operation"), java.time.Duration.ofSeconds(20)));
        OsbResponse unbinding = broker.unbind(instanceId, bindingId, SERVICE, LARGE, true);
        assertGolden("unbind-accepted", unbinding);
        assertGolden("binding-last-operation-gone",
                broker.awaitBinding(instanceId, bindingId, unbinding.text("operation"), java.time.Duration.ofSeconds(20)));
        OsbResponse deleting = broker.deprovision(instanceId, SERVICE, LARGE, true);
        assertGolden("deprovision-accepted", deleting);
        assertGolden("last-operation-gone",
                broker.awaitInstance(instanceId, deleting.text("operation"), java.time.Duration.ofSeconds(20)));

        String failing = id();
        backend.failNextProvision = new IllegalStateException("disk on fire");
        OsbResponse failingProvision = broker.provision(failing, SERVICE, LARGE, null, true);
        assertGolden("last-operation-failed",
                broker.awaitInstance(failing, failingProvision.text("operation"), java.time.Duration.ofSeconds(20)));
    }

    @Test
    void bindings(OsbClient broker) throws IOException {
        String instanceId = id();
        assertThat(broker.provision(instanceId, SERVICE, SMALL, null, false).status()).isEqualTo(201);
        String bindingId = id();
        assertGolden("bind-created", broker.bind(instanceId, bindingId, SERVICE, SMALL, Map.of("role", "app"), false));
        assertGolden("bind-identical", broker.bind(instanceId, bindingId, SERVICE, SMALL, Map.of("role", "app"), true));
        assertGolden("bind-conflict", broker.bind(instanceId, bindingId, SERVICE, SMALL, Map.of("role", "x"), false));
        assertGolden("fetch-binding", broker.fetchBinding(instanceId, bindingId));
        assertGolden("fetch-binding-not-found", broker.fetchBinding(instanceId, id()));
        assertGolden("bind-not-bindable", broker.bind(provisioned(broker, FROZEN), id(), SERVICE, FROZEN, null, false));
        assertGolden("unbind-done", broker.unbind(instanceId, bindingId, SERVICE, SMALL, false));
        assertGolden("unbind-gone", broker.unbind(instanceId, bindingId, SERVICE, SMALL, false));
    }

    @Test
    void errors(OsbClient broker) throws IOException {
        Map<String, String> noVersion = new HashMap<>();
        noVersion.put("X-Broker-API-Version", null);
        assertGolden("error-missing-api-version", broker.send("GET", "/v2/catalog", null, noVersion));
        assertGolden("error-unsupported-api-version", broker.send("GET", "/v2/catalog", null,
                Map.of("X-Broker-API-Version", "3.0")));
        assertGolden("error-unauthorized", broker.send("GET", "/v2/catalog", null,
                Map.of("Authorization", "Basic d3Jvbmc6d3Jvbmc=")));
        assertGolden("error-malformed-json", broker.send("PUT", "/v2/service_instances/" + id(), "{not json"));
        assertGolden("error-missing-organization", broker.provision(id(), withoutOrganization(), false));
        assertGolden("error-unknown-plan", broker.provision(id(), SERVICE, "no-such-plan", null, false));
        assertGolden("error-unknown-service", broker.provision(id(), "no-such-service", SMALL, null, false));
        assertGolden("error-invalid-parameters", broker.provision(id(), SERVICE, SMALL, Map.of("size", "big"), false));
        assertGolden("error-backend-invalid-parameters", broker.provision(id(), SERVICE, SMALL,
                Map.of("color", "blue", "size", 13), false));
        assertGolden("error-capacity", broker.provision(id(), SERVICE, SMALL, Map.of("size", 99), false));
        assertGolden("error-maintenance-info", broker.send("PUT", "/v2/service_instances/" + id(), Map.of(
                "service_id", SERVICE, "plan_id", SMALL, "organization_guid", "o", "space_guid", "s",
                "maintenance_info", Map.of("version", "0.9.0"))));
        assertGolden("error-async-required", broker.deprovision(provisioned(broker, FROZEN), SERVICE, FROZEN, false));
        assertGolden("error-plan-change-refused", broker.update(provisioned(broker, FROZEN), SERVICE, SMALL, null, false));
        backend.failNextProvision = new BackendUnavailableException("the database server does not answer", null);
        assertGolden("error-backend-unavailable", broker.provision(id(), SERVICE, SMALL, null, false));
        backend.failNextProvision = new IllegalStateException("jdbc:mysql://admin:s3cr3t@db exploded");
        assertGolden("error-internal", broker.send("PUT", "/v2/service_instances/" + id(),
                OsbClient.provisionBody(SERVICE, SMALL, null), Map.of("X-Broker-API-Request-Identity", "req-1")));
        assertGolden("error-bad-id", broker.provision("a'b", SERVICE, SMALL, null, false));
    }

    static String provisioned(OsbClient broker, String planId) {
        String instanceId = id();
        assertThat(broker.provision(instanceId, SERVICE, planId, null, false).status()).isEqualTo(201);
        return instanceId;
    }

    static Map<String, Object> withoutOrganization() {
        Map<String, Object> body = OsbClient.provisionBody(SERVICE, SMALL, null);
        body.remove("organization_guid");
        return body;
    }

    /** Compares the whole response with {@code golden/<name>.json} after normalizing per-run values. */
    static void assertGolden(String name, OsbResponse response) throws IOException {
        ObjectNode actual = JSON.createObjectNode();
        actual.put("status", response.status());
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header : HEADERS) {
            response.headers().firstValue(header).ifPresent(value -> headers.put(header, value));
        }
        actual.set("headers", JSON.valueToTree(headers));
        actual.set("body", response.rawBody() == null || response.rawBody().isBlank() ? JSON.nullNode()
                : normalize(response.body().deepCopy()));
        Path file = GOLDEN.resolve(name + ".json");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, JSON.writeValueAsString(JSON.treeToValue(actual, Object.class)) + "\n");
        }
        assertThat(Files.exists(file)).as("golden file %s (run with -Dgolden.update=true to create it)", file)
                .isTrue();
        JsonNode expected = JSON.readTree(file.toFile());
        assertThat(JSON.writeValueAsString(JSON.treeToValue(actual, Object.class)))
                .as("the whole %s response", name)
                .isEqualTo(JSON.writeValueAsString(JSON.treeToValue(expected, Object.class)));
    }

    private static JsonNode normalize(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().equals("password") && field.getValue().isTextual()) {
                    field.setValue(TextNode.valueOf("<password>"));
                } else {
                    field.setValue(normalize(field.getValue()));
                }
            }
            return object;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, normalize(node.get(i)));
            }
            return node;
        }
        if (node.isTextual()) {
            String text = UUID_TEXT.matcher(node.asText()).replaceAll("<uuid>");
            text = TIMESTAMP.matcher(text).replaceAll("<timestamp>");
            text = text.replaceAll(":[A-Za-z0-9]{32}@", ":<password>@");
            // The SDK's dashboard links: the test server's port and a token signed for this run.
            text = text.replaceAll("^http://127\\.0\\.0\\.1:\\d+/", "http://127.0.0.1:<port>/")
                    .replaceAll("\\?token=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", "?token=<token>");
            return TextNode.valueOf(text);
        }
        return node;
    }
}
