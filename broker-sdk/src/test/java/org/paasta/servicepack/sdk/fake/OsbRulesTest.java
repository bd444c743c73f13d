package org.paasta.servicepack.sdk.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.web.OsbRequestFilter;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** The OSB v2.17 rules the SDK adds over SCOSB, checked through HTTP as a platform sees them. */
@SpringBootTest(classes = FakeBrokerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("fake")
class OsbRulesTest {
    static final String SERVICE = "fake-service-id";
    static final String SMALL = "fake-small";
    static final String LARGE = "fake-large";
    static final String FROZEN = "fake-frozen";
    static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;
    @Autowired
    FakeBackend backend;

    OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", "test-broker-password");
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    @AfterEach
    void openGate() {
        CountDownLatch gate = backend.provisionGate;
        if (gate != null) {
            gate.countDown();
        }
        backend.provisionGate = null;
    }

    static void assertOsbError(OsbResponse response, int status, String error) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.text("error")).as("%s", response).isEqualTo(error);
        assertThat(response.text("description")).as("%s", response).isNotBlank();
    }

    @Test
    void catalogCarriesV217FieldsButNotBrokerInternals() {
        OsbResponse catalog = client().catalog();
        assertThat(catalog.status()).isEqualTo(200);
        JsonNode small = catalog.body().path("services").get(0).path("plans").get(0);
        assertThat(small.path("binding_rotatable").asBoolean()).isTrue();
        assertThat(small.has("limits")).as("limits are the broker's business").isFalse();
        assertThat(small.path("maintenance_info").path("version").asText()).isEqualTo("1.0.0");
        String etag = catalog.headers().firstValue("ETag").orElseThrow();
        assertThat(client().send("GET", "/v2/catalog", null, Map.of("If-None-Match", etag)).status()).isEqualTo(304);
    }

    @Test
    void apiVersionIsCheckedAlsoUnderAPlatformPrefix() {
        Map<String, String> noVersion = new HashMap<>();
        noVersion.put("X-Broker-API-Version", null);
        assertOsbError(client().send("GET", "/v2/catalog", null, noVersion), 400, "MissingApiVersion");
        assertOsbError(client().send("GET", "/platform-1/v2/service_instances/x/last_operation", null, noVersion),
                400, "MissingApiVersion");
        assertOsbError(client().send("GET", "/v2/catalog", null, Map.of("X-Broker-API-Version", "3.0")),
                412, "UnsupportedApiVersion");
        assertThat(client().send("GET", "/v2/catalog", null, Map.of("X-Broker-API-Version", "2.14")).status())
                .isEqualTo(200);
    }

    @Test
    void requestIdentityIsEchoedOnSuccessAndError() {
        OsbResponse ok = client().send("GET", "/v2/catalog", null, Map.of("X-Broker-API-Request-Identity", "req-1"));
        assertThat(ok.headers().firstValue("X-Broker-API-Request-Identity")).hasValue("req-1");
        OsbResponse missing = client().send("GET", "/v2/service_instances/" + id() + "/last_operation", null,
                Map.of("X-Broker-API-Request-Identity", "req-2"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.headers().firstValue("X-Broker-API-Request-Identity")).hasValue("req-2");
    }

    @Test
    void wrongCredentialsGet401WithAnOsbBody() {
        OsbClient intruder = new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", "guess");
        OsbResponse response = intruder.catalog();
        assertOsbError(response, 401, "Unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        assertOsbError(intruder.provision(id(), SERVICE, SMALL, null, false), 401, "Unauthorized");
    }

    @Test
    void hostileIdsAreRefusedAndNothingIsCreated() {
        List<String> hostile = List.of("a'b", "a`b", "a;drop", "инстанс", "x".repeat(1000), "a\"b", "a b");
        for (String bad : hostile) {
            OsbResponse response = client().provision(bad, SERVICE, SMALL, null, false);
            assertOsbError(response, 400, "BadRequest");
            OsbResponse bind = client().bind(id(), bad, SERVICE, SMALL, null, false);
            assertOsbError(bind, 400, "BadRequest");
        }
        assertThat(backend.instances.keySet()).noneMatch(k -> hostile.contains(k));
    }

    @Test
    void parametersAreValidatedAgainstThePlanSchema() {
        String instanceId = id();
        OsbResponse wrongType = client().provision(instanceId, SERVICE, SMALL, Map.of("size", "big"), false);
        assertOsbError(wrongType, 400, "InvalidParameters");
        assertThat(wrongType.text("description")).contains("size");
        OsbResponse unknownKey = client().provision(instanceId, SERVICE, SMALL, Map.of("colour", "red"), false);
        assertOsbError(unknownKey, 400, "InvalidParameters");
        assertThat(unknownKey.text("description")).contains("colour");
        OsbResponse noSchema = client().provision(instanceId, SERVICE, LARGE, Map.of("any", 1), false);
        assertOsbError(noSchema, 400, "InvalidParameters");
        assertThat(client().lastOperation(instanceId, null).status()).isEqualTo(404);
        assertThat(client().provision(instanceId, SERVICE, SMALL, Map.of("color", "red", "size", 2), false).status())
                .isEqualTo(201);
    }

    @Test
    void identicalProvisionIs200AndADifferentOneIs409() {
        String instanceId = id();
        Map<String, Object> params = Map.of("color", "red");
        OsbResponse created = client().provision(instanceId, SERVICE, SMALL, params, false);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text("dashboard_url")).contains("/dashboard/instances/" + instanceId + "?token=");
        assertThat(client().provision(instanceId, SERVICE, SMALL, params, false).status()).isEqualTo(200);
        assertOsbError(client().provision(instanceId, SERVICE, SMALL, Map.of("color", "blue"), false), 409, "Conflict");
        assertOsbError(client().provision(instanceId, SERVICE, LARGE, null, false), 409, "Conflict");
        assertThat(backend.instances.get(instanceId)).isEqualTo("small");
    }

    @Test
    void asyncProvisionIs202AndRepeatsTheSameOperationWhileInProgress() {
        backend.provisionGate = new CountDownLatch(1);
        String instanceId = id();
        OsbResponse first = client().provision(instanceId, SERVICE, LARGE, null, true);
        assertThat(first.status()).isEqualTo(202);
        String operation = first.text("operation");
        assertThat(operation).isNotBlank();
        assertThat(first.text("dashboard_url")).as("dashboard_url even when async")
                .contains("/dashboard/instances/" + instanceId + "?token=");

        OsbResponse again = client().provision(instanceId, SERVICE, LARGE, null, true);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.text("operation")).isEqualTo(operation);
        assertOsbError(client().provision(instanceId, SERVICE, LARGE, null, false), 422, "ConcurrencyError");
        assertOsbError(client().deprovision(instanceId, SERVICE, LARGE, false), 422, "ConcurrencyError");
        assertThat(client().fetchInstance(instanceId).status()).as("not retrievable while provisioning").isEqualTo(404);

        OsbResponse polling = client().lastOperation(instanceId, operation);
        assertThat(polling.status()).isEqualTo(200);
        assertThat(polling.text("state")).isEqualTo("in progress");
        assertThat(polling.headers().firstValue("Retry-After")).hasValue("2");

        backend.provisionGate.countDown();
        OsbResponse done = client().awaitInstance(instanceId, operation, WAIT);
        assertThat(done.text("state")).isEqualTo("succeeded");
        assertThat(done.headers().firstValue("Retry-After")).isEmpty();
        assertThat(backend.provisionCalls.get()).isGreaterThanOrEqualTo(1);
        assertThat(client().fetchInstance(instanceId).status()).isEqualTo(200);
    }

    @Test
    void lastOperationReportsEveryOutcomeOfInstanceAndBindingOperations() {
        String failing = id();
        backend.failNextProvision = new IllegalStateException("disk on fire");
        OsbResponse accepted = client().provision(failing, SERVICE, LARGE, null, true);
        assertThat(accepted.status()).isEqualTo(202);
        OsbResponse failed = client().awaitInstance(failing, accepted.text("operation"), WAIT);
        assertThat(failed.status()).as("%s", failed).isEqualTo(200);
        assertThat(failed.text("state")).isEqualTo("failed");
        assertThat(failed.text("description")).as("no internals leak").doesNotContain("disk on fire");
        assertThat(failed.body().has("instance_usable")).as("only failed updates and deletes say").isFalse();
        assertThat(failed.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));

        String instanceId = id();
        String bindingId = id();
        assertThat(client().provision(instanceId, SERVICE, LARGE, null, false).status()).isEqualTo(201);
        OsbResponse binding = client().bind(instanceId, bindingId, SERVICE, LARGE, null, true);
        assertThat(binding.status()).isEqualTo(202);
        OsbResponse bound = client().awaitBinding(instanceId, bindingId, binding.text("operation"), WAIT);
        assertThat(bound.status()).isEqualTo(200);
        assertThat(bound.text("state")).isEqualTo("succeeded");
        OsbResponse foreignOperation = client().bindingLastOperation(instanceId, bindingId, accepted.text("operation"));
        assertOsbError(foreignOperation, 400, "BadRequest");
        assertThat(foreignOperation.text("description")).contains(accepted.text("operation"));
        assertOsbError(client().lastOperation(instanceId, binding.text("operation")), 400, "BadRequest");
        assertOsbError(client().bindingLastOperation(id(), bindingId, null), 404, "NotFound");

        OsbResponse unbinding = client().unbind(instanceId, bindingId, SERVICE, LARGE, true);
        assertThat(unbinding.status()).isEqualTo(202);
        OsbResponse unbound = client().awaitBinding(instanceId, bindingId, unbinding.text("operation"), WAIT);
        assertThat(unbound.status()).as("%s", unbound).isEqualTo(410);
        assertThat(unbound.text("state")).isEqualTo("succeeded");

        OsbResponse deleting = client().deprovision(instanceId, SERVICE, LARGE, true);
        assertThat(deleting.status()).isEqualTo(202);
        OsbResponse deleted = client().awaitInstance(instanceId, deleting.text("operation"), WAIT);
        assertThat(deleted.status()).as("%s", deleted).isEqualTo(410);
        assertThat(deleted.text("state")).isEqualTo("succeeded");
        assertThat(client().send("GET", "/v2/service_instances/" + instanceId + "/last_operation", null,
                Map.of(OsbRequestFilter.REQUEST_IDENTITY, "poll-7")).headers()
                .firstValue(OsbRequestFilter.REQUEST_IDENTITY)).hasValue("poll-7");
        assertOsbError(client().lastOperation(instanceId, accepted.text("operation")), 404, "NotFound");
    }

    @Test
    void aFinishedOperationRepeatedIs200WhetherOrNotAsyncIsAccepted() {
        String instanceId = id();
        OsbResponse accepted = client().provision(instanceId, SERVICE, LARGE, null, true);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(client().awaitInstance(instanceId, accepted.text("operation"), WAIT).text("state"))
                .isEqualTo("succeeded");
        OsbResponse again = client().provision(instanceId, SERVICE, LARGE, null, true);
        assertThat(again.status()).as("%s", again).isEqualTo(200);
        assertThat(again.body().has("operation")).as("no operation for finished work").isFalse();
        assertThat(again.text("dashboard_url")).contains("/dashboard/instances/" + instanceId + "?token=");

        String syncBinding = id();
        OsbResponse created = client().bind(instanceId, syncBinding, SERVICE, LARGE, null, false);
        assertThat(created.status()).isEqualTo(201);
        int bindCalls = backend.bindCalls.get();
        OsbResponse rebound = client().bind(instanceId, syncBinding, SERVICE, LARGE, null, true);
        assertThat(rebound.status()).as("%s", rebound).isEqualTo(200);
        assertThat(rebound.credentials()).isEqualTo(created.credentials());
        assertThat(backend.bindCalls.get()).as("no new operation started").isEqualTo(bindCalls);

        String asyncBinding = id();
        OsbResponse binding = client().bind(instanceId, asyncBinding, SERVICE, LARGE, null, true);
        assertThat(binding.status()).isEqualTo(202);
        assertThat(client().awaitBinding(instanceId, asyncBinding, binding.text("operation"), WAIT).text("state"))
                .isEqualTo("succeeded");
        OsbResponse fetched = client().fetchBinding(instanceId, asyncBinding);
        OsbResponse repeated = client().bind(instanceId, asyncBinding, SERVICE, LARGE, null, true);
        assertThat(repeated.status()).as("%s", repeated).isEqualTo(200);
        assertThat(repeated.credentials()).isEqualTo(fetched.credentials());
    }

    @Test
    void provisionRequiresOrganizationAndSpaceOfItsOwn() {
        String instanceId = id();
        for (String field : List.of("organization_guid", "space_guid")) {
            Map<String, Object> body = OsbClient.provisionBody(SERVICE, SMALL, null);
            body.remove(field);
            OsbResponse refused = client().provision(instanceId, body, false);
            assertOsbError(refused, 400, "BadRequest");
            assertThat(refused.text("description")).contains(field);
            body.put(field, "");
            assertOsbError(client().provision(instanceId, body, false), 400, "BadRequest");
            body.put(field, "g".repeat(256)); // longer than the store's column: the client's mistake, not a 500
            OsbResponse tooLong = client().provision(instanceId, body, false);
            assertOsbError(tooLong, 400, "BadRequest");
            assertThat(tooLong.text("description")).contains(field);
        }
        assertThat(backend.instances).doesNotContainKey(instanceId);
        assertThat(client().lastOperation(instanceId, null).status()).isEqualTo(404);

        assertThat(client().provision(instanceId, SERVICE, SMALL, null, false).status()).isEqualTo(201);
        Map<String, Object> otherSpace = OsbClient.provisionBody(SERVICE, SMALL, null);
        otherSpace.put("space_guid", "space-2");
        assertOsbError(client().provision(instanceId, otherSpace, false), 409, "Conflict");
        Map<String, Object> kubernetes = OsbClient.provisionBody(SERVICE, SMALL, null);
        kubernetes.put("context", Map.of("platform", "kubernetes", "namespace", "ns", "clusterid", "c"));
        assertOsbError(client().provision(instanceId, kubernetes, false), 409, "Conflict");
        Map<String, Object> renamed = OsbClient.provisionBody(SERVICE, SMALL, null);
        @SuppressWarnings("unchecked")
        Map<String, Object> context = (Map<String, Object>) renamed.get("context");
        context.put("instance_name", "renamed");
        assertThat(client().provision(instanceId, renamed, false).status())
                .as("a new instance name is not another tenant").isEqualTo(200);
    }

    @Test
    void deletingDuringProvisioningHaltsItAndDeletes() {
        backend.provisionGate = new CountDownLatch(1);
        String instanceId = id();
        OsbResponse provisioning = client().provision(instanceId, SERVICE, LARGE, null, true);
        assertThat(provisioning.status()).isEqualTo(202);
        OsbResponse deleting = client().deprovision(instanceId, SERVICE, LARGE, true);
        assertThat(deleting.status()).isEqualTo(202);
        assertThat(deleting.text("operation")).isNotEqualTo(provisioning.text("operation"));
        assertThat(client().lastOperation(instanceId, null).text("state")).as("the delete is reported now")
                .isEqualTo("in progress");
        backend.provisionGate.countDown();
        assertThat(client().awaitInstance(instanceId, deleting.text("operation"), WAIT).status()).isEqualTo(410);
        OsbResponse halted = client().lastOperation(instanceId, provisioning.text("operation"));
        assertThat(halted.text("state")).isEqualTo("failed");
        assertThat(halted.text("description")).contains("halted");
        assertThat(backend.instances).doesNotContainKey(instanceId);
    }

    @Test
    void concurrentIdenticalProvisionsCreateOneResource() throws Exception {
        String instanceId = id();
        int before = backend.provisionCalls.get();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                statuses.add(pool.submit(() -> client().provision(instanceId, SERVICE, SMALL, null, false).status()));
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                codes.add(status.get(30, TimeUnit.SECONDS));
            }
            assertThat(codes).isSubsetOf(201, 200, 422);
            assertThat(codes.stream().filter(c -> c == 201).count()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(backend.provisionCalls.get() - before).isEqualTo(1);
    }

    @Test
    void lastOperationOfUnknownResourcesIs404() {
        assertOsbError(client().lastOperation(id(), null), 404, "NotFound");
        assertOsbError(client().bindingLastOperation(id(), id(), null), 404, "NotFound");
        assertOsbError(client().lastOperation(id(), "no-such-operation"), 404, "NotFound");
        String instanceId = id();
        assertThat(client().provision(instanceId, SERVICE, SMALL, null, false).status()).isEqualTo(201);
        OsbResponse unknown = client().lastOperation(instanceId, "no-such-operation");
        assertOsbError(unknown, 400, "BadRequest");
        assertThat(unknown.text("description")).contains("no-such-operation");
        assertThat(client().lastOperation(instanceId, null).text("state")).isEqualTo("succeeded");
    }

    @Test
    void maintenanceInfoMustMatchThePlan() {
        Map<String, Object> body = Map.of("service_id", SERVICE, "plan_id", SMALL,
                "organization_guid", "o", "space_guid", "s", "maintenance_info", Map.of("version", "0.9.0"));
        assertOsbError(client().send("PUT", "/v2/service_instances/" + id(), body), 422, "MaintenanceInfoConflict");
        Map<String, Object> matching = new HashMap<>(body);
        matching.put("maintenance_info", Map.of("version", "1.0.0"));
        String instanceId = id();
        assertThat(client().send("PUT", "/v2/service_instances/" + instanceId, matching).status()).isEqualTo(201);
        JsonNode fetched = client().fetchInstance(instanceId).body();
        assertThat(fetched.path("maintenance_info").path("version").asText()).isEqualTo("1.0.0");
        assertThat(fetched.path("plan_id").asText()).isEqualTo(SMALL);
    }

    @Test
    void planChangesAreGatedAndARefusedDowngradeChangesNothing() {
        String frozen = id();
        assertThat(client().provision(frozen, SERVICE, FROZEN, null, false).status()).isEqualTo(201);
        assertOsbError(client().update(frozen, SERVICE, SMALL, null, false), 422, "PlanChangeNotSupported");
        assertOsbError(client().bind(frozen, id(), SERVICE, FROZEN, null, false), 400, "BadRequest");

        String instanceId = id();
        assertThat(client().provision(instanceId, SERVICE, LARGE, null, false).status()).isEqualTo(201);
        assertThat(client().bind(instanceId, id(), SERVICE, LARGE, null, false).status()).isEqualTo(201);
        assertThat(client().bind(instanceId, id(), SERVICE, LARGE, null, false).status()).isEqualTo(201);
        OsbResponse refused = client().update(instanceId, SERVICE, SMALL, null, false);
        assertOsbError(refused, 422, "PlanChangeNotSupported");
        assertThat(refused.text("description")).contains("fits only 1");
        assertThat(refused.body().path("instance_usable").asBoolean()).isTrue();
        assertThat(client().fetchInstance(instanceId).text("plan_id")).isEqualTo(LARGE);
        assertThat(backend.instances.get(instanceId)).isEqualTo("large");

        String upgradable = id();
        assertThat(client().provision(upgradable, SERVICE, SMALL, null, false).status()).isEqualTo(201);
        assertOsbError(client().update(upgradable, SERVICE, null, Map.of("color", "green"), false), 400,
                "InvalidParameters");
        assertThat(client().update(upgradable, SERVICE, LARGE, null, false).status()).isEqualTo(200);
        assertThat(client().fetchInstance(upgradable).text("plan_id")).isEqualTo(LARGE);
        assertThat(backend.instances.get(upgradable)).isEqualTo("large");
    }

    @Test
    void bindingsAreIdempotentFetchableAndRotatable() {
        String instanceId = id();
        String bindingId = id();
        assertThat(client().provision(instanceId, SERVICE, SMALL, null, false).status()).isEqualTo(201);
        OsbResponse bound = client().bind(instanceId, bindingId, SERVICE, SMALL, Map.of("role", "app"), false);
        assertThat(bound.status()).isEqualTo(201);
        JsonNode credentials = bound.credentials();
        assertThat(credentials.path("port").asInt()).isEqualTo(1234);
        assertThat(client().bind(instanceId, bindingId, SERVICE, SMALL, Map.of("role", "app"), false).credentials())
                .isEqualTo(credentials);
        assertOsbError(client().bind(instanceId, bindingId, SERVICE, SMALL, Map.of("role", "admin"), false), 409,
                "Conflict");
        OsbResponse fetched = client().fetchBinding(instanceId, bindingId);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.credentials()).isEqualTo(credentials);
        assertThat(fetched.body().path("parameters").path("role").asText()).isEqualTo("app");

        String rotated = id();
        OsbResponse rotation = client().bind(instanceId, rotated, Map.of("service_id", SERVICE, "plan_id", SMALL,
                "predecessor_binding_id", bindingId), false);
        assertThat(rotation.status()).isEqualTo(201);
        assertThat(rotation.credentials().path("password").asText()).isNotEqualTo(credentials.path("password").asText());
        assertThat(backend.users).containsKeys(bindingId, rotated);
        assertThat(client().fetchBinding(instanceId, rotated).body().path("parameters").path("role").asText())
                .as("rotation carries the predecessor's parameters").isEqualTo("app");

        String other = id();
        assertThat(client().provision(other, SERVICE, SMALL, null, false).status()).isEqualTo(201);
        assertOsbError(client().bind(other, id(), Map.of("service_id", SERVICE, "plan_id", SMALL,
                "predecessor_binding_id", bindingId), false), 400, "BadRequest");
    }

    @Test
    void backendClientErrorsLeaveNothingBehindAndServerErrorsLeakNothing() {
        String instanceId = id();
        OsbResponse refused = client().provision(instanceId, SERVICE, SMALL, Map.of("color", "blue", "size", 13), false);
        assertOsbError(refused, 400, "InvalidParameters");
        assertThat(client().fetchInstance(instanceId).status()).isEqualTo(404);
        assertThat(client().provision(instanceId, SERVICE, SMALL, null, false).status()).as("id is free again")
                .isEqualTo(201);

        backend.failNextProvision = new IllegalStateException("jdbc:mysql://admin:s3cr3t@db/internal exploded");
        OsbResponse crashed = client().provision(id(), SERVICE, SMALL, null, false);
        assertOsbError(crashed, 500, "InternalError");
        assertThat(crashed.rawBody()).doesNotContain("s3cr3t").doesNotContain("exploded").doesNotContain("Exception");

        backend.failNextProvision = new BackendUnavailableException("the database server does not answer", null);
        assertOsbError(client().provision(id(), SERVICE, SMALL, null, false), 503, "BackendUnavailable");
    }

    @Test
    void malformedRequestsGet400WithADescription() {
        assertOsbError(client().send("PUT", "/v2/service_instances/" + id(), "{not json"), 400, "BadRequest");
        assertOsbError(client().send("PUT", "/v2/service_instances/" + id(), Map.of("plan_id", SMALL)), 400,
                "BadRequest");
        assertOsbError(client().send("PUT", "/v2/service_instances/" + id(), Map.of("service_id", SERVICE,
                "plan_id", SMALL, "organization_guid", "o", "space_guid", "s", "parameters", "not-an-object")),
                400, "BadRequest");
        assertOsbError(client().send("DELETE", "/v2/service_instances/" + id(), null), 400, "BadRequest");
        assertOsbError(client().send("PUT", "/v2/service_instances/" + id(), "{}", Map.of("Content-Type", "text/plain")),
                400, "BadRequest");
        String instanceId = id();
        assertThat(client().provision(instanceId, SERVICE, SMALL, null, false).status()).isEqualTo(201);
        assertOsbError(client().bind(instanceId, id(), SERVICE, SMALL, Map.of("role", "x".repeat(100_000)), false),
                400, "InvalidParameters");
        assertOsbError(client().bind(instanceId, id(), Map.of("service_id", SERVICE, "plan_id", SMALL,
                "bind_resource", Map.of("app_guid", "a".repeat(300))), false), 400, "BadRequest");
    }
}
