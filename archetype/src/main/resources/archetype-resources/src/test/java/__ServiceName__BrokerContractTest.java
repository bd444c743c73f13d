package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.testkit.BrokerContractTest;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole broker on a random port ({@code @BrokerTest}: test credentials, a fresh in-memory
 * store), driven through the Open Service Broker API only. {@link BrokerContractTest} runs the
 * OSB lifecycle every broker must pass; the tests below add what is particular to this one.
 *
 * <p>Against the in-memory example the checks ask {@link ${ServiceName}Backend} directly. With a real
 * server, REPLACE them: {@code assertCredentialsWork} connects with the binding's {@code uri} as an
 * app would, writes and reads back; {@code assertCredentialsRefused} expects the login to fail;
 * {@code assertResourceExists} asks the server as its admin. Point the tests at a real server on
 * 127.0.0.1 through an environment variable with a loopback default, e.g.
 * {@code @DynamicPropertySource} reading {@code ${serviceName.toUpperCase()}_TEST_URL}.
 */
@BrokerTest
@TestPropertySource(properties = {
        "servicepack.${serviceName}.host=${serviceName}.example.internal",
        "servicepack.${serviceName}.port=5000"})
class ${ServiceName}BrokerContractTest extends BrokerContractTest {
    @Autowired
    ${ServiceName}Backend backend;

    @Override
    protected String serviceName() {
        return "${serviceName}";
    }

    @Override
    protected String planName() {
        return "small";
    }

    @Override
    protected void assertCredentialsWork(JsonNode credentials) {
        // REPLACE the last assertion: connect with credentials.path("uri") as an app would, write
        // and read back.
        URI uri = URI.create(credentials.path("uri").asText());
        assertThat(uri.getScheme()).isEqualTo("${serviceName}");
        assertThat(uri.getHost()).isEqualTo(credentials.path("host").asText()).isEqualTo("${serviceName}.example.internal");
        assertThat(uri.getPort()).isEqualTo(credentials.path("port").asInt()).isEqualTo(5000);
        assertThat(uri.getPath()).isEqualTo("/" + credentials.path("database").asText());
        assertThat(uri.getUserInfo()).isEqualTo(credentials.path("username").asText() + ":"
                + credentials.path("password").asText());
        assertThat(credentials.path("password").asText()).hasSize(32);
        assertThat(backend.acceptsLogin(credentials.path("database").asText(), credentials.path("username").asText(),
                credentials.path("password").asText())).as("the server lets the binding's user in").isTrue();
    }

    @Override
    protected void assertCredentialsRefused(JsonNode credentials) {
        // REPLACE: connect with credentials.path("uri") and expect the login to be refused.
        assertThat(backend.acceptsLogin(credentials.path("database").asText(), credentials.path("username").asText(),
                credentials.path("password").asText())).as("the server refuses the binding's user").isFalse();
    }

    @Override
    protected void assertResourceExists(String instanceId, boolean exists) {
        // REPLACE: ask the server, as its admin, whether ResourceNames.database(instanceId) exists
        // and, when it should not, that none of its users is left.
        assertThat(backend.databaseExists(instanceId)).as("database of %s exists", instanceId).isEqualTo(exists);
    }

    @Test
    void aBindBeyondThePlansLimitIsRefusedAndCreatesNothing() throws IOException {
        int maxBindings = limitsOf(planName()).maxBindings();
        String instance = newId();
        provisionReady(instance);
        List<String> bindings = new ArrayList<>();
        for (int i = 0; i < maxBindings; i++) {
            String binding = newId();
            bindReady(instance, binding);
            bindings.add(binding);
        }
        String oneTooMany = newId();
        OsbResponse refused = client().bind(instance, oneTooMany, serviceId(), planId(), null, false);
        assertThat(refused.status()).as("bind %d of %d allowed: %s", maxBindings + 1, maxBindings, refused)
                .isEqualTo(422);
        assertThat(refused.text("error")).isEqualTo("CapacityExhausted");
        assertThat(client().fetchBinding(instance, oneTooMany).status()).as("nothing was created").isEqualTo(404);

        assertThat(client().unbind(instance, bindings.get(0), serviceId(), planId(), false).status()).isEqualTo(200);
        bindReady(instance, oneTooMany);
        deprovisionGone(instance);
    }

    @Test
    void theHealthEndpointShowsTheServerToTheBrokersCredentials() {
        OsbResponse health = client().send("GET", "/actuator/health", null);
        assertThat(health.status()).as("%s", health).isEqualTo(200);
        JsonNode server = health.body().path("components").path("${serviceName}");
        assertThat(server.path("status").asText()).as("%s", health).isEqualTo("UP");
        assertThat(server.path("details").path("address").asText()).isEqualTo("${serviceName}.example.internal:5000");
        assertThat(health.rawBody()).doesNotContain(BrokerTest.PASSWORD, BrokerTest.SECRETS_KEY);
    }

    /** A plan's limits as the catalog file gives them to the broker (they are not in the OSB catalog). */
    private static ${ServiceName}Limits limitsOf(String planName) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (InputStream file = ${ServiceName}BrokerContractTest.class.getResourceAsStream("/catalog/${serviceName}.yml")) {
            for (JsonNode plan : yaml.readTree(file).path("services").path(0).path("plans")) {
                if (plan.path("name").asText().equals(planName)) {
                    return yaml.treeToValue(plan.path("limits"), ${ServiceName}Limits.class);
                }
            }
        }
        throw new IllegalArgumentException("catalog/${serviceName}.yml has no plan " + planName);
    }
}
