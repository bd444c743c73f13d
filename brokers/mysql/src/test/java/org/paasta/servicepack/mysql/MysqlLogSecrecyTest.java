package org.paasta.servicepack.mysql;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
 * A lifecycle at DEBUG against the real server, with an admin account that has a password of its
 * own, and no binding password, broker password, secrets key or admin password in any log line.
 */
@BrokerTest
@TestPropertySource(properties = {LogSecrecyContract.VERBOSE, LogSecrecyContract.VERBOSE_JDBC,
        LogSecrecyContract.VERBOSE_DRIVERS, LogSecrecyContract.VERBOSE_HTTP, LogSecrecyContract.VERBOSE_TOMCAT})
class MysqlLogSecrecyTest extends LogSecrecyContract {
    private static final String ADMIN = "sp_log_secrecy_admin";
    private static final String ADMIN_PASSWORD = Passwords.generate();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void adminAccount(DynamicPropertyRegistry registry) {
        registry.add("servicepack.mysql.admin.username", () -> ADMIN);
        registry.add("servicepack.mysql.admin.password", () -> ADMIN_PASSWORD);
    }

    @BeforeAll
    static void adminWithAPassword() throws SQLException {
        try (Connection root = MysqlServer.admin(); Statement statement = root.createStatement()) {
            statement.execute("DROP USER IF EXISTS '" + ADMIN + "'@'%'");
            statement.execute("CREATE USER '" + ADMIN + "'@'%' IDENTIFIED BY '" + ADMIN_PASSWORD + "'");
            statement.execute("GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN + "'@'%' WITH GRANT OPTION");
        }
    }

    @AfterAll
    static void dropAdmin() throws SQLException {
        try (Connection root = MysqlServer.admin(); Statement statement = root.createStatement()) {
            statement.execute("DROP USER IF EXISTS '" + ADMIN + "'@'%'");
        }
    }

    /** LogSecrecyContract, unlike BrokerContractTest, has no client of the running broker of its own. */
    @Override
    protected OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), BrokerTest.USERNAME, BrokerTest.PASSWORD);
    }

    @Override
    protected String serviceName() {
        return MysqlBrokerContractTest.SERVICE;
    }

    @Override
    protected String planName() {
        return MysqlBrokerContractTest.PLAN_10;
    }

    @Override
    protected List<String> operatorSecrets() {
        return List.of(BrokerTest.PASSWORD, BrokerTest.SECRETS_KEY, ADMIN_PASSWORD);
    }
}
