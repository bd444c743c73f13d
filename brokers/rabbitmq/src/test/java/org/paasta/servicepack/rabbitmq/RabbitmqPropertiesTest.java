package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code servicepack.rabbitmq.*} as an operator writes it, bound as Spring Boot binds it. */
class RabbitmqPropertiesTest {

    @Test
    void aClusterOfTwoNodesBehindARouter() {
        RabbitmqProperties properties = bind(Map.of(
                "servicepack.rabbitmq.management.url", "http://10.0.4.100:15672",
                "servicepack.rabbitmq.management.username", "broker-admin",
                "servicepack.rabbitmq.management.password", "secret",
                "servicepack.rabbitmq.management.public-url", "https://rabbitmq.sys.example.com",
                "servicepack.rabbitmq.hostnames", "10.0.4.100,10.0.4.101",
                "servicepack.rabbitmq.protocols[amqp]", "5672",
                "servicepack.rabbitmq.protocols[mqtt]", "1883"));

        BindingCredentials.Endpoints endpoints = properties.endpoints();
        assertThat(endpoints.hostnames()).containsExactly("10.0.4.100", "10.0.4.101");
        assertThat(endpoints.managementUrl()).isEqualTo(URI.create("https://rabbitmq.sys.example.com"));
        assertThat(endpoints.dashboardUrl()).isEqualTo("https://rabbitmq.sys.example.com");
        assertThat(properties.protocols()).containsOnly(Map.entry("amqp", 5672), Map.entry("mqtt", 1883));
        assertThat(properties.management().requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void defaultsFitTheMachinesOwnRabbitmq() {
        RabbitmqProperties properties = bind(Map.of("servicepack.rabbitmq.management.username", "guest"));
        assertThat(properties.management().url()).isEqualTo(URI.create("http://127.0.0.1:15672"));
        assertThat(properties.hostnames()).containsExactly("127.0.0.1");
        assertThat(properties.protocols()).as("discovered from the cluster's listeners").isEmpty();
        assertThat(properties.ssl()).isFalse();
    }

    @Test
    void configuredProtocolsMustIncludeTheAmqpPortAppsUse() {
        assertThatThrownBy(() -> bind(Map.of("servicepack.rabbitmq.ssl", "true",
                "servicepack.rabbitmq.protocols[amqp]", "5672")))
                .rootCause().hasMessageContaining("amqp+ssl");
    }

    private static RabbitmqProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("servicepack.rabbitmq", RabbitmqProperties.class);
    }
}
