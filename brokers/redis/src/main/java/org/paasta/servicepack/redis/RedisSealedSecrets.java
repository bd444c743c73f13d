package org.paasta.servicepack.redis;

import java.util.List;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.paasta.servicepack.sdk.secrets.SealedSecrets;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The admin passwords this broker keeps sealed in the state store (shared-vm processes, pool
 * nodes), sealed again under a rotated {@code servicepack.secrets.key} when the SDK asks.
 */
final class RedisSealedSecrets implements SealedSecrets {
    /** Table, key column, sealed columns. */
    private static final List<String[]> COLUMNS = List.of(
            new String[] {"redis_shared_instance", "instance_id", "admin_password"},
            new String[] {"redis_pool_node", "node_id", "admin_password"},
            new String[] {"redis_pool_node", "node_id", "next_admin_password"});

    private final JdbcTemplate jdbc;

    RedisSealedSecrets(DataSource store) {
        this.jdbc = new JdbcTemplate(store);
    }

    @Override
    public int reseal(UnaryOperator<String> reseal) {
        int changed = 0;
        for (String[] column : COLUMNS) {
            String table = column[0];
            String key = column[1];
            String sealed = column[2];
            List<String[]> rows = jdbc.query("SELECT " + key + ", " + sealed + " FROM " + table + " WHERE " + sealed
                    + " IS NOT NULL", (rs, i) -> new String[] {rs.getString(1), rs.getString(2)});
            for (String[] row : rows) {
                String resealed = reseal.apply(row[1]);
                if (!resealed.equals(row[1])) {
                    // Only if nobody rewrote it meanwhile (a rotation of the node's own password).
                    changed += jdbc.update("UPDATE " + table + " SET " + sealed + " = ? WHERE " + key + " = ? AND "
                            + sealed + " = ?", resealed, row[0], row[1]);
                }
            }
        }
        return changed;
    }
}
