package org.paasta.servicepack.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.paasta.servicepack.sdk.ProvisionedInstances;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The MySQL broker, whole: the SDK serves the OSB API and keeps the state; this class adds the
 * backend, the storage quota enforcer and their admin connection pool. The pool is not a DataSource bean on purpose: the
 * application's DataSource is the SDK's state store.
 */
@SpringBootApplication
@EnableConfigurationProperties(MysqlProperties.class)
public class MysqlBrokerApplication {

    public static void main(String[] args) {
        SpringApplication.run(MysqlBrokerApplication.class, args);
    }

    @Bean
    MysqlBackend mysqlBackend(MysqlProperties properties, AdminPool adminPool) {
        return new MysqlBackend(adminPool.dataSource(), properties);
    }

    @Bean(destroyMethod = "close")
    @SuppressWarnings("unchecked")
    StorageQuota storageQuota(AdminPool adminPool, ProvisionedInstances<?> instances, MysqlProperties properties) {
        return new StorageQuota(adminPool.dataSource(), (ProvisionedInstances<MysqlLimits>) instances)
                .start(properties.getQuotaCheckInterval());
    }

    @Bean(destroyMethod = "close")
    AdminPool adminPool(MysqlProperties properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mysql-admin");
        config.setJdbcUrl(properties.getAdminUrl());
        config.setUsername(properties.getAdminUsername());
        config.setPassword(properties.getAdminPassword());
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        // Start even if the server is down now: requests then get a clear 503 until it is back.
        config.setInitializationFailTimeout(-1);
        return new AdminPool(new HikariDataSource(config));
    }

    /** Holder so the admin pool is closed with the application but is not "the" DataSource. */
    record AdminPool(HikariDataSource dataSource) implements AutoCloseable {
        @Override
        public void close() {
            dataSource.close();
        }
    }
}
