package org.paasta.servicepack.consumer;

import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** A key written and read back with StringRedisTemplate, through the connection java-cfenv configured. */
final class RedisCheck implements ServiceCheck {
    private final Environment environment;
    private final ObjectProvider<StringRedisTemplate> redis;
    private final ObjectProvider<RedisConnectionFactory> connections;

    RedisCheck(Environment environment, ObjectProvider<StringRedisTemplate> redis,
            ObjectProvider<RedisConnectionFactory> connections) {
        this.environment = environment;
        this.redis = redis;
        this.connections = connections;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.REDIS;
    }

    @Override
    public String writeAndRead() throws Exception {
        if (!ServiceCheckResults.configured(environment, "spring.data.redis.host", "spring.data.redis.url")) {
            throw new NotConfiguredException("spring.data.redis.host");
        }
        StringRedisTemplate template = redis.getObject();
        String key = "consumer-check:" + UUID.randomUUID();
        String payload = UUID.randomUUID().toString();
        template.opsForValue().set(key, payload, Duration.ofMinutes(5));
        ServiceCheckResults.requireSame(payload, template.opsForValue().get(key), "key " + key);
        template.delete(key);
        RedisConnectionFactory factory = connections.getObject();
        if (factory instanceof LettuceConnectionFactory lettuce) {
            return "port=" + lettuce.getPort();
        }
        return "client=" + factory.getClass().getSimpleName();
    }
}
