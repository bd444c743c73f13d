package ${package};

import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The ${ServiceName} broker's composition root: every bean of the broker is declared here, and
 * nothing else is a {@code @Component}. The servicepack SDK's auto-configuration serves the Open
 * Service Broker API v2.17 around the one {@link ${ServiceName}Backend} bean: authentication,
 * catalog, parameter validation, idempotency and conflicts, async operations, the state store.
 *
 * <p>REPLACE: a real backend needs a client of the ${ServiceName} server (a JDBC pool, an HTTP or
 * admin client): declare it as a bean here, built from {@link ${ServiceName}Properties} with short
 * connect and read timeouts, and hand it to the backend's constructor.
 */
@SpringBootApplication
@EnableConfigurationProperties(${ServiceName}Properties.class)
public class ${ServiceName}BrokerApplication {

    public static void main(String[] args) {
        SpringApplication.run(${ServiceName}BrokerApplication.class, args);
    }

    @Bean
    ${ServiceName}Backend ${serviceName}Backend(${ServiceName}Properties properties) {
        return new ${ServiceName}Backend(properties);
    }

    /**
     * {@code /actuator/health} component {@code ${serviceName}} (details for the broker's or the
     * monitoring credentials): UP with the server's version and the address apps are given, DOWN
     * with the reason when the server cannot be reached. Never a password in the details.
     */
    @Bean
    HealthIndicator ${serviceName}HealthIndicator(${ServiceName}Backend backend, ${ServiceName}Properties properties) {
        return () -> {
            try {
                return Health.up()
                        .withDetail("version", backend.serverVersion())
                        .withDetail("address", properties.host() + ":" + properties.port())
                        .build();
            } catch (BackendUnavailableException e) {
                return Health.down().withDetail("error", e.description())
                        .withDetail("address", properties.host() + ":" + properties.port())
                        .build();
            }
        };
    }
}
