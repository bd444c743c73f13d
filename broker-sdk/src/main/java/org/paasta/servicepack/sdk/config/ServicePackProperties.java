package org.paasta.servicepack.sdk.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Everything an operator sets for an SDK broker, under {@code servicepack.*}. The state store has
 * its own settings ({@code servicepack.store.*}) and its own pool, so {@code spring.datasource.*}
 * and any DataSource bean stay the broker's own.
 */
@ConfigurationProperties("servicepack")
public class ServicePackProperties {
    private final Catalog catalog = new Catalog();
    private final Security security = new Security();
    private final Secrets secrets = new Secrets();
    private final Async async = new Async();
    private final Bindings bindings = new Bindings();
    private final Store store = new Store();
    private final Dashboard dashboard = new Dashboard();
    private final Marketplace marketplace = new Marketplace();
    /** Refuse requests without X-Broker-API-Version (400), as the spec allows since 2.16. */
    private boolean requireApiVersion = true;
    /**
     * Instance and binding ids the broker accepts: the RFC 3986 unreserved characters by default.
     * Ids of dots only ('.', '..', ...) are refused whatever the pattern: they are path segments.
     */
    private String idPattern = "[A-Za-z0-9._~-]{1,255}";

    public Catalog getCatalog() {
        return catalog;
    }

    public Security getSecurity() {
        return security;
    }

    public Secrets getSecrets() {
        return secrets;
    }

    public Async getAsync() {
        return async;
    }

    public Bindings getBindings() {
        return bindings;
    }

    public Store getStore() {
        return store;
    }

    public Dashboard getDashboard() {
        return dashboard;
    }

    public Marketplace getMarketplace() {
        return marketplace;
    }

    public boolean isRequireApiVersion() {
        return requireApiVersion;
    }

    public void setRequireApiVersion(boolean requireApiVersion) {
        this.requireApiVersion = requireApiVersion;
    }

    public String getIdPattern() {
        return idPattern;
    }

    public void setIdPattern(String idPattern) {
        this.idPattern = idPattern;
    }

    public static class Catalog {
        /** Catalog files (Spring resource locations), e.g. classpath:catalog/mysql.yml. */
        private List<String> files = new ArrayList<>();

        public List<String> getFiles() {
            return files;
        }

        public void setFiles(List<String> files) {
            this.files = files;
        }
    }

    public static class Security {
        /** HTTP basic auth user the platform registers the broker with. */
        private String username;
        /** HTTP basic auth password; required outside the dev profile. */
        private String password;
        /**
         * Optional credentials that may read the management endpoints (health details, Prometheus)
         * and nothing else, so a monitoring system need not hold the broker's password.
         */
        private String monitoringUsername;
        private String monitoringPassword;

        public String getMonitoringUsername() {
            return monitoringUsername;
        }

        public void setMonitoringUsername(String monitoringUsername) {
            this.monitoringUsername = monitoringUsername;
        }

        public String getMonitoringPassword() {
            return monitoringPassword;
        }

        public void setMonitoringPassword(String monitoringPassword) {
            this.monitoringPassword = monitoringPassword;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }
    }

    public static class Secrets {
        /** Key (at least 16 characters, ideally 32+ random) that encrypts stored credentials. */
        private String key;
        /**
         * Keys being rotated away from: what they sealed still opens, and is sealed again under
         * {@code key} at start; remove them once the broker logged that nothing is left under them.
         */
        private List<String> previousKeys = new ArrayList<>();

        public List<String> getPreviousKeys() {
            return previousKeys;
        }

        public void setPreviousKeys(List<String> previousKeys) {
            this.previousKeys = previousKeys;
        }

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }
    }

    public static class Async {
        /** Worker threads for asynchronous operations. */
        private int threads = 4;
        /** Operations that may wait for a worker; beyond that they wait in the store for the sweeper. */
        private int queue = 256;
        /** How long a replica owns a running operation without renewing it. */
        private Duration lease = Duration.ofSeconds(30);
        /** How often abandoned operations are looked for (and expired bindings unbound). */
        private Duration sweepInterval = Duration.ofSeconds(10);
        /** Retry-After sent with an in-progress last_operation. */
        private Duration retryAfter = Duration.ofSeconds(5);

        public int getThreads() {
            return threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }

        public int getQueue() {
            return queue;
        }

        public void setQueue(int queue) {
            this.queue = queue;
        }

        public Duration getLease() {
            return lease;
        }

        public void setLease(Duration lease) {
            this.lease = lease;
        }

        public Duration getSweepInterval() {
            return sweepInterval;
        }

        public void setSweepInterval(Duration sweepInterval) {
            this.sweepInterval = sweepInterval;
        }

        public Duration getRetryAfter() {
            return retryAfter;
        }

        public void setRetryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
        }
    }

    public static class Bindings {
        /**
         * Lifetime of a binding's credentials. When set, bindings carry expires_at and renew_before
         * (v2.16/2.17) and are unbound by the broker once expired; unset, they never expire.
         */
        private Duration ttl;

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }
    }

    public static class Store {
        /**
         * JDBC URL of the state store: an H2 file of the broker's own under ./data by default (one
         * replica), MariaDB/MySQL or PostgreSQL to share it between replicas.
         */
        private String url;
        private String username;
        private String password;
        /** Connections of the store's pool. */
        private int maximumPoolSize = 20;
        /**
         * Connections the pool keeps open when idle (it grows to {@link #maximumPoolSize} under
         * load): Hikari's default, the maximum, held 20 sessions open in a broker that serves one
         * request at a time most of its life.
         */
        private int minimumIdle = 2;
        /**
         * Flyway locations of the broker's own tables in the store (e.g. classpath:db/redis-broker),
         * migrated after the SDK's with a history table of their own.
         */
        private List<String> brokerMigrations = new ArrayList<>();

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public int getMaximumPoolSize() {
            return maximumPoolSize;
        }

        public void setMaximumPoolSize(int maximumPoolSize) {
            this.maximumPoolSize = maximumPoolSize;
        }

        public int getMinimumIdle() {
            return minimumIdle;
        }

        public void setMinimumIdle(int minimumIdle) {
            this.minimumIdle = minimumIdle;
        }

        public List<String> getBrokerMigrations() {
            return brokerMigrations;
        }

        public void setBrokerMigrations(List<String> brokerMigrations) {
            this.brokerMigrations = brokerMigrations;
        }
    }

    public static class Dashboard {
        /**
         * The SDK's dashboard per instance ({@code /dashboard/instances/{id}}) and the
         * {@code dashboard_url} that points at it, for backends without a dashboard of their own.
         */
        private boolean enabled = true;
        /**
         * The broker's public URL as people's browsers reach it, e.g. https://mysql-broker.example.com.
         * Unset: the address the platform reached the broker at (scheme, host, port and context path of
         * the OSB request), which is right only when the platform and people reach the broker alike.
         */
        private String baseUrl;
        /**
         * How long a dashboard link works. Platforms store the link they get at provision and show it
         * for the instance's whole life; a fresh one comes with every GET instance and update.
         */
        private Duration tokenTtl = Duration.ofDays(90);
        /** The longest a dashboard waits for the backend's usage before it shows the page without it. */
        private Duration usageTimeout = Duration.ofSeconds(5);
        /** Usage reads at once; more wait (until the timeout), so a crowd of viewers cannot crowd the backend. */
        private int usageThreads = 4;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getBaseUrl() {
            return baseUrl;
        }

        public void setBaseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        public Duration getTokenTtl() {
            return tokenTtl;
        }

        public void setTokenTtl(Duration tokenTtl) {
            this.tokenTtl = tokenTtl;
        }

        public Duration getUsageTimeout() {
            return usageTimeout;
        }

        public void setUsageTimeout(Duration usageTimeout) {
            this.usageTimeout = usageTimeout;
        }

        public int getUsageThreads() {
            return usageThreads;
        }

        public void setUsageThreads(int usageThreads) {
            this.usageThreads = usageThreads;
        }
    }

    public static class Marketplace {
        /** The public page of the catalog, {@code GET /marketplace} (no credentials: it is public information). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
