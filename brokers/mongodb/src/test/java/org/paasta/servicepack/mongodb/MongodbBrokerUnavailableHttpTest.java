package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.Catalog;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The broker with no MongoDB behind its admin URI: a clear, retryable OSB error, and a health that
 * says which backend is missing, without the URI's password.
 */
@BrokerTest
class MongodbBrokerUnavailableHttpTest {
    private static final String ADMIN_PASSWORD = Passwords.generate();

    @DynamicPropertySource
    static void nobodyListening(DynamicPropertyRegistry registry) {
        // Nothing listens on the discard port here: connection refused, as when MongoDB is down.
        registry.add("servicepack.mongodb.uri", () -> "mongodb://broker:" + ADMIN_PASSWORD
                + "@127.0.0.1:9/admin?serverSelectionTimeoutMS=1000");
    }

    @Test
    void provisionAnswers503AndMayBeRetried(OsbClient platform) {
        Catalog catalog = Catalog.of(platform);
        String serviceId = catalog.serviceId(Requests.SERVICE);
        String planId = catalog.planId(Requests.SERVICE, Requests.PLAN);
        String instance = Catalog.newId();

        OsbResponse answer = platform.provision(instance, serviceId, planId, null, false);

        assertThat(answer.status()).as("provision %s", answer).isEqualTo(503);
        assertThat(answer.body().path("error").asText()).isEqualTo("BackendUnavailable");
        assertThat(answer.body().path("description").asText()).contains("MongoDB cannot be reached")
                .doesNotContain(ADMIN_PASSWORD);
        assertThat(platform.provision(instance, serviceId, planId, null, false).status()).isEqualTo(503);
    }

    @Test
    void healthIsDown503AndNamesTheHost(OsbClient platform) {
        OsbResponse health = platform.send("GET", "/actuator/health", null);

        assertThat(health.status()).as("health %s", health).isEqualTo(503);
        JsonNode mongodb = health.body().path("components").path("mongodb");
        assertThat(mongodb.path("status").asText()).isEqualTo("DOWN");
        assertThat(mongodb.path("details").path("error").asText()).contains("127.0.0.1:9 cannot be reached");
        assertThat(health.rawBody()).doesNotContain(ADMIN_PASSWORD);
    }
}
