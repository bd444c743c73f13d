package org.paasta.servicepack.consumer;

import java.util.UUID;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;

/** A message sent to a queue of its own and received back with RabbitTemplate. */
final class RabbitmqCheck implements ServiceCheck {
    private static final long RECEIVE_TIMEOUT_MILLIS = 10_000;

    private final Environment environment;
    private final ObjectProvider<RabbitTemplate> rabbit;
    private final ObjectProvider<AmqpAdmin> admin;
    private final ObjectProvider<CachingConnectionFactory> connections;

    RabbitmqCheck(Environment environment, ObjectProvider<RabbitTemplate> rabbit, ObjectProvider<AmqpAdmin> admin,
            ObjectProvider<CachingConnectionFactory> connections) {
        this.environment = environment;
        this.rabbit = rabbit;
        this.admin = admin;
        this.connections = connections;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.RABBITMQ;
    }

    @Override
    public String writeAndRead() throws Exception {
        if (!ServiceCheckResults.configured(environment, "spring.rabbitmq.host", "spring.rabbitmq.addresses")) {
            throw new NotConfiguredException("spring.rabbitmq.host");
        }
        String queue = "consumer-check-" + UUID.randomUUID();
        String payload = UUID.randomUUID().toString();
        AmqpAdmin amqpAdmin = admin.getObject();
        amqpAdmin.declareQueue(new Queue(queue, false, false, false));
        try {
            RabbitTemplate template = rabbit.getObject();
            template.convertAndSend("", queue, payload);
            Object received = template.receiveAndConvert(queue, RECEIVE_TIMEOUT_MILLIS);
            ServiceCheckResults.requireSame(payload, received, "message on queue " + queue);
        } finally {
            amqpAdmin.deleteQueue(queue);
        }
        return "vhost=" + connections.getObject().getVirtualHost();
    }
}
