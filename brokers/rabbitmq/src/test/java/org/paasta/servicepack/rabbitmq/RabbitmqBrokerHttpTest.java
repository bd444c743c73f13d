package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.Catalog;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;

/**
 * The whole broker (SDK runtime, real catalog, real RabbitMQ) driven through the OSB HTTP API, and
 * the credentials used as an app uses them.
 */
@BrokerTest
class RabbitmqBrokerHttpTest {

    @Test
    void fullLifecycleThroughTheOsbApi(OsbClient platform) throws Exception {
        ManagementApi admin = LocalRabbitmq.admin();
        String instance = LocalRabbitmq.newId();
        String binding = LocalRabbitmq.newId();
        String vhost = ResourceNames.vhost(instance);

        Catalog catalog = Catalog.of(platform);
        JsonNode service = catalog.body().path("services").get(0);
        assertThat(service.path("name").asText()).isEqualTo(LocalRabbitmq.SERVICE);
        assertThat(service.path("plans").get(0).has("limits")).as("limits stay inside the broker").isFalse();
        String serviceId = catalog.serviceId(LocalRabbitmq.SERVICE);
        String planId = catalog.planId(LocalRabbitmq.SERVICE, LocalRabbitmq.PLAN);

        assertThat(platform.provision(instance, serviceId, planId, null, false).status()).isEqualTo(201);
        // The catalog's typed limits reached RabbitMQ as the vhost's operator policy.
        JsonNode policy = admin.operatorPolicy(vhost, RabbitmqBackend.PLAN_POLICY);
        assertThat(policy.path("max-length").asLong()).isEqualTo(100_000);
        assertThat(policy.path("message-ttl").asLong()).isEqualTo(86_400_000);

        OsbResponse bound = platform.bind(instance, binding, serviceId, planId, null, false);
        assertThat(bound.status()).isEqualTo(201);
        JsonNode credentials = bound.body().path("credentials");
        String uri = credentials.path("uri").asText();
        assertThat(credentials.path("vhost").asText()).isEqualTo(vhost);
        assertThat(credentials.path("protocols").has("amqp")).isTrue();
        assertThat(platform.fetchBinding(instance, binding).body().path("credentials")).isEqualTo(credentials);

        Connection app = LocalRabbitmq.connect(uri);
        try {
            Channel channel = app.createChannel();
            channel.queueDeclare("work", true, false, false, null);
            channel.confirmSelect();
            channel.basicPublish("", "work", null, "job-1".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
            GetResponse message = channel.basicGet("work", true);
            assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("job-1");

            assertThat(platform.unbind(instance, binding, serviceId, planId, false).status()).isEqualTo(200);

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (app.isOpen() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(app.isOpen()).as("a connection opened before unbind is closed by the broker").isFalse();
        } finally {
            if (app.isOpen()) {
                app.abort();
            }
        }
        assertThatThrownBy(() -> LocalRabbitmq.connect(uri).close())
                .isInstanceOfAny(AuthenticationFailureException.class, PossibleAuthenticationFailureException.class);

        assertThat(platform.deprovision(instance, serviceId, planId, false).status()).isEqualTo(200);
        assertThat(admin.vhostExists(vhost)).isFalse();
        assertThat(admin.userExists(ResourceNames.user(binding))).isFalse();
        assertThat(platform.deprovision(instance, serviceId, planId, false).status()).isEqualTo(410);
    }
}
