package org.paasta.servicepack.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.paasta.servicepack.sdk.ProvisionedInstances;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The MySQL broker, whole: the SDK serves the OSB API and keeps the state; this class adds the
 * backend, the storage quota enforcer and their admin connection pool (an ordinary DataSource bean:
 * the SDK's state store has a pool of its own).
 */
@SpringBootApplication
@EnableConfigurationProperties(MysqlProperties.class)
public class MysqlBrokerApplication {

    public static void main(String[] args) {
        SpringApplication.run(MysqlBrokerApplication.class, args);
    }

    @Bean
    MysqlBackend mysqlBackend(MysqlProperties properties, DataSource admin) {
        return new MysqlBackend(admin, properties);
    }

    @Bean(destroyMethod = "close")
    @SuppressWarnings("unchecked")
    StorageQuota storageQuota(DataSource admin, ProvisionedInstances<?> instances, MysqlProperties properties) {
        return new StorageQuota(admin, (ProvisionedInstances<MysqlLimits>) instances)
                .start(properties.getQuotaCheckInterval());
    }

    /** The server's admin account, pooled. */
    @Bean(destroyMethod = "close")
    HikariDataSource adminDataSource(MysqlProperties properties) {
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
        return new HikariDataSource(config);
    }
}
