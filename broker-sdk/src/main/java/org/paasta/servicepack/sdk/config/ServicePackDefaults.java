package org.paasta.servicepack.sdk.config;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults every SDK broker starts with, at the lowest precedence so any setting overrides them:
 * an embedded H2 file as state store (one broker runs with nothing else to set up), and SCOSB's controller logging off (it logs whole requests and responses,
 * which carry parameters and credentials; the SDK logs what matters itself).
 */
public class ServicePackDefaults implements EnvironmentPostProcessor {
    static final String DEV_PROFILE = "dev";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new HashMap<>();
        // WRITE_DELAY=0: H2 otherwise flushes commits up to 500 ms late, and a kill -9 in that window
        // loses operations the platform was already told about (the durability test caught it).
        // QUERY_CACHE_SIZE=64: the store has about 30 statements; with H2's default of 8 each
        // request parsed its SQL again (about 5% of a provision's CPU in a profile).
        // DB_CLOSE_ON_EXIT=FALSE: on SIGTERM, H2's own shutdown hook closed the database under
        // requests still being served (500, H2 error 90121); now the connection pool closes it
        // after Spring has drained them.
        // One file per broker (spring.application.name), so several brokers run from one checkout.
        defaults.put("servicepack.store.url", "jdbc:h2:file:./data/${spring.application.name:servicepack}-state;"
                + "WRITE_DELAY=0;QUERY_CACHE_SIZE=64;DB_CLOSE_ON_EXIT=FALSE");
        // The store has its own pool and runs its own migrations (see StoreMigrations); Spring Boot's
        // DataSource and Flyway auto-configuration are the broker's, and off unless it wants them
        // (an embedded H2 pool nobody uses would otherwise start in every broker).
        // WebMvcObservationAutoConfiguration: its filter wrapped every request in an observation for
        // http.server.requests, a per-request cost on the polling path (last_operation) that no
        // metric of the SDK's needs: the SDK counts and times OSB operations itself (BrokerMetrics).
        defaults.put("spring.autoconfigure.exclude",
                "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration,"
                        + "org.springframework.boot.actuate.autoconfigure.observation.web.servlet."
                        + "WebMvcObservationAutoConfiguration");
        // Tomcat keeps 10 idle request threads by default; a broker is idle most of its life, and
        // each idle thread is a stack and a share of malloc arenas. It still grows to 200 under load.
        defaults.put("server.tomcat.threads.min-spare", "2");
        // Operators' view (Actuator + Micrometer): health with liveness and readiness groups, status
        // for anyone, details and Prometheus for the broker's (or the monitoring) credentials, which
        // OsbRequestFilter checks. Readiness is the store: the broker answers OSB requests (with a
        // clean 503 where the backend is down) as long as it has it.
        defaults.put("management.endpoints.web.exposure.include", "health,prometheus,info");
        defaults.put("management.endpoint.health.probes.enabled", "true");
        defaults.put("management.endpoint.health.show-details", "when-authorized");
        defaults.put("management.endpoint.health.show-components", "when-authorized");
        defaults.put("management.endpoint.health.group.liveness.include", "livenessState");
        defaults.put("management.endpoint.health.group.readiness.include", "readinessState,stateStore");
        defaults.put("management.endpoint.health.group.readiness.show-details", "when-authorized");
        defaults.put("management.metrics.tags.application", "${spring.application.name:servicepack}");
        defaults.put("management.info.env.enabled", "false");
        defaults.put("logging.level.org.springframework.cloud.servicebroker.controller", "OFF");
        // OSB bodies are JSON. Boot's parsers of form and multipart bodies only add code for hostile
        // input to reach: a malformed form body escaped the form-content filter as an exception, and
        // a GET declaring multipart/form-data without a boundary was a 500.
        defaults.put("spring.mvc.formcontent.filter.enabled", "false");
        defaults.put("spring.servlet.multipart.enabled", "false");
        // The SDK renders its pages with an engine of its own (servicepack/templates); Spring Boot's
        // Thymeleaf auto-configuration, there because the library is, would warn in every broker
        // that has no templates of its own.
        defaults.put("spring.thymeleaf.check-template-location", "false");
        defaults.put("logging.level.org.flywaydb.core.internal.scanner", "ERROR");
        if (environment.matchesProfiles(DEV_PROFILE)) {
            defaults.put("servicepack.security.username", "broker");
            defaults.put("servicepack.security.password", "dev-only-broker-password");
            defaults.put("servicepack.secrets.key", "dev-only-secrets-key-never-in-production");
        }
        environment.getPropertySources().addLast(new MapPropertySource("servicepack-defaults", defaults));
    }
}
