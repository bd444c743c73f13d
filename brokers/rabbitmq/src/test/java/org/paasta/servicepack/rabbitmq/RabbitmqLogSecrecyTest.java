package org.paasta.servicepack.rabbitmq;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.paasta.servicepack.testkit.LogSecrecyContract;
import org.paasta.servicepack.testkit.OsbClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A lifecycle at DEBUG against the real RabbitMQ, administered by a user with a password of its own,
 * and no binding password, broker password, secrets key or admin password in any log line.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        LogSecrecyContract.VERBOSE, LogSecrecyContract.VERBOSE_JDBC, LogSecrecyContract.VERBOSE_DRIVERS,
        LogSecrecyContract.VERBOSE_HTTP, LogSecrecyContract.VERBOSE_TOMCAT,
        "servicepack.store.url=jdbc:h2:mem:rabbitmq-log-secrecy;DB_CLOSE_DELAY=-1"})
@ActiveProfiles("test")
class RabbitmqLogSecrecyTest extends LogSecrecyContract {
    private static final String ADMIN = "sp-log-secrecy-admin";
    private static final String ADMIN_PASSWORD = Passwords.generate();
    private static final String BROKER_PASSWORD = Passwords.generate();
    private static final String SECRETS_KEY = Passwords.generate() + Passwords.generate();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void secrets(DynamicPropertyRegistry registry) {
        registry.add("servicepack.security.password", () -> BROKER_PASSWORD);
        registry.add("servicepack.secrets.key", () -> SECRETS_KEY);
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

    @Override
    protected OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", BROKER_PASSWORD);
    }

    @Override
    protected String serviceName() {
        return "rabbitmq";
    }

    @Override
    protected String planName() {
        return "standard";
    }

    @Override
    protected List<String> operatorSecrets() {
        return List.of(BROKER_PASSWORD, SECRETS_KEY, ADMIN_PASSWORD);
    }
}
