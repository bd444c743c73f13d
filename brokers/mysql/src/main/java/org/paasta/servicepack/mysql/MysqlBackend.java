package org.paasta.servicepack.mysql;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.CapacityExhaustedException;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.OperationMode;
import org.paasta.servicepack.sdk.OperationType;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.PlanChangeRefusedException;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.ServiceBackend;
import org.paasta.servicepack.sdk.UnbindRequest;
import org.paasta.servicepack.sdk.UpdateRequest;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.UsageRequest;
import org.paasta.servicepack.sdk.secrets.Passwords;

/**
 * A database per instance and an account per binding on one MySQL 8 / MariaDB 10.11 server.
 *
 * <p>Names come from {@link ResourceNames} (only {@code [a-z0-9_]}), passwords from
 * {@link Passwords} (only {@code [A-Za-z0-9]}), so the few statements that cannot take bind
 * parameters (DDL, CREATE USER, GRANT) are built from checked, derived text only. Every method is
 * idempotent: the SDK re-runs an operation a crash interrupted.
 *
 * <p>Changes of an instance's accounts (bind, unbind, plan change) take a server-side named lock
 * per instance, so concurrent binds on several broker replicas rebalance the split connection
 * limit one at a time.
 */
public class MysqlBackend implements ServiceBackend<MysqlLimits> {
    static final String LIMIT_MODE = "connection_limit_mode";
    private static final int LOCK_SECONDS = 30;

    private final DataSource admin;
    private final MysqlProperties properties;
    private final MysqlNodes nodes;
    private final MysqlUsage usage;

    public MysqlBackend(DataSource admin, MysqlProperties properties) {
        this.admin = admin;
        this.properties = properties;
        this.nodes = new MysqlNodes(properties);
        this.usage = new MysqlUsage(admin, properties.quotaCheckInterval(), nodes);
    }

    @Override
    public Class<MysqlLimits> limitsType() {
        return MysqlLimits.class;
    }

    /** The {@code host} every binding's credentials name. */
    @Override
    public List<String> advertisedHosts() {
        return List.of(properties.host());
    }

    /** Dropping a large database can take a while: deprovision runs async when the platform allows it. */
    @Override
    public OperationMode mode(OperationType type, Plan<MysqlLimits> plan) {
        return type == OperationType.PROVISION || type == OperationType.DEPROVISION
                ? OperationMode.ASYNC_WHEN_ACCEPTED : OperationMode.SYNC;
    }

    @Override
    public void provision(ProvisionRequest<MysqlLimits> request) {
        String database = ResourceNames.safe(ResourceNames.database(request.instanceId()));
        String charset = String.valueOf(request.parameters().getOrDefault("character_set", "utf8mb4"));
        if (!charset.matches("utf8mb4|utf8mb3|latin1")) {
            throw new IllegalArgumentException("character set outside the catalog's enum");
        }
        execute("CREATE DATABASE IF NOT EXISTS `" + database + "` CHARACTER SET " + charset);
    }

    @Override
    public void update(UpdateRequest<MysqlLimits> request) {
        String instanceId = request.instanceId();
        ConnectionLimitMode mode = mode(request.parameters());
        int connections = request.plan().limits().connections();
        withInstanceLock(instanceId, connection -> {
            InstanceAccounts accounts = InstanceAccounts.read(connection, instanceId);
            List<String> users = accounts.users();
            if (mode == ConnectionLimitMode.SPLIT && users.size() > connections) {
                throw new PlanChangeRefusedException("plan '" + request.plan().name() + "' allows " + connections
                        + " connections split across bindings, but the instance has " + users.size()
                        + " bindings; unbind " + (users.size() - connections) + " first");
            }
            int perUser = mode.perUser(connections, users.size());
            for (String user : users) {
                int live = liveConnections(connection, user);
                if (live > perUser) {
                    throw new PlanChangeRefusedException("a binding of this instance has " + live
                            + " open connections, more than the " + perUser + " it would be allowed on plan '"
                            + request.plan().name() + "'; close connections first");
                }
            }
            setLimits(connection, accounts, users, perUser);
            return null;
        });
    }

    @Override
    public void deprovision(DeprovisionRequest<MysqlLimits> request) {
        String database = ResourceNames.safe(ResourceNames.database(request.instanceId()));
        withInstanceLock(request.instanceId(), connection -> {
            InstanceAccounts accounts = InstanceAccounts.read(connection, request.instanceId());
            for (String user : accounts.users()) {
                dropUser(connection, accounts.of(user), user);
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS `" + database + "`");
            }
            return null;
        });
    }

    @Override
    public Credentials bind(BindRequest<MysqlLimits> request) {
        String database = ResourceNames.safe(ResourceNames.database(request.instanceId()));
        String user = ResourceNames.safe(ResourceNames.user(request.instanceId(), request.bindingId()));
        String password = Passwords.generate();
        ConnectionLimitMode mode = mode(request.instanceParameters());
        int connections = request.plan().limits().connections();
        boolean readOnly = Boolean.TRUE.equals(request.parameters().get("read_only"));
        int limit = withInstanceLock(request.instanceId(), connection -> {
            InstanceAccounts accounts = InstanceAccounts.read(connection, request.instanceId());
            List<String> others = accounts.usersBut(user);
            int bindings = others.size() + 1;
            if (mode == ConnectionLimitMode.SPLIT && bindings > connections) {
                throw new CapacityExhaustedException("plan '" + request.plan().name() + "' splits " + connections
                        + " connections across bindings, so it takes at most " + connections + " bindings");
            }
            int perUser = mode.perUser(connections, bindings);
            dropUser(connection, accounts.of(user), user);
            try (Statement statement = connection.createStatement()) {
                Account account = new Account(user, properties.userHost());
                statement.execute("CREATE USER " + account.sql() + " IDENTIFIED WITH mysql_native_password AS '"
                        + nativePasswordHash(checkedPassword(password)) + "' WITH MAX_USER_CONNECTIONS " + perUser);
                statement.execute("GRANT " + (readOnly ? "SELECT" : "ALL PRIVILEGES") + " ON `"
                        + ResourceNames.grantPattern(database) + "`.* TO " + account.sql());
            }
            setLimits(connection, accounts, others, perUser);
            // On a cluster, every node knows the account before the app is given it.
            nodes.awaitApplied();
            return perUser;
        });
        return credentials(database, user, password, limit, request.plan().limits());
    }

    @Override
    public void unbind(UnbindRequest<MysqlLimits> request) {
        String user = ResourceNames.safe(ResourceNames.user(request.instanceId(), request.bindingId()));
        withInstanceLock(request.instanceId(), connection -> {
            InstanceAccounts accounts = InstanceAccounts.read(connection, request.instanceId());
            dropUser(connection, accounts.of(user), user);
            List<String> remaining = accounts.usersBut(user);
            // Rebalancing needs the instance's mode, which the unbind request does not carry; the
            // current limits tell: under split they are equal shares, so raise them to a new share.
            if (!remaining.isEmpty()) {
                int current = accounts.limitOf(remaining.get(0));
                int connections = request.plan().limits().connections();
                if (current < connections) {
                    setLimits(connection, accounts, remaining, connections / remaining.size());
                }
            }
            return null;
        });
    }

    /** The instance's dashboard: size, quota and connections, read-only and bounded ({@link MysqlUsage}). */
    @Override
    public Usage usage(UsageRequest<MysqlLimits> request) {
        return usage.read(request);
    }

    Credentials credentials(String database, String user, String password, int maxConnections, MysqlLimits limits) {
        String host = properties.host();
        int port = properties.port();
        String encodedUser = URLEncoder.encode(user, StandardCharsets.UTF_8);
        String encodedPassword = URLEncoder.encode(password, StandardCharsets.UTF_8);
        Credentials.Builder credentials = Credentials.builder()
                .put("name", database)
                .put("database", database)
                .put("hostname", host)
                .put("host", host)
                .put("port", port)
                .put("username", user)
                .put("password", password)
                .put("uri", "mysql://" + encodedUser + ":" + encodedPassword + "@" + host + ":" + port + "/" + database)
                // permitMysqlScheme: MariaDB Connector/J 3.x refuses a jdbc:mysql: URL without it, and
                // java-cfenv hands the URL as it is to whichever driver the app ships; Connector/J
                // ignores it. A bare key: java-cfenv copies key=value options into R2DBC settings.
                .put("jdbcUrl", "jdbc:mysql://" + host + ":" + port + "/" + database + "?user=" + encodedUser
                        + "&password=" + encodedPassword
                        + (properties.jdbcUrlOptions().isBlank() ? "" : "&" + properties.jdbcUrlOptions())
                        + "&permitMysqlScheme")
                .put("max_connections", maxConnections)
                .put("storage_mb", limits.storageMb());
        // MAX_USER_CONNECTIONS is counted by each Galera node on its own: say so where apps read the number.
        if (nodes.clustered()) {
            credentials.put("max_connections_scope", "node");
        }
        return credentials.build();
    }

    // ---- server-side helpers ------------------------------------------------------------------

    /**
     * Drops a binding's accounts (under every host the server listed) and then ends the user's
     * sessions, also when no account is left: an unbind that died between the two is finished
     * here. Dropped first, so no new session can slip in.
     */
    private void dropUser(Connection connection, List<Account> accounts, String user) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (Account account : accounts) {
                statement.execute("DROP USER IF EXISTS " + account.sql());
            }
        }
        nodes.endSessions(connection, user);
    }

    /** Open sessions as MAX_USER_CONNECTIONS counts them: on a cluster, on the busiest node. */
    private int liveConnections(Connection connection, String user) throws SQLException {
        return nodes.maxSessionsPerNode(connection, user);
    }

    private void setLimits(Connection connection, InstanceAccounts accounts, List<String> users, int perUser)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String user : users) {
                for (Account account : accounts.of(user)) {
                    statement.execute("ALTER USER " + account.sql() + " WITH MAX_USER_CONNECTIONS " + perUser);
                }
            }
        }
    }

    private ConnectionLimitMode mode(Map<String, Object> instanceParameters) {
        return ConnectionLimitMode.of(instanceParameters.get(LIMIT_MODE), properties.connectionLimitMode());
    }

    /**
     * What the server stores for a mysql_native_password account: {@code *HEX(SHA1(SHA1(password)))}.
     * The broker sends this instead of the password, so no driver log, general log or processlist
     * ever shows a binding's password; the hash alone does not let anyone log in.
     */
    static String nativePasswordHash(String password) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
            return "*" + HexFormat.of().withUpperCase().formatHex(sha1.digest(stage1));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
        }
    }

    private static String checkedPassword(String password) {
        if (!password.matches("[A-Za-z0-9]+")) {
            throw new IllegalStateException("generated password outside the safe alphabet");
        }
        return password;
    }

    private void execute(String sql) {
        withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
            return null;
        });
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Serializes account changes of one instance across all broker replicas with GET_LOCK. */
    private <T> T withInstanceLock(String instanceId, Work<T> work) {
        String lock = "servicepack." + ResourceNames.database(instanceId);
        return withConnection(connection -> {
            try (PreparedStatement get = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
                get.setString(1, lock);
                get.setInt(2, LOCK_SECONDS);
                try (ResultSet rows = get.executeQuery()) {
                    if (!rows.next() || rows.getInt(1) != 1) {
                        throw new BackendUnavailableException("another change of this instance's accounts is "
                                + "taking too long; try again", null);
                    }
                }
            }
            try {
                return work.run(connection);
            } finally {
                try (PreparedStatement release = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                    release.setString(1, lock);
                    release.execute();
                }
            }
        });
    }

    private <T> T withConnection(Work<T> work) {
        Connection connection;
        try {
            connection = admin.getConnection();
        } catch (SQLException e) {
            throw new BackendUnavailableException("the MySQL server cannot be reached with the broker's admin account",
                    e instanceof SQLTransientConnectionException ? null : e);
        }
        try (connection) {
            return work.run(connection);
        } catch (SQLException e) {
            if (ConnectionLoss.isLost(e) || "25S03".equals(e.getSQLState())) {
                // The node went away mid-statement (a cluster's driver has already moved to another
                // node): the operation is retried as a whole, and every step is idempotent.
                throw new BackendUnavailableException("the connection to the MySQL server was lost during the"
                        + " operation; try again", null);
            }
            // Connector/J and MariaDB Connector/J do not quote the statement in their messages
            // (dumpQueriesOnException is off), so no CREATE USER password reaches the log.
            throw new IllegalStateException("MySQL statement failed: " + e.getMessage(), null);
        }
    }
}
