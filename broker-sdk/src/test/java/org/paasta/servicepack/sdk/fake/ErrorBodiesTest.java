package org.paasta.servicepack.sdk.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.testkit.RawHttp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every error the broker's port answers is an OSB error body ({@code {"error", "description"}},
 * {@code application/json}), also where no broker code runs: requests Tomcat refuses itself,
 * Spring's header parsing, Boot's /error page. Sent byte for byte over a socket, since
 * HttpClient normalises or refuses most of these requests.
 */
@SpringBootTest(classes = {FakeBrokerApplication.class, ErrorBodiesTest.FailingFilter.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("fake")
class ErrorBodiesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String AUTH = "Authorization: Basic "
            + Base64.getEncoder().encodeToString("broker:test-broker-password".getBytes(StandardCharsets.UTF_8));
    static final String PROVISION = "{\"service_id\":\"fake-service-id\",\"plan_id\":\"fake-small\","
            + "\"organization_guid\":\"o\",\"space_guid\":\"s\"}";
    static final String BIND = "{\"service_id\":\"fake-service-id\",\"plan_id\":\"fake-small\"}";

    @LocalServerPort
    int port;
    @Autowired
    FakeBackend backend;

    /** A filter of the application that fails with a text that must not reach the client. */
    @TestConfiguration
    static class FailingFilter {
        @Bean
        FilterRegistrationBean<OncePerRequestFilter> failingFilter() {
            FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                    new OncePerRequestFilter() {
                        @Override
                        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                                        FilterChain chain) throws jakarta.servlet.ServletException,
                                java.io.IOException {
                            if (request.getRequestURI().equals("/fails")) {
                                throw new IllegalStateException("jdbc:mysql://admin:s3cr3t@db exploded");
                            }
                            chain.doFilter(request, response);
                        }
                    });
            registration.addUrlPatterns("/fails");
            return registration;
        }
    }

    RawHttp.Response send(String method, String target, String body, String... headers) {
        List<String> lines = new ArrayList<>(List.of("Host: 127.0.0.1", AUTH, "X-Broker-API-Version: 2.17",
                "Connection: close"));
        lines.addAll(List.of(headers));
        byte[] payload = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        if (payload != null && lines.stream().noneMatch(l -> l.regionMatches(true, 0, "Transfer-Encoding", 0, 17))) {
            lines.add("Content-Length: " + payload.length);
        }
        return new RawHttp("127.0.0.1", port, Duration.ofSeconds(20))
                .exchange(RawHttp.request(method, target, lines, payload));
    }

    static JsonNode assertOsbError(RawHttp.Response response, int status) {
        assertThat(response.status()).as(response.raw()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as(response.raw())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.header("Server")).as("no server name or version").isEmpty();
        assertThat(response.raw()).doesNotContainIgnoringCase("tomcat").doesNotContainIgnoringCase("apache")
                .doesNotContainIgnoringCase("<html").doesNotContain("Exception").doesNotContain("s3cr3t");
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + response.raw(), e);
        }
        assertThat(body.path("error").isTextual()).as(response.raw()).isTrue();
        assertThat(body.path("error").asText()).as(response.raw()).isNotBlank();
        assertThat(body.path("description").asText()).as(response.raw()).isNotBlank();
        return body;
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void unreadableContentTypesAre400NotA500() {
        String instanceId = id();
        assertThat(send("PUT", "/v2/service_instances/" + instanceId, PROVISION, "Content-Type: application/json")
                .status()).isEqualTo(201);
        List<String> unreadable = List.of("*/*", "application/*", "application/*+json", "text/plain", "foo",
                "application/json; charset=nonsense", "multipart/form-data; boundary=x", "");
        List<String> refused = new ArrayList<>();
        for (String type : unreadable) {
            String header = "Content-Type: " + type;
            String newId = id();
            refused.add(newId);
            assertThat(assertOsbError(send("PUT", "/v2/service_instances/" + newId, PROVISION, header), 400)
                    .path("error").asText()).isEqualTo("BadRequest");
            assertOsbError(send("PATCH", "/v2/service_instances/" + instanceId, BIND, header), 400);
            assertOsbError(send("PUT", "/v2/service_instances/" + instanceId + "/service_bindings/" + newId, BIND,
                    header), 400);
        }
        // Endpoints without a body ignore the type, but Spring's multipart resolver did not (500).
        assertOsbError(send("GET", "/v2/service_instances/" + id(), null, "Content-Type: multipart/form-data"), 404);
        assertThat(send("DELETE", "/v2/service_instances/" + id() + "?service_id=fake-service-id&plan_id=fake-small",
                null, "Content-Type: multipart/form-data").status()).isEqualTo(410);
        assertThat(backend.instances).doesNotContainKeys(refused.toArray(String[]::new));
        assertThat(backend.users).doesNotContainKeys(refused.toArray(String[]::new));
        assertThat(send("PUT", "/v2/service_instances/" + id(), PROVISION, "Content-Type: application/json;charset=UTF-8")
                .status()).as("a charset of JSON is fine").isEqualTo(201);
    }

    @Test
    void requestsTomcatRefusesGetAnOsbBodyWithTheSameStatus() {
        for (String encoded : List.of("%2F", "%2f", "%5C", "%00", "%ff%fe", "%c0%af")) {
            assertOsbError(send("GET", "/v2/service_instances/a" + encoded + "b/last_operation", null), 400);
            assertOsbError(send("PUT", "/v2/service_instances/a" + encoded + "b", PROVISION,
                    "Content-Type: application/json"), 400);
        }
        String longId = "a".repeat(9000);
        assertOsbError(send("PUT", "/v2/service_instances/" + longId, PROVISION, "Content-Type: application/json"),
                400);
        assertOsbError(send("GET", "/v2/service_instances/x/last_operation?operation=" + longId, null), 400);
        assertOsbError(send("GET", "/v2/catalog", null, "X-Broker-API-Request-Identity: " + longId), 400);
        assertOsbError(send("GET", "/v2/service_instances/x/last_operation?operation=a{b}|c", null), 400);
        assertOsbError(send("GET", "/v2/service_instances/x/last_operation?operation=a\"b<c>", null), 400);
        assertOsbError(send("GET", "/v2/catalog", null, "Bad Header: x"), 400);
        assertOsbError(send("GET", "/v2/catalog", null, "Host: second"), 400);
        assertOsbError(send("PUT", "/v2/service_instances/" + id(), PROVISION, "Content-Type: application/json",
                "Content-Length: 1"), 400);
        assertThat(backend.instances.keySet()).noneMatch(k -> k.length() > 255);
    }

    @Test
    void protocolTheBrokerDoesNotSpeakIs400NotA5xx() {
        // Tomcat's own answers would be 501 and 505: a platform would take them for a failed broker.
        assertOsbError(send("PUT", "/v2/service_instances/" + id(), "0\r\n\r\n", "Content-Type: application/json",
                "Transfer-Encoding: gzip, chunked"), 400);
        RawHttp.Response http2 = new RawHttp("127.0.0.1", port, Duration.ofSeconds(20)).exchange(
                ("GET /v2/catalog HTTP/2.0\r\nHost: x\r\n" + AUTH + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        assertOsbError(http2, 400);
    }

    @Test
    void bodiesThatEndEarlyOrHaveBrokenChunksAre400() {
        String instanceId = id();
        assertOsbError(send("PUT", "/v2/service_instances/" + instanceId, "zz\r\nabc\r\n0\r\n\r\n",
                "Content-Type: application/json", "Transfer-Encoding: chunked"), 400);
        assertOsbError(send("PUT", "/v2/service_instances/" + instanceId, "10\r\n{\"a\":",
                "Content-Type: application/json", "Transfer-Encoding: chunked"), 400);
        assertOsbError(send("PUT", "/v2/service_instances/" + instanceId, "2\r\n{}\r\n0\r\nX-T: "
                + "a".repeat(10_000) + "\r\n\r\n", "Content-Type: application/json", "Transfer-Encoding: chunked"), 400);
        assertThat(backend.instances).doesNotContainKey(instanceId);
    }

    @Test
    void dotSegmentIdsAreRefused() {
        for (String dots : List.of(".", "..", "...", "%2e", "%2E%2e", ".%2e.")) {
            assertOsbError(send("PUT", "/v2/service_instances/" + dots, PROVISION, "Content-Type: application/json"),
                    400);
            assertOsbError(send("GET", "/v2/service_instances/" + dots + "/last_operation", null), 400);
            assertOsbError(send("PUT", "/v2/service_instances/x/service_bindings/" + dots, BIND,
                    "Content-Type: application/json"), 400);
        }
        assertThat(backend.instances.keySet()).noneMatch(k -> k.matches("\\.+"));
        assertThat(send("PUT", "/v2/service_instances/a.b", PROVISION, "Content-Type: application/json").status())
                .as("dots inside an id are fine").isIn(200, 201);
    }

    @Test
    void headIsAnsweredLikeGetWithoutTheBody() {
        // SCOSB's binding last_operation controller answered HEAD with a 500 (it is not implemented).
        for (String path : List.of("/v2/service_instances/" + id() + "/service_bindings/" + id() + "/last_operation",
                "/v2/service_instances/" + id() + "/last_operation", "/v2/service_instances/" + id())) {
            RawHttp.Response head = send("HEAD", path, null);
            assertThat(head.status()).as(head.raw()).isEqualTo(404);
            assertThat(head.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(head.body()).isEmpty();
        }
        assertThat(send("HEAD", "/v2/catalog", null).status()).isEqualTo(200);
    }

    @Test
    void bootsErrorPageAndTraceAnswerWithOsbBodies() {
        assertThat(assertOsbError(send("GET", "/error", null), 404).path("error").asText()).isEqualTo("NotFound");
        assertOsbError(send("TRACE", "/v2/catalog", null), 405);
        assertOsbError(send("TRACE", "/anything", null), 405);
        JsonNode failed = assertOsbError(send("GET", "/fails", null), 500);
        assertThat(failed.path("error").asText()).isEqualTo("InternalError");
        assertOsbError(send("FOO", "/v2/catalog", null), 405);
        assertOsbError(send("GET", "/not-osb", null), 404);
    }
}
