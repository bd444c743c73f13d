package org.paasta.servicepack.redis;

import java.net.URI;
import java.util.List;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.LogSecrecyContract;
import org.paasta.servicepack.testkit.OsbClient;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * A shared-vm lifecycle at DEBUG, and no binding password, broker password, secrets key
 * ({@link BrokerTest}'s) or pool node password (application-http-test.yml) in any log line.
 */
@BrokerTest
@ActiveProfiles("http-test")
@TestPropertySource(properties = {HttpTestEnvironment.STORE, LogSecrecyContract.VERBOSE,
        LogSecrecyContract.VERBOSE_JDBC, LogSecrecyContract.VERBOSE_HTTP, LogSecrecyContract.VERBOSE_TOMCAT,
        // Its own shared-vm host: Spring keeps this context alive beside the other HTTP tests' one,
        // and two brokers over the same host's instances must not be (SharedVmSupervisor).
        "servicepack.redis.shared.advertised-host=localhost",
        "servicepack.redis.shared.data-dir=./target/http-test/instances-log-secrecy",
        "servicepack.redis.shared.first-port=16450", "servicepack.redis.shared.last-port=16454"})
class RedisLogSecrecyTest extends LogSecrecyContract {
    static {
        HttpTestEnvironment.ensureStarted();
    }

    @LocalServerPort
    int port;

    @Override
    protected OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), BrokerTest.USERNAME, BrokerTest.PASSWORD);
    }

    @Override
    protected String serviceName() {
        return "redis";
    }

    @Override
    protected String planName() {
        return "shared-vm";
    }

    @Override
    protected List<String> operatorSecrets() {
        return List.of(BrokerTest.PASSWORD, BrokerTest.SECRETS_KEY,
                "http-test-pool-node-password-16470", "http-test-pool-node-password-16471");
    }
}
