package org.paasta.servicepack.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.Usage.Measure;
import org.paasta.servicepack.sdk.Usage.Notice;
import org.paasta.servicepack.sdk.Usage.Severity;
import org.paasta.servicepack.sdk.Usage.Text;
import org.paasta.servicepack.sdk.UsageRequest;

/**
 * An instance's usage as its dashboard shows it, read from the server each time with a few
 * read-only queries of the admin account: the database's size on disk (measured by
 * {@link StorageQuota}, so the page and the enforcer agree) against the plan's {@code storage_mb},
 * whether the quota has revoked its writes, its tables, and each binding's open sessions against
 * the {@code MAX_USER_CONNECTIONS} its accounts have on the server (whatever their host).
 */
final class MysqlUsage {
    /** Longest wait for any one answer; the SDK gives up on the whole read after its usage-timeout. */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(3);
    /** From here on the dashboard warns that the quota is near. */
    static final double NEAR_LIMIT = 0.8;
    static final double MEGABYTE = 1024 * 1024;

    static final Text STORAGE = new Text("Storage", "저장 공간");
    static final Text TABLES = new Text("Tables", "테이블");
    static final Text CONNECTIONS = new Text("Connections", "연결");

    private final DataSource admin;
    private final Duration quotaCheckInterval;
    private final MysqlNodes nodes;

    MysqlUsage(DataSource admin, Duration quotaCheckInterval, MysqlNodes nodes) {
        this.admin = admin;
        this.quotaCheckInterval = quotaCheckInterval;
        this.nodes = nodes;
    }

    /**
     * One binding's open sessions and the limit its accounts have on the server: {@code limit} null
     * when the server sets it none (0), {@code accounts} 0 when the binding has no account at all.
     */
    record BindingConnections(String bindingId, int open, Integer limit, int accounts) {
    }

    Usage read(UsageRequest<MysqlLimits> request) {
        String database = ResourceNames.safe(ResourceNames.database(request.instanceId()));
        Connection connection;
        try {
            connection = admin.getConnection();
        } catch (SQLException e) {
            throw new BackendUnavailableException("the MySQL server cannot be reached with the broker's admin account",
                    null);
        }
        try (connection) {
            // A server that accepted the connection and then hangs must not hold a usage thread:
            // the pool resets the timeout when the connection comes back.
            connection.setNetworkTimeout(Runnable::run, (int) QUERY_TIMEOUT.toMillis());
            long usedBytes = StorageQuota.usedBytes(connection, database);
            boolean writesRevoked = !StorageQuota.revokedAccounts(connection, database).isEmpty();
            int tables = tables(connection, database);
            List<BindingConnections> bindings = bindings(connection, nodes, request.instanceId(), request.bindingIds());
            return report(usedBytes, request.plan().limits().storageMb(), writesRevoked, tables, bindings,
                    quotaCheckInterval);
        } catch (SQLException e) {
            if (ConnectionLoss.isLost(e) || e instanceof SQLTimeoutException) {
                throw new BackendUnavailableException("the MySQL server did not answer the usage queries in time", null);
            }
            // Only SELECTs run here: the driver's message quotes nothing secret.
            throw new IllegalStateException("MySQL usage query failed: " + e.getMessage(), null);
        }
    }

    private static int tables(Connection connection, String database) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?")) {
            query.setQueryTimeout((int) QUERY_TIMEOUT.toSeconds());
            query.setString(1, database);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getInt(1) : 0;
            }
        }
    }

    /**
     * Sessions and limits per binding, by user name: PROCESSLIST names the user without its host,
     * and a binding's account may have a host other than today's {@code user-host} (it was bound
     * under an earlier setting). MAX_USER_CONNECTIONS holds per account, so a user under several
     * hosts may have the sum of theirs; 0 means the server sets no limit of its own for it.
     */
    private static List<BindingConnections> bindings(Connection connection, MysqlNodes nodes, String instanceId,
                                                     List<String> bindingIds) throws SQLException {
        String prefix = ResourceNames.userPrefix(instanceId).replace("_", "\\_") + "%";
        Map<String, Integer> accounts = new HashMap<>();
        Map<String, Integer> limits = new HashMap<>();
        Map<String, Boolean> unlimited = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT User, max_user_connections FROM mysql.user WHERE User LIKE ?")) {
            query.setQueryTimeout((int) QUERY_TIMEOUT.toSeconds());
            query.setString(1, prefix);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String user = rows.getString(1);
                    int limit = rows.getInt(2);
                    accounts.merge(user, 1, Integer::sum);
                    limits.merge(user, limit, Integer::sum);
                    unlimited.merge(user, limit <= 0, Boolean::logicalOr);
                }
            }
        }
        // On a Galera cluster each node lists and limits only its own sessions: the busiest node's count.
        Map<String, Integer> sessions = nodes.maxSessionsPerNodeByUser(connection, prefix);
        List<BindingConnections> bindings = new ArrayList<>();
        for (String bindingId : bindingIds) {
            String user = ResourceNames.user(instanceId, bindingId);
            bindings.add(new BindingConnections(bindingId, sessions.getOrDefault(user, 0),
                    unlimited.getOrDefault(user, true) ? null : limits.get(user), accounts.getOrDefault(user, 0)));
        }
        return bindings;
    }

    /** What the dashboard shows for these facts: measures, and notices that say what to do. */
    static Usage report(long usedBytes, int storageMb, boolean writesRevoked, int tables,
                        List<BindingConnections> bindings, Duration quotaCheckInterval) {
        List<Measure> measures = new ArrayList<>();
        measures.add(Measure.of(STORAGE, usedBytes / MEGABYTE, storageMb > 0 ? (double) storageMb : null, "MB"));
        measures.add(Measure.of(TABLES, tables, null, "tables"));
        for (BindingConnections binding : bindings) {
            measures.add(new Measure(CONNECTIONS, binding.open(),
                    binding.limit() == null ? null : binding.limit().doubleValue(), "connections", binding.bindingId()));
        }

        List<Notice> notices = new ArrayList<>();
        boolean enforced = !quotaCheckInterval.isZero() && !quotaCheckInterval.isNegative();
        Text within = within(quotaCheckInterval);
        Text back = enforced
                ? new Text("at the broker's next quota check, " + within.en(), "브로커의 다음 용량 점검 때(" + within.ko() + ")")
                : new Text("when the operator switches the broker's quota check back on",
                        "운영자가 브로커의 용량 점검을 다시 켤 때");
        String used = megabytes(usedBytes);
        boolean over = storageMb > 0 && StorageQuota.over(usedBytes, storageMb);
        String cure = "Delete data and then run OPTIMIZE TABLE or TRUNCATE TABLE (InnoDB returns disk space"
                + " only then), or move to a plan with more storage.";
        String cureKo = "데이터를 지운 뒤 OPTIMIZE TABLE 또는 TRUNCATE TABLE을 실행하거나(InnoDB는 그때에야 디스크 공간을"
                + " 돌려줍니다) 저장 공간이 더 큰 플랜으로 바꾸십시오.";
        if (writesRevoked && over) {
            notices.add(new Notice(Severity.CRITICAL, new Text(
                    "Writes revoked: the database uses " + used + " MB, over the plan's " + storageMb + " MB"
                            + " (storage_mb). INSERT, UPDATE, CREATE and ALTER are refused; SELECT, DELETE and DROP"
                            + " still work. " + cure + " Once the database is under the limit, writes come back "
                            + back.en() + ".",
                    "쓰기 권한 회수됨: 데이터베이스가 " + used + " MB로 플랜의 " + storageMb + " MB(storage_mb)를"
                            + " 넘었습니다. INSERT, UPDATE, CREATE, ALTER는 거부되고 SELECT, DELETE, DROP은 됩니다. "
                            + cureKo + " 한도 아래로 내려가면 " + back.ko() + " 쓰기가 다시 됩니다.")));
        } else if (writesRevoked) {
            notices.add(new Notice(Severity.CRITICAL, new Text(
                    "Writes revoked: the database was over the plan's " + storageMb + " MB (storage_mb). It now uses "
                            + used + " MB, under the limit: writes come back " + back.en() + ".",
                    "쓰기 권한 회수됨: 데이터베이스가 플랜의 " + storageMb + " MB(storage_mb)를 넘었었습니다. 지금은 "
                            + used + " MB로 한도 아래이므로 " + back.ko() + " 쓰기가 다시 됩니다.")));
        } else if (over && enforced) {
            notices.add(new Notice(Severity.CRITICAL, new Text(
                    "The database uses " + used + " MB, over the plan's " + storageMb + " MB (storage_mb): the broker"
                            + " revokes its writes at its next quota check, " + within.en() + ". " + cure,
                    "데이터베이스가 " + used + " MB로 플랜의 " + storageMb + " MB(storage_mb)를 넘었습니다: 브로커가"
                            + " 다음 용량 점검 때(" + within.ko() + ") 쓰기 권한을 회수합니다. " + cureKo)));
        } else if (over) {
            notices.add(new Notice(Severity.WARNING, new Text(
                    "The database uses " + used + " MB, over the plan's " + storageMb + " MB (storage_mb). " + cure,
                    "데이터베이스가 " + used + " MB로 플랜의 " + storageMb + " MB(storage_mb)를 넘었습니다. " + cureKo)));
        } else if (storageMb > 0 && usedBytes >= NEAR_LIMIT * storageMb * MEGABYTE) {
            int percent = (int) Math.floor(usedBytes / (storageMb * MEGABYTE) * 100);
            notices.add(new Notice(Severity.WARNING, new Text(
                    "The database uses " + percent + "% of the plan's " + storageMb + " MB (storage_mb)"
                            + (enforced ? ": past it, writes are revoked until it is under the limit again. " : ". ")
                            + "Delete data you do not need (then OPTIMIZE TABLE), or move to a plan with more storage.",
                    "데이터베이스가 플랜 저장 공간 " + storageMb + " MB(storage_mb)의 " + percent + "%를 쓰고 있습니다"
                            + (enforced ? ": 넘으면 한도 아래로 내려갈 때까지 쓰기 권한이 회수됩니다. " : ". ")
                            + "필요 없는 데이터를 지우거나(그 뒤 OPTIMIZE TABLE) 저장 공간이 더 큰 플랜으로 바꾸십시오.")));
        }

        for (BindingConnections binding : bindings) {
            if (binding.accounts() == 0) {
                notices.add(new Notice(Severity.WARNING, new Text(
                        "Binding " + binding.bindingId() + " has no account on the server: its credentials are"
                                + " refused. Unbind the app and bind it again.",
                        "바인딩 " + binding.bindingId() + "의 계정이 서버에 없어 그 자격 증명은 거부됩니다. 앱을"
                                + " 언바인드한 뒤 다시 바인드하십시오.")));
            } else if (binding.limit() != null && binding.open() >= binding.limit()) {
                notices.add(new Notice(Severity.WARNING, new Text(
                        "Binding " + binding.bindingId() + " has all " + binding.limit() + " of its connections open:"
                                + " the server refuses new ones (max_user_connections). Make the app's connection"
                                + " pool smaller, or move to a plan with more connections.",
                        "바인딩 " + binding.bindingId() + ": 연결 한도 " + binding.limit() + "개를 모두 쓰고"
                                + " 있어 서버가 새 연결을 거부합니다(max_user_connections). 앱의 연결 풀 크기를 줄이거나"
                                + " 연결이 더 많은 플랜으로 바꾸십시오.")));
            }
        }
        return new Usage(measures, notices);
    }

    /** "within 60 seconds" / "60초 안에", in the largest whole unit of the quota's interval. */
    static Text within(Duration interval) {
        long seconds = Math.max(1, interval.toSeconds());
        if (seconds % 3600 == 0) {
            long hours = seconds / 3600;
            return new Text("within " + hours + (hours == 1 ? " hour" : " hours"), hours + "시간 안에");
        }
        if (seconds % 60 == 0 && seconds >= 120) {
            return new Text("within " + seconds / 60 + " minutes", seconds / 60 + "분 안에");
        }
        return new Text("within " + seconds + (seconds == 1 ? " second" : " seconds"), seconds + "초 안에");
    }

    /** Bytes in MB with at most two decimals, written the same in both languages. */
    static String megabytes(long bytes) {
        double value = Math.round(bytes / MEGABYTE * 100) / 100.0;
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
