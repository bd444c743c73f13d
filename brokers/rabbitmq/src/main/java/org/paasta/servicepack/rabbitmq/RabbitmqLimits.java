package org.paasta.servicepack.rabbitmq;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The typed {@code limits} of a plan in {@code catalog/rabbitmq.yml}.
 *
 * <p>The queue limits become an <em>operator</em> policy on the instance's vhost rather than a
 * user policy, because RabbitMQ applies the stricter of an operator policy and a queue's own
 * {@code x-arguments}: an application cannot declare its way past the plan. RabbitMQ 3.10 does not
 * accept {@code overflow} in operator policies, so a full queue behaves as RabbitMQ's default,
 * {@code drop-head}: the oldest message is dropped (or dead-lettered) to make room.
 *
 * @param maxQueueLength  messages per queue ({@code max-length})
 * @param maxQueueBytes   bytes of message bodies per queue ({@code max-length-bytes})
 * @param messageTtlMs    how long a message may wait in a queue ({@code message-ttl})
 * @param maxQueues       queues in the vhost (vhost limit {@code max-queues})
 * @param maxConnections  connections to the vhost (vhost limit {@code max-connections})
 * @param bindingUserTags RabbitMQ tags of each binding's user; empty unless a plan means to let
 *                        apps into the management UI ({@code management}) or further
 */
public record RabbitmqLimits(long maxQueueLength, long maxQueueBytes, long messageTtlMs, int maxQueues,
                             int maxConnections, List<String> bindingUserTags) {

    /** Tags that would let an app's user administer, or look into, the whole cluster and other tenants. */
    private static final List<String> OPERATOR_TAGS = List.of("administrator", "policymaker", "monitoring");

    @JsonCreator
    public RabbitmqLimits(@JsonProperty(value = "max_queue_length", required = true) long maxQueueLength,
                          @JsonProperty(value = "max_queue_bytes", required = true) long maxQueueBytes,
                          @JsonProperty(value = "message_ttl_ms", required = true) long messageTtlMs,
                          @JsonProperty(value = "max_queues", required = true) int maxQueues,
                          @JsonProperty(value = "max_connections", required = true) int maxConnections,
                          @JsonProperty("binding_user_tags") List<String> bindingUserTags) {
        positive("max_queue_length", maxQueueLength);
        positive("max_queue_bytes", maxQueueBytes);
        positive("message_ttl_ms", messageTtlMs);
        positive("max_queues", maxQueues);
        positive("max_connections", maxConnections);
        this.maxQueueLength = maxQueueLength;
        this.maxQueueBytes = maxQueueBytes;
        this.messageTtlMs = messageTtlMs;
        this.maxQueues = maxQueues;
        this.maxConnections = maxConnections;
        this.bindingUserTags = bindingUserTags == null ? List.of() : List.copyOf(bindingUserTags);
        for (String tag : this.bindingUserTags) {
            if (OPERATOR_TAGS.contains(tag)) {
                throw new IllegalArgumentException("binding_user_tags: '" + tag
                        + "' would let an application administer or watch the whole RabbitMQ cluster");
            }
        }
    }

    /** The operator policy definition, in the management API's keys. */
    Map<String, Object> operatorPolicy() {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("max-length", maxQueueLength);
        definition.put("max-length-bytes", maxQueueBytes);
        definition.put("message-ttl", messageTtlMs);
        return definition;
    }

    /** The vhost limits, in the management API's names. */
    Map<String, Integer> vhostLimits() {
        Map<String, Integer> limits = new LinkedHashMap<>();
        limits.put("max-queues", maxQueues);
        limits.put("max-connections", maxConnections);
        return limits;
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be a positive number, not " + value);
        }
    }
}
