package org.paasta.servicepack.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.paasta.servicepack.testkit.BrokerContractTest;
import org.paasta.servicepack.testkit.OsbClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The SDK's contract kit against the real MariaDB/MySQL server. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "servicepack.security.username=broker", "servicepack.security.password=contract-test-password",
        "servicepack.secrets.key=contract-test-secrets-key-0123456789",
        "servicepack.store.url=jdbc:h2:mem:mysql-contract;DB_CLOSE_DELAY=-1"})
class MysqlBrokerContractTest extends BrokerContractTest {
    static final String SERVICE = "96b9e707-0e2b-47e3-a21a-fd01a8eb0452";
    static final String PLAN_10 = "411d0c3e-b086-4a24-b041-0aeef1a819d1";
    static final String PLAN_100 = "4a932d9d-9bc5-4a86-937f-e2c14bb9f497";

    @LocalServerPort
    int port;

    @Override
    protected OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", "contract-test-password");
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
    protected String otherPlanName() {
        return "Mysql-Plan2-100con";
    }

    @Override
    protected void assertCredentialsWork(JsonNode credentials) throws SQLException {
        try (Connection connection = MysqlServer.connectWithJdbcUrl(credentials);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS contract (id INT PRIMARY KEY, note VARCHAR(20))");
            statement.execute("REPLACE INTO contract VALUES (1, 'works')");
            try (ResultSet rows = statement.executeQuery("SELECT note FROM contract WHERE id = 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("works");
            }
        }
    }

    @Override
    protected void assertCredentialsRefused(JsonNode credentials) {
        assertThatThrownBy(() -> MysqlServer.connectWithJdbcUrl(credentials).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
    }

    @Override
    protected void assertResourceExists(String instanceId, boolean exists) throws SQLException {
        assertThat(MysqlServer.databaseExists(instanceId)).isEqualTo(exists);
        if (!exists) {
            assertThat(MysqlServer.usersOf(instanceId)).isEmpty();
        }
    }
}
