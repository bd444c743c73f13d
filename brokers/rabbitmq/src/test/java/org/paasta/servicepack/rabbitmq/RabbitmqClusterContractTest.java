package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.condition.EnabledIf;
import org.paasta.servicepack.testkit.BrokerContractTest;
import org.paasta.servicepack.testkit.BrokerTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The SDK's OSB contract kit against this broker on the 3-node cluster (the same suite as
 * {@link RabbitmqBrokerContractTest}, another fixture), configured with every node's management API
 * and every node's AMQP address. Credentials must work, and be refused after unbind, on every node.
 * Runs when {@value RabbitmqClusterFixture#SWITCH} is set (scripts/test-all.sh sets it).
 */
@BrokerTest
@EnabledIf(value = "org.paasta.servicepack.rabbitmq.RabbitmqClusterFixture#enabled",
        disabledReason = "the 3-node RabbitMQ cluster tests run when SERVICEPACK_RABBITMQ_CLUSTER=1 (scripts/test-all.sh)")
class RabbitmqClusterContractTest extends BrokerContractTest {

    @DynamicPropertySource
    static void theCluster(DynamicPropertyRegistry registry) {
        // Spring asks for these only when the class runs, i.e. when the switch is set.
        registry.add("servicepack.rabbitmq.management.url", () -> List.of(1, 2, 3).stream()
                .map(node -> RabbitmqClusterFixture.shared().managementUrl(node).toString())
                .collect(Collectors.joining(",")));
        registry.add("servicepack.rabbitmq.management.username", () -> RabbitmqClusterFixture.shared().adminUsername());
        registry.add("servicepack.rabbitmq.management.password", () -> RabbitmqClusterFixture.shared().adminPassword());
        registry.add("servicepack.rabbitmq.hostnames",
                () -> String.join(",", RabbitmqClusterFixture.shared().amqpAddresses()));
    }

    @Override
    protected String serviceName() {
        return LocalRabbitmq.SERVICE;
    }

    @Override
    protected String planName() {
        return LocalRabbitmq.PLAN;
    }

    /** On every node: publish and read back through each node's uri. */
    @Override
    protected void assertCredentialsWork(JsonNode credentials) throws Exception {
        List<String> uris = uris(credentials);
        assertThat(uris).hasSize(3);
        for (String uri : uris) {
            try (Connection connection = LocalRabbitmq.connect(uri)) {
                Channel channel = connection.createChannel();
                String queue = channel.queueDeclare().getQueue();
                channel.confirmSelect();
                channel.basicPublish("", queue, null, "ping".getBytes(StandardCharsets.UTF_8));
                channel.waitForConfirmsOrDie(5_000);
                assertThat(new String(channel.basicGet(queue, true).getBody(), StandardCharsets.UTF_8))
                        .as("through %s", URI.create(uri).getPort()).isEqualTo("ping");
            }
        }
    }

    @Override
    protected void assertCredentialsRefused(JsonNode credentials) {
        for (String uri : uris(credentials)) {
            assertThatThrownBy(() -> LocalRabbitmq.connect(uri).close())
                    .isInstanceOfAny(AuthenticationFailureException.class, PossibleAuthenticationFailureException.class);
        }
        for (int node = 1; node <= 3; node++) {
            assertThat(RabbitmqClusterFixture.shared().api(node).userExists(credentials.path("username").asText()))
                    .as("user seen by node %d", node).isFalse();
        }
    }

    /** As every node's API sees it. */
    @Override
    protected void assertResourceExists(String instanceId, boolean exists) {
        String vhost = ResourceNames.vhost(instanceId);
        for (int node = 1; node <= 3; node++) {
            ManagementApi api = RabbitmqClusterFixture.shared().api(node);
            assertThat(api.vhostExists(vhost)).as("vhost seen by node %d", node).isEqualTo(exists);
            if (exists) {
                assertThat(api.operatorPolicy(vhost, RabbitmqBackend.PLAN_POLICY)).isNotNull();
            } else {
                assertThat(api.usersPermittedOn(vhost)).isEmpty();
            }
        }
    }

    private static List<String> uris(JsonNode credentials) {
        List<String> uris = new ArrayList<>();
        credentials.path("uris").forEach(uri -> uris.add(uri.asText()));
        return uris;
    }
}
