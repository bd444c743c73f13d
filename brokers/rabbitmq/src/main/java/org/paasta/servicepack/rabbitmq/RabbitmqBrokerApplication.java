package org.paasta.servicepack.rabbitmq;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The RabbitMQ broker's composition root: the SDK serves the Open Service Broker API around the
 * one {@link RabbitmqBackend} built here from {@code servicepack.rabbitmq.*}.
 */
@SpringBootApplication
@EnableConfigurationProperties(RabbitmqProperties.class)
public class RabbitmqBrokerApplication {
    private static final Logger log = LoggerFactory.getLogger(RabbitmqBrokerApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(RabbitmqBrokerApplication.class, args);
    }

    @Bean
    RabbitmqBackend rabbitmqBackend(RabbitmqProperties properties) {
        RabbitmqProperties.Management management = properties.management();
        if (management == null || management.username() == null || management.password() == null) {
            throw new IllegalStateException("servicepack.rabbitmq.management.username and .password must name a "
                    + "RabbitMQ administrator");
        }
        if ("guest".equals(management.username())) {
            log.warn("DEMO SETUP: the broker administers RabbitMQ as 'guest', which RabbitMQ only lets in from "
                    + "localhost. Create an administrator of the broker's own for any real deployment.");
        }
        ManagementApi api = new ManagementApi(management.url(), management.username(), management.password(),
                management.requestTimeout());
        return new RabbitmqBackend(api, properties.endpoints(), properties.protocols(),
                properties.connectionCloseTimeout(), properties.connectionSettle());
    }
}
