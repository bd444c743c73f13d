package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The {@code rabbitmq} health component against the machine's real RabbitMQ, and against none. */
class RabbitmqHealthIndicatorTest {

    @Test
    void upNamesTheClusterItsNodesAndVersionAsTheManagementApiReportsThem() throws Exception {
        JsonNode overview = overviewReadDirectly();

        Health health = new RabbitmqHealthIndicator(LocalRabbitmq.admin()).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails())
                .containsEntry("management", LocalRabbitmq.MANAGEMENT + "/")
                .containsEntry("cluster", overview.path("cluster_name").asText())
                .containsEntry("version", overview.path("rabbitmq_version").asText());
        assertThat((Integer) health.getDetails().get("nodes")).isPositive();
    }

    @Test
    void refusedCredentialsAreDownNamingTheHostAndNotThePassword() {
        String password = Passwords.generate();
        ManagementApi refused = new ManagementApi(LocalRabbitmq.MANAGEMENT, "guest", password, Duration.ofSeconds(5));

        Health health = new RabbitmqHealthIndicator(refused).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(String.valueOf(health.getDetails().get("error")))
                .contains("127.0.0.1:15672").contains("refused the broker's admin credentials");
        assertThat(health.getDetails().toString()).doesNotContain(password);
    }

    @Test
    void anUnreachableApiIsDownNamingItsHost() {
        // Nothing listens on the discard port here: connection refused, as when RabbitMQ is down.
        ManagementApi down = new ManagementApi(URI.create("http://127.0.0.1:9"), "guest", "guest",
                Duration.ofSeconds(5));

        Health health = new RabbitmqHealthIndicator(down).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(String.valueOf(health.getDetails().get("error"))).contains("http://127.0.0.1:9/ cannot be reached");
    }

    @Test
    void anApiThatNeverAnswersIsDownWithinTheRequestTimeout() throws Exception {
        // The kernel completes the TCP handshake for the backlog; nobody ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ManagementApi stalled = new ManagementApi(URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                    "guest", "guest", Duration.ofSeconds(1));

            long started = System.nanoTime();
            Health health = new RabbitmqHealthIndicator(stalled).health();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(String.valueOf(health.getDetails().get("error"))).contains("cannot be reached");
            assertThat(took).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void userInfoInTheManagementUrlIsNeitherUsedNorShown() {
        String password = Passwords.generate();
        ManagementApi api = new ManagementApi(URI.create("http://someone:" + password + "@127.0.0.1:15672"), "guest",
                "guest", Duration.ofSeconds(5));

        Health health = new RabbitmqHealthIndicator(api).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails().toString()).doesNotContain(password).doesNotContain("someone");
    }

    /** {@code GET /api/overview} without the broker's code, to compare with. */
    private static JsonNode overviewReadDirectly() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(LocalRabbitmq.MANAGEMENT.resolve("/api/overview"))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }
}
