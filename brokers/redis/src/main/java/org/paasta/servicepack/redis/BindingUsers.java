package org.paasta.servicepack.redis;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.resps.AccessControlUser;

/**
 * One Redis ACL user per binding, on the instance's own server, and the binding's password also on
 * the server's {@code default} user. This is what the brokers PaaS-TA used before never did: there,
 * every binding got the instance password and unbind revoked nothing.
 *
 * <p>Why {@code default} too: java-cfenv (how Spring apps read VCAP_SERVICES) hands the client a
 * host, a port and a password and never a user name, so the client logs in as {@code default}. A
 * Redis user can have several passwords, so {@code default} gets the password of every live
 * binding (as SHA-256, with the same rules as the bindings' users) and loses it at unbind. It
 * accepts exactly the live bindings' passwords, and none when there are none: it never has
 * {@code nopass}, so a connection without AUTH gets nothing. A client that names its user (the
 * {@code uri}, or {@code username} and {@code password}) logs in as the binding's own user.
 *
 * <p>The price, at unbind: Redis cannot tell which password a {@code default} connection logged in
 * with, so ending the unbound binding's password-only connections ends every password-only
 * connection of the instance. The other bindings' clients reconnect with their passwords, which
 * still work (Lettuce, as Spring Boot configures it, does so by itself). Connections logged in as a
 * binding's own user are ended precisely: only the unbound binding's.
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
    /** The user a client that gives a password and no user name logs in as. */
    static final String PASSWORD_ONLY_USER = "default";

    private static final Logger log = LoggerFactory.getLogger(BindingUsers.class);

    private final AdminConnections connections;

    BindingUsers(AdminConnections connections) {
        this.connections = connections;
    }

    /**
     * Creates (or, on a repeated bind, resets) the binding's user with a new password, and adds
     * that password to {@code default}. A repeated bind takes the earlier password off both.
     *
     * @return the password
     */
    String create(RedisLogin admin, String bindingId) {
        String user = ResourceNames.bindingUser(bindingId);
        String password = Passwords.generate();
        // '#' + SHA-256: the server stores only the hash anyway, and the password itself never
        // travels in a command a MONITOR, slowlog or client library log could show.
        String hash = "#" + ResourceNames.sha256Hex(password);
        try (Jedis jedis = connections.borrow(admin)) {
            List<String> earlier = passwords(jedis, user);
            jedis.aclSetUser(user, rules("reset", "on", hash));
            // Not "reset": that would take every other binding's password off default too. The
            // rules are set whole (keys, channels, commands cleared first) over whatever it had.
            jedis.aclSetUser(PASSWORD_ONLY_USER, rules("on", hash, "resetkeys", "resetchannels", "-@all"));
            dropFromPasswordOnlyUser(jedis, earlier);
            persistAcl(jedis, admin);
        } catch (JedisConnectionException | JedisAccessControlException e) {
            throw unavailable(admin, e);
        }
        return password;
    }

    /**
     * Refuses the binding's password and ends the connections that used it. In this order, so that
     * a retry after a failure in between finds the user and finishes: the user is switched off (no
     * new login as it), its password taken off {@code default} and every {@code default}
     * connection ended (see the class comment), then its own connections ended and the user
     * deleted. ACL DELUSER disconnects its clients on Redis 7; CLIENT KILL USER makes that
     * explicit for servers that do not.
     */
    void revoke(RedisLogin admin, String bindingId) {
        String user = ResourceNames.bindingUser(bindingId);
        try (Jedis jedis = connections.borrow(admin)) {
            AccessControlUser existing = jedis.aclGetUser(user);
            if (existing == null) {
                return;
            }
            jedis.aclSetUser(user, "off");
            dropFromPasswordOnlyUser(jedis, existing.getPasswords());
            jedis.clientKill(new ClientKillParams().user(user));
            jedis.aclDelUser(user);
            persistAcl(jedis, admin);
        } catch (JedisConnectionException | JedisAccessControlException e) {
            throw unavailable(admin, e);
        }
    }

    /**
     * Takes these password hashes off {@code default} and, when it had any of them, ends every
     * connection logged in as {@code default}: one of them may have used a password just taken off.
     * A binding made before {@code default} took passwords has none there, and nobody is cut off.
     */
    private static void dropFromPasswordOnlyUser(Jedis jedis, List<String> hashes) {
        if (hashes.isEmpty()) {
            return;
        }
        Set<String> held = Set.copyOf(passwords(jedis, PASSWORD_ONLY_USER));
        String[] removals = hashes.stream().filter(held::contains).map(hash -> "!" + hash).toArray(String[]::new);
        if (removals.length == 0) {
            return;
        }
        jedis.aclSetUser(PASSWORD_ONLY_USER, removals);
        jedis.clientKill(new ClientKillParams().user(PASSWORD_ONLY_USER));
    }

    /** The user's password hashes (hex SHA-256), none when the user does not exist. */
    private static List<String> passwords(Jedis jedis, String user) {
        AccessControlUser acl = jedis.aclGetUser(user);
        return acl == null ? List.of() : acl.getPasswords();
    }

    private static String[] rules(String... first) {
        return Stream.concat(Stream.of(first), APP_RULES.stream()).toArray(String[]::new);
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
