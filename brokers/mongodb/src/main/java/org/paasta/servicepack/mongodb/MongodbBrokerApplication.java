package org.paasta.servicepack.mongodb;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The MongoDB broker's composition root: a database per instance and a SCRAM user per binding, on
 * one admin client shared by the {@link MongodbBackend} and the {@code mongodb} health component.
 * The SDK's auto-configuration serves the Open Service Broker API around the backend bean.
 *
 * <p>Spring Boot's own MongoDB auto-configuration is switched off: it would open a second client
 * to {@code localhost:27017} from {@code spring.data.mongodb.*}, and the broker's only MongoDB
 * setting is {@code servicepack.mongodb.uri}.
 */
@SpringBootApplication(exclude = MongoAutoConfiguration.class)
@EnableConfigurationProperties(MongodbProperties.class)
public class MongodbBrokerApplication {
    /** A health probe answers quickly or says DOWN; a deployment that slow is not healthy. */
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(5);

    public static void main(String[] args) {
        SpringApplication.run(MongodbBrokerApplication.class, args);
    }

    @Bean(destroyMethod = "close")
    MongoClient mongodbAdminClient(MongodbProperties properties) {
        return adminClient(properties.adminUri());
    }

    @Bean
    MongodbBackend mongodbBackend(MongoClient mongodbAdminClient, MongodbProperties properties) {
        return new MongodbBackend(mongodbAdminClient, properties.clientAddress());
    }

    /** The {@code mongodb} component of {@code /actuator/health}. */
    @Bean
    HealthIndicator mongodbHealthIndicator(MongoClient mongodbAdminClient, MongodbProperties properties) {
        return new MongodbHealthIndicator(mongodbAdminClient, properties.adminUri().getHosts(), HEALTH_TIMEOUT);
    }

    /**
     * A client for the broker's admin work. A request thread must not hang on a lost deployment for
     * the driver's default 30 s: unless the URI says otherwise, give up after 10 s with a 503.
     */
    static MongoClient adminClient(ConnectionString uri) {
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(10, TimeUnit.SECONDS))
                .applyToSocketSettings(socket -> socket.connectTimeout(10, TimeUnit.SECONDS))
                .applyConnectionString(uri)
                .build();
        return MongoClients.create(settings);
    }
}
