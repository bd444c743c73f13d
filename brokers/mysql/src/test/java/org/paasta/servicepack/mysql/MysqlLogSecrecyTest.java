package org.paasta.servicepack.mysql;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.paasta.servicepack.testkit.LogSecrecyContract;
import org.paasta.servicepack.testkit.OsbClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A lifecycle at DEBUG against the real server, with an admin account that has a password of its
 * own, and no binding password, broker password, secrets key or admin password in any log line.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        LogSecrecyContract.VERBOSE, LogSecrecyContract.VERBOSE_JDBC, LogSecrecyContract.VERBOSE_DRIVERS,
        LogSecrecyContract.VERBOSE_HTTP, LogSecrecyContract.VERBOSE_TOMCAT,
        "servicepack.store.url=jdbc:h2:mem:mysql-log-secrecy;DB_CLOSE_DELAY=-1"})
class MysqlLogSecrecyTest extends LogSecrecyContract {
    private static final String ADMIN = "sp_log_secrecy_admin";
    private static final String ADMIN_PASSWORD = Passwords.generate();
    private static final String BROKER_PASSWORD = Passwords.generate();
    private static final String SECRETS_KEY = Passwords.generate() + Passwords.generate();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void secrets(DynamicPropertyRegistry registry) {
        registry.add("servicepack.security.username", () -> "broker");
        registry.add("servicepack.security.password", () -> BROKER_PASSWORD);
        registry.add("servicepack.secrets.key", () -> SECRETS_KEY);
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

    @Override
    protected OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", BROKER_PASSWORD);
    }

    @Override
    protected String serviceName() {
        return "Mysql-DB";
    }

    @Override
    protected String planName() {
        return "Mysql-Plan1-10con";
    }

    @Override
    protected List<String> operatorSecrets() {
        return List.of(BROKER_PASSWORD, SECRETS_KEY, ADMIN_PASSWORD);
    }
}
