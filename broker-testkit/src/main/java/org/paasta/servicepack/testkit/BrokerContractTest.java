package org.paasta.servicepack.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * The OSB lifecycle every broker must pass against its REAL backend, through HTTP only. A broker
 * extends it, starts itself ({@link BrokerTest}) and says which plan to use, by the names operators
 * see, and how to use and check its credentials and resources. The checks are what a platform and
 * an app developer see: status codes, bodies, credentials that work, then do not.
 */
public abstract class BrokerContractTest {
    @Autowired(required = false)
    private ApplicationContext broker;
    private Catalog catalog;

    /** A client pointed at the running broker: the one {@link BrokerTest} started, unless overridden. */
    protected OsbClient client() {
        if (broker == null) {
            throw new IllegalStateException("annotate the test with @BrokerTest, or override client()");
        }
        return OsbClientResolver.clientOf(broker);
    }

    /** The service under test, by its catalog name (e.g. {@code Mysql-DB}). */
    protected abstract String serviceName();

    /** The plan under test, by its catalog name (e.g. {@code Mysql-Plan1-10con}). */
    protected abstract String planName();

    /** Another plan of the service, to check that the same id with other attributes is a 409; null if none. */
    protected String otherPlanName() {
        return null;
    }

    protected final String serviceId() {
        return catalog().serviceId(serviceName());
    }

    protected final String planId() {
        return catalog().planId(serviceName(), planName());
    }

    private String otherPlanId() {
        return otherPlanName() == null ? null : catalog().planId(serviceName(), otherPlanName());
    }

    /** The broker's catalog, as the platform reads it. */
    protected Catalog catalog() {
        if (catalog == null) {
            catalog = Catalog.of(client());
        }
        return catalog;
    }

    /** Opens a real connection with the credentials and uses it (write and read back); fails if it cannot. */
    protected abstract void assertCredentialsWork(JsonNode credentials) throws Exception;

    /** Asserts the backend refuses these credentials now. */
    protected abstract void assertCredentialsRefused(JsonNode credentials) throws Exception;

    /** Asserts the backing resource of the instance exists (true) or is gone with everything made for it (false). */
    protected abstract void assertResourceExists(String instanceId, boolean exists) throws Exception;

    protected Map<String, Object> provisionParameters() {
        return null;
    }

    protected Map<String, Object> bindParameters() {
        return null;
    }

    protected Duration operationTimeout() {
        return Duration.ofSeconds(60);
    }

    /**
     * How many instances the hostile-input test may hold at once, the one it provisions first
     * included (some of its generated requests stay valid and create instances). Lower it where the
     * backend has fewer to give, so a valid request is not refused for capacity.
     */
    protected int hostileInstanceLimit() {
        return 13;
    }

    protected String newId() {
        return Catalog.newId();
    }

    /** Provisions as a platform that accepts async does; returns after the instance is ready. */
    protected void provisionReady(String instanceId) {
        OsbResponse response = client().provision(instanceId, serviceId(), planId(), provisionParameters(), true);
        assertThat(response.status()).as("provision %s", response).isIn(201, 202);
        if (response.status() == 202) {
            assertThat(response.text("operation")).as("202 carries an operation").isNotBlank();
            OsbResponse last = client().awaitInstance(instanceId, response.text("operation"), operationTimeout());
            assertThat(last.text("state")).as("provision %s", last).isEqualTo("succeeded");
        }
    }

    protected JsonNode bindReady(String instanceId, String bindingId) {
        OsbResponse response = client().bind(instanceId, bindingId, serviceId(), planId(), bindParameters(), true);
        assertThat(response.status()).as("bind %s", response).isIn(201, 202);
        if (response.status() == 202) {
            assertThat(response.body().has("credentials")).as("no credentials in a 202").isFalse();
            OsbResponse last = client().awaitBinding(instanceId, bindingId, response.text("operation"),
                    operationTimeout());
            assertThat(last.text("state")).as("bind %s", last).isEqualTo("succeeded");
            OsbResponse fetched = client().fetchBinding(instanceId, bindingId);
            assertThat(fetched.status()).as("fetch async binding %s", fetched).isEqualTo(200);
            return fetched.credentials();
        }
        return response.credentials();
    }

    protected void deprovisionGone(String instanceId) {
        OsbResponse response = client().deprovision(instanceId, serviceId(), planId(), true);
        assertThat(response.status()).as("deprovision %s", response).isIn(200, 202);
        if (response.status() == 202) {
            OsbResponse last = client().awaitInstance(instanceId, response.text("operation"), operationTimeout());
            assertThat(last.status()).as("last_operation after async delete %s", last).isEqualTo(410);
        }
    }

    @Test
    void catalogListsTheServiceAndPlan() {
        OsbResponse catalog = client().catalog();
        assertThat(catalog.status()).isEqualTo(200);
        JsonNode service = null;
        for (JsonNode s : catalog.body().path("services")) {
            if (s.path("id").asText().equals(serviceId())) {
                service = s;
            }
        }
        assertThat(service).as("service %s in the catalog", serviceId()).isNotNull();
        assertThat(service.path("plans").findValuesAsText("id")).contains(planId());
        assertThat(service.path("tags").isArray()).isTrue();
    }

    @Test
    void fullLifecycleWithRealCredentials() throws Exception {
        String instanceId = newId();
        String bindingId = newId();
        provisionReady(instanceId);
        assertResourceExists(instanceId, true);

        OsbResponse again = client().provision(instanceId, serviceId(), planId(), provisionParameters(), false);
        assertThat(again.status()).as("identical re-provision %s", again).isEqualTo(200);
        OsbResponse againAsync = client().provision(instanceId, serviceId(), planId(), provisionParameters(), true);
        assertThat(againAsync.status()).as("identical re-provision of a finished instance, async accepted %s",
                againAsync).isEqualTo(200);
        if (otherPlanId() != null) {
            OsbResponse otherPlan = client().provision(instanceId, serviceId(), otherPlanId(), provisionParameters(),
                    false);
            assertThat(otherPlan.status()).as("same id, other attributes %s", otherPlan).isEqualTo(409);
        }

        JsonNode credentials = bindReady(instanceId, bindingId);
        assertThat(credentials.isObject()).isTrue();
        assertCredentialsWork(credentials);

        OsbResponse rebind = client().bind(instanceId, bindingId, serviceId(), planId(), bindParameters(), false);
        assertThat(rebind.status()).as("identical re-bind %s", rebind).isEqualTo(200);
        assertThat(rebind.credentials()).as("re-bind returns the same credentials").isEqualTo(credentials);
        OsbResponse rebindAsync = client().bind(instanceId, bindingId, serviceId(), planId(), bindParameters(), true);
        assertThat(rebindAsync.status()).as("identical re-bind of a finished binding, async accepted %s", rebindAsync)
                .isEqualTo(200);
        assertThat(rebindAsync.credentials()).as("with the binding's credentials").isEqualTo(credentials);
        OsbResponse unknownOperation = client().bindingLastOperation(instanceId, bindingId, "never-issued");
        assertThat(unknownOperation.status()).as("an operation the broker never issued, on a live binding %s",
                unknownOperation).isEqualTo(400);
        assertThat(unknownOperation.text("description")).contains("never-issued");

        OsbResponse unbind = client().unbind(instanceId, bindingId, serviceId(), planId(), true);
        assertThat(unbind.status()).as("unbind %s", unbind).isIn(200, 202);
        if (unbind.status() == 202) {
            assertThat(client().awaitBinding(instanceId, bindingId, unbind.text("operation"), operationTimeout())
                    .status()).isEqualTo(410);
        }
        assertCredentialsRefused(credentials);
        assertThat(client().unbind(instanceId, bindingId, serviceId(), planId(), false).status())
                .as("unbinding twice").isEqualTo(410);

        deprovisionGone(instanceId);
        assertResourceExists(instanceId, false);
        assertThat(client().deprovision(instanceId, serviceId(), planId(), false).status())
                .as("deprovisioning twice").isEqualTo(410);
    }

    @Test
    void provisionNeedsAnOrganizationAndSpaceAndStaysWithThem() throws Exception {
        String instanceId = newId();
        for (String field : List.of("organization_guid", "space_guid")) {
            Map<String, Object> missing = OsbClient.provisionBody(serviceId(), planId(), provisionParameters());
            missing.remove(field);
            OsbResponse refused = client().provision(instanceId, missing, true);
            assertThat(refused.status()).as("provision without %s: %s", field, refused).isEqualTo(400);
            assertThat(refused.text("description")).contains(field);
            Map<String, Object> empty = OsbClient.provisionBody(serviceId(), planId(), provisionParameters());
            empty.put(field, "");
            assertThat(client().provision(instanceId, empty, true).status()).as("empty %s", field).isEqualTo(400);
        }
        assertThat(client().lastOperation(instanceId, null).status()).as("nothing was created").isEqualTo(404);
        assertResourceExists(instanceId, false);

        provisionReady(instanceId);
        for (String field : List.of("organization_guid", "space_guid")) {
            Map<String, Object> otherTenant = OsbClient.provisionBody(serviceId(), planId(), provisionParameters());
            otherTenant.put(field, "another-" + field);
            assertThat(client().provision(instanceId, otherTenant, true).status())
                    .as("the same instance id from another %s", field).isEqualTo(409);
            Map<String, Object> otherContext = OsbClient.provisionBody(serviceId(), planId(), provisionParameters());
            @SuppressWarnings("unchecked")
            Map<String, Object> context = (Map<String, Object>) otherContext.get("context");
            context.put(field, "another-" + field);
            assertThat(client().provision(instanceId, otherContext, true).status())
                    .as("the same instance id with another context %s", field).isEqualTo(409);
        }
        OsbResponse unknownOperation = client().lastOperation(instanceId, "never-issued");
        assertThat(unknownOperation.status()).as("an operation the broker never issued, on a live instance %s",
                unknownOperation).isEqualTo(400);
        assertThat(unknownOperation.text("description")).contains("never-issued");
        deprovisionGone(instanceId);
        assertResourceExists(instanceId, false);
    }

    @Test
    void twoBindingsGetTheirOwnCredentials() throws Exception {
        String instanceId = newId();
        provisionReady(instanceId);
        String first = newId();
        String second = newId();
        JsonNode one = bindReady(instanceId, first);
        JsonNode two = bindReady(instanceId, second);
        assertThat(one.path("password").asText()).isNotEqualTo(two.path("password").asText());
        assertCredentialsWork(one);
        assertCredentialsWork(two);
        assertThat(client().unbind(instanceId, first, serviceId(), planId(), false).status()).isEqualTo(200);
        assertCredentialsRefused(one);
        assertCredentialsWork(two);
        assertThat(client().unbind(instanceId, second, serviceId(), planId(), false).status()).isEqualTo(200);
        deprovisionGone(instanceId);
    }

    @Test
    void unknownResourcesAnswerAsTheSpecSays() {
        String missing = newId();
        assertThat(client().lastOperation(missing, null).status()).as("instance last_operation").isEqualTo(404);
        assertThat(client().bindingLastOperation(missing, missing, null).status()).as("binding last_operation")
                .isEqualTo(404);
        assertThat(client().deprovision(missing, serviceId(), planId(), false).status()).isEqualTo(410);
        assertThat(client().unbind(missing, missing, serviceId(), planId(), false).status()).isEqualTo(410);
        assertThat(client().fetchBinding(missing, missing).status()).isEqualTo(404);
    }

    @Test
    void badRequestsGetOsbErrorsAndChangeNothing() throws Exception {
        String instanceId = newId();
        OsbResponse unknownPlan = client().provision(instanceId, serviceId(), "no-such-plan", null, false);
        assertThat(unknownPlan.status()).isEqualTo(400);
        assertThat(unknownPlan.body().path("description").asText()).isNotBlank();
        OsbResponse unknownService = client().provision(instanceId, "no-such-service", planId(), null, false);
        assertThat(unknownService.status()).isEqualTo(400);
        OsbResponse malformed = client().send("PUT", "/v2/service_instances/" + instanceId, "{\"service_id\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().path("description").asText()).isNotBlank();
        OsbResponse noAuth = client().send("GET", "/v2/catalog", null, Map.of("Authorization", "Basic d3Jvbmc6d3Jvbmc="));
        assertThat(noAuth.status()).isEqualTo(401);
        assertThat(client().lastOperation(instanceId, null).status()).as("nothing was created").isEqualTo(404);
        assertResourceExists(instanceId, false);
    }

    /**
     * 2,000 hostile requests from a seeded generator ({@link HostileRequests}; the seed is
     * {@code -Dservicepack.hostile.seed}, fixed by default) over every endpoint, against an existing
     * instance and fresh ids, four at a time: no 5xx, every 4xx an OSB error body, all within 45 s
     * ({@code -Dservicepack.hostile.max-seconds} for a machine too loaded to hold that).
     * Afterwards nothing is left: every
     * id the requests used is deprovisioned as a platform would, then the state store knows none of
     * them and the backend holds nothing for them; and the whole lifecycle still works.
     */
    @Test
    void hostileRequestsGetOsbErrorsAndLeaveNothingBehind() throws Exception {
        long seed = Long.getLong("servicepack.hostile.seed", 20_261_130L);
        Duration limit = Duration.ofSeconds(Long.getLong("servicepack.hostile.max-seconds", 45L));
        String nonce = UUID.randomUUID().toString().substring(0, 8);
        String existing = newId();
        provisionReady(existing);
        HostileRequests hostile = new HostileRequests(seed, nonce, client(), serviceId(), planId(), otherPlanId(),
                provisionParameters(), bindParameters(), existing, hostileInstanceLimit());
        List<HostileRequests.Request> requests = hostile.generate(2_000);
        URI base = client().base();
        RawHttp http = new RawHttp(base.getHost(), base.getPort(), Duration.ofSeconds(20));

        Map<Integer, String> problems = new ConcurrentSkipListMap<>();
        Map<Long, String> slowest = new ConcurrentSkipListMap<>(Comparator.reverseOrder());
        Map<Integer, Integer> statuses = new ConcurrentSkipListMap<>();
        List<String> cleanup = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        // Four senders at once, as a platform's workers would: the requests are the same for a seed,
        // their interleaving is not (and concurrent requests on the same ids are part of the test).
        ExecutorService senders = Executors.newFixedThreadPool(HOSTILE_SENDERS);
        long start = System.nanoTime();
        Duration took;
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < HOSTILE_SENDERS; i++) {
                running.add(senders.submit(() -> {
                    for (int index = next.getAndIncrement(); index < requests.size(); index = next.getAndIncrement()) {
                        HostileRequests.Request request = requests.get(index);
                        long sent = System.nanoTime();
                        String problem = send(http, request, statuses);
                        if (problem != null) {
                            problems.put(index, request.label() + "\n    -> " + problem);
                        }
                        slowest.put((System.nanoTime() - sent) / 1_000, request.label());
                    }
                }));
            }
            for (Future<?> sender : running) {
                sender.get(2, TimeUnit.MINUTES);
            }
        } finally {
            took = Duration.ofNanos(System.nanoTime() - start);
            senders.shutdownNow();
            // Whatever happened, the instances the requests made go, as a platform would delete them.
            for (String instanceId : hostile.instanceIds()) {
                try {
                    deprovisionAnyway(instanceId);
                } catch (RuntimeException | AssertionError e) {
                    cleanup.add(instanceId + ": " + e.getMessage());
                }
            }
        }
        System.out.printf("%d hostile requests (seed %d) in %d ms; answers by status: %s%n", requests.size(), seed,
                took.toMillis(), statuses);
        assertThat(problems.values()).as("seed %d: %d of %d hostile requests answered badly (in %s)", seed,
                problems.size(), requests.size(), took).isEmpty();
        assertThat(took).as("2,000 hostile requests; the slowest (µs): %s",
                slowest.entrySet().stream().limit(5).toList()).isLessThan(limit);
        assertThat(cleanup).as("deprovisioning what the hostile requests created").isEmpty();

        for (String instanceId : hostile.instanceIds()) {
            assertThat(client().lastOperation(instanceId, null).status()).as("state of %s", instanceId).isIn(404, 410);
            assertThat(client().fetchInstance(instanceId).status()).as("instance %s", instanceId).isEqualTo(404);
            for (String bindingId : hostile.bindingIds()) {
                assertThat(client().bindingLastOperation(instanceId, bindingId, null).status())
                        .as("state of binding %s", bindingId).isIn(404, 410);
            }
            assertResourceExists(instanceId, false);
        }
        fullLifecycleWithRealCredentials();
    }

    private static final int HOSTILE_SENDERS = 4;

    /** Sends one hostile request; what is wrong with the answer (and the answer's start), or null. */
    private static String send(RawHttp http, HostileRequests.Request request, Map<Integer, Integer> statuses) {
        RawHttp.Response response;
        try {
            response = http.exchange(request.bytes());
        } catch (RuntimeException e) {
            return "no answer: " + e.getMessage();
        }
        statuses.merge(response.status(), 1, Integer::sum);
        String problem = HostileRequests.problem(request, response);
        if (problem == null) {
            return null;
        }
        // Never a successful answer: it may carry credentials.
        String answer = response.status() >= 200 && response.status() < 300 ? "(a 2xx body)"
                : response.raw().substring(0, Math.min(300, response.raw().length())).replace("\r\n", " | ");
        return problem + ": " + answer;
    }

    /** Deletes the instance if it exists, waiting out operations in progress; returns when it is gone. */
    private void deprovisionAnyway(String instanceId) {
        long deadline = System.nanoTime() + operationTimeout().toNanos();
        while (true) {
            OsbResponse response = client().deprovision(instanceId, serviceId(), planId(), true);
            if (response.status() == 410) {
                return;
            }
            if (response.status() == 200 || response.status() == 202) {
                if (response.status() == 202) {
                    client().awaitInstance(instanceId, response.text("operation"), operationTimeout());
                }
                continue;
            }
            assertThat(response.status()).as("deprovision %s %s", instanceId, response).isEqualTo(422);
            assertThat(System.nanoTime()).as("%s still busy", instanceId).isLessThan(deadline);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Every broker answers a {@code dashboard_url} on provision and GET instance (issue 13). The
     * SDK's own opens the instance's page, with its plan and bindings and no credentials; the public
     * marketplace page lists the service and plan.
     */
    @Test
    void provisionAnswersADashboardThatOpensAndTheMarketplaceListsThePlan() throws Exception {
        String instanceId = newId();
        String bindingId = newId();
        OsbResponse created = client().provision(instanceId, serviceId(), planId(), provisionParameters(), true);
        assertThat(created.status()).as("provision %s", created).isIn(201, 202);
        String dashboard = created.text("dashboard_url");
        assertThat(dashboard).as("dashboard_url of provision %s", created).isNotBlank();
        if (created.status() == 202) {
            assertThat(client().awaitInstance(instanceId, created.text("operation"), operationTimeout())
                    .text("state")).isEqualTo("succeeded");
        }
        try {
            OsbResponse fetched = client().fetchInstance(instanceId);
            if (fetched.status() == 200) {
                dashboard = fetched.text("dashboard_url");
                assertThat(dashboard).as("dashboard_url of GET instance %s", fetched).isNotBlank();
            }
            JsonNode credentials = bindReady(instanceId, bindingId);
            if (dashboard.contains("/dashboard/instances/")) {
                HttpResponse<String> page = get(URI.create(dashboard + "&lang=en"));
                assertThat(page.statusCode()).as("the dashboard %s", page.body()).isEqualTo(200);
                assertThat(page.body()).contains(planName(), bindingId);
                String password = credentials.path("password").asText("");
                if (password.length() >= 8) {
                    assertThat(page.body()).as("no credentials on the dashboard").doesNotContain(password);
                }
            }
            HttpResponse<String> marketplace = get(client().base().resolve("/marketplace?lang=en"));
            assertThat(marketplace.statusCode()).as("the public marketplace page").isEqualTo(200);
            assertThat(marketplace.body()).contains(serviceName(), planName());
            OsbResponse unbind = client().unbind(instanceId, bindingId, serviceId(), planId(), true);
            if (unbind.status() == 202) {
                client().awaitBinding(instanceId, bindingId, unbind.text("operation"), operationTimeout());
            }
        } finally {
            deprovisionGone(instanceId);
        }
    }

    /** A browser's GET: no broker credentials. */
    private static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
