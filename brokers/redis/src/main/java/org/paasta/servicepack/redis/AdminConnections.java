package org.paasta.servicepack.redis;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The broker's own connections to the redis-servers it administers, kept open between steps. A
 * bind or unbind is a few ACL commands of well under a millisecond each; opening a connection for
 * every step (TCP, AUTH, CLIENT SETNAME) cost more than the commands themselves (issue 15).
 *
 * <p>A few connections per server ({@code host:port}), for the login the broker holds for it now.
 * A different login for the same server (a rotated password, the broker's own user replacing the
 * operator's) replaces them: every connection made with the old one is closed, an idle one at
 * once and a borrowed one when given back, so no later step runs over a connection that
 * authenticated with a password the broker has since replaced. A kept connection answers PING
 * before it is lent again: one to a process that was restarted or replaced since (its socket is
 * closed) is dropped, and its replacement logs in afresh with the current password, which a
 * replaced server may refuse (that refusal is what the caller sees). Idle connections are closed
 * after a minute: they count against the server's {@code maxclients}.
 *
 * <p>Not a general-purpose pool (commons-pool, as JedisPool has it): every instance of shared-vm
 * is a server of its own, so a pool was made and closed for each instance, and making one started
 * an eviction thread and recorded a stack trace, which took longer than a bind's commands. Here a
 * server's connections are a list, and one thread for all servers closes the idle ones.
 *
 * <p>Whatever must prove that a login works now (the health check, the supervisor's probe, the
 * wait for a starting process) opens a connection of its own with {@link RedisLogin#connect}: a
 * kept connection authenticated earlier and proves nothing about the password today. Such a fresh
 * connection may be handed in afterwards with {@link #keep}, so that the step after it need not
 * log in again.
 */
final class AdminConnections implements AutoCloseable {
    /** Concurrent steps on one server are rare (the platform serialises most of them per instance). */
    static final int MAX_PER_SERVER = 4;
    static final int MAX_IDLE_PER_SERVER = 2;
    static final Duration IDLE_LIFETIME = Duration.ofSeconds(60);

    private final Duration timeout;
    private final Duration idleLifetime;
    private final Map<String, Server> servers = new ConcurrentHashMap<>();
    private final AtomicBoolean sweepScheduled = new AtomicBoolean();
    private final ScheduledExecutorService idleSweep = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "redis-admin-idle-sweep");
        thread.setDaemon(true);
        return thread;
    });

    /** @param timeout connect and read timeout of each connection, and the longest wait for a free one */
    AdminConnections(Duration timeout) {
        this(timeout, IDLE_LIFETIME);
    }

    AdminConnections(Duration timeout, Duration idleLifetime) {
        this.timeout = timeout;
        this.idleLifetime = idleLifetime;
    }

    /**
     * A connection logged in as {@code login}, kept from an earlier step or new; closing it gives it
     * back.
     *
     * @throws JedisConnectionException when the server does not answer (or every connection the
     *                                  server may have stays busy past the timeout)
     * @throws redis.clients.jedis.exceptions.JedisAccessControlException when it refuses the login
     */
    Jedis borrow(RedisLogin login) {
        Server server = serverFor(login);
        server.acquire();
        try {
            for (Kept kept = server.takeIdle(); kept != null; kept = server.takeIdle()) {
                if (answersPing(kept)) {
                    return kept.lend();
                }
                kept.discard();
            }
            return new Kept(server, login.connect(timeout).getConnection()).lend();
        } catch (RuntimeException e) {
            server.permits.release();
            throw e;
        }
    }

    /**
     * Takes a connection that has just proved {@code login} (a fresh {@link RedisLogin#connect}) to
     * lend it to the next step on that server, or closes it when the server has enough idle ones.
     */
    void keep(RedisLogin login, Jedis proven) {
        // Its own timeout may be a probe's, shorter than a step's commands (ACL SAVE) may need.
        proven.getConnection().setSoTimeout(Math.toIntExact(timeout.toMillis()));
        Server server = serverFor(login);
        server.giveBack(new Kept(server, proven.getConnection()), false);
    }

    private static boolean answersPing(Kept kept) {
        try {
            kept.ping();
            return true;
        } catch (JedisException e) {
            return false; // closed under it (a restarted or replaced process): a new one logs in
        }
    }

    private Server serverFor(RedisLogin login) {
        if (!sweepScheduled.get() && sweepScheduled.compareAndSet(false, true)) {
            // Not before the first server: a broker without Redis instances needs no thread for them.
            long period = Math.max(1, idleLifetime.toMillis() / 4);
            try {
                idleSweep.scheduleWithFixedDelay(this::closeIdleOverLifetime, period, period, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                // A step still running while the broker shuts down: close() takes its connections.
            }
        }
        AtomicReference<Server> replaced = new AtomicReference<>();
        Server current = servers.compute(login.address(), (address, existing) -> {
            if (existing != null && existing.login.equals(login)) {
                return existing;
            }
            replaced.set(existing);
            return new Server(login);
        });
        if (replaced.get() != null) {
            // Outside compute(): closing talks to the server.
            replaced.get().close();
        }
        return current;
    }

    /**
     * Closes the server's connections: after its process stopped, or once it was wiped and its
     * admin password rotated before it goes back to the pool. One still borrowed is closed when
     * given back.
     */
    void forget(String address) {
        Server server = servers.remove(address);
        if (server != null) {
            server.close();
        }
    }

    /** How many servers have connections now (for tests). */
    int servers() {
        return servers.size();
    }

    @Override
    public void close() {
        idleSweep.shutdownNow();
        servers.keySet().forEach(this::forget);
    }

    private void closeIdleOverLifetime() {
        long oldest = System.nanoTime() - idleLifetime.toNanos();
        servers.values().forEach(server -> server.closeIdleSince(oldest));
    }

    /** One server's connections for one login. */
    private final class Server {
        private final RedisLogin login;
        /** One per connection lent out. */
        private final Semaphore permits = new Semaphore(MAX_PER_SERVER, true);
        /** Most recently given back first. Guarded by this. */
        private final Deque<Kept> idle = new ArrayDeque<>();
        /** Replaced or forgotten: what is given back is closed. Guarded by this. */
        private boolean closed;

        Server(RedisLogin login) {
            this.login = login;
        }

        void acquire() {
            try {
                if (!permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new JedisConnectionException("every connection to " + login.address() + " stayed busy for "
                            + timeout.toMillis() + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JedisConnectionException("interrupted while waiting for a connection to " + login.address());
            }
        }

        synchronized Kept takeIdle() {
            return idle.pollFirst();
        }

        /** @param lent whether it was borrowed (and holds a permit) rather than handed in by {@link #keep} */
        void giveBack(Kept kept, boolean lent) {
            boolean keepIt;
            synchronized (this) {
                keepIt = !closed && !kept.isBroken() && idle.size() < MAX_IDLE_PER_SERVER;
                if (keepIt) {
                    kept.givenBack = System.nanoTime();
                    idle.addFirst(kept);
                }
            }
            if (!keepIt) {
                kept.discard();
            }
            if (lent) {
                permits.release();
            }
        }

        void closeIdleSince(long oldest) {
            List<Kept> expired = new ArrayList<>();
            synchronized (this) {
                idle.removeIf(kept -> kept.givenBack - oldest < 0 && expired.add(kept));
            }
            expired.forEach(Kept::discard);
        }

        void close() {
            List<Kept> idleNow;
            synchronized (this) {
                closed = true;
                idleNow = new ArrayList<>(idle);
                idle.clear();
            }
            idleNow.forEach(Kept::discard);
        }
    }

    /** A kept connection as the steps use it: closing it gives it back to its server's list. */
    private static final class Kept extends Jedis {
        private final Server server;
        /** System.nanoTime() when it was last given back. */
        private long givenBack;
        /** Between borrow() and close(): a second close() gives nothing back twice. */
        private boolean lent;

        Kept(Server server, Connection connection) {
            super(connection);
            this.server = server;
        }

        Kept lend() {
            lent = true;
            return this;
        }

        @Override
        public void close() {
            if (lent) {
                lent = false;
                server.giveBack(this, true);
            }
        }

        void discard() {
            try {
                getConnection().close();
            } catch (JedisException e) {
                // Closing a socket the server already dropped: nothing left to release.
            }
        }
    }
}
