package org.paasta.servicepack.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Enforcement lags writes by up to one check interval ({@code mysql.quota-check-interval}).
 */
public class StorageQuota implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageQuota.class);
    private static final String WRITE_PRIVILEGES = "INSERT, UPDATE, CREATE, ALTER";

    private final DataSource admin;
    private final ProvisionedInstances<MysqlLimits> instances;
    private final MysqlProperties properties;

    public StorageQuota(DataSource admin, ProvisionedInstances<MysqlLimits> instances, MysqlProperties properties) {
        this.admin = admin;
        this.instances = instances;
        this.properties = properties;
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
            schedule.scheduleWithFixedDelay(this::enforce, interval.toMillis(), interval.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return this;
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }

    /** One pass over every ready instance; failures are logged and retried on the next pass. */
    public void enforce() {
        instances.forEachReady(instance -> {
            try {
                enforce(instance.instanceId(), instance.plan().limits().storageMb());
            } catch (SQLException | RuntimeException e) {
                LOG.warn("storage quota of instance {} not checked: {}", instance.instanceId(), e.getMessage());
            }
        });
    }

    void enforce(String instanceId, int storageMb) throws SQLException {
        String database = MysqlNames.safe(MysqlNames.database(instanceId));
        String pattern = MysqlNames.grantPattern(database);
        try (Connection connection = admin.getConnection()) {
            long used = usedBytes(connection, database);
            boolean over = used > (long) storageMb * 1024 * 1024;
            // Read-write accounts have DELETE; read-only ones have SELECT alone.
            List<String> accounts = accounts(connection, pattern, over ? "Insert_priv = 'Y'"
                    : "Insert_priv = 'N' AND Delete_priv = 'Y'");
            for (String account : accounts) {
                try (Statement statement = connection.createStatement()) {
                    String target = " ON `" + pattern + "`.* " + (over ? "FROM" : "TO") + " '"
                            + MysqlNames.safe(account) + "'@'" + properties.getUserHost() + "'";
                    statement.execute((over ? "REVOKE " : "GRANT ") + WRITE_PRIVILEGES + target);
                }
                if (over) {
                    MysqlSessions.end(connection, account);
                }
            }
            if (!accounts.isEmpty()) {
                LOG.info("instance {} uses {} MB of {} MB: writes {} for {} accounts", instanceId,
                        used / (1024 * 1024), storageMb, over ? "revoked" : "restored", accounts.size());
            }
        }
    }

    /**
     * Bytes on disk: InnoDB tablespace files as allocated now (information_schema.TABLES only has
     * statistics that lag bulk writes until InnoDB recalculates them), plus the exact sizes of
     * tables of other engines, so an Aria or MyISAM table does not escape the quota.
     */
    private static long usedBytes(Connection connection, String database) throws SQLException {
        long innodb;
        try {
            innodb = sum(connection, "SELECT COALESCE(SUM(ALLOCATED_SIZE), 0) FROM information_schema.INNODB_SYS_TABLESPACES "
                    + "WHERE NAME LIKE ?", MysqlNames.grantPattern(database) + "/%");
        } catch (SQLException notMariadb) {
            // MySQL 8 names the same view INNODB_TABLESPACES.
            innodb = sum(connection, "SELECT COALESCE(SUM(ALLOCATED_SIZE), 0) FROM information_schema.INNODB_TABLESPACES "
                    + "WHERE NAME LIKE ?", MysqlNames.grantPattern(database) + "/%");
        }
        long others = sum(connection, "SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) FROM information_schema.TABLES "
                + "WHERE TABLE_SCHEMA = ? AND ENGINE <> 'InnoDB'", database);
        return innodb + others;
    }

    private static long sum(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static List<String> accounts(Connection connection, String pattern, String condition) throws SQLException {
        List<String> accounts = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT User FROM mysql.db WHERE Db = ? AND " + condition)) {
            query.setString(1, pattern);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    accounts.add(rows.getString(1));
                }
            }
        }
        return accounts;
    }
}
