package org.paasta.servicepack.mongodb;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code mongodb} component of {@code /actuator/health}: can the broker's admin client reach
 * the deployment and log in right now? A {@code ping} on the admin database, bounded by a short
 * timeout of its own (the admin client otherwise waits up to its server selection timeout).
 *
 * <p>UP names the hosts the broker connects to and, when the server tells, its version; DOWN names
 * the hosts and what went wrong in our words (the driver's texts may quote the connection string).
 */
final class MongodbHealthIndicator implements HealthIndicator {
    private final MongoClient admin;
    private final List<String> hosts;
    private final Duration timeout;

    /**
     * @param admin   the broker's admin client; owned by the caller
     * @param hosts   the hosts of the admin connection string, for the details
     * @param timeout the longest one health check may take
     */
    MongodbHealthIndicator(MongoClient admin, List<String> hosts, Duration timeout) {
        this.admin = admin;
        this.hosts = List.copyOf(hosts);
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.unknown().withDetail("hosts", hosts);
        MongoDatabase database = admin.getDatabase("admin").withTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            database.runCommand(new Document("ping", 1));
        } catch (MongoSecurityException e) {
            return health.down().withDetail("error", "MongoDB at " + String.join(",", hosts)
                    + " refused the broker's admin login").build();
        } catch (MongoTimeoutException | MongoSocketException e) { // our own timeout (MongoOperationTimeoutException) is one
            return health.down().withDetail("error", "MongoDB at " + String.join(",", hosts)
                    + " cannot be reached within " + timeout.toMillis() + " ms (" + e.getClass().getSimpleName()
                    + ")").build();
        } catch (MongoCommandException e) {
            return health.down().withDetail("error", "MongoDB at " + String.join(",", hosts)
                    + " answered ping with error " + e.getErrorCode() + " " + e.getErrorCodeName()).build();
        } catch (MongoException e) {
            return health.down().withDetail("error", "MongoDB at " + String.join(",", hosts) + " failed ping ("
                    + e.getClass().getSimpleName() + ")").build();
        }
        health.up();
        String version = version(database);
        if (version != null) {
            health.withDetail("version", version);
        }
        return health.build();
    }

    /** The server's version from {@code buildInfo}; null if it will not say (the check is UP regardless). */
    private static String version(MongoDatabase database) {
        try {
            return database.runCommand(new Document("buildInfo", 1)).getString("version");
        } catch (MongoException | ClassCastException e) {
            return null;
        }
    }
}
