package org.paasta.servicepack.sdk.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.paasta.servicepack.sdk.ServiceBackend;
import org.paasta.servicepack.sdk.broker.OperationRunner;
import org.paasta.servicepack.sdk.broker.PlanResolver;
import org.paasta.servicepack.sdk.broker.ServiceBroker;
import org.paasta.servicepack.sdk.catalog.CatalogException;
import org.paasta.servicepack.sdk.catalog.CatalogLoader;
import org.paasta.servicepack.sdk.catalog.ServiceCatalog;
import org.paasta.servicepack.sdk.secrets.SecretBox;
import org.paasta.servicepack.sdk.state.StateStore;
import org.paasta.servicepack.sdk.web.BindingEndpoints;
import org.paasta.servicepack.sdk.web.InstanceEndpoints;
import org.paasta.servicepack.sdk.web.OsbExceptionAdvice;
import org.paasta.servicepack.sdk.web.OsbRequestFilter;
import org.paasta.servicepack.sdk.web.OsbResponseAdvice;
import org.paasta.servicepack.sdk.web.PredecessorCapture;
import org.paasta.servicepack.sdk.web.SynchronousMonoResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.cloud.servicebroker.autoconfigure.web.ServiceBrokerAutoConfiguration;
import org.springframework.cloud.servicebroker.model.catalog.Catalog;
import org.springframework.cloud.servicebroker.service.BeanCatalogService;
import org.springframework.cloud.servicebroker.service.CatalogService;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * The SDK's composition root: given one {@link ServiceBackend} bean and a catalog, it assembles
 * the whole OSB API over Spring Cloud Open Service Broker. Beans a broker defines itself win.
 */
@AutoConfiguration(before = ServiceBrokerAutoConfiguration.class,
        after = {DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
                JdbcTemplateAutoConfiguration.class, FlywayAutoConfiguration.class, JacksonAutoConfiguration.class})
@ConditionalOnBean(ServiceBackend.class)
@EnableConfigurationProperties(ServicePackProperties.class)
public class ServicePackAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ServicePackAutoConfiguration.class);

    @Bean
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
    public CatalogService catalogService(ServiceCatalog catalog, ObjectMapper json) {
        ObjectMapper lenient = json.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return new BeanCatalogService(lenient.convertValue(catalog.body(), Catalog.class));
    }

    @Bean
    public SecretBox secretBox(ServicePackProperties properties) {
        String key = properties.getSecrets().getKey();
        if (key == null || key.isBlank()) {
            throw new MissingSettingException("servicepack.secrets.key",
                    "the key that encrypts stored credentials (32+ random characters)");
        }
        return new SecretBox(key);
    }

    @Bean
    public StateStore stateStore(JdbcTemplate jdbc, PlatformTransactionManager transactions, ObjectMapper json) {
        return new StateStore(jdbc, new TransactionTemplate(transactions), json);
    }

    @Bean(destroyMethod = "close")
    public OperationRunner operationRunner(StateStore store, ServicePackProperties properties) {
        ServicePackProperties.Async async = properties.getAsync();
        return new OperationRunner(store, Clock.systemUTC(), async.getLease(), async.getThreads(), async.getQueue());
    }

    @Bean
    public ServiceBroker<?> serviceBroker(ServiceBackend<?> backend, ServiceCatalog catalog, StateStore store,
                                          OperationRunner runner, SecretBox secrets, ObjectMapper json,
                                          ServicePackProperties properties) {
        return broker(backend, catalog, store, runner, secrets, json, properties);
    }

    private static <L> ServiceBroker<L> broker(ServiceBackend<L> backend, ServiceCatalog catalog, StateStore store,
                                               OperationRunner runner, SecretBox secrets, ObjectMapper json,
                                               ServicePackProperties properties) {
        PlanResolver<L> plans = new PlanResolver<>(catalog, backend.limitsType(), json);
        return new ServiceBroker<>(backend, plans, store, runner, secrets, json, Clock.systemUTC(),
                properties.getBindings().getTtl());
    }

    /** Starts lease renewal and the sweeper once the application is up, and resumes left-over work. */
    @Bean
    public SmartLifecycle operationSweeper(OperationRunner runner, ServiceBroker<?> broker,
                                           ServicePackProperties properties) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                runner.start(broker::run, properties.getAsync().getSweepInterval(), broker::expireBindings);
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
    public InstanceEndpoints serviceInstanceService(ServiceBroker<?> broker) {
        return new InstanceEndpoints(broker);
    }

    @Bean
    public BindingEndpoints serviceInstanceBindingService(ServiceBroker<?> broker) {
        return new BindingEndpoints(broker);
    }

    @Bean
    public FilterRegistrationBean<OsbRequestFilter> osbRequestFilter(ServicePackProperties properties,
                                                                     ServiceCatalog catalog, ObjectMapper json,
                                                                     Environment environment, DataSource dataSource,
                                                                     ServiceBroker<?> broker) {
        ServicePackProperties.Security security = properties.getSecurity();
        if (security.getUsername() == null || security.getPassword() == null || security.getPassword().isBlank()) {
            throw new MissingSettingException("servicepack.security.username and servicepack.security.password",
                    "the HTTP basic auth credentials the platform registers this broker with");
        }
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
                security.getUsername(), security.getPassword(), properties.isRequireApiVersion(),
                Pattern.compile(properties.getIdPattern()), catalog, json, broker,
                properties.getAsync().getRetryAfter()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        LOG.info("OSB broker ready to serve {} plans from {}", catalog.plans().size(), properties.getCatalog().getFiles());
        return registration;
    }

    @Bean
    public OsbExceptionAdvice osbExceptionAdvice() {
        return new OsbExceptionAdvice();
    }

    @Bean
    public OsbResponseAdvice osbResponseAdvice(ObjectMapper json) {
        return new OsbResponseAdvice(json);
    }

    @Bean
    public SmartInitializingSingleton synchronousMonoResults(ObjectProvider<RequestMappingHandlerAdapter> adapter) {
        RequestMappingHandlerAdapter mvc = adapter.getIfAvailable();
        return mvc == null ? () -> { } : new SynchronousMonoResults(mvc);
    }

    @Bean
    public PredecessorCapture predecessorCapture(ObjectMapper json) {
        return new PredecessorCapture(json);
    }
}
