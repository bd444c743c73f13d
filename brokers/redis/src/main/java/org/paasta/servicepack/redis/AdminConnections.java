package org.paasta.servicepack.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The broker's own connections to the redis-servers it administers, kept open between steps. A
 * bind or unbind is a few ACL commands of well under a millisecond each; opening a connection for
 * every step (TCP, AUTH, CLIENT SETNAME) cost more than the commands themselves (issue 15).
 *
 * <p>One small pool per server ({@code host:port}), for the login the broker holds for it now. A
 * different login for the same server (a rotated password, the broker's own user replacing the
 * operator's) replaces the pool and closes every connection made with the old one, so no step
 * runs over a connection that authenticated with a password the broker has since replaced. Every
 * borrowed connection answers PING first: one to a process that was restarted or replaced since
 * (its socket is closed) is dropped, and its replacement logs in afresh with the current
 * password, which a replaced server may refuse (that refusal is what the caller sees). Idle
 * connections are closed after a minute: they count against the server's {@code maxclients}.
 *
 * <p>Whatever must prove that a login works now (the health check, the supervisor's probe, the
 * wait for a starting process) opens a connection of its own with {@link RedisLogin#connect}: a
 * pooled connection authenticated earlier and proves nothing about the password today.
 */
final class AdminConnections implements AutoCloseable {
    /** Concurrent steps on one server are rare (the platform serialises most of them per instance). */
    static final int MAX_PER_SERVER = 4;
    static final int MAX_IDLE_PER_SERVER = 2;
    static final Duration IDLE_LIFETIME = Duration.ofSeconds(60);

    private record ServerPool(RedisLogin login, JedisPool pool) {
    }

    private final Duration timeout;
    private final Map<String, ServerPool> pools = new ConcurrentHashMap<>();

    /** @param timeout connect and read timeout of each connection, and the longest wait for a free one */
    AdminConnections(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * A connection logged in as {@code login}, from the server's pool; closing it gives it back.
     *
     * @throws JedisConnectionException when the server does not answer (or every connection of
     *                                  the pool stays busy past the timeout)
     * @throws redis.clients.jedis.exceptions.JedisAccessControlException when it refuses the login
     */
    Jedis borrow(RedisLogin login) {
        // Two tries: a concurrent step with another login may close the pool between lookup and borrow.
        for (int attempt = 0; ; attempt++) {
            JedisPool pool = poolFor(login);
            try {
                return pool.getResource();
            } catch (JedisException e) {
                if (e.getClass() != JedisException.class) {
                    throw e; // no connection, or the server's own answer such as WRONGPASS
                }
                if (pool.isClosed() && attempt == 0) {
                    continue;
                }
                // The pool's own failures: exhausted within the timeout, a new connection failing PING.
                throw new JedisConnectionException("no usable connection to " + login.address(), e);
            }
        }
    }

    private JedisPool poolFor(RedisLogin login) {
        AtomicReference<ServerPool> replaced = new AtomicReference<>();
        ServerPool current = pools.compute(login.address(), (address, existing) -> {
            if (existing != null && existing.login().equals(login)) {
                return existing;
            }
            replaced.set(existing);
            return new ServerPool(login, open(login));
        });
        if (replaced.get() != null) {
            // Outside compute(): closing may talk to the server. Connections borrowed from the old
            // pool are closed when given back.
            replaced.get().pool().close();
        }
        return current.pool();
    }

    /**
     * Closes the server's connections: after its process stopped, or once it was wiped and its
     * admin password rotated before it goes back to the pool. One still borrowed is closed when
     * given back.
     */
    void forget(String address) {
        ServerPool pool = pools.remove(address);
        if (pool != null) {
            pool.pool().close();
        }
    }

    /** How many servers have a pool now (for tests). */
    int servers() {
        return pools.size();
    }

    @Override
    public void close() {
        pools.keySet().forEach(this::forget);
    }

    private JedisPool open(RedisLogin login) {
        GenericObjectPoolConfig<Jedis> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(MAX_PER_SERVER);
        config.setMaxIdle(MAX_IDLE_PER_SERVER);
        config.setMinIdle(0);
        config.setMaxWait(timeout);
        config.setTestOnBorrow(true);
        config.setMinEvictableIdleDuration(IDLE_LIFETIME);
        config.setTimeBetweenEvictionRuns(IDLE_LIFETIME.dividedBy(4));
        config.setNumTestsPerEvictionRun(MAX_IDLE_PER_SERVER);
        config.setJmxEnabled(false);
        int millis = Math.toIntExact(timeout.toMillis());
        return new JedisPool(config, new HostAndPort(login.host(), login.port()), DefaultJedisClientConfig.builder()
                .user(login.user())
                .password(login.password())
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .clientName(RedisLogin.CLIENT_NAME)
                .build());
    }
}
