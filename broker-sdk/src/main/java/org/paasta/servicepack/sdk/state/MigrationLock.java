package org.paasta.servicepack.sdk.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A migration lock that holds across a MariaDB Galera cluster: a row in {@code sp_migration_lock}.
 * Flyway's own MariaDB/MySQL lock is {@code GET_LOCK}, which Galera keeps on one node, so two
 * replicas whose pools sit on different nodes would migrate at once (one fails with "table already
 * exists"). An INSERT of the same key on two nodes is different: one of them fails (duplicate key,
 * or a certification conflict, 1213), everywhere. The row carries a lease the holder renews, so a
 * replica that died holding it delays the others by one lease, not forever.
 */
final class MigrationLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationLock.class);
    private static final long LEASE_MILLIS = 120_000;
    private static final long RENEW_MILLIS = 30_000;
    private static final long WAIT_MILLIS = 600_000;
    private static final String NOW = "CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)";

    private final DataSource store;
    private final String owner;
    private final ScheduledExecutorService renewal;

    private MigrationLock(DataSource store, String owner) {
        this.store = store;
        this.owner = owner;
        this.renewal = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "servicepack-migration-lock");
            thread.setDaemon(true);
            return thread;
        });
        renewal.scheduleWithFixedDelay(this::renew, RENEW_MILLIS, RENEW_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Waits (bounded) until this process holds the lock. */
    static MigrationLock take(DataSource store) {
        String owner = UUID.randomUUID().toString();
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        try (Connection connection = store.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("CREATE TABLE IF NOT EXISTS sp_migration_lock (name VARCHAR(32) NOT NULL PRIMARY KEY,"
                    + " owner VARCHAR(64) NOT NULL, expires_at BIGINT NOT NULL)");
            while (true) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO sp_migration_lock"
                        + " (name, owner, expires_at) VALUES ('migrate', ?, " + NOW + " + " + LEASE_MILLIS + ")")) {
                    insert.setString(1, owner);
                    insert.executeUpdate();
                    return new MigrationLock(store, owner);
                } catch (SQLException taken) {
                    if (!StoreMigrations.isConflict(taken) && taken.getErrorCode() != 1062) {
                        throw taken;
                    }
                }
                // Held by someone else: take it over once its lease ran out (its holder died).
                int expired = statement.executeUpdate("DELETE FROM sp_migration_lock WHERE name = 'migrate'"
                        + " AND expires_at < " + NOW);
                if (expired > 0) {
                    LOG.warn("took over the state store's migration lock from a holder whose lease expired");
                    continue;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the state store's migration lock (table sp_migration_lock)"
                            + " stayed taken for " + WAIT_MILLIS / 1000 + " s: another broker replica is migrating"
                            + " the store, or a row was left there by hand");
                }
                Thread.sleep(250);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the state store's migration lock could not be taken: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the state store's migration lock", e);
        }
    }

    private void renew() {
        try (Connection connection = store.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE sp_migration_lock SET expires_at = "
                     + NOW + " + " + LEASE_MILLIS + " WHERE name = 'migrate' AND owner = ?")) {
            connection.setAutoCommit(true);
            update.setString(1, owner);
            update.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("the state store's migration lock was not renewed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        renewal.shutdownNow();
        try (Connection connection = store.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM sp_migration_lock WHERE name = 'migrate' AND owner = ?")) {
            connection.setAutoCommit(true);
            delete.setString(1, owner);
            delete.executeUpdate();
        } catch (SQLException e) {
            // The lease ends it anyway.
            LOG.warn("the state store's migration lock was not released (it expires in {} s): {}",
                    LEASE_MILLIS / 1000, e.getMessage());
        }
    }
}
