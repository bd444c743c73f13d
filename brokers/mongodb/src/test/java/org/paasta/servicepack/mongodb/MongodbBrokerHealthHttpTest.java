package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.ConnectionString;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code /actuator/health} of the running broker shows its backend as the {@code mongodb} component;
 * its public marketplace page lists the plan's limits.
 */
@BrokerTest
class MongodbBrokerHealthHttpTest {

    @DynamicPropertySource
    static void mongodb(DynamicPropertyRegistry registry) {
        MongoTarget.register(registry);
    }

    @Test
    void healthIsUpWithTheDeploymentAsTheMongodbComponent(OsbClient platform) {
        OsbResponse health = platform.send("GET", "/actuator/health", null);

        assertThat(health.status()).as("health %s", health).isEqualTo(200);
        JsonNode mongodb = health.body().path("components").path("mongodb");
        assertThat(mongodb.path("status").asText()).isEqualTo("UP");
        ConnectionString admin = new ConnectionString(MongoTarget.adminUri());
        assertThat(mongodb.path("details").path("hosts").get(0).asText()).isEqualTo(admin.getHosts().get(0));
        assertThat(health.rawBody()).doesNotContain(new String(admin.getPassword()));
    }

    @Test
    void theMarketplaceShowsTheLimitsThePlanSetsAndNoneItLeavesNull(OsbClient platform) {
        OsbResponse marketplace = platform.send("GET", "/marketplace", null);

        assertThat(marketplace.status()).isEqualTo(200);
        assertThat(marketplace.rawBody()).contains("max_bindings").doesNotContain("storage_mb")
                .doesNotContain(">null<");
    }
}
