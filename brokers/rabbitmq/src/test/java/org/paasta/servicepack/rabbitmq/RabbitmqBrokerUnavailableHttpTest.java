package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.PLAN_ID;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.SERVICE_ID;

import org.junit.jupiter.api.Test;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** The broker with its management API unreachable: a clear, retryable OSB error and nothing made. */
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "servicepack.store.url=jdbc:h2:mem:rabbitmq-unavailable;DB_CLOSE_DELAY=-1",
        // Nothing listens on the discard port here: connection refused, as when RabbitMQ is down.
        "servicepack.rabbitmq.management.url=http://127.0.0.1:9"})
class RabbitmqBrokerUnavailableHttpTest {
    @LocalServerPort
    int port;

    @Test
    void provisionAnswers503WithADescriptionAndLeavesNoVhost() throws Exception {
        OsbClient platform = LocalRabbitmq.platform(port);
        String instance = LocalRabbitmq.newId();

        OsbResponse answer = platform.provision(instance, SERVICE_ID, PLAN_ID, null, false);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body().path("error").asText()).isEqualTo("BackendUnavailable");
        assertThat(answer.body().path("description").asText())
                .contains("RabbitMQ management API at http://127.0.0.1:9/ cannot be reached")
                .doesNotContain("guest");
        assertThat(LocalRabbitmq.admin().vhostExists(ResourceNames.vhost(instance))).isFalse();
        // The failed provision is not an instance: the platform may retry it with the same id.
        assertThat(platform.provision(instance, SERVICE_ID, PLAN_ID, null, false).status()).isEqualTo(503);
    }
}
