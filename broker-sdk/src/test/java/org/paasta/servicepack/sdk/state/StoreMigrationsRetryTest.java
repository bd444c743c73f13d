package org.paasta.servicepack.sdk.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A first migration on MariaDB that loses a certification conflict (error 1213, as Galera reports
 * it) is undone and run again, so the store ends migrated with complete histories; on the real
 * MariaDB on 127.0.0.1 (env MYSQL_ADMIN_URL/_USERNAME/_PASSWORD). The conflict is simulated with
 * SIGNAL, once: a single server never has one.
 */
class StoreMigrationsRetryTest {
    private static final String URL = StateStoreDatabasesTest.env("MYSQL_ADMIN_URL", "jdbc:mariadb://127.0.0.1:3306/");
    private static final String USER = StateStoreDatabasesTest.env("MYSQL_ADMIN_USERNAME", "root");
    private static final String PASSWORD = StateStoreDatabasesTest.env("MYSQL_ADMIN_PASSWORD", "");

    @Test
    void aFreshStoresMigrationThatLostAConflictIsUndoneAndRunAgain() throws Exception {
        String schema = "sp_retry_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + schema,
                "CREATE DATABASE IF NOT EXISTS sp_conflict_probe",
                "CREATE TABLE IF NOT EXISTS sp_conflict_probe.attempts (id INT AUTO_INCREMENT PRIMARY KEY)",
                "DELETE FROM sp_conflict_probe.attempts");
        try {
            StoreMigrations.migrate(new DriverManagerDataSource(URL + schema, USER, PASSWORD), URL + schema,
                    List.of("classpath:db/conflict-once-broker"));
            assertThat(column("SELECT COUNT(*) FROM sp_conflict_probe.attempts")).as("the conflict happened once, then"
                    + " the migration ran again").containsExactly("2");
            assertThat(column("SELECT CONCAT(version, ':', success) FROM " + schema + ".sp_broker_schema_history"
                    + " WHERE version <> '0' ORDER BY installed_rank")).containsExactly("1:1", "2:1");
            assertThat(column("SELECT id FROM " + schema + ".conflict_once_table")).containsExactly("1");
            // Version 0 is Flyway's baseline: the lock table is there before the first migration.
            assertThat(column("SELECT CONCAT(version, ':', success) FROM " + schema + ".sp_schema_history"
                    + " ORDER BY installed_rank")).containsExactly("0:1", "1:1", "2:1", "3:1");
            assertThat(column("SELECT COUNT(*) FROM " + schema + ".sp_migration_lock")).as("the lock is released")
                    .containsExactly("0");
        } finally {
            execute("DROP DATABASE IF EXISTS " + schema, "DROP DATABASE IF EXISTS sp_conflict_probe");
        }
    }

    @Test
    void onlyClusterConflictsCountAsConflicts() {
        assertThat(StoreMigrations.isConflict(new RuntimeException(new SQLException("Deadlock found", "40001", 1213))))
                .isTrue();
        assertThat(StoreMigrations.isConflict(new SQLException("WSREP has not yet prepared node", "08S01", 1047)))
                .isTrue();
        assertThat(StoreMigrations.isConflict(new SQLException("Table 'x' already exists", "42S01", 1050))).isFalse();
    }

    private static void execute(String... sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            for (String one : sql) {
                statement.execute(one);
            }
        }
    }

    private static List<String> column(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
