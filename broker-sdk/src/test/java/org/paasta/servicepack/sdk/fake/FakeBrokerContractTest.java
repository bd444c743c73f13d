package org.paasta.servicepack.sdk.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import org.paasta.servicepack.testkit.BrokerContractTest;
import org.paasta.servicepack.testkit.OsbClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** The contract kit against the in-memory backend: proves the kit and the SDK agree, no real service involved. */
@SpringBootTest(classes = FakeBrokerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("fake")
class FakeBrokerContractTest extends BrokerContractTest {
    @LocalServerPort
    int port;
    @Autowired
    FakeBackend backend;

    @Override
    protected OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", "test-broker-password");
    }

    @Override
    protected String serviceId() {
        return "fake-service-id";
    }

    @Override
    protected String planId() {
        return "fake-small";
    }

    @Override
    protected String otherPlanId() {
        return "fake-large";
    }

    @Override
    protected void assertCredentialsWork(JsonNode credentials) {
        assertThat(backend.users.get(credentials.path("username").asText()))
                .isEqualTo(credentials.path("password").asText());
    }

    @Override
    protected void assertCredentialsRefused(JsonNode credentials) {
        assertThat(backend.users).doesNotContainKey(credentials.path("username").asText());
    }

    @Override
    protected void assertResourceExists(String instanceId, boolean exists) {
        assertThat(backend.instances.containsKey(instanceId)).isEqualTo(exists);
    }
}
