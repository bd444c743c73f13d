package org.paasta.servicepack.sdk.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.state.StoreDataSource;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The SDK's dashboard per instance and marketplace page over HTTP, as a browser and a platform
 * see them: the link every provision and fetch carries, the one instance it opens, the refusals
 * (forged, foreign, expired, deleted), usage read live from the backend, and no secrets anywhere.
 */
@SpringBootTest(classes = {FakeBrokerApplication.class, MovableClock.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "servicepack.dashboard.usage-timeout=1s")
@ActiveProfiles("fake")
class DashboardTest {
    static final String SERVICE = "fake-service-id";
    static final String SMALL = "fake-small";
    static final String LARGE = "fake-large";
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;
    @Autowired
    FakeBackend backend;
    @Autowired
    MovableClock clock;
    @Autowired
    @StoreDataSource
    DataSource store;

    OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", "test-broker-password");
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    @AfterEach
    void healBackend() {
        backend.usageFailure = null;
        backend.ownDashboard = null;
        CountDownLatch gate = backend.usageGate;
        backend.usageGate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    record Page(int status, HttpResponse<String> response) {
        String body() {
            return response.body();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body(), e);
            }
        }
    }

    Page get(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Page(response.statusCode(), response);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String provision(String instanceId, String plan) {
        OsbResponse created = client().provision(instanceId, SERVICE, plan, null, false);
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.text("dashboard_url");
    }

    static String usageJson(String dashboardUrl) {
        return dashboardUrl.replace("?token=", "/usage.json?token=");
    }

    @Test
    void provisionFetchAndUpdateCarryASignedLinkThatIsNeverStored() {
        String instanceId = id();
        String link = provision(instanceId, SMALL);
        assertThat(link).startsWith("http://127.0.0.1:" + port + "/dashboard/instances/" + instanceId + "?token=");
        assertThat(new JdbcTemplate(store).queryForObject("SELECT dashboard_url FROM sp_instance WHERE instance_id = ?",
                String.class, instanceId)).as("the token is a bearer credential: not kept in the store").isNull();

        clock.advance(Duration.ofSeconds(5));
        String fetched = client().fetchInstance(instanceId).text("dashboard_url");
        assertThat(fetched).startsWith("http://127.0.0.1:" + port + "/dashboard/instances/" + instanceId + "?token=")
                .as("signed anew, with a later expiry").isNotEqualTo(link);
        assertThat(get(fetched).status()).isEqualTo(200);
        assertThat(get(link).status()).as("the first link still works").isEqualTo(200);

        OsbResponse updated = client().update(instanceId, SERVICE, SMALL, Map.of("color", "blue"), false);
        assertThat(updated.status()).as("%s", updated).isEqualTo(200);
        assertThat(updated.text("dashboard_url")).contains("/dashboard/instances/" + instanceId + "?token=");

        String asyncId = id();
        OsbResponse accepted = client().provision(asyncId, SERVICE, LARGE, null, true);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.text("dashboard_url")).contains("/dashboard/instances/" + asyncId + "?token=");
    }

    @Test
    void aBackendsOwnDashboardWins() {
        backend.ownDashboard = "https://own-dashboard.example/";
        String instanceId = id();
        assertThat(provision(instanceId, SMALL)).isEqualTo("https://own-dashboard.example/" + instanceId);
        assertThat(client().fetchInstance(instanceId).text("dashboard_url"))
                .isEqualTo("https://own-dashboard.example/" + instanceId);
    }

    @Test
    void thePageShowsPlanLimitsBindingsAndLiveUsageButNoSecrets() {
        String instanceId = id();
        String bindingId = id();
        String link = provision(instanceId, SMALL);
        OsbResponse bound = client().bind(instanceId, bindingId, SERVICE, SMALL, null, false);
        assertThat(bound.status()).isEqualTo(201);
        String password = bound.credentials().path("password").asText();
        String uri = bound.credentials().path("uri").asText();
        backend.write(instanceId, 300);
        backend.connect(bindingId, 3);

        Page page = get(link + "&lang=en");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'");
        assertThat(page.body()).contains("Fake store (fake)", "Small (small)", "1 MB of storage", "USD 0.00 / month",
                "size", "Storage", ">300<", ">1,024<", "29%", "Connections", bindingId, "app-guid", "Ready",
                "contract-test");
        assertThat(page.body()).as("no credentials").doesNotContain(password, uri, "password");

        Page korean = get(link, "Accept-Language", "ko-KR,ko;q=0.9,en;q=0.5");
        assertThat(korean.body()).contains("lang=\"ko\"", "소형", "저장 공간", "사용량", "바인딩", "월");
        assertThat(get(link).body()).as("Korean by default").contains("사용량");

        JsonNode usage = get(usageJson(link)).json();
        assertThat(usage.path("instanceId").asText()).isEqualTo(instanceId);
        JsonNode storage = usage.path("usage").path("measures").get(0);
        assertThat(storage.path("used").asDouble()).isEqualTo(300);
        assertThat(storage.path("limit").asDouble()).isEqualTo(1024);
        assertThat(storage.path("percent").asInt()).isEqualTo(29);
        assertThat(storage.path("level").asText()).isEqualTo("ok");
        assertThat(usage.path("bindings").get(0).path("id").asText()).isEqualTo(bindingId);
        assertThat(usage.toString()).doesNotContain(password, uri);
        assertThat(get(link, "Accept", "application/json").json().path("instanceId").asText()).isEqualTo(instanceId);

        backend.write(instanceId, 600);
        JsonNode near = get(usageJson(link)).json().path("usage");
        assertThat(near.path("measures").get(0).path("level").asText()).isEqualTo("near");
        assertThat(near.path("notices")).isEmpty();
        backend.write(instanceId, 200);
        Page over = get(link + "&lang=en");
        assertThat(over.body()).contains("At or over the limit", "Writes revoked", "class=\"notice critical\"",
                ">1,100<", "107%");
        assertThat(get(link).body()).contains("쓰기 권한 회수됨", "한도 도달 또는 초과");
    }

    @Test
    void anotherInstancesTokenIsForbiddenAndAForgedOrMissingOneUnauthorized() {
        String mine = id();
        String other = id();
        String myLink = provision(mine, SMALL);
        String otherLink = provision(other, SMALL);
        String otherBinding = id();
        client().bind(other, otherBinding, SERVICE, SMALL, null, false);
        String myToken = myLink.substring(myLink.indexOf("?token=") + 7);

        Page foreign = get(otherLink.replace(otherLink.substring(otherLink.indexOf("?token=") + 7), myToken) + "&lang=en");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.body()).contains("This link is for another instance").doesNotContain(otherBinding, mine);
        assertThat(get(usageJson(otherLink).replaceAll("token=.*", "token=" + myToken)).json().path("error").asText())
                .isEqualTo("other");

        String tampered = myLink.substring(0, myLink.length() - 3) + (myLink.endsWith("A") ? "BBB" : "AAA");
        Page forged = get(tampered + "&lang=en");
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(forged.body()).contains("This link is not valid").doesNotContain(mine);
        assertThat(get("http://127.0.0.1:" + port + "/dashboard/instances/" + mine).status()).isEqualTo(401);
        assertThat(get("http://127.0.0.1:" + port + "/dashboard/instances/" + mine + "?token=").body())
                .contains("유효하지 않은 링크");
        assertThat(get("http://127.0.0.1:" + port + "/dashboard/instances/" + mine + "/usage.json?token=x.y")
                .json().path("error").asText()).isEqualTo("invalid");
        assertThat(get(myLink).status()).as("the genuine link still opens").isEqualTo(200);
    }

    @Test
    void anExpiredLinkIsUnauthorizedAndSaysSo() {
        String instanceId = id();
        String link = provision(instanceId, SMALL);
        clock.advance(Duration.ofDays(91));
        try {
            Page expired = get(link + "&lang=en");
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.body()).contains("This link has expired", "stopped working on");
            assertThat(get(link).body()).contains("만료된 링크");
            assertThat(get(usageJson(link)).json().path("error").asText()).isEqualTo("expired");
            assertThat(get(client().fetchInstance(instanceId).text("dashboard_url")).status())
                    .as("a fresh link from GET instance works").isEqualTo(200);
        } finally {
            clock.advance(Duration.ofDays(-91));
        }
    }

    @Test
    void aDeletedInstanceIsGoneAndItsIdProvisionedAgainIsAnotherInstance() {
        String instanceId = id();
        String link = provision(instanceId, SMALL);
        assertThat(client().deprovision(instanceId, SERVICE, SMALL, false).status()).isEqualTo(200);
        Page gone = get(link + "&lang=en");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.body()).contains("This instance no longer exists");

        clock.advance(Duration.ofMillis(10));
        String again = provision(instanceId, SMALL);
        assertThat(get(link).status()).as("the old link does not open the new instance").isEqualTo(404);
        assertThat(get(again).status()).isEqualTo(200);
    }

    @Test
    void aBackendThatCannotBeReachedGivesThePageWithoutUsage() {
        String instanceId = id();
        String link = provision(instanceId, SMALL);
        backend.usageFailure = new BackendUnavailableException("connection refused", null);
        Page down = get(link + "&lang=en");
        assertThat(down.status()).isEqualTo(200);
        assertThat(down.body()).contains("cannot be reached right now", "Small (small)", "data-status=\"unreachable\"")
                .doesNotContain("connection refused", "Exception", "at org.");

        backend.usageFailure = new IllegalStateException("bug in the backend");
        Page broken = get(link + "&lang=en");
        assertThat(broken.status()).isEqualTo(200);
        assertThat(broken.body()).contains("Usage could not be read").doesNotContain("bug in the backend");

        backend.usageFailure = null;
        backend.usageGate = new CountDownLatch(1);
        long started = System.nanoTime();
        Page slow = get(usageJson(link) + "&lang=en");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("bounded by usage-timeout")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(slow.status()).isEqualTo(200);
        assertThat(slow.json().path("usage").path("status").asText()).isEqualTo("timed-out");
        assertThat(slow.json().path("plan").path("name").asText()).isEqualTo("small");
    }

    @Test
    void theMarketplaceIsPublicAndListsEveryPlanWithItsLimits() {
        Page english = get("http://127.0.0.1:" + port + "/marketplace", "Accept-Language", "en-US,en;q=0.9");
        assertThat(english.status()).as("no credentials needed").isEqualTo(200);
        assertThat(english.body()).contains("Service marketplace", "Fake store", "Keeps its data in the test",
                "By PaaS-TA", "href=\"https://example.org/fake-docs\"", "Small", "Large", "frozen",
                "Free", "Paid", "USD 0.00 / month", "USD 12.50 + KRW 15,000.00 / month", "1 MB of storage",
                ">size<", ">10<", ">fake<");
        Page korean = get("http://127.0.0.1:" + port + "/marketplace?lang=ko");
        assertThat(korean.body()).contains("서비스 마켓플레이스", "가짜 저장소", "소형", "무료", "유료", "저장 공간 1 MB",
                "USD 12.50 + KRW 15,000.00 / 월");
        JsonNode listing = get("http://127.0.0.1:" + port + "/marketplace.json?lang=en").json();
        JsonNode plans = listing.path("services").get(0).path("plans");
        assertThat(plans).hasSize(3);
        assertThat(plans.get(1).path("free").asBoolean()).isFalse();
        assertThat(plans.get(1).path("limits").get(0).path("value").asText()).isEqualTo("10");
    }
}
