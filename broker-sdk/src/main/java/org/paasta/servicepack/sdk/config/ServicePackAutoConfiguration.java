package org.paasta.servicepack.sdk.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.URI;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.catalina.Context;
import org.apache.catalina.core.StandardHost;
import org.paasta.servicepack.sdk.ProvisionedInstances;
import org.paasta.servicepack.sdk.ServiceBackend;
import org.paasta.servicepack.sdk.broker.DashboardLinks;
import org.paasta.servicepack.sdk.broker.OperationRunner;
import org.paasta.servicepack.sdk.broker.PlanResolver;
import org.paasta.servicepack.sdk.broker.ServiceBroker;
import org.paasta.servicepack.sdk.catalog.CatalogException;
import org.paasta.servicepack.sdk.catalog.CatalogLoader;
import org.paasta.servicepack.sdk.catalog.ScosbCatalog;
import org.paasta.servicepack.sdk.catalog.ServiceCatalog;
import org.paasta.servicepack.sdk.dashboard.CatalogListing;
import org.paasta.servicepack.sdk.dashboard.DashboardEndpoints;
import org.paasta.servicepack.sdk.dashboard.DashboardTokens;
import org.paasta.servicepack.sdk.dashboard.InstanceDashboard;
import org.paasta.servicepack.sdk.dashboard.MarketplaceEndpoint;
import org.paasta.servicepack.sdk.dashboard.Pages;
import org.paasta.servicepack.sdk.dashboard.SignedDashboardLinks;
import org.paasta.servicepack.sdk.dashboard.Texts;
import org.paasta.servicepack.sdk.dashboard.UsageReader;
import org.paasta.servicepack.sdk.observability.AdvertisedHosts;
import org.paasta.servicepack.sdk.observability.BrokerMetrics;
import org.paasta.servicepack.sdk.observability.StateStoreHealthIndicator;
import org.paasta.servicepack.sdk.observability.StoreGauges;
import org.paasta.servicepack.sdk.secrets.KeyRotation;
import org.paasta.servicepack.sdk.secrets.SealedSecrets;
import org.paasta.servicepack.sdk.secrets.SecretBox;
import org.paasta.servicepack.sdk.state.StateStore;
import org.paasta.servicepack.sdk.state.StoreDataSource;
import org.paasta.servicepack.sdk.state.StoreMigrations;
import org.paasta.servicepack.sdk.web.BindingEndpoints;
import org.paasta.servicepack.sdk.web.InstanceEndpoints;
import org.paasta.servicepack.sdk.web.OsbErrorController;
import org.paasta.servicepack.sdk.web.OsbErrorReportValve;
import org.paasta.servicepack.sdk.web.OsbExceptionAdvice;
import org.paasta.servicepack.sdk.web.OsbRequestFilter;
import org.paasta.servicepack.sdk.web.OsbResponseAdvice;
import org.paasta.servicepack.sdk.web.PredecessorCapture;
import org.paasta.servicepack.sdk.web.SynchronousMonoResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.cloud.servicebroker.autoconfigure.web.ServiceBrokerAutoConfiguration;
import org.springframework.cloud.servicebroker.service.CatalogService;
import org.springframework.cloud.servicebroker.service.ServiceInstanceBindingService;
import org.springframework.cloud.servicebroker.service.ServiceInstanceService;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * The SDK's composition root: given one {@link ServiceBackend} bean and a catalog, it assembles
 * the whole OSB API over Spring Cloud Open Service Broker. Every bean here steps aside for a bean
 * of the same type (or, for the store's pool, name) that the broker defines itself.
 */
@AutoConfiguration(before = {ServiceBrokerAutoConfiguration.class, ErrorMvcAutoConfiguration.class},
        after = JacksonAutoConfiguration.class)
@ConditionalOnBean(ServiceBackend.class)
@EnableConfigurationProperties(ServicePackProperties.class)
public class ServicePackAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ServicePackAutoConfiguration.class);

    /** Time for leases, expiry and timestamps; a test replaces it to move time without waiting. */
    @Bean
    @ConditionalOnMissingBean
    public Clock servicePackClock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    public ServiceCatalog serviceCatalog(ServicePackProperties properties, ResourceLoader resources) {
        List<String> files = properties.getCatalog().getFiles();
        if (files.isEmpty()) {
            throw new CatalogException(List.of("servicepack.catalog.files: name at least one catalog file, "
                    + "e.g. classpath:catalog/mysql.yml"));
        }
        List<CatalogLoader.Source> sources = new ArrayList<>();
        for (String file : files) {
            Resource resource = resources.getResource(file);
            try {
                sources.add(new CatalogLoader.Source(file, resource.getInputStream()));
            } catch (IOException e) {
                throw new CatalogException(List.of(file + ": cannot be read (" + e.getMessage() + ")"));
            }
        }
        return new CatalogLoader().load(sources);
    }

    @Bean
    @ConditionalOnMissingBean
    public PlanResolver<?> planResolver(ServiceBackend<?> backend, ServiceCatalog catalog, ObjectMapper json) {
        return new PlanResolver<>(catalog, backend.limitsType(), json);
    }

    /** SCOSB's controllers look services up in the same catalog, with the same check. */
    @Bean
    @ConditionalOnMissingBean
    public CatalogService catalogService(ServiceCatalog catalog, PlanResolver<?> plans, ObjectMapper json) {
        return new ScosbCatalog(catalog, json, plans::requireService);
    }

    @Bean
    @ConditionalOnMissingBean
    public SecretBox secretBox(ServicePackProperties properties) {
        return new SecretBox(properties.getSecrets().getKey(), properties.getSecrets().getPreviousKeys());
    }

    /** With previous keys configured, every stored secret is sealed again under the current key after start. */
    @Bean
    @ConditionalOnMissingBean
    public KeyRotation keyRotation(SecretBox secrets, StateStore store, ObjectProvider<SealedSecrets> brokerSecrets,
                                   ServicePackProperties properties) {
        return new KeyRotation(secrets, store, brokerSecrets.orderedStream().toList(),
                !properties.getSecrets().getPreviousKeys().isEmpty());
    }

    /**
     * The state store's own pool, not a default candidate: the broker's {@code DataSource} beans
     * and Spring Boot's JDBC auto-configuration are left to the broker. It is migrated before
     * anyone gets it (the SDK's tables, then the broker's {@code servicepack.store.broker-migrations});
     * a broker that defines this bean itself calls {@link StoreMigrations#migrate} too.
     */
    @Bean(defaultCandidate = false, destroyMethod = "close")
    @StoreDataSource
    @ConditionalOnMissingBean(name = "servicePackStoreDataSource")
    public HikariDataSource servicePackStoreDataSource(ServicePackProperties properties) {
        ServicePackProperties.Store store = properties.getStore();
        HikariConfig config = new HikariConfig();
        config.setPoolName("servicepack-store");
        config.setJdbcUrl(store.getUrl());
        config.setUsername(store.getUsername());
        config.setPassword(store.getPassword());
        config.setMaximumPoolSize(store.getMaximumPoolSize());
        config.setMinimumIdle(Math.min(store.getMinimumIdle(), store.getMaximumPoolSize()));
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            StoreMigrations.migrate(dataSource, store.getUrl(), store.getBrokerMigrations());
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

    @Bean
    @ConditionalOnMissingBean
    public StateStore stateStore(@StoreDataSource DataSource store, ObjectMapper json) {
        return new StateStore(new JdbcTemplate(store), new TransactionTemplate(new DataSourceTransactionManager(store)),
                json);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public OperationRunner operationRunner(StateStore store, ServicePackProperties properties, Clock clock) {
        ServicePackProperties.Async async = properties.getAsync();
        return new OperationRunner(store, clock, async.getLease(), async.getThreads(), async.getQueue());
    }

    @Bean
    @ConditionalOnMissingBean
    public BrokerMetrics brokerMetrics(ObjectProvider<MeterRegistry> registry) {
        return new BrokerMetrics(registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    @ConditionalOnMissingBean
    public ServiceBroker<?> serviceBroker(ServiceBackend<?> backend, PlanResolver<?> plans, StateStore store,
                                          OperationRunner runner, SecretBox secrets, ObjectMapper json,
                                          BrokerMetrics metrics, ServicePackProperties properties, Clock clock,
                                          DashboardLinks dashboardLinks) {
        return assemble(backend, plans, store, runner, secrets, json, metrics, properties, clock, dashboardLinks);
    }

    @SuppressWarnings("unchecked")
    private static <L> ServiceBroker<L> assemble(ServiceBackend<L> backend, PlanResolver<?> plans, StateStore store,
                                                 OperationRunner runner, SecretBox secrets, ObjectMapper json,
                                                 BrokerMetrics metrics, ServicePackProperties properties,
                                                 Clock clock, DashboardLinks dashboardLinks) {
        // The resolver was built from this backend's limits type (see planResolver()).
        return ServiceBroker.assemble(backend, (PlanResolver<L>) plans, store, runner, secrets, json, metrics, clock,
                properties.getBindings().getTtl(), dashboardLinks);
    }

    // ---- dashboards per instance and the marketplace page -----------------------------------

    @Bean
    @ConditionalOnMissingBean
    public DashboardTokens dashboardTokens(ServicePackProperties properties) {
        return new DashboardTokens(properties.getSecrets().getKey(), properties.getSecrets().getPreviousKeys());
    }

    /**
     * The SDK's {@code dashboard_url} for backends without a dashboard of their own; none when
     * {@code servicepack.dashboard.enabled=false}.
     */
    @Bean
    @ConditionalOnMissingBean
    public DashboardLinks dashboardLinks(ServicePackProperties properties, DashboardTokens tokens, Clock clock,
                                         Environment environment) {
        ServicePackProperties.Dashboard dashboard = properties.getDashboard();
        if (!dashboard.isEnabled()) {
            return DashboardLinks.NONE;
        }
        // Said at start, as settings to fix, rather than as links no browser can open.
        String configuredBase;
        try {
            configuredBase = dashboard.getBaseUrl() == null ? null : SignedDashboardLinks.checkedBase(dashboard.getBaseUrl());
        } catch (IllegalArgumentException e) {
            throw new MissingSettingException("servicepack.dashboard.base-url", "SERVICEPACK_DASHBOARD_BASE_URL",
                    e.getMessage());
        }
        Duration ttl = dashboard.getTokenTtl();
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new MissingSettingException("servicepack.dashboard.token-ttl", "SERVICEPACK_DASHBOARD_TOKEN_TTL",
                    "how long a dashboard link works, a positive duration such as 90d");
        }
        SignedDashboardLinks links = new SignedDashboardLinks(configuredBase, tokens, ttl, clock);
        if (!environment.matchesProfiles(ServicePackDefaults.DEV_PROFILE)) {
            String base = links.configuredBase();
            if (base == null) {
                LOG.warn("servicepack.dashboard.base-url (SERVICEPACK_DASHBOARD_BASE_URL) is not set: dashboard_url "
                        + "links point where the platform reached this broker. Set it to the broker's public URL "
                        + "if people's browsers reach the broker at another address.");
            } else if (AdvertisedHosts.isLoopback(URI.create(base).getHost())) {
                LOG.warn("""

                        ****************************************************************************
                        *  LOOPBACK ADDRESS IN DASHBOARD LINKS: dashboard_url points at {}
                        *  Only a browser on this very machine can open it. Set
                        *  SERVICEPACK_DASHBOARD_BASE_URL to the broker's public URL.
                        ****************************************************************************""", base);
            }
        }
        return links;
    }

    @Bean
    @ConditionalOnMissingBean
    public Pages servicePackPages() {
        return new Pages(new Texts());
    }

    @Bean
    @ConditionalOnMissingBean
    public CatalogListing catalogListing(ServiceCatalog catalog, Pages pages) {
        return new CatalogListing(catalog, pages.texts());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "servicepack.dashboard.enabled", matchIfMissing = true)
    public UsageReader usageReader(ServicePackProperties properties) {
        ServicePackProperties.Dashboard dashboard = properties.getDashboard();
        return new UsageReader(dashboard.getUsageThreads(), dashboard.getUsageTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "servicepack.dashboard.enabled", matchIfMissing = true)
    public InstanceDashboard<?> instanceDashboard(StateStore store, PlanResolver<?> plans, ServiceBackend<?> backend,
                                                  CatalogListing listing, UsageReader usage, Pages pages, Clock clock) {
        return dashboard(store, plans, backend, listing, usage, pages, clock);
    }

    @SuppressWarnings("unchecked")
    private static <L> InstanceDashboard<L> dashboard(StateStore store, PlanResolver<?> plans,
                                                      ServiceBackend<L> backend, CatalogListing listing,
                                                      UsageReader usage, Pages pages, Clock clock) {
        // The resolver was built from this backend's limits type (see planResolver()).
        return new InstanceDashboard<>(store, (PlanResolver<L>) plans, backend, listing, usage, pages.texts(), clock);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "servicepack.dashboard.enabled", matchIfMissing = true)
    public DashboardEndpoints dashboardEndpoints(DashboardTokens tokens, InstanceDashboard<?> dashboard, Pages pages,
                                                 ObjectMapper json, Clock clock) {
        return new DashboardEndpoints(tokens, dashboard, pages, json, clock);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "servicepack.marketplace.enabled", matchIfMissing = true)
    public MarketplaceEndpoint marketplaceEndpoint(CatalogListing listing, Pages pages, ObjectMapper json) {
        return new MarketplaceEndpoint(listing, pages, json);
    }

    /** Instances, bindings and unfinished operations from the store, as every replica sees them. */
    @Bean
    @ConditionalOnMissingBean
    public StoreGauges storeGauges(StateStore store, ServiceCatalog catalog, Clock clock) {
        return new StoreGauges(store, catalog, clock, Duration.ofSeconds(30));
    }

    /** This replica's async executor: queued and running operations. */
    @Bean
    public MeterBinder operationExecutorMetrics(OperationRunner runner) {
        return registry -> {
            Gauge.builder("servicepack.async.queued", runner, OperationRunner::queued)
                    .description("Async operations waiting for a worker of this replica").register(registry);
            Gauge.builder("servicepack.async.active", runner, OperationRunner::active)
                    .description("Async operations running on this replica's workers").register(registry);
        };
    }

    /** Health component {@code stateStore}; part of readiness (every OSB request needs the store). */
    @Bean
    @ConditionalOnMissingBean(name = "stateStoreHealthIndicator")
    public HealthIndicator stateStoreHealthIndicator(StateStore store, ServicePackProperties properties) {
        return new StateStoreHealthIndicator(store, properties.getStore().getUrl());
    }

    /** Health component {@code advertisedHosts}; the loud warning at start when apps would get a loopback address. */
    @Bean
    @ConditionalOnMissingBean(name = "advertisedHostsHealthIndicator")
    public AdvertisedHosts advertisedHostsHealthIndicator(ServiceBackend<?> backend, Environment environment) {
        AdvertisedHosts hosts = new AdvertisedHosts(backend.advertisedHosts(),
                environment.matchesProfiles(ServicePackDefaults.DEV_PROFILE));
        hosts.warnIfLoopback();
        return hosts;
    }

    /** The author's read model of the provisioned instances (quota enforcers, dashboards, metrics). */
    @Bean
    @ConditionalOnMissingBean
    public ProvisionedInstances<?> provisionedInstances(ServiceBroker<?> broker) {
        return broker.instances();
    }

    /** Starts lease renewal and the sweeper once the application is up, and resumes left-over work. */
    @Bean
    public SmartLifecycle operationSweeper(OperationRunner runner, ServiceBroker<?> broker,
                                           ServicePackProperties properties) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                runner.start(broker.operations()::run, properties.getAsync().getSweepInterval(),
                        broker.expiry()::unbindExpired);
                running = true;
            }

            @Override
            public void stop() {
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    public ServiceInstanceService serviceInstanceService(ServiceBroker<?> broker) {
        return new InstanceEndpoints(broker.admission(), broker.queries());
    }

    @Bean
    @ConditionalOnMissingBean
    public ServiceInstanceBindingService serviceInstanceBindingService(ServiceBroker<?> broker) {
        return new BindingEndpoints(broker.admission(), broker.queries());
    }

    @Bean
    @ConditionalOnMissingBean
    public FilterRegistrationBean<OsbRequestFilter> osbRequestFilter(ServicePackProperties properties,
                                                                     ServiceCatalog catalog, ObjectMapper json,
                                                                     Environment environment,
                                                                     ServiceBroker<?> broker) {
        ServicePackProperties.Security security = properties.getSecurity();
        if (environment.matchesProfiles(ServicePackDefaults.DEV_PROFILE)) {
            LOG.warn("""

                    ****************************************************************************
                    *  DEV PROFILE: this broker runs with built-in demo credentials            *
                    *  (servicepack.security.* and servicepack.secrets.key). Anyone who reads   *
                    *  this project's source can call it and decrypt its stored credentials.    *
                    *  Never use the dev profile outside a developer's machine.                 *
                    ****************************************************************************""");
        }
        FilterRegistrationBean<OsbRequestFilter> registration = new FilterRegistrationBean<>(new OsbRequestFilter(
                security.getUsername(), security.getPassword(), security.getMonitoringUsername(),
                security.getMonitoringPassword(), properties.isRequireApiVersion(),
                Pattern.compile(properties.getIdPattern()), catalog, json, broker.queries(),
                properties.getAsync().getRetryAfter()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        LOG.info("OSB broker ready to serve {} plans from {}", catalog.plans().size(), properties.getCatalog().getFiles());
        return registration;
    }

    @Bean
    @ConditionalOnMissingBean
    public OsbExceptionAdvice osbExceptionAdvice() {
        return new OsbExceptionAdvice();
    }

    @Bean
    @ConditionalOnMissingBean
    public OsbResponseAdvice osbResponseAdvice(ObjectMapper json) {
        return new OsbResponseAdvice(json);
    }

    @Bean
    public SmartInitializingSingleton synchronousMonoResults(ObjectProvider<RequestMappingHandlerAdapter> adapter) {
        RequestMappingHandlerAdapter mvc = adapter.getIfAvailable();
        return mvc == null ? () -> { } : new SynchronousMonoResults(mvc);
    }

    @Bean
    @ConditionalOnMissingBean
    public PredecessorCapture predecessorCapture(ObjectMapper json) {
        return new PredecessorCapture(json);
    }

    /** Boot's /error page (whitelabel HTML or Boot's own JSON) answers with an OSB error body instead. */
    @Bean
    @ConditionalOnMissingBean(ErrorController.class)
    public OsbErrorController osbErrorController() {
        return new OsbErrorController();
    }

    /**
     * Tomcat's own answers, for requests it refuses before any filter runs, as OSB error bodies; and
     * TRACE let through the connector so the OSB filter refuses it with one (Tomcat's own refusal is
     * an empty 405 that no error page sees).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
    static class TomcatErrors {
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> osbTomcatErrors(ObjectMapper json) {
            return factory -> {
                factory.addConnectorCustomizers(connector -> connector.setAllowTrace(true));
                factory.addContextCustomizers(context -> installErrorReportValve(context, json));
            };
        }

        private static void installErrorReportValve(Context context, ObjectMapper json) {
            if (!(context.getParent() instanceof StandardHost host)) {
                LOG.warn("Tomcat's context has no StandardHost parent; requests Tomcat refuses itself will get "
                        + "its HTML error page, not an OSB error body");
                return;
            }
            // The Host adds Tomcat's valve when it starts unless one of the configured class is in its pipeline.
            host.setErrorReportValveClass(OsbErrorReportValve.class.getName());
            host.getPipeline().addValve(new OsbErrorReportValve(json));
        }
    }
}
