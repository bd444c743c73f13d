package org.paasta.servicepack.redis;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.paasta.servicepack.sdk.secrets.SecretBox;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The dedicated-vm pool in the broker's state store. A node is claimed with a conditional UPDATE
 * ({@code ... WHERE instance_id IS NULL}): when two provisions race for the last node, the store
 * lets exactly one of them change the row.
 */
final class PoolNodes {
    private static final String COLUMNS =
            "node_id, host, port, admin_user, admin_password, next_admin_password, instance_id";

    private final JdbcTemplate jdbc;
    private final SecretBox secrets;

    PoolNodes(DataSource dataSource, SecretBox secrets) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.secrets = secrets;
    }

    /**
     * Adds a configured node the store does not know yet. A known node keeps its stored login: after
     * its first claim the broker rotated it, and the configured password no longer works.
     */
    void register(String host, int port, String user, String password) {
        String nodeId = host + ":" + port;
        if (find(nodeId).isPresent()) {
            return;
        }
        try {
            jdbc.update("INSERT INTO redis_pool_node (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, NULL, NULL)", nodeId,
                    host, port, user, secrets.seal(password));
        } catch (DuplicateKeyException e) {
            // another broker replica registered it at the same moment
        }
    }

    Optional<PoolNode> find(String nodeId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM redis_pool_node WHERE node_id = ?", this::row, nodeId)
                .stream().findFirst();
    }

    Optional<PoolNode> ofInstance(String instanceId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM redis_pool_node WHERE instance_id = ?", this::row, instanceId)
                .stream().findFirst();
    }

    /** The free nodes among {@code nodeIds} (the configured pool; nodes dropped from it are not handed out). */
    List<PoolNode> free(Collection<String> nodeIds) {
        return jdbc.query("SELECT " + COLUMNS + " FROM redis_pool_node WHERE instance_id IS NULL ORDER BY node_id",
                this::row).stream().filter(node -> nodeIds.contains(node.nodeId())).toList();
    }

    /** @return whether this call got the node (false: another provision claimed it first) */
    boolean claim(String nodeId, String instanceId) {
        try {
            return jdbc.update("UPDATE redis_pool_node SET instance_id = ? WHERE node_id = ? AND instance_id IS NULL",
                    instanceId, nodeId) == 1;
        } catch (DuplicateKeyException e) {
            // the same instance claimed another node in a concurrent run
            return false;
        }
    }

    void release(String nodeId, String instanceId) {
        jdbc.update("UPDATE redis_pool_node SET instance_id = NULL WHERE node_id = ? AND instance_id = ?", nodeId,
                instanceId);
    }

    void beginRotation(String nodeId, String nextPassword) {
        jdbc.update("UPDATE redis_pool_node SET next_admin_password = ? WHERE node_id = ?",
                secrets.seal(nextPassword), nodeId);
    }

    /** The node now takes {@code user}/{@code password} (the rotated-in login). */
    void completeRotation(String nodeId, String user, String password) {
        jdbc.update("UPDATE redis_pool_node SET admin_user = ?, admin_password = ?, next_admin_password = NULL "
                + "WHERE node_id = ?", user, secrets.seal(password), nodeId);
    }

    private PoolNode row(ResultSet rs, int rowNum) throws SQLException {
        String next = rs.getString("next_admin_password");
        return new PoolNode(rs.getString("node_id"), rs.getString("host"), rs.getInt("port"),
                rs.getString("admin_user"), secrets.open(rs.getString("admin_password")),
                next == null ? null : secrets.open(next), rs.getString("instance_id"));
    }
}
