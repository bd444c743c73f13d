package org.paasta.servicepack.rabbitmq;

import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code rabbitmq} component of {@code /actuator/health}: can the broker administer the cluster
 * right now? One {@code GET /api/overview} with the broker's admin credentials, bounded like every
 * management call ({@code servicepack.rabbitmq.management.request-timeout}).
 *
 * <p>UP names the cluster, its node count and RabbitMQ's version; DOWN names the management API's
 * host and what went wrong (unreachable, credentials refused, not an administrator), in the words
 * of {@link ManagementApi}, which never quote a password.
 */
final class RabbitmqHealthIndicator implements HealthIndicator {
    private final ManagementApi api;

    RabbitmqHealthIndicator(ManagementApi api) {
        this.api = api;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.unknown().withDetail("management", api.base().toString());
        try {
            ManagementApi.Overview overview = api.overview();
            health.up().withDetail("nodes", overview.nodes());
            if (overview.clusterName() != null) {
                health.withDetail("cluster", overview.clusterName());
            }
            if (overview.version() != null) {
                health.withDetail("version", overview.version());
            }
        } catch (BackendUnavailableException e) {
            health.down().withDetail("error", e.description());
        }
        return health.build();
    }
}
