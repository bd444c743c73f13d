package org.paasta.servicepack.redis;

import java.net.URI;
import java.util.List;
import org.paasta.servicepack.testkit.LogSecrecyContract;
import org.paasta.servicepack.testkit.OsbClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * A shared-vm lifecycle at DEBUG, and no binding password, broker password, secrets key or pool
 * node password (see application-http-test.yml) in any log line.
 */
@SpringBootTest(classes = RedisBrokerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {LogSecrecyContract.VERBOSE, LogSecrecyContract.VERBOSE_JDBC, LogSecrecyContract.VERBOSE_HTTP,
                LogSecrecyContract.VERBOSE_TOMCAT})
@ActiveProfiles("http-test")
class RedisLogSecrecyTest extends LogSecrecyContract {
    static {
        HttpTestEnvironment.ensureStarted();
    }

    @LocalServerPort
    int port;

    @Override
    protected OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", "http-test-broker-password");
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
        return List.of("http-test-broker-password", "http-test-secrets-key-0123456789abcdef",
                "http-test-pool-node-password-16470", "http-test-pool-node-password-16471");
    }
}
