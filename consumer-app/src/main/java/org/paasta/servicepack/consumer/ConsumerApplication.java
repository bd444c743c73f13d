package org.paasta.servicepack.consumer;

import com.mongodb.MongoClientSettings;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.mongo.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An application as a developer writes it for Cloud Foundry or PaaS-TA: Spring Boot, java-cfenv,
 * the usual Spring clients, and no connection settings at all. java-cfenv turns VCAP_SERVICES into
 * Spring Boot's properties; this app only uses the beans Spring Boot builds from them. For every
 * bound service it writes and reads data, prints one {@code RESULT} line, and exits non-zero when
 * any bound service fails (or none is bound).
 *
 * <p>The composition root: every check the app runs is listed here.
 */
@SpringBootApplication
public class ConsumerApplication {

    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(ConsumerApplication.class, args)));
    }

    @Bean
    ConsumerRun consumerRun(Environment environment, ObjectProvider<JdbcTemplate> jdbc,
            ObjectProvider<StringRedisTemplate> redis, ObjectProvider<RedisConnectionFactory> redisConnections,
            ObjectProvider<RabbitTemplate> rabbit, ObjectProvider<AmqpAdmin> rabbitAdmin,
            ObjectProvider<CachingConnectionFactory> rabbitConnections, ObjectProvider<MongoTemplate> mongo) {
        BoundServices bound = BoundServices.fromEnvironment();
        List<ServiceCheck> checks = List.of(
                new MysqlCheck(environment, jdbc),
                new RedisCheck(environment, redis, redisConnections),
                new RabbitmqCheck(environment, rabbit, rabbitAdmin, rabbitConnections),
                new MongodbCheck(environment, mongo));
        return new ConsumerRun(bound, checks, CredentialMask.of(bound), System.out);
    }

    /**
     * Not where to connect, only how long to wait: without it the driver waits 30 s for a server
     * that is not there, and the test harness waits for the app.
     */
    @Bean
    MongoClientSettingsBuilderCustomizer boundedMongoWaits() {
        return (MongoClientSettings.Builder builder) -> builder
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(10, TimeUnit.SECONDS))
                .applyToSocketSettings(socket -> socket.connectTimeout(10, TimeUnit.SECONDS)
                        .readTimeout(10, TimeUnit.SECONDS));
    }
}
