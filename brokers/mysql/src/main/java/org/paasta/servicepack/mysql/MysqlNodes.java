package org.paasta.servicepack.mysql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes of a Galera cluster ({@code servicepack.mysql.nodes}), each reached directly with the
 * admin account, for what holds on one node only: a session, its {@code KILL}, and
 * {@code MAX_USER_CONNECTIONS}. Without nodes (a single server) everything goes through the admin
 * connection alone.
 *
 * <p>Galera applies an account change on the other nodes a moment after the node that ran it has
 * answered. Before it touches a node, the broker makes it catch up ({@code wsrep_sync_wait}): a
 * bind returns only once every node knows the account, and an unbind ends a node's sessions only
 * once that node refuses the account, so no app reconnects in between.
 *
 * <p>A node that cannot be reached is skipped with a warning: a node that is down has no sessions,
 * and Galera keeps a node cut off from the others from serving queries.
 */
final class MysqlNodes {
    private static final Logger LOG = LoggerFactory.getLogger(MysqlNodes.class);

    private final List<String> urls;
    private final String username;
    private final String password;

    MysqlNodes(MysqlProperties properties) {
        this.urls = properties.nodes().stream().map(node -> nodeUrl(properties.admin().url(), node)).toList();
        this.username = properties.admin().username();
        this.password = properties.admin().password();
    }

    /**
     * A node's own URL: the admin URL's driver, without a failover mode, with its options.
     * {@code jdbc:mariadb:sequential://a:1,b:2/?sslMode=trust} and {@code n:3306} give
     * {@code jdbc:mariadb://n:3306/?sslMode=trust}.
     */
    static String nodeUrl(String adminUrl, String node) {
        String driver = adminUrl.startsWith("jdbc:mysql:") ? "jdbc:mysql:" : "jdbc:mariadb:";
        int query = adminUrl.indexOf('?');
        return driver + "//" + node + "/" + (query < 0 ? "" : adminUrl.substring(query));
    }

    boolean clustered() {
        return !urls.isEmpty();
    }

    int count() {
        return urls.size();
    }

    /** Ends {@code user}'s sessions on the admin connection's node and on every node. */
    void endSessions(Connection admin, String user) throws SQLException {
        MysqlSessions.end(admin, user);
        onEachNode(node -> MysqlSessions.end(node, user));
    }

    /** The most sessions {@code user} has on any one node (what MAX_USER_CONNECTIONS counts). */
    int maxSessionsPerNode(Connection admin, String user) throws SQLException {
        int[] most = {MysqlSessions.of(admin, user).size()};
        onEachNode(node -> most[0] = Math.max(most[0], MysqlSessions.of(node, user).size()));
        return most[0];
    }

    /**
     * Open sessions per user whose name is {@code LIKE userPattern}, as MAX_USER_CONNECTIONS counts
     * them: the most any one node has (on a single server, its own count).
     */
    Map<String, Integer> maxSessionsPerNodeByUser(Connection admin, String userPattern) throws SQLException {
        Map<String, Integer> most = new HashMap<>(MysqlSessions.countByUser(admin, userPattern));
        onEachNode(node -> MysqlSessions.countByUser(node, userPattern).forEach((user, count) ->
                most.merge(user, count, Math::max)));
        return most;
    }

    /** Returns once every node has applied what was committed before this call. */
    void awaitApplied() throws SQLException {
        onEachNode(node -> {
            try (Statement statement = node.createStatement()) {
                statement.executeQuery("SELECT COUNT(*) FROM mysql.user").close();
            }
        });
    }

    private interface NodeWork {
        void run(Connection node) throws SQLException;
    }

    private void onEachNode(NodeWork work) throws SQLException {
        List<String> unreachable = new ArrayList<>();
        for (String url : urls) {
            Connection node;
            try {
                node = connect(url);
            } catch (SQLException e) {
                if (!unreachable(e)) {
                    throw e;
                }
                unreachable.add(url + " (" + e.getMessage() + ")");
                continue;
            }
            try (node; Statement statement = node.createStatement()) {
                // Every read on this session first waits until the node has applied the cluster's
                // earlier writes (15: reads, updates, inserts and SHOW).
                statement.execute("SET SESSION wsrep_sync_wait = 15");
                work.run(node);
            } catch (SQLException e) {
                if (!unreachable(e)) {
                    throw e;
                }
                unreachable.add(url + " (" + e.getMessage() + ")");
            }
        }
        if (!unreachable.isEmpty()) {
            LOG.warn("MySQL nodes skipped, unreachable (a node that is down has no sessions): {}", unreachable);
        }
    }

    /**
     * Down, unreachable or out of the cluster's primary component (1047, "WSREP has not yet prepared
     * node", SQLState 08S01); not a refused login or a failed statement, which are errors.
     */
    private static boolean unreachable(SQLException e) {
        return ConnectionLoss.isLost(e) || e.getErrorCode() == 1047;
    }

    private Connection connect(String url) throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("user", username);
        settings.setProperty("password", password);
        // A node that does not answer must not hold an unbind for long: refused ports fail at once,
        // a silent host after 3 s; wsrep_sync_wait itself gives up after wsrep_causal_reads' timeout.
        settings.setProperty("connectTimeout", "3000");
        settings.setProperty("socketTimeout", "35000");
        return DriverManager.getConnection(url, settings);
    }
}
