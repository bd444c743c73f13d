package org.paasta.servicepack.sdk.fake;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * What an operator watches, through HTTP as a monitoring system sees it: health status for anyone,
 * details and Prometheus for the broker's or the monitoring credentials, the metrics of a lifecycle
 * with the right counts, log events naming the request, and the loopback warning.
 */
@BrokerTest
@AutoConfigureObservability
@ActiveProfiles("fake")
@TestPropertySource(properties = {"servicepack.security.monitoring-username=prometheus",
        "servicepack.security.monitoring-password=monitoring-password-0123456789"})
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTest {
    static final String SERVICE = "fake-service-id";
    static final String SMALL = "fake-small";

    static OsbClient as(OsbClient broker, String username, String password) {
        return new OsbClient(URI.create(broker.base().toString()), username, password);
    }

    @Test
    void healthStatusIsPublicItsDetailsAreNot(OsbClient broker) {
        Map<String, String> noCredentials = new HashMap<>();
        noCredentials.put("Authorization", null);
        OsbResponse anonymous = broker.send("GET", "/actuator/health", null, noCredentials);
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.text("status")).isEqualTo("UP");
        assertThat(anonymous.body().has("components")).as("no details for anyone").isFalse();
        for (String probe : new String[] {"/actuator/health/liveness", "/actuator/health/readiness"}) {
            OsbResponse response = broker.send("GET", probe, null, noCredentials);
            assertThat(response.status()).as(probe).isEqualTo(200);
            assertThat(response.text("status")).isEqualTo("UP");
        }

        JsonNode details = broker.send("GET", "/actuator/health", null).body();
        assertThat(details.path("components").path("stateStore").path("status").asText()).isEqualTo("UP");
        assertThat(details.path("components").path("stateStore").path("details").path("database").asText())
                .isEqualTo("h2");
        JsonNode hosts = details.path("components").path("advertisedHosts").path("details");
        assertThat(hosts.path("hosts").get(0).asText()).isEqualTo("127.0.0.1");
        assertThat(hosts.path("warning").asText()).contains("loopback");
        JsonNode readiness = broker.send("GET", "/actuator/health/readiness", null).body();
        assertThat(readiness.path("components").has("stateStore")).as("readiness needs the store").isTrue();
    }

    @Test
    void prometheusNeedsCredentialsAndMonitoringOnesReadNothingElse(OsbClient broker) {
        Map<String, String> noCredentials = new HashMap<>();
        noCredentials.put("Authorization", null);
        OsbResponse anonymous = broker.send("GET", "/actuator/prometheus", null, noCredentials);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.text("error")).isEqualTo("Unauthorized");
        assertThat(broker.send("GET", "/actuator/health/stateStore", null, noCredentials).status()).isEqualTo(401);

        OsbClient monitor = as(broker, "prometheus", "monitoring-password-0123456789");
        assertThat(monitor.send("GET", "/actuator/prometheus", null).status()).isEqualTo(200);
        assertThat(monitor.catalog().status()).as("monitoring credentials are not the broker's").isEqualTo(401);
    }

    @Test
    void aLifecycleIsCountedInPrometheus(OsbClient broker) {
        String before = scrape(broker);
        String instanceId = UUID.randomUUID().toString();
        String bindingId = UUID.randomUUID().toString();
        assertThat(broker.provision(instanceId, SERVICE, SMALL, null, false).status()).isEqualTo(201);
        assertThat(broker.bind(instanceId, bindingId, SERVICE, SMALL, null, false).status()).isEqualTo(201);
        assertThat(broker.unbind(instanceId, bindingId, SERVICE, SMALL, false).status()).isEqualTo(200);
        assertThat(broker.deprovision(instanceId, SERVICE, SMALL, false).status()).isEqualTo(200);
        String failing = UUID.randomUUID().toString();
        assertThat(broker.provision(failing, SERVICE, SMALL, Map.of("color", "blue", "size", 13), false).status())
                .isEqualTo(400);
        String after = scrape(broker);

        for (String operation : new String[] {"provision", "bind", "unbind", "deprovision"}) {
            String series = "servicepack_operations_seconds_count{application=\"fake-broker\",operation=\"" + operation
                    + "\",outcome=\"succeeded\",plan=\"small\",service=\"fake\"}";
            assertThat(value(after, series) - value(before, series)).as(series).isEqualTo(1.0);
        }
        String failed = "servicepack_operations_seconds_count{application=\"fake-broker\",operation=\"provision\","
                + "outcome=\"failed\",plan=\"small\",service=\"fake\"}";
        assertThat(value(after, failed) - value(before, failed)).isEqualTo(1.0);
        String backendError = "servicepack_backend_calls_seconds_count{application=\"fake-broker\","
                + "error=\"InvalidParametersException\",operation=\"provision\",outcome=\"error\",plan=\"small\","
                + "service=\"fake\"}";
        assertThat(value(after, backendError) - value(before, backendError)).isEqualTo(1.0);
        assertThat(after).contains("servicepack_operations_seconds_bucket{");
        assertThat(after).contains("servicepack_instances{application=\"fake-broker\",plan=\"small\",service=\"fake\"}")
                .contains("servicepack_bindings{application=\"fake-broker\",plan=\"large\",service=\"fake\"}")
                .contains("servicepack_operations_in_progress{")
                .contains("servicepack_operation_oldest_age_seconds{")
                .contains("servicepack_async_queued{");
    }

    /**
     * Every log event of a request carries its identity, instance and binding in the MDC, which
     * Spring Boot's structured formats ({@code logging.structured.format.console=ecs}) write as JSON
     * fields. (The format itself is set when logging starts, once per JVM, so the events are read
     * here; BrokerProcess-based tests see the JSON lines of a started broker.)
     */
    @Test
    void logEventsOfARequestNameItAndTheLoopbackWarningIsLoud(OsbClient broker, CapturedOutput output) {
        Logger audit = (Logger) LoggerFactory.getLogger("org.paasta.servicepack.audit");
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        audit.addAppender(events);
        String instanceId = UUID.randomUUID().toString();
        try {
            OsbResponse created = broker.send("PUT", "/v2/service_instances/" + instanceId,
                    OsbClient.provisionBody(SERVICE, SMALL, null), Map.of("X-Broker-API-Request-Identity", "req-4711"));
            assertThat(created.status()).isEqualTo(201);
        } finally {
            audit.detachAppender(events);
        }
        assertThat(events.list).isNotEmpty();
        Map<String, String> mdc = events.list.get(0).getMDCPropertyMap();
        assertThat(mdc).containsEntry("request_identity", "req-4711").containsEntry("instance_id", instanceId);
        assertThat(output.getAll()).contains("LOOPBACK ADDRESS IN CREDENTIALS");
    }

    static String scrape(OsbClient broker) {
        OsbResponse prometheus = broker.send("GET", "/actuator/prometheus", null);
        assertThat(prometheus.status()).isEqualTo(200);
        return prometheus.rawBody();
    }

    static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
