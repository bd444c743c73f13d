package org.paasta.servicepack.mongodb;

import com.mongodb.ConnectionString;
import java.net.URI;
import java.util.List;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.LogSecrecyContract;
import org.paasta.servicepack.testkit.OsbClient;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A lifecycle at DEBUG, and no binding password, broker password, secrets key or admin password in
 * any log line. The test double's own loggers stay at INFO: they are the server's log, not the
 * broker's, and a real mongod keeps its own log elsewhere.
 */
@BrokerTest
@TestPropertySource(properties = {LogSecrecyContract.VERBOSE, LogSecrecyContract.VERBOSE_JDBC,
        LogSecrecyContract.VERBOSE_HTTP, LogSecrecyContract.VERBOSE_TOMCAT, "logging.level.de.bwaldvogel=INFO",
        "logging.level.org.paasta.servicepack.mongodb.testserver=INFO"})
class MongodbLogSecrecyTest extends LogSecrecyContract {
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void mongodb(DynamicPropertyRegistry registry) {
        MongoTarget.register(registry);
    }

    /** LogSecrecyContract asks for its client; the broker is the one {@code @BrokerTest} started. */
    @Override
    protected OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), BrokerTest.USERNAME, BrokerTest.PASSWORD);
    }

    @Override
    protected String serviceName() {
        return Requests.SERVICE;
    }

    @Override
    protected String planName() {
        return Requests.PLAN;
    }

    @Override
    protected List<String> operatorSecrets() {
        char[] adminPassword = new ConnectionString(MongoTarget.adminUri()).getPassword();
        return List.of(BrokerTest.PASSWORD, BrokerTest.SECRETS_KEY, new String(adminPassword));
    }
}
