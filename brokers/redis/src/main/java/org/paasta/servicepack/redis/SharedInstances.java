package org.paasta.servicepack.redis;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.paasta.servicepack.redis.RedisLimits.Persistence;
import org.paasta.servicepack.sdk.secrets.SecretBox;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The shared-vm instances in the broker's state store (the SDK's DataSource). The unique keys on
 * (host, port) and (host, slot) decide races between provisions, also across broker replicas: the
 * second INSERT for the last port or slot fails, whatever the two brokers had read before.
 */
final class SharedInstances {
    private static final String COLUMNS =
            "instance_id, host, slot, port, admin_password, maxmemory_bytes, maxclients, persistence, state";

    private final JdbcTemplate jdbc;
    private final SecretBox secrets;

    SharedInstances(DataSource dataSource, SecretBox secrets) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.secrets = secrets;
    }

    Optional<SharedInstance> find(String instanceId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM redis_shared_instance WHERE instance_id = ?", this::row,
                instanceId).stream().findFirst();
    }

    List<SharedInstance> onHost(String host) {
        return jdbc.query("SELECT " + COLUMNS + " FROM redis_shared_instance WHERE host = ? ORDER BY port", this::row,
                host);
    }

    /**
     * Records a new instance.
     *
     * @throws org.springframework.dao.DuplicateKeyException when its id, port or slot is taken
     */
    void insert(SharedInstance instance) {
        jdbc.update("INSERT INTO redis_shared_instance (" + COLUMNS + ", created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                instance.instanceId(), instance.host(), instance.slot(), instance.port(),
                secrets.seal(instance.adminPassword()), instance.maxmemoryBytes(), instance.maxclients(),
                instance.persistence().name(), instance.state(), Timestamp.from(Instant.now()));
    }

    void markStopping(String instanceId) {
        jdbc.update("UPDATE redis_shared_instance SET state = ? WHERE instance_id = ?", SharedInstance.STOPPING,
                instanceId);
    }

    void delete(String instanceId) {
        jdbc.update("DELETE FROM redis_shared_instance WHERE instance_id = ?", instanceId);
    }

    private SharedInstance row(ResultSet rs, int rowNum) throws SQLException {
        return new SharedInstance(rs.getString("instance_id"), rs.getString("host"), rs.getInt("slot"),
                rs.getInt("port"), secrets.open(rs.getString("admin_password")), rs.getLong("maxmemory_bytes"),
                rs.getInt("maxclients"), Persistence.valueOf(rs.getString("persistence")), rs.getString("state"));
    }
}
