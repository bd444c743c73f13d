package ${package};

import java.net.URI;
import java.util.List;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.LogSecrecyContract;
import org.paasta.servicepack.testkit.OsbClient;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A lifecycle with every logger at DEBUG (and HTTP and JDBC at TRACE), then no binding password,
 * broker password or secrets key in any log line. With a real server, add the broker's admin
 * password to {@link #operatorSecrets()}, and keep the server's own client library out of the
 * test process's logging if it would log what the test sends it.
 */
@BrokerTest
@TestPropertySource(properties = {
        LogSecrecyContract.VERBOSE, LogSecrecyContract.VERBOSE_JDBC, LogSecrecyContract.VERBOSE_HTTP,
        LogSecrecyContract.VERBOSE_TOMCAT,
        "servicepack.${serviceName}.host=${serviceName}.example.internal",
        "servicepack.${serviceName}.port=5000"})
class ${ServiceName}LogSecrecyTest extends LogSecrecyContract {
    @LocalServerPort
    int port;

    @Override
    protected OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), BrokerTest.USERNAME, BrokerTest.PASSWORD);
    }

    @Override
    protected String serviceName() {
        return "${serviceName}";
    }

    @Override
    protected String planName() {
        return "small";
    }

    @Override
    protected List<String> operatorSecrets() {
        return List.of(BrokerTest.PASSWORD, BrokerTest.SECRETS_KEY);
    }
}
