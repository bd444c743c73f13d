package org.paasta.servicepack.rabbitmq;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The RabbitMQ broker's composition root: a vhost per instance and a user per binding on a shared
 * RabbitMQ cluster, administered through its management HTTP API. The SDK serves the Open Service
 * Broker API around the one {@link RabbitmqBackend} built here from {@code servicepack.rabbitmq.*};
 * the management API client is shared with the {@code rabbitmq} health component.
 */
@SpringBootApplication
@EnableConfigurationProperties(RabbitmqProperties.class)
public class RabbitmqBrokerApplication {
    private static final Logger log = LoggerFactory.getLogger(RabbitmqBrokerApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(RabbitmqBrokerApplication.class, args);
    }

    @Bean
    ManagementApi rabbitmqManagementApi(RabbitmqProperties properties) {
        RabbitmqProperties.Management management = properties.management();
        if ("guest".equals(management.username())) {
            log.warn("DEMO SETUP: the broker administers RabbitMQ as 'guest', which RabbitMQ only lets in from "
                    + "localhost. Create an administrator of the broker's own for any real deployment.");
        }
        return new ManagementApi(management.url(), management.username(), management.password(),
                management.requestTimeout());
    }

    @Bean
    RabbitmqBackend rabbitmqBackend(ManagementApi rabbitmqManagementApi, RabbitmqProperties properties) {
        return new RabbitmqBackend(rabbitmqManagementApi, properties.endpoints(), properties.protocols(),
                properties.connectionCloseTimeout());
    }

    /** The {@code rabbitmq} component of {@code /actuator/health}. */
    @Bean
    HealthIndicator rabbitmqHealthIndicator(ManagementApi rabbitmqManagementApi) {
        return new RabbitmqHealthIndicator(rabbitmqManagementApi);
    }
}
