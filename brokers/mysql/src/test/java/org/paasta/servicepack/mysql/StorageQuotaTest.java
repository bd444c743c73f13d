package org.paasta.servicepack.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.Catalog;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A plan's storage_mb on the real server: past it an app can read and delete but not write, and
 * its open sessions are ended; back under it, writing works again. Also a MyISAM table counts. Uses a test catalog with a
 * 1 MB plan; the enforcer's pass is triggered directly instead of waiting for its schedule.
 */
@BrokerTest
@TestPropertySource(properties = {"servicepack.catalog.files=classpath:catalog/mysql-quota-test.yml",
        "servicepack.mysql.quota-check-interval=0s"})
class StorageQuotaTest {
    /** The test catalog's service and its 1 MB plan, by name. */
    static final String SERVICE_NAME = "Mysql-DB-quota-test";
    static final String PLAN_NAME = "Mysql-Plan1-10con";

    @Autowired
    StorageQuota quota;
    String serviceId;
    String planId;

    @BeforeEach
    void lookUpIds(OsbClient client) {
        Catalog catalog = Catalog.of(client);
        serviceId = catalog.serviceId(SERVICE_NAME);
        planId = catalog.planId(SERVICE_NAME, PLAN_NAME);
    }

    @Test
    void writesStopPastTheQuotaAndResumeBelowIt(OsbClient client) throws Exception {
        String instanceId = UUID.randomUUID().toString();
        assertThat(client.provision(instanceId, serviceId, planId, null, false).status()).isEqualTo(201);
        OsbResponse writer = client.bind(instanceId, "writer", serviceId, planId, null, false);
        OsbResponse reader = client.bind(instanceId, "reader", serviceId, planId, java.util.Map.of("read_only", true), false);
        JsonNode credentials = writer.credentials();

        try (Connection app = MysqlServer.connectWithJdbcUrl(credentials); Statement statement = app.createStatement()) {
            statement.execute("CREATE TABLE blob_rows (id INT PRIMARY KEY AUTO_INCREMENT, body VARCHAR(2000))");
            try (PreparedStatement insert = app.prepareStatement("INSERT INTO blob_rows (body) VALUES (REPEAT('x', 2000))")) {
                for (int i = 0; i < 1500; i++) {
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        Connection open = MysqlServer.connectWithJdbcUrl(credentials);
        quota.enforce();

        try (Connection app = MysqlServer.connectWithJdbcUrl(credentials); Statement statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.execute("INSERT INTO blob_rows (body) VALUES ('more')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("denied");
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM blob_rows")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1500);
            }
        }
        assertThatThrownBy(() -> {
            try (Statement statement = open.createStatement()) {
                statement.execute("INSERT INTO blob_rows (body) VALUES ('via an old session')");
            }
        }).as("a session opened before the quota hit is ended").isInstanceOf(SQLException.class);
        open.close();
        try (Connection app = MysqlServer.connectWithJdbcUrl(reader.credentials())) {
            assertThat(app.isValid(5)).as("read-only bindings are untouched").isTrue();
        }

        try (Connection app = MysqlServer.connectWithJdbcUrl(credentials); Statement statement = app.createStatement()) {
            statement.execute("TRUNCATE TABLE blob_rows");
        }
        quota.enforce();
        try (Connection app = MysqlServer.connectWithJdbcUrl(credentials); Statement statement = app.createStatement()) {
            statement.execute("INSERT INTO blob_rows (body) VALUES ('writes are back')");
        }
        try (Connection app = MysqlServer.connectWithJdbcUrl(reader.credentials()); Statement statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.execute("INSERT INTO blob_rows (body) VALUES ('never')"))
                    .as("restoring writes skips read-only bindings").isInstanceOf(SQLException.class);
        }
        assertThat(client.deprovision(instanceId, serviceId, planId, false).status()).isEqualTo(200);
    }

    @Test
    void tablesOfOtherEnginesCountToo(OsbClient client) throws Exception {
        String instanceId = UUID.randomUUID().toString();
        assertThat(client.provision(instanceId, serviceId, planId, null, false).status()).isEqualTo(201);
        JsonNode credentials = client.bind(instanceId, "myisam-writer", serviceId, planId, null, false).credentials();
        try (Connection app = MysqlServer.connectWithJdbcUrl(credentials); Statement statement = app.createStatement()) {
            statement.execute("CREATE TABLE myisam_rows (body VARCHAR(2000)) ENGINE=MyISAM");
            try (PreparedStatement insert = app.prepareStatement("INSERT INTO myisam_rows VALUES (REPEAT('y', 2000))")) {
                for (int i = 0; i < 1500; i++) {
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        quota.enforce();
        try (Connection app = MysqlServer.connectWithJdbcUrl(credentials); Statement statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.execute("INSERT INTO myisam_rows VALUES ('more')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("denied");
        }
        assertThat(client.deprovision(instanceId, serviceId, planId, false).status()).isEqualTo(200);
    }
}
