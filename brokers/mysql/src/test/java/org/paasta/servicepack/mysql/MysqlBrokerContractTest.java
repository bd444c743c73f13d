package org.paasta.servicepack.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.paasta.servicepack.testkit.BrokerContractTest;
import org.paasta.servicepack.testkit.BrokerTest;

/** The SDK's contract kit against the real MariaDB/MySQL server. */
@BrokerTest
class MysqlBrokerContractTest extends BrokerContractTest {
    /** The service and plans by the names PaaS-TA registered (catalog/mysql.yml); tests look ids up by them. */
    static final String SERVICE = "Mysql-DB";
    static final String PLAN_10 = "Mysql-Plan1-10con";
    static final String PLAN_100 = "Mysql-Plan2-100con";

    @Override
    protected String serviceName() {
        return SERVICE;
    }

    @Override
    protected String planName() {
        return PLAN_10;
    }

    @Override
    protected String otherPlanName() {
        return PLAN_100;
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
