package org.paasta.servicepack.rabbitmq;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.Usage.Measure;
import org.paasta.servicepack.sdk.Usage.Notice;
import org.paasta.servicepack.sdk.Usage.Severity;
import org.paasta.servicepack.sdk.Usage.Text;

/**
 * An instance's usage as its dashboard shows it, made from what the management API reports about
 * its vhost: queues against {@code max-queues}, messages ready and unacknowledged, the fullest
 * queue against the plan's {@code max_queue_length}, connections against {@code max-connections},
 * and connections per binding. The vhost's own limits are preferred to the plan's (an operator may
 * have changed them by hand); the plan's are the fallback.
 */
final class VhostUsage {
    /** From here on the dashboard warns: the limits are small counts, one pool resize fills the rest. */
    static final double NEAR_LIMIT = 0.8;

    static final Text QUEUES = new Text("Queues", "큐");
    static final Text READY = new Text("Messages ready", "대기 중인 메시지");
    static final Text UNACKED = new Text("Messages unacknowledged", "확인(ack) 대기 메시지");
    static final Text FULLEST_QUEUE = new Text("Messages in the fullest queue", "가장 찬 큐의 메시지");
    static final Text CONNECTIONS = new Text("Connections", "연결");
    static final Text BINDING_CONNECTIONS = new Text("Connections as this binding's user", "이 바인딩 사용자로 연결된 연결");

    private VhostUsage() {
    }

    /**
     * @param queues      the vhost's queues, or null when the vhost is gone
     * @param connections the vhost's connections, or null when the vhost is gone
     * @param vhostLimits the limits RabbitMQ has on the vhost
     * @param plan        the plan's limits
     * @param bindingIds  the instance's bindings
     */
    static Usage of(List<ManagementApi.QueueStats> queues, List<ManagementApi.Connection> connections,
                    Map<String, Long> vhostLimits, RabbitmqLimits plan, List<String> bindingIds) {
        if (queues == null || connections == null) {
            return new Usage(List.of(), List.of(new Notice(Severity.CRITICAL, new Text(
                    "The instance's vhost does not exist on RabbitMQ: apps cannot connect. It was deleted outside"
                            + " the broker; ask the platform operator, or delete and re-create the service.",
                    "이 인스턴스의 vhost가 RabbitMQ에 없습니다: 앱이 연결할 수 없습니다. 브로커 밖에서 삭제되었습니다."
                            + " 플랫폼 운영자에게 문의하거나 서비스를 삭제하고 다시 만드십시오."))));
        }
        long maxQueues = vhostLimits.getOrDefault("max-queues", (long) plan.maxQueues());
        long maxConnections = vhostLimits.getOrDefault("max-connections", (long) plan.maxConnections());
        long ready = queues.stream().mapToLong(ManagementApi.QueueStats::ready).sum();
        long unacked = queues.stream().mapToLong(ManagementApi.QueueStats::unacknowledged).sum();
        ManagementApi.QueueStats fullest = queues.stream()
                .max(Comparator.comparingLong(ManagementApi.QueueStats::ready)).orElse(null);
        Map<String, Integer> byUser = new HashMap<>();
        connections.forEach(connection -> byUser.merge(connection.user(), 1, Integer::sum));

        List<Measure> measures = new ArrayList<>();
        // A negative vhost limit means none in RabbitMQ.
        measures.add(Measure.of(QUEUES, queues.size(), maxQueues >= 0 ? (double) maxQueues : null, "queues"));
        measures.add(Measure.of(READY, ready, null, "messages"));
        measures.add(Measure.of(UNACKED, unacked, null, "messages"));
        measures.add(Measure.of(FULLEST_QUEUE, fullest == null ? 0 : fullest.ready(), (double) plan.maxQueueLength(),
                "messages"));
        measures.add(Measure.of(CONNECTIONS, connections.size(), maxConnections >= 0 ? (double) maxConnections : null,
                "connections"));
        for (String bindingId : bindingIds) {
            measures.add(new Measure(BINDING_CONNECTIONS, byUser.getOrDefault(ResourceNames.user(bindingId), 0), null,
                    "connections", bindingId));
        }

        List<Notice> notices = new ArrayList<>();
        if (maxQueues >= 0 && queues.size() >= maxQueues) {
            notices.add(new Notice(Severity.CRITICAL, new Text(
                    "The instance has " + queues.size() + " queues, the plan's limit of " + maxQueues
                            + ": declaring another queue is refused. Delete queues it no longer uses, or move to a"
                            + " plan with more queues.",
                    "큐가 " + queues.size() + "개로 플랜 한도(" + maxQueues + ")에 이르렀습니다: 새 큐 선언이 거부됩니다."
                            + " 쓰지 않는 큐를 지우거나, 큐가 더 많은 플랜으로 옮기십시오.")));
        } else if (maxQueues > 0 && queues.size() >= NEAR_LIMIT * maxQueues) {
            notices.add(new Notice(Severity.WARNING, new Text(
                    "Queues are near the plan's limit of " + maxQueues + ": past it, declaring a queue is refused.",
                    "큐 수가 플랜 한도(" + maxQueues + ")에 가깝습니다: 넘으면 큐 선언이 거부됩니다.")));
        }
        if (maxConnections >= 0 && connections.size() >= maxConnections) {
            notices.add(new Notice(Severity.CRITICAL, new Text(
                    "The instance has " + connections.size() + " connections, the plan's limit of " + maxConnections
                            + ": new connections are refused. Make the apps' connection pools smaller, or close"
                            + " idle connections.",
                    "연결이 " + connections.size() + "개로 플랜 한도(" + maxConnections + ")에 이르렀습니다: 새 연결이"
                            + " 거부됩니다. 앱의 연결 풀 크기를 줄이거나 쓰지 않는 연결을 닫으십시오.")));
        } else if (maxConnections > 0 && connections.size() >= NEAR_LIMIT * maxConnections) {
            notices.add(new Notice(Severity.WARNING, new Text(
                    "Connections are near the plan's limit of " + maxConnections + ": past it, new connections are"
                            + " refused. Make the apps' connection pools smaller.",
                    "연결 수가 플랜 한도(" + maxConnections + ")에 가깝습니다: 넘으면 새 연결이 거부됩니다."
                            + " 앱의 연결 풀 크기를 줄이십시오.")));
        }
        if (fullest != null && fullest.ready() >= plan.maxQueueLength()) {
            notices.add(new Notice(Severity.CRITICAL, new Text(
                    "Queue '" + fullest.name() + "' holds " + fullest.ready() + " messages, the plan's maximum: each new"
                            + " message now pushes out the oldest one (dropped, or dead-lettered if the queue has a"
                            + " dead-letter exchange). Consume faster or move to a plan with longer queues.",
                    "큐 '" + fullest.name() + "'에 메시지가 " + fullest.ready() + "개로 플랜 최대치입니다: 새 메시지마다"
                            + " 가장 오래된 메시지가 밀려납니다(삭제, 또는 dead-letter exchange가 있으면 그리로 이동)."
                            + " 더 빨리 소비하거나 큐가 더 긴 플랜으로 옮기십시오.")));
        } else if (fullest != null && fullest.ready() >= NEAR_LIMIT * plan.maxQueueLength()) {
            notices.add(new Notice(Severity.WARNING, new Text(
                    "Queue '" + fullest.name() + "' is near the plan's maximum of " + plan.maxQueueLength()
                            + " messages: once full, the oldest messages are dropped as new ones arrive.",
                    "큐 '" + fullest.name() + "'가 플랜 최대치(" + plan.maxQueueLength() + "개)에 가깝습니다:"
                            + " 가득 차면 새 메시지가 올 때마다 가장 오래된 메시지가 밀려납니다.")));
        }
        return new Usage(measures, notices);
    }
}
