package org.paasta.servicepack.mongodb;

import com.mongodb.ConnectionString;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.paasta.servicepack.testkit.LogSecrecyContract;
import org.paasta.servicepack.testkit.OsbClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A lifecycle at DEBUG, and no binding password, broker password, secrets key or admin password in
 * any log line. The test double's own loggers stay at INFO: they are the server's log, not the
 * broker's, and a real mongod keeps its own log elsewhere.
 */
@SpringBootTest(classes = MongodbBrokerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {LogSecrecyContract.VERBOSE, LogSecrecyContract.VERBOSE_JDBC, LogSecrecyContract.VERBOSE_HTTP,
                LogSecrecyContract.VERBOSE_TOMCAT, "logging.level.de.bwaldvogel=INFO",
                "logging.level.org.paasta.servicepack.mongodb.testserver=INFO"})
class MongodbLogSecrecyTest extends LogSecrecyContract {
    private static final String BROKER_PASSWORD = Passwords.generate();
    private static final String SECRETS_KEY = Passwords.generate() + Passwords.generate();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("servicepack.mongodb.uri", MongoTarget::adminUri);
        registry.add("servicepack.security.username", () -> "broker");
        registry.add("servicepack.security.password", () -> BROKER_PASSWORD);
        registry.add("servicepack.secrets.key", () -> SECRETS_KEY);
        registry.add("servicepack.store.url", () -> "jdbc:h2:mem:mongodb-log-secrecy-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1");
    }

    @Override
    protected OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", BROKER_PASSWORD);
    }

    @Override
    protected String serviceName() {
        return "Mongo-DB";
    }

    @Override
    protected String planName() {
        return "default-plan";
    }

    @Override
    protected List<String> operatorSecrets() {
        char[] adminPassword = new ConnectionString(MongoTarget.adminUri()).getPassword();
        return List.of(BROKER_PASSWORD, SECRETS_KEY, new String(adminPassword));
    }
}
