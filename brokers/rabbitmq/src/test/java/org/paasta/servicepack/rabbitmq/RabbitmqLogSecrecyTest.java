package org.paasta.servicepack.rabbitmq;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.LogSecrecyContract;
import org.paasta.servicepack.testkit.OsbClient;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A lifecycle at DEBUG against the real RabbitMQ, administered by a user with a password of its own,
 * and no binding password, broker password, secrets key or admin password in any log line.
 */
@BrokerTest
@TestPropertySource(properties = {LogSecrecyContract.VERBOSE, LogSecrecyContract.VERBOSE_JDBC,
        LogSecrecyContract.VERBOSE_DRIVERS, LogSecrecyContract.VERBOSE_HTTP, LogSecrecyContract.VERBOSE_TOMCAT})
class RabbitmqLogSecrecyTest extends LogSecrecyContract {
    private static final String ADMIN = "sp-log-secrecy-admin";
    private static final String ADMIN_PASSWORD = Passwords.generate();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void admin(DynamicPropertyRegistry registry) {
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

    /** LogSecrecyContract asks for its client; the broker is the one {@code @BrokerTest} started. */
    @Override
    protected OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), BrokerTest.USERNAME, BrokerTest.PASSWORD);
    }

    @Override
    protected String serviceName() {
        return LocalRabbitmq.SERVICE;
    }

    @Override
    protected String planName() {
        return LocalRabbitmq.PLAN;
    }

    @Override
    protected List<String> operatorSecrets() {
        return List.of(BrokerTest.PASSWORD, BrokerTest.SECRETS_KEY, ADMIN_PASSWORD);
    }
}
