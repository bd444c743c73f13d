package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import java.nio.charset.StandardCharsets;
import org.paasta.servicepack.testkit.BrokerContractTest;
import org.paasta.servicepack.testkit.BrokerTest;

/** The SDK's OSB contract kit against this broker and the machine's real RabbitMQ. */
@BrokerTest
class RabbitmqBrokerContractTest extends BrokerContractTest {
    private final ManagementApi admin = LocalRabbitmq.admin();

    @Override
    protected String serviceName() {
        return LocalRabbitmq.SERVICE;
    }

    @Override
    protected String planName() {
        return LocalRabbitmq.PLAN;
    }

    @Override
    protected void assertCredentialsWork(JsonNode credentials) throws Exception {
        try (Connection connection = LocalRabbitmq.connect(credentials.path("uri").asText())) {
            Channel channel = connection.createChannel();
            String queue = channel.queueDeclare().getQueue();
            channel.confirmSelect();
            channel.basicPublish("", queue, null, "ping".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
            assertThat(new String(channel.basicGet(queue, true).getBody(), StandardCharsets.UTF_8)).isEqualTo("ping");
        }
    }

    @Override
    protected void assertCredentialsRefused(JsonNode credentials) {
        assertThatThrownBy(() -> LocalRabbitmq.connect(credentials.path("uri").asText()).close())
                .isInstanceOfAny(AuthenticationFailureException.class, PossibleAuthenticationFailureException.class);
        assertThat(admin.userExists(credentials.path("username").asText())).isFalse();
    }

    @Override
    protected void assertResourceExists(String instanceId, boolean exists) {
        String vhost = ResourceNames.vhost(instanceId);
        assertThat(admin.vhostExists(vhost)).isEqualTo(exists);
        if (exists) {
            assertThat(admin.operatorPolicy(vhost, RabbitmqBackend.PLAN_POLICY)).isNotNull();
        } else {
            assertThat(admin.usersPermittedOn(vhost)).isEmpty();
        }
    }
}
