package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code /actuator/health} of the running broker shows its backend as the {@code rabbitmq}
 * component, administered here by a user with a password of its own, which no detail repeats.
 */
@BrokerTest
class RabbitmqBrokerHealthHttpTest {
    private static final String ADMIN = "sp-health-admin";
    private static final String ADMIN_PASSWORD = Passwords.generate();

    @DynamicPropertySource
    static void admin(DynamicPropertyRegistry registry) {
        registry.add("servicepack.rabbitmq.management.username", () -> ADMIN);
        registry.add("servicepack.rabbitmq.management.password", () -> ADMIN_PASSWORD);
    }

    @BeforeAll
    static void adminWithAPassword() {
        LocalRabbitmq.admin().putUser(ADMIN, ADMIN_PASSWORD, List.of("administrator"));
    }

    @AfterAll
    static void dropAdmin() {
        LocalRabbitmq.admin().deleteUser(ADMIN);
    }

    @Test
    void healthIsUpWithTheClusterAsTheRabbitmqComponent(OsbClient platform) {
        OsbResponse health = platform.send("GET", "/actuator/health", null);

        assertThat(health.status()).as("health %s", health).isEqualTo(200);
        JsonNode rabbitmq = health.body().path("components").path("rabbitmq");
        assertThat(rabbitmq.path("status").asText()).isEqualTo("UP");
        assertThat(rabbitmq.path("details").path("management").asText()).isEqualTo(LocalRabbitmq.MANAGEMENT + "/");
        assertThat(rabbitmq.path("details").path("nodes").asInt()).isPositive();
        assertThat(rabbitmq.path("details").path("version").asText()).isNotBlank();
        assertThat(health.rawBody()).doesNotContain(ADMIN_PASSWORD);
    }
}
