package org.paasta.servicepack.sdk.state;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.DatabaseDriver;

/**
 * Brings the state store's schema up to date at start: the SDK's migrations (common SQL plus the
 * store vendor's own), then a broker's own tables from its locations, each with a history table of
 * its own so their version numbers never meet. Replicas starting together are serialized by Flyway's
 * lock on H2 and PostgreSQL.
 *
 * <p>On MariaDB/MySQL the store may be a Galera cluster, where three things differ. Flyway's lock
 * ({@code GET_LOCK}) holds on one node only, so replicas are serialized by {@link MigrationLock}
 * instead. Migrations run outside transactions: every DDL commits implicitly there anyway, and an
 * autocommit statement that loses a certification conflict is retried by the server
 * ({@code wsrep_retry_autocommit}) where an explicit COMMIT fails with 1213. And a first migration
 * that still fails with such a conflict is undone (the tables it made, on a store that had none of
 * that history table before) and run again, so a store never stays half made.
 */
public final class StoreMigrations {
    private static final Logger LOG = LoggerFactory.getLogger(StoreMigrations.class);
    private static final String SDK_LOCATION = "classpath:db/servicepack/";
    private static final int ATTEMPTS = 4;

    private StoreMigrations() {
    }

    public static void migrate(DataSource store, String jdbcUrl, List<String> brokerLocations) {
        String vendor = DatabaseDriver.fromJdbcUrl(jdbcUrl).getId();
        boolean mysql = vendor.equals("mariadb") || vendor.equals("mysql");
        List<String> sdk = new ArrayList<>(List.of(SDK_LOCATION + "common"));
        sdk.add(SDK_LOCATION + vendor);
        List<String> broker = brokerLocations.stream().map(location -> location.replace("{vendor}", vendor)).toList();
        if (!mysql) {
            flyway(store, sdk, "sp_schema_history", true).migrate();
            if (!broker.isEmpty()) {
                flyway(store, broker, "sp_broker_schema_history", true).migrate();
            }
            return;
        }
        try (MigrationLock lock = MigrationLock.take(store)) {
            migrateRetrying(store, sdk, "sp_schema_history");
            if (!broker.isEmpty()) {
                migrateRetrying(store, broker, "sp_broker_schema_history");
            }
        }
    }

    /** MariaDB/MySQL, under the {@link MigrationLock}: see the class comment. */
    private static void migrateRetrying(DataSource store, List<String> locations, String historyTable) {
        for (int attempt = 1; ; attempt++) {
            Set<String> before = tables(store);
            try {
                flyway(store, locations, historyTable, false).migrate();
                return;
            } catch (FlywayException e) {
                boolean fresh = before.stream().noneMatch(historyTable::equalsIgnoreCase);
                if (!isConflict(e) || !fresh || attempt == ATTEMPTS) {
                    throw e;
                }
                Set<String> made = tables(store);
                made.removeAll(before);
                LOG.warn("state store migration ({}) lost a cluster conflict on attempt {}: {}; dropping the {}"
                        + " tables it made and running it again", historyTable, attempt, e.getMessage(), made.size());
                drop(store, made);
            }
        }
    }

    /**
     * A Galera certification conflict or a lock wait the server gave up on: 1213 (deadlock, which
     * is how a certification abort reaches the client), 1205, and 1047 / "WSREP" (a node not yet
     * ready after a membership change).
     */
    static boolean isConflict(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                int code = sql.getErrorCode();
                String message = String.valueOf(sql.getMessage()).toUpperCase(Locale.ROOT);
                if (code == 1213 || code == 1205 || code == 1047 || message.contains("WSREP")
                        || message.contains("DEADLOCK")) {
                    return true;
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static Set<String> tables(DataSource store) {
        Set<String> tables = new LinkedHashSet<>();
        try (Connection connection = store.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT TABLE_NAME FROM information_schema.TABLES"
                     + " WHERE TABLE_SCHEMA = DATABASE()")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the state store's tables could not be listed: " + e.getMessage(), e);
        }
        return tables;
    }

    private static void drop(DataSource store, Set<String> tables) {
        try (Connection connection = store.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : tables) {
                // Names as the server listed them, quoted: they came from information_schema, not from input.
                statement.execute("DROP TABLE IF EXISTS `" + table.replace("`", "``") + "`");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("a failed state store migration could not be undone: " + e.getMessage(), e);
        }
    }

    private static Flyway flyway(DataSource store, List<String> locations, String historyTable, boolean transactional) {
        return Flyway.configure()
                .dataSource(store)
                .locations(locations.toArray(String[]::new))
                .table(historyTable)
                .failOnMissingLocations(false)
                // A store that already has other tables (a shared database) gets a history table anyway.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .executeInTransaction(transactional)
                .load();
    }
}
