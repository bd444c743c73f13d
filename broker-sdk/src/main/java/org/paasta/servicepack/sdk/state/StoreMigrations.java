package org.paasta.servicepack.sdk.state;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.boot.jdbc.DatabaseDriver;

/**
 * Brings the state store's schema up to date at start: the SDK's migrations (common SQL plus the
 * store vendor's own), then a broker's own tables from its locations, each with a history table of
 * its own so their version numbers never meet. Replicas starting together are serialized by Flyway.
 */
public final class StoreMigrations {
    private static final String SDK_LOCATION = "classpath:db/servicepack/";

    private StoreMigrations() {
    }

    public static void migrate(DataSource store, String jdbcUrl, List<String> brokerLocations) {
        String vendor = DatabaseDriver.fromJdbcUrl(jdbcUrl).getId();
        List<String> sdk = new ArrayList<>(List.of(SDK_LOCATION + "common"));
        sdk.add(SDK_LOCATION + vendor);
        flyway(store, sdk, "sp_schema_history").migrate();
        if (!brokerLocations.isEmpty()) {
            flyway(store, brokerLocations.stream().map(location -> location.replace("{vendor}", vendor)).toList(),
                    "sp_broker_schema_history").migrate();
        }
    }

    private static Flyway flyway(DataSource store, List<String> locations, String historyTable) {
        return Flyway.configure()
                .dataSource(store)
                .locations(locations.toArray(String[]::new))
                .table(historyTable)
                .failOnMissingLocations(false)
                // A store that already has other tables (a shared database) gets a history table anyway.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }
}
