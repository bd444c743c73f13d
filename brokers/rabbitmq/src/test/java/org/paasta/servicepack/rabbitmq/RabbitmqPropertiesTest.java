package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.config.MissingSettingException;
import org.paasta.servicepack.testkit.BrokerTest;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

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
        assertThat(properties.management().toString()).doesNotContain("secret");
    }

    @Test
    void defaultsFitTheMachinesOwnRabbitmq() {
        RabbitmqProperties properties = bind(Map.of("servicepack.rabbitmq.management.username", "guest",
                "servicepack.rabbitmq.management.password", "guest"));
        assertThat(properties.management().url()).containsExactly(URI.create("http://127.0.0.1:15672"));
        assertThat(properties.hostnames()).containsExactly("127.0.0.1");
        assertThat(properties.protocols()).as("discovered from the cluster's listeners").isEmpty();
        assertThat(properties.ssl()).isFalse();
    }

    /** A 3-node cluster reached directly: every node's management API, every node's AMQP address. */
    @Test
    void aClusterOfThreeNodesOnTheirOwnPorts() {
        RabbitmqProperties properties = bind(Map.of(
                "servicepack.rabbitmq.management.url",
                "http://127.0.0.1:15701, http://127.0.0.1:15702,http://127.0.0.1:15703",
                "servicepack.rabbitmq.management.username", "sp-admin",
                "servicepack.rabbitmq.management.password", "secret",
                "servicepack.rabbitmq.hostnames", "127.0.0.1:5701,127.0.0.1:5702,[::1]:5703"));
        assertThat(properties.management().url()).containsExactly(URI.create("http://127.0.0.1:15701"),
                URI.create("http://127.0.0.1:15702"), URI.create("http://127.0.0.1:15703"));
        assertThat(properties.endpoints().managementUrl()).isEqualTo(URI.create("http://127.0.0.1:15701"));
        assertThat(properties.endpoints().addresses()).containsExactly(
                new BindingCredentials.Address("127.0.0.1", 5701), new BindingCredentials.Address("127.0.0.1", 5702),
                new BindingCredentials.Address("[::1]", 5703));
    }

    @Test
    void aHostnameWithABadPortStopsTheStart() {
        assertThatThrownBy(() -> bind(Map.of("servicepack.rabbitmq.management.username", "admin",
                "servicepack.rabbitmq.management.password", "secret",
                "servicepack.rabbitmq.hostnames", "rabbit-1:5672,rabbit-2:amqp")))
                .rootCause().hasMessageContaining("'rabbit-2:amqp' is not host or host:port");
    }

    /** Older versions documented connection-settle; a configuration that still sets it must bind as before. */
    @Test
    void theRetiredConnectionSettleKeyIsIgnored() {
        RabbitmqProperties properties = bind(Map.of("servicepack.rabbitmq.management.username", "guest",
                "servicepack.rabbitmq.management.password", "guest",
                "servicepack.rabbitmq.connection-settle", "1s",
                "servicepack.rabbitmq.connection-close-timeout", "7s"));
        assertThat(properties.connectionCloseTimeout()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void configuredProtocolsMustIncludeTheAmqpPortAppsUse() {
        assertThatThrownBy(() -> bind(Map.of("servicepack.rabbitmq.ssl", "true",
                "servicepack.rabbitmq.protocols[amqp]", "5672")))
                .rootCause().isInstanceOf(MissingSettingException.class).hasMessageContaining("amqp+ssl");
    }

    @Test
    void anAdministratorWithoutPasswordIsAMissingSettingNamingItsVariable() {
        Throwable missing = catchThrowable(() -> bind(Map.of("servicepack.rabbitmq.management.username", "admin",
                "servicepack.rabbitmq.management.password", " ")));
        assertThat(missing).rootCause().isInstanceOf(MissingSettingException.class);
        assertThat(((MissingSettingException) rootCause(missing)).settings())
                .extracting(MissingSettingException.Setting::variable).containsExactly("RABBITMQ_ADMIN_PASSWORD");
    }

    @Test
    void noHostnamesForAppsIsAMissingSettingNamingItsVariable() {
        Throwable missing = catchThrowable(() -> bind(Map.of("servicepack.rabbitmq.management.username", "admin",
                "servicepack.rabbitmq.management.password", "secret", "servicepack.rabbitmq.hostnames", " , ")));
        assertThat(((MissingSettingException) rootCause(missing)).settings())
                .extracting(MissingSettingException.Setting::variable).containsExactly("RABBITMQ_HOSTNAMES");
    }

    /**
     * An EnvironmentFile line left empty ({@code RABBITMQ_ADMIN_PASSWORD=}) replaces application.yml's
     * demo default with nothing: the start stops at once with the one message naming the variable.
     */
    @Test
    void anEmptyVariableStopsTheStartNamingIt() {
        Throwable failure = catchThrowable(() -> {
            // Command line arguments: they outrank application.yml, as the environment does.
            try (ConfigurableApplicationContext started = new SpringApplicationBuilder(RabbitmqBrokerApplication.class)
                    .run("--server.port=0", "--servicepack.security.username=" + BrokerTest.USERNAME,
                            "--servicepack.security.password=" + BrokerTest.PASSWORD,
                            "--servicepack.secrets.key=" + BrokerTest.SECRETS_KEY,
                            "--servicepack.store.url=jdbc:h2:mem:rabbitmq-empty-variable;DB_CLOSE_DELAY=-1",
                            "--servicepack.rabbitmq.management.password=")) {
                assertThat(started).as("a broker that started without an admin password").isNull();
            }
        });
        assertThat(failure).isInstanceOf(MissingSettingException.class);
        assertThat(((MissingSettingException) failure).settings())
                .extracting(MissingSettingException.Setting::variable).containsExactly("RABBITMQ_ADMIN_PASSWORD");
    }

    /** Cloud Foundry hands the port over in PORT; the state file is named after the broker. */
    @Test
    void applicationYmlTakesThePortFromPortAndNamesTheBroker() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("platform", Map.of("PORT", "61001")));
        new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);

        assertThat(environment.getProperty("server.port")).isEqualTo("61001");
        assertThat(environment.getProperty("spring.application.name")).isEqualTo("rabbitmq-broker");
        environment.getPropertySources().remove("platform");
        assertThat(environment.getProperty("server.port")).isEqualTo("8080");
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static RabbitmqProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("servicepack.rabbitmq", RabbitmqProperties.class);
    }
}
