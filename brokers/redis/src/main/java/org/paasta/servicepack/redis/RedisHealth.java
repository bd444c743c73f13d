package org.paasta.servicepack.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.paasta.servicepack.redis.DedicatedVm.NodeCondition;
import org.paasta.servicepack.redis.SharedVmSupervisor.Supervision;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code redis} component of {@code /actuator/health}: the shared-vm processes this host must
 * run against those running now, and every dedicated-vm pool node answering PING to the broker's
 * admin login (each bounded by the admin timeout). DOWN says which instance or node is the
 * trouble. Details carry host names, ports and instance ids, never a password.
 */
final class RedisHealth implements HealthIndicator {
    private final Optional<SharedVmSupervisor> supervisor;
    private final DedicatedVm dedicatedVm;

    /** @param supervisor empty where shared-vm is switched off */
    RedisHealth(Optional<SharedVmSupervisor> supervisor, DedicatedVm dedicatedVm) {
        this.supervisor = supervisor;
        this.dedicatedVm = dedicatedVm;
    }

    @Override
    public Health health() {
        List<String> trouble = new ArrayList<>();
        Map<String, Object> shared = new LinkedHashMap<>();
        shared.put("enabled", supervisor.isPresent());
        supervisor.map(SharedVmSupervisor::supervision).ifPresent(supervision -> {
            describe(supervision, shared);
            if (!supervision.notRunning().isEmpty()) {
                trouble.add("shared-vm instances without a running redis-server on " + supervision.host() + ": "
                        + String.join(", ", supervision.notRunning()));
            }
        });
        Map<String, String> nodes = new LinkedHashMap<>();
        for (NodeCondition node : dedicatedVm.probe()) {
            nodes.put(node.nodeId(), node.condition());
            if (!node.answers()) {
                trouble.add("dedicated-vm pool node " + node.nodeId() + " " + node.condition());
            }
        }
        Health.Builder health = trouble.isEmpty() ? Health.up() : Health.down();
        health.withDetail("sharedVm", shared).withDetail("dedicatedVmNodes", nodes);
        if (!trouble.isEmpty()) {
            health.withDetail("reason", String.join("; ", trouble));
        }
        return health.build();
    }

    private static void describe(Supervision supervision, Map<String, Object> into) {
        into.put("host", supervision.host());
        into.put("expected", supervision.expected().size());
        into.put("running", supervision.expected().size() - supervision.notRunning().size());
        if (!supervision.notRunning().isEmpty()) {
            into.put("notRunning", supervision.notRunning());
        }
    }
}
