package org.paasta.servicepack.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.paasta.servicepack.sdk.ProvisionedInstances;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The MySQL broker, whole: a database per instance and an account per binding on one MySQL 8 or
 * MariaDB 10.11 server. The SDK serves the OSB API and keeps the state; this class adds the
 * server's admin pool, the backend, the storage quota enforcer and the server's health.
 */
@SpringBootApplication
@EnableConfigurationProperties(MysqlProperties.class)
public class MysqlBrokerApplication {

    public static void main(String[] args) {
        SpringApplication.run(MysqlBrokerApplication.class, args);
    }

    /**
     * The server's admin account, pooled: an ordinary DataSource, since the SDK's state store has a
     * pool of its own. Starts even if the server is down: requests then get a clear 503 until it is
     * back, and the health says why.
     */
    @Bean(destroyMethod = "close")
    HikariDataSource mysqlAdminDataSource(MysqlProperties properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mysql-admin");
        config.setJdbcUrl(properties.admin().url());
        config.setUsername(properties.admin().username());
        config.setPassword(properties.admin().password());
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    @Bean
    MysqlBackend mysqlBackend(DataSource mysqlAdminDataSource, MysqlProperties properties) {
        return new MysqlBackend(mysqlAdminDataSource, properties);
    }

    @Bean(destroyMethod = "close")
    StorageQuota storageQuota(DataSource mysqlAdminDataSource, ProvisionedInstances<MysqlLimits> instances,
                              MysqlProperties properties) {
        return new StorageQuota(mysqlAdminDataSource, instances, new MysqlNodes(properties))
                .start(properties.quotaCheckInterval());
    }

    /** {@code /actuator/health}'s {@code mysql}: the admin account reaches the server (version, address). */
    @Bean
    HealthIndicator mysqlHealthIndicator(DataSource mysqlAdminDataSource, MysqlProperties properties) {
        return new MysqlHealth(mysqlAdminDataSource, properties.admin());
    }
}
