package org.paasta.servicepack.sdk.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.paasta.servicepack.sdk.broker.ServiceBroker;
import org.paasta.servicepack.sdk.state.StoreDataSource;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Secrets at rest and in logs, audit of who asked, expiring bindings (on a clock the test moves:
 * the broker's own Clock bean replaces the SDK's), and AsyncRequired. Logging is
 * at DEBUG for Spring, SCOSB and the SDK so that a credential printed anywhere would show up.
 */
@SpringBootTest(classes = {FakeBrokerApplication.class, MovableClock.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"servicepack.bindings.ttl=1h", "logging.level.org.springframework=DEBUG",
                "logging.level.org.springframework.cloud.servicebroker=DEBUG", "logging.level.org.paasta=DEBUG",
                "logging.level.org.springframework.jdbc=TRACE"})
@ActiveProfiles("fake")
@ExtendWith(OutputCaptureExtension.class)
class SecretsAndAuditTest {
    static final String SERVICE = "fake-service-id";
    static final String SMALL = "fake-small";

    @LocalServerPort
    int port;
    @Autowired
    @StoreDataSource
    DataSource store;
    @Autowired
    FakeBackend backend;
    @Autowired
    MovableClock clock;
    @Autowired
    ServiceBroker<?> broker;

    OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", "test-broker-password");
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void credentialsAreEncryptedAtRestAndNeverLogged(CapturedOutput output) {
        String instanceId = id();
        String bindingId = id();
        assertThat(client().provision(instanceId, SERVICE, SMALL, null, false).status()).isEqualTo(201);
        OsbResponse bound = client().bind(instanceId, bindingId, SERVICE, SMALL, null, false);
        String password = bound.credentials().path("password").asText();
        assertThat(password).hasSize(32);
        assertThat(client().fetchBinding(instanceId, bindingId).credentials().path("password").asText())
                .isEqualTo(password);

        List<Map<String, Object>> rows = new JdbcTemplate(store).queryForList("SELECT * FROM sp_binding WHERE binding_id = ?", bindingId);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).toString()).doesNotContain(password);
        assertThat(String.valueOf(rows.get(0).get("CREDENTIALS"))).startsWith("v1:");
        assertThat(output.getAll()).as("no log line carries the password").doesNotContain(password);
        assertThat(output.getAll()).contains("type=BIND");
    }

    @Test
    void originatingIdentityAndContextAreRecordedWithTheOperation() {
        String instanceId = id();
        String identity = "cloudfoundry " + Base64.getEncoder().encodeToString(
                "{\"user_id\":\"683ea748-3092-4ff4-b656-39cacc4d5360\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> body = Map.of("service_id", SERVICE, "plan_id", SMALL, "organization_guid", "org-1",
                "space_guid", "space-1", "context", Map.of("platform", "cloudfoundry", "organization_guid", "org-1",
                        "space_guid", "space-1", "instance_name", "orders-db"));
        OsbResponse response = client().send("PUT", "/v2/service_instances/" + instanceId, body,
                Map.of("X-Broker-API-Originating-Identity", identity, "X-Broker-API-Request-Identity", "req-77"));
        assertThat(response.status()).isEqualTo(201);
        String origin = new JdbcTemplate(store).queryForObject("SELECT origin FROM sp_operation WHERE instance_id = ?", String.class,
                instanceId);
        assertThat(origin).contains("683ea748-3092-4ff4-b656-39cacc4d5360", "orders-db", "req-77", "cloudfoundry");
    }

    @Test
    void expiringBindingsCarryRenewBeforeAndAreUnboundWhenExpired() throws Exception {
        String instanceId = id();
        String bindingId = id();
        assertThat(client().provision(instanceId, SERVICE, SMALL, null, false).status()).isEqualTo(201);
        OsbResponse bound = client().bind(instanceId, bindingId, SERVICE, SMALL, null, false);
        JsonNode metadata = bound.body().path("metadata");
        java.time.Instant expiresAt = java.time.Instant.parse(metadata.path("expires_at").asText());
        java.time.Instant renewBefore = java.time.Instant.parse(metadata.path("renew_before").asText());
        assertThat(renewBefore).isBefore(expiresAt);
        assertThat(client().fetchBinding(instanceId, bindingId).body().path("metadata").path("renew_before").asText())
                .isEqualTo(metadata.path("renew_before").asText());
        assertThat(backend.users).containsKey(bindingId);

        broker.expiry().unbindExpired();
        assertThat(backend.users).as("not expired an hour early").containsKey(bindingId);
        clock.advance(Duration.ofHours(2));
        broker.expiry().unbindExpired();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (backend.users.containsKey(bindingId) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(backend.users).as("expired binding revoked in the backend").doesNotContainKey(bindingId);
        assertThat(client().fetchBinding(instanceId, bindingId).status()).isEqualTo(404);
        assertThat(client().bindingLastOperation(instanceId, bindingId, null).status()).as("unbind done").isEqualTo(410);
    }

    @Test
    void aBackendThatCanOnlyWorkAsyncAnswersAsyncRequired() {
        String instanceId = id();
        assertThat(client().provision(instanceId, SERVICE, "fake-frozen", null, false).status()).isEqualTo(201);
        OsbResponse sync = client().deprovision(instanceId, SERVICE, "fake-frozen", false);
        assertThat(sync.status()).isEqualTo(422);
        assertThat(sync.text("error")).isEqualTo("AsyncRequired");
        assertThat(client().deprovision(instanceId, SERVICE, "fake-frozen", true).status()).isEqualTo(202);
    }
}
