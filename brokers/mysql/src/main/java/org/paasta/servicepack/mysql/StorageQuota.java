package org.paasta.servicepack.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.paasta.servicepack.sdk.ProvisionedInstances;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces each plan's {@code storage_mb}, as cf-mysql-broker's quota enforcer did: a database over
 * its quota loses INSERT, UPDATE, CREATE and ALTER for its read-write accounts (SELECT, DELETE and
 * DROP stay, so an app can shrink it), and their sessions are ended, since MySQL applies database
 * privilege changes to open sessions only at their next USE. Once the database is back under its
 * quota the privileges return. Read-only accounts (SELECT alone) are left as they are.
 *
 * <p>Enforcement lags writes by up to one check interval ({@code servicepack.mysql.quota-check-interval}).
 */
public class StorageQuota implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageQuota.class);
    private static final String WRITE_PRIVILEGES = "INSERT, UPDATE, CREATE, ALTER";
    /** A read-write account (it has DELETE) whose writes are revoked; read-only ones have SELECT alone. */
    private static final String REVOKED = "Insert_priv = 'N' AND Delete_priv = 'Y'";

    private final DataSource admin;
    private final ProvisionedInstances<MysqlLimits> instances;
    private final MysqlNodes nodes;

    StorageQuota(DataSource admin, ProvisionedInstances<MysqlLimits> instances, MysqlNodes nodes) {
        this.admin = admin;
        this.instances = instances;
        this.nodes = nodes;
    }

    private final java.util.concurrent.ScheduledExecutorService schedule =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "mysql-storage-quota");
                thread.setDaemon(true);
                return thread;
            });

    /** Checks every {@code interval}; a zero or negative interval leaves enforcement off. */
    public StorageQuota start(java.time.Duration interval) {
        if (!interval.isNegative() && !interval.isZero()) {
            schedule.scheduleWithFixedDelay(this::enforceLogged, interval.toMillis(), interval.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return this;
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }

    /**
     * A scheduled pass: an exception would cancel every later run of a fixed-delay task, so a
     * failure outside the per-instance handling (the state store lost with a database node while
     * it lists the instances) is logged and the next pass tries again.
     */
    private void enforceLogged() {
        try {
            enforce();
        } catch (RuntimeException e) {
            LOG.warn("storage quotas not checked: {}", e.getMessage());
        }
    }

    /** One pass over every ready instance; failures are logged and retried on the next pass. */
    public void enforce() {
        Map<String, Long> used;
        Set<String> restricted;
        try (Connection connection = admin.getConnection()) {
            used = usedBytesByDatabase(connection);
            restricted = restrictedDatabases(connection);
        } catch (SQLException e) {
            LOG.warn("storage quotas not checked: {}", e.getMessage());
            return;
        }
        // A pass costs a fixed three queries; only databases over their quota, or whose writes are
        // still revoked, cost more. With 100,000 instances it must not be a query per instance.
        instances.forEachReady(instance -> {
            String database = ResourceNames.database(instance.instanceId());
            long bytes = used.getOrDefault(database, 0L);
            int storageMb = instance.plan().limits().storageMb();
            boolean over = over(bytes, storageMb);
            if (!over && !restricted.contains(database)) {
                return;
            }
            try {
                enforce(instance.instanceId(), database, bytes, storageMb, over);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("storage quota of instance {} not enforced: {}", instance.instanceId(), e.getMessage());
            }
        });
    }

    private void enforce(String instanceId, String database, long used, int storageMb, boolean over)
            throws SQLException {
        String pattern = ResourceNames.grantPattern(database);
        try (Connection connection = admin.getConnection()) {
            // Read-write accounts have DELETE; read-only ones have SELECT alone.
            List<Account> accounts = accounts(connection, pattern, over ? "Insert_priv = 'Y'" : REVOKED);
            for (Account account : accounts) {
                try (Statement statement = connection.createStatement()) {
                    String target = " ON `" + pattern + "`.* " + (over ? "FROM " : "TO ") + account.sql();
                    statement.execute((over ? "REVOKE " : "GRANT ") + WRITE_PRIVILEGES + target);
                }
                if (over) {
                    // On a cluster, on every node: a session anywhere keeps the revoked privileges until its next USE.
                    nodes.endSessions(connection, account.user());
                }
            }
            if (!accounts.isEmpty()) {
                LOG.info("instance {} uses {} MB of {} MB: writes {} for {} accounts", instanceId,
                        used / (1024 * 1024), storageMb, over ? "revoked" : "restored", accounts.size());
            }
        }
    }

    /** Whether a database of {@code usedBytes} is past a plan's {@code storageMb}: where writes are revoked. */
    static boolean over(long usedBytes, int storageMb) {
        return usedBytes > (long) storageMb * 1024 * 1024;
    }

    /** Bytes on disk of one database, measured as the quota measures it (for its dashboard). */
    static long usedBytes(Connection connection, String database) throws SQLException {
        return usedBytesByDatabase(connection, ResourceNames.grantPattern(database)).getOrDefault(database, 0L);
    }

    /** The read-write accounts of one database whose writes the quota has revoked now. */
    static List<Account> revokedAccounts(Connection connection, String database) throws SQLException {
        return accounts(connection, ResourceNames.grantPattern(database), REVOKED);
    }

    private static Map<String, Long> usedBytesByDatabase(Connection connection) throws SQLException {
        return usedBytesByDatabase(connection, "cf\\_%");
    }

    /**
     * Bytes on disk of the databases whose names are LIKE {@code databases}: InnoDB tablespace files
     * as allocated now (information_schema.TABLES only has statistics that lag bulk writes until
     * InnoDB recalculates them), plus the exact sizes of tables of other engines, so a MyISAM table
     * does not escape.
     */
    private static Map<String, Long> usedBytesByDatabase(Connection connection, String databases)
            throws SQLException {
        Map<String, Long> used = new HashMap<>();
        String innodb = "SELECT SUBSTRING_INDEX(NAME, '/', 1), SUM(ALLOCATED_SIZE) FROM information_schema.%s "
                + "WHERE NAME LIKE CONCAT(?, '/%%') GROUP BY SUBSTRING_INDEX(NAME, '/', 1)";
        try {
            addSizes(connection, String.format(innodb, "INNODB_SYS_TABLESPACES"), databases, used);
        } catch (SQLException notMariadb) {
            // MySQL 8 names the same view INNODB_TABLESPACES.
            addSizes(connection, String.format(innodb, "INNODB_TABLESPACES"), databases, used);
        }
        addSizes(connection, "SELECT TABLE_SCHEMA, SUM(DATA_LENGTH + INDEX_LENGTH) FROM information_schema.TABLES "
                + "WHERE TABLE_SCHEMA LIKE ? AND ENGINE <> 'InnoDB' GROUP BY TABLE_SCHEMA", databases, used);
        return used;
    }

    private static void addSizes(Connection connection, String sql, String databases, Map<String, Long> used)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, databases);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    used.merge(rows.getString(1), rows.getLong(2), Long::sum);
                }
            }
        }
    }

    /** Databases (unescaped names) where some read-write account has its writes revoked now. */
    private static Set<String> restrictedDatabases(Connection connection) throws SQLException {
        Set<String> databases = new HashSet<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT DISTINCT Db FROM mysql.db WHERE " + REVOKED)) {
            while (rows.next()) {
                databases.add(rows.getString(1).replace("\\_", "_"));
            }
        }
        return databases;
    }

    private static List<Account> accounts(Connection connection, String pattern, String condition)
            throws SQLException {
        List<Account> accounts = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT User, Host FROM mysql.db WHERE Db = ? AND " + condition)) {
            query.setString(1, pattern);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    accounts.add(new Account(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return accounts;
    }
}
