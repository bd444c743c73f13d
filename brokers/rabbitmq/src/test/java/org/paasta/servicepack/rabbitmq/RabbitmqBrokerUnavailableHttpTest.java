package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.Catalog;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.test.context.TestPropertySource;

/**
 * The broker with its management API unreachable: a clear, retryable OSB error and nothing made,
 * and a health that says which backend is missing.
 */
@BrokerTest
// Nothing listens on the discard port here: connection refused, as when RabbitMQ is down.
@TestPropertySource(properties = "servicepack.rabbitmq.management.url=http://127.0.0.1:9")
class RabbitmqBrokerUnavailableHttpTest {

    @Test
    void provisionAnswers503WithADescriptionAndLeavesNoVhost(OsbClient platform) throws Exception {
        Catalog catalog = Catalog.of(platform);
        String serviceId = catalog.serviceId(LocalRabbitmq.SERVICE);
        String planId = catalog.planId(LocalRabbitmq.SERVICE, LocalRabbitmq.PLAN);
        String instance = LocalRabbitmq.newId();

        OsbResponse answer = platform.provision(instance, serviceId, planId, null, false);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body().path("error").asText()).isEqualTo("BackendUnavailable");
        assertThat(answer.body().path("description").asText())
                .contains("RabbitMQ management API at http://127.0.0.1:9/ cannot be reached")
                .doesNotContain("guest");
        assertThat(LocalRabbitmq.admin().vhostExists(ResourceNames.vhost(instance))).isFalse();
        // The failed provision is not an instance: the platform may retry it with the same id.
        assertThat(platform.provision(instance, serviceId, planId, null, false).status()).isEqualTo(503);
    }

    @Test
    void healthIsDown503AndNamesTheManagementApi(OsbClient platform) {
        OsbResponse health = platform.send("GET", "/actuator/health", null);

        assertThat(health.status()).as("health %s", health).isEqualTo(503);
        assertThat(health.body().path("status").asText()).isEqualTo("DOWN");
        JsonNode rabbitmq = health.body().path("components").path("rabbitmq");
        assertThat(rabbitmq.path("status").asText()).isEqualTo("DOWN");
        assertThat(rabbitmq.path("details").path("error").asText())
                .contains("RabbitMQ management API at http://127.0.0.1:9/ cannot be reached");
        assertThat(health.rawBody()).doesNotContain("guest");
    }
}
