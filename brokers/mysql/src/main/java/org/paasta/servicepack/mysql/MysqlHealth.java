package org.paasta.servicepack.mysql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code mysql} component of {@code /actuator/health}: whether the broker's admin account
 * reaches the server now, the same way provision and bind will. UP with the server's version and
 * address; DOWN with the driver's reason. Bounded: the admin pool waits at most its connection
 * timeout for a connection, the query at most {@link #QUERY_TIMEOUT}. The admin password never
 * appears, not even inside a driver's message.
 */
final class MysqlHealth implements HealthIndicator {
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

    private final DataSource admin;
    private final MysqlProperties.Admin settings;

    MysqlHealth(DataSource admin, MysqlProperties.Admin settings) {
        this.admin = admin;
        this.settings = settings;
    }

    @Override
    public Health health() {
        Health.Builder health;
        try (Connection connection = admin.getConnection()) {
            // A server that accepted the connection and then hangs must not hang the health check:
            // the pool resets the timeout when the connection comes back.
            connection.setNetworkTimeout(Runnable::run, (int) QUERY_TIMEOUT.toMillis());
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout((int) QUERY_TIMEOUT.toSeconds());
                try (ResultSet rows = statement.executeQuery("SELECT VERSION()")) {
                    health = rows.next() ? Health.up().withDetail("version", rows.getString(1))
                            : Health.down().withDetail("error", "SELECT VERSION() returned no row");
                }
            }
        } catch (SQLException e) {
            health = Health.down().withDetail("error", reason(e));
        }
        return health.withDetail("address", settings.address()).build();
    }

    /** The pool's message and the driver's underneath it (the pool's alone says only "timed out"). */
    private String reason(SQLException e) {
        String reason = e.getMessage();
        if (e.getCause() != null && e.getCause().getMessage() != null) {
            reason += " (" + e.getCause().getMessage() + ")";
        }
        return settings.password().isEmpty() ? reason : reason.replace(settings.password(), "******");
    }
}
