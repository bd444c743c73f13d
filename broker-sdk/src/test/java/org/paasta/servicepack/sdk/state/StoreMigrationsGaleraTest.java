package org.paasta.servicepack.sdk.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.testkit.GaleraCluster;

/**
 * The state store's migrations on a 3-node MariaDB Galera cluster (scripts/clusters/galera.sh; see
 * {@link GaleraCluster} for how the cluster is found). Before the fix about one first migration in eight
 * failed at COMMIT with 1213 (a Galera certification abort) and left the tables made but the history
 * row missing, so the next start failed too. Each run here takes a fresh schema and must end with
 * complete history tables, and a second start must be a no-op.
 */
class StoreMigrationsGaleraTest {
    private static final int RUNS = 20;
    private static final List<String> BROKER = List.of("classpath:db/galera-test-broker");

    private static GaleraCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = GaleraCluster.require();
    }

    @Test
    void everyFirstMigrationThroughTheFailoverUrlEndsComplete() throws Exception {
        String url = cluster.adminUrl();
        for (int run = 0; run < RUNS; run++) {
            String schema = freshSchema();
            try {
                migrate(url + schema);
                assertComplete(url + schema, "run " + run);
                // A second start finds nothing to do and changes nothing.
                migrate(url + schema);
                assertComplete(url + schema, "run " + run + ", second start");
            } finally {
                drop(schema);
            }
        }
    }

    /**
     * Two replicas starting at once with their pools on different nodes: Flyway's MariaDB lock is
     * GET_LOCK, which Galera does not replicate, so nothing serializes them; both must still start
     * and leave one complete history.
     */
    @Test
    void replicasStartingTogetherOnDifferentNodesBothEndMigrated() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int run = 0; run < RUNS / 4; run++) {
                String schema = freshSchema();
                try {
                    List<Future<?>> starts = new ArrayList<>();
                    for (int node = 1; node <= 2; node++) {
                        String url = cluster.nodeUrl(node) + schema;
                        starts.add(pool.submit(() -> {
                            migrate(url);
                            return null;
                        }));
                    }
                    for (Future<?> start : starts) {
                        start.get(120, TimeUnit.SECONDS);
                    }
                    assertComplete(cluster.nodeUrl(3) + schema, "concurrent run " + run);
                } finally {
                    drop(schema);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void migrate(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(cluster.adminUsername());
        config.setPassword(cluster.adminPassword());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(2);
        try (HikariDataSource store = new HikariDataSource(config)) {
            StoreMigrations.migrate(store, url, BROKER);
        }
    }

    private static void assertComplete(String url, String what) throws SQLException {
        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            assertThat(column(statement, "SELECT CONCAT(version, ':', success) FROM sp_schema_history"
                    + " WHERE version <> '0' ORDER BY installed_rank"))
                    .as(what + ": the SDK's history").containsExactly("1:1", "2:1", "3:1");
            assertThat(column(statement, "SELECT CONCAT(version, ':', success) FROM sp_broker_schema_history"
                    + " WHERE version <> '0' ORDER BY installed_rank"))
                    .as(what + ": the broker's history").containsExactly("1:1", "2:1");
            assertThat(column(statement, "SELECT note FROM galera_test_broker")).as(what + ": the broker's data")
                    .containsExactly("migrated");
            assertThat(column(statement, "SELECT COUNT(*) FROM sp_instance")).as(what).containsExactly("0");
        }
    }

    private static List<String> column(Statement statement, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static String freshSchema() throws SQLException {
        String schema = "sp_galera_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = connect(cluster.adminUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + schema);
        }
        // Galera applies a DDL on the other nodes a moment after the node that ran it answered; a
        // read with wsrep_sync_wait waits until the node has applied everything committed before it.
        for (int node = 1; node <= cluster.nodeCount(); node++) {
            try (Connection connection = connect(cluster.nodeUrl(node));
                 Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION wsrep_sync_wait = 1");
                assertThat(column(statement,
                        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + schema + "'")).hasSize(1);
            }
        }
        return schema;
    }

    private static void drop(String schema) throws SQLException {
        try (Connection connection = connect(cluster.adminUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + schema);
        }
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, cluster.adminUsername(),
                cluster.adminPassword());
    }
}
