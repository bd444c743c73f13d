package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The catalog's plan limits bind to {@link RabbitmqLimits}, as the SDK binds them at startup. */
class RabbitmqLimitsTest {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Test
    void theStandardPlanOfTheCatalogBinds() throws Exception {
        JsonNode limits;
        try (InputStream in = getClass().getResourceAsStream("/catalog/rabbitmq.yml")) {
            limits = yaml.readTree(in).path("services").get(0).path("plans").get(0).path("limits");
        }
        RabbitmqLimits bound = yaml.treeToValue(limits, RabbitmqLimits.class);
        assertThat(bound.maxQueueLength()).isEqualTo(100_000);
        assertThat(bound.maxQueues()).isEqualTo(100);
        assertThat(bound.bindingUserTags()).as("an app user is no management user").isEmpty();
        assertThat(bound.operatorPolicy()).containsOnlyKeys("max-length", "max-length-bytes", "message-ttl");
        assertThat(bound.vhostLimits()).containsOnlyKeys("max-queues", "max-connections");
    }

    @Test
    void aMissingLimitFails() {
        assertThatThrownBy(() -> yaml.readValue("max_queue_length: 1\nmax_queue_bytes: 1\nmessage_ttl_ms: 1\n"
                + "max_queues: 1\n", RabbitmqLimits.class))
                .hasMessageContaining("max_connections");
    }

    @Test
    void aTagThatMakesAnAppAnOperatorIsRefused() {
        assertThatThrownBy(() -> yaml.readValue("max_queue_length: 1\nmax_queue_bytes: 1\nmessage_ttl_ms: 1\n"
                + "max_queues: 1\nmax_connections: 1\nbinding_user_tags: [management, administrator]\n",
                RabbitmqLimits.class))
                .hasMessageContaining("administer or watch the whole RabbitMQ cluster");
    }

    @Test
    void aNonPositiveLimitIsRefused() {
        assertThatThrownBy(() -> new RabbitmqLimits(0, 1, 1, 1, 1, null)).hasMessageContaining("max_queue_length");
    }
}
