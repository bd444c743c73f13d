package org.paasta.servicepack.sdk.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.paasta.servicepack.testkit.BrokerContractTest;
import org.paasta.servicepack.testkit.BrokerTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;

/**
 * The contract kit against the in-memory backend: proves the kit and the SDK agree, no real service
 * involved. It is also the smallest use of the kit: {@code @BrokerTest} starts the broker.
 */
@BrokerTest
@ActiveProfiles("fake")
class FakeBrokerContractTest extends BrokerContractTest {
    @Autowired
    FakeBackend backend;

    @Override
    protected String serviceName() {
        return "fake";
    }

    @Override
    protected String planName() {
        return "small";
    }

    @Override
    protected String otherPlanName() {
        return "large";
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
