package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.secrets.SecretBox;
import org.paasta.servicepack.sdk.state.StoreMigrations;
import org.springframework.jdbc.core.JdbcTemplate;

/** A rotated secrets key reaches the admin passwords this broker keeps sealed. */
class RedisSealedSecretsTest {
    static final String OLD_KEY = "the-old-secrets-key-0123456789abcdef";
    static final String NEW_KEY = "the-new-secrets-key-0123456789abcdef";

    @Test
    void everySealedAdminPasswordIsSealedAgainUnderTheNewKey() {
        JdbcDataSource store = new JdbcDataSource();
        store.setURL("jdbc:h2:mem:redis-sealed-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        StoreMigrations.migrate(store, store.getURL(), List.of("classpath:db/redis-broker"));
        SecretBox old = new SecretBox(OLD_KEY);
        JdbcTemplate jdbc = new JdbcTemplate(store);
        jdbc.update("INSERT INTO redis_shared_instance (instance_id, host, slot, port, admin_password, maxmemory_bytes,"
                + " maxclients, persistence, state, created_at) VALUES ('i1', 'h', 0, 16400, ?, 1, 1, 'NONE', 'READY',"
                + " CURRENT_TIMESTAMP)", old.seal("shared-admin"));
        jdbc.update("INSERT INTO redis_pool_node (node_id, host, port, admin_user, admin_password, next_admin_password)"
                + " VALUES ('h:6379', 'h', 6379, 'servicepack-admin', ?, ?)", old.seal("node-admin"),
                old.seal("node-next"));

        SecretBox rotating = new SecretBox(NEW_KEY, List.of(OLD_KEY));
        assertThat(new RedisSealedSecrets(store).reseal(rotating::reseal)).isEqualTo(3);

        SecretBox current = new SecretBox(NEW_KEY);
        assertThat(current.open(jdbc.queryForObject("SELECT admin_password FROM redis_shared_instance", String.class)))
                .isEqualTo("shared-admin");
        assertThat(current.open(jdbc.queryForObject("SELECT admin_password FROM redis_pool_node", String.class)))
                .isEqualTo("node-admin");
        assertThat(current.open(jdbc.queryForObject("SELECT next_admin_password FROM redis_pool_node", String.class)))
                .isEqualTo("node-next");
        assertThat(new RedisSealedSecrets(store).reseal(rotating::reseal)).as("nothing left to do").isZero();
    }
}
