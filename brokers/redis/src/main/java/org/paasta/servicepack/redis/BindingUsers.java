package org.paasta.servicepack.redis;

import java.util.List;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ClientKillParams;

/**
 * One Redis ACL user per binding, on the instance's own server. This is what the brokers PaaS-TA
 * used before never did: there, every binding got the instance password and unbind revoked nothing.
 */
final class BindingUsers {
    /**
     * What an application may do: everything on keys and channels except the commands that
     * change or reveal the server itself (CONFIG, SHUTDOWN, ACL, DEBUG, MODULE, MONITOR, CLIENT
     * KILL/LIST, REPLICAOF, SAVE, MIGRATE, ...: the {@code @dangerous} category). A few members of
     * that category only touch the instance's own data or are read by common clients (Spring Boot's
     * health check sends INFO), so they are given back.
     */
    static final List<String> APP_RULES = List.of("~*", "&*", "+@all", "-@dangerous",
            "+info", "+keys", "+sort", "+sort_ro", "+flushdb", "+flushall", "+acl|whoami");

    private static final Logger log = LoggerFactory.getLogger(BindingUsers.class);

    private final AdminConnections connections;

    BindingUsers(AdminConnections connections) {
        this.connections = connections;
    }

    /**
     * Creates (or, on a repeated bind, resets) the binding's user with a new password.
     *
     * @return the password
     */
    String create(RedisLogin admin, String bindingId) {
        String user = ResourceNames.bindingUser(bindingId);
        String password = Passwords.generate();
        String[] rules = new String[APP_RULES.size() + 3];
        rules[0] = "reset";
        rules[1] = "on";
        // '#' + SHA-256: the server stores only the hash anyway, and the password itself never
        // travels in a command a MONITOR, slowlog or client library log could show.
        rules[2] = "#" + ResourceNames.sha256Hex(password);
        for (int i = 0; i < APP_RULES.size(); i++) {
            rules[i + 3] = APP_RULES.get(i);
        }
        try (Jedis jedis = connections.borrow(admin)) {
            jedis.aclSetUser(user, rules);
            persistAcl(jedis, admin);
        } catch (JedisConnectionException | JedisAccessControlException e) {
            throw unavailable(admin, e);
        }
        return password;
    }

    /**
     * Deletes the binding's user and ends its connections. Switching the user off first means no new
     * login can slip in between; ACL DELUSER disconnects its clients on Redis 7, and CLIENT KILL USER
     * makes that explicit for servers that do not.
     */
    void revoke(RedisLogin admin, String bindingId) {
        String user = ResourceNames.bindingUser(bindingId);
        try (Jedis jedis = connections.borrow(admin)) {
            if (jedis.aclGetUser(user) == null) {
                return;
            }
            jedis.aclSetUser(user, "off");
            jedis.clientKill(new ClientKillParams().user(user));
            jedis.aclDelUser(user);
            persistAcl(jedis, admin);
        } catch (JedisConnectionException | JedisAccessControlException e) {
            throw unavailable(admin, e);
        }
    }

    /**
     * Makes ACL changes survive a restart of the server: {@code ACL SAVE} where the server keeps its
     * users in an aclfile (the shared-vm processes do), otherwise {@code CONFIG REWRITE}, which
     * writes {@code user} lines into the server's config file. A pool node started without either
     * cannot keep them; that is logged for its operator.
     */
    static void persistAcl(Jedis jedis, RedisLogin server) {
        String aclfile = jedis.configGet("aclfile").getOrDefault("aclfile", "");
        try {
            if (!aclfile.isEmpty()) {
                jedis.aclSave();
            } else {
                jedis.configRewrite();
            }
        } catch (JedisDataException e) {
            log.warn("Redis {} cannot persist its ACL users ({}); they are lost if it restarts", server.address(),
                    e.getMessage());
        }
    }

    static BackendUnavailableException unavailable(RedisLogin admin, Exception cause) {
        String what = cause instanceof JedisAccessControlException ? "refused the broker's admin login"
                : "does not answer";
        return new BackendUnavailableException("The Redis server " + admin.address() + " of this instance " + what,
                cause);
    }
}
