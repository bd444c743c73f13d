package org.paasta.servicepack.rabbitmq;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.ServiceBackend;
import org.paasta.servicepack.sdk.UnbindRequest;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.UsageRequest;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A vhost per service instance, a user per binding, on a shared RabbitMQ cluster, administered
 * through the management HTTP API.
 *
 * <p>Every name is derived from an OSB id ({@link ResourceNames}), so each operation is idempotent
 * and a re-run after a crash finds what the previous attempt made. A failed provision removes the
 * vhost it started, and a failed bind the user it started, before reporting the failure.
 */
public final class RabbitmqBackend implements ServiceBackend<RabbitmqLimits> {
    /** Name of the operator policy that carries the plan's queue limits in every instance's vhost. */
    static final String PLAN_POLICY = "servicepack-plan-limits";
    /** Between two looks at a deleted user's connections while RabbitMQ closes them (typically 20-150 ms). */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    /** Each management call of a dashboard's usage; three fit in the SDK's default usage-timeout (5 s). */
    static final Duration USAGE_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration REASK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration LISTENERS_MAX_AGE = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(RabbitmqBackend.class);

    private final ManagementApi api;
    private final BindingCredentials.Endpoints endpoints;
    private final Map<String, Integer> configuredPorts;
    private final Duration connectionCloseTimeout;
    private volatile DiscoveredPorts discoveredPorts;

    /**
     * @param configuredPorts        protocol entry name to port for the credentials; empty to list
     *                               the cluster's own listeners
     * @param connectionCloseTimeout how long unbind waits for the user's connections to be closed
     */
    RabbitmqBackend(ManagementApi api, BindingCredentials.Endpoints endpoints, Map<String, Integer> configuredPorts,
                    Duration connectionCloseTimeout) {
        this.api = api;
        this.endpoints = endpoints;
        this.configuredPorts = Map.copyOf(configuredPorts);
        this.connectionCloseTimeout = connectionCloseTimeout;
    }

    @Override
    public Class<RabbitmqLimits> limitsType() {
        return RabbitmqLimits.class;
    }

    /** The AMQP hosts apps get in their credentials ({@code servicepack.rabbitmq.hostnames}, without ports). */
    @Override
    public List<String> advertisedHosts() {
        return endpoints.hosts().stream().distinct().toList();
    }

    @Override
    public void provision(ProvisionRequest<RabbitmqLimits> request) {
        String vhost = ResourceNames.vhost(request.instanceId());
        try {
            api.putVhost(vhost, description(request.instanceId()));
            applyPlan(vhost, request.plan());
        } catch (RuntimeException e) {
            // Leave nothing half-made: a vhost without its plan's limits is not an instance.
            try {
                api.deleteVhost(vhost);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
                log.warn("Provision of vhost {} failed and RabbitMQ could not be asked to remove what it made, if "
                        + "anything; a retried provision completes it, a deprovision removes it", vhost);
            }
            throw e;
        }
        log.info("Provisioned vhost {} for instance {} (plan {})", vhost, request.instanceId(), request.plan().name());
    }

    @Override
    public void deprovision(DeprovisionRequest<RabbitmqLimits> request) {
        String vhost = ResourceNames.vhost(request.instanceId());
        // Users are global in RabbitMQ: they outlive their vhost unless deleted, so find every
        // binding user of this vhost, including any the platform did not unbind.
        Set<String> users = new LinkedHashSet<>();
        request.bindingIds().forEach(id -> users.add(ResourceNames.user(id)));
        api.usersPermittedOn(vhost).stream().filter(ResourceNames::isBindingUser).forEach(users::add);
        for (String user : users) {
            api.deleteUser(user);
        }
        // Deleting the vhost also closes every connection to it and drops its queues.
        api.deleteVhost(vhost);
        log.info("Deprovisioned vhost {} of instance {} and {} binding user(s)", vhost, request.instanceId(),
                users.size());
    }

    @Override
    public Credentials bind(BindRequest<RabbitmqLimits> request) {
        String vhost = ResourceNames.vhost(request.instanceId());
        String user = ResourceNames.user(request.bindingId());
        if (!api.vhostExists(vhost)) {
            throw new BackendUnavailableException("The vhost " + vhost + " of service instance " + request.instanceId()
                    + " does not exist on RabbitMQ; it may have been deleted outside the broker", null);
        }
        Map<String, Integer> ports = ports();
        String password = Passwords.generate();
        try {
            // PUT replaces the password of a user left by an interrupted earlier attempt, so the
            // credentials returned are always the ones in force.
            api.putUser(user, password, request.plan().limits().bindingUserTags());
            api.putPermissions(vhost, user);
        } catch (RuntimeException e) {
            try {
                api.deleteUser(user);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        log.info("Bound user {} to vhost {} (binding {})", user, vhost, request.bindingId());
        return BindingCredentials.build(endpoints, ports, vhost, user, password);
    }

    @Override
    public void unbind(UnbindRequest<RabbitmqLimits> request) {
        String user = ResourceNames.user(request.bindingId());
        // Delete first, so no new connection can log in while the open ones are closed.
        api.deleteUser(user);
        closeConnections(user);
        log.info("Unbound user {} (binding {})", user, request.bindingId());
    }

    /**
     * The instance's dashboard ({@link VhostUsage}): three read-only management API calls, each
     * bounded by {@link #USAGE_TIMEOUT} (and the API's request timeout). Message and connection
     * counts come from RabbitMQ's statistics, so they trail the node by up to 5 s.
     *
     * @throws BackendUnavailableException the management API cannot be reached or refuses the broker
     */
    @Override
    public Usage usage(UsageRequest<RabbitmqLimits> request) {
        String vhost = ResourceNames.vhost(request.instanceId());
        List<ManagementApi.QueueStats> queues = api.queuesOf(vhost, USAGE_TIMEOUT);
        List<ManagementApi.Connection> connections = api.connectionsOn(vhost, USAGE_TIMEOUT);
        Map<String, Long> limits = api.vhostLimits(vhost, USAGE_TIMEOUT);
        return VhostUsage.of(queues, connections, limits, request.plan().limits(), request.bindingIds());
    }

    /** Re-applies the plan's limits; also used to complete a provision interrupted half-way. */
    void applyPlan(String vhost, Plan<RabbitmqLimits> plan) {
        RabbitmqLimits limits = plan.limits();
        api.putOperatorPolicy(vhost, PLAN_POLICY, limits.operatorPolicy());
        limits.vhostLimits().forEach((name, value) -> api.putVhostLimit(vhost, name, value));
    }

    /**
     * Waits, bounded, until the deleted user has no connection left on any node, closing any that
     * RabbitMQ has not closed itself.
     *
     * <p>Deleting a user of RabbitMQ's internal store closes that user's connections on every node
     * (its {@code user_deleted} event), and a login after the delete is refused, so from here on the
     * user's connection list ({@code /api/connections/username/}, read from every node's connection
     * tracking, not from the 5-second statistics) only shrinks; a connection leaves it once closed.
     * The first empty answer is taken as final, with no settle window. The one gap RabbitMQ 3.10's
     * code leaves is a login that passed just before the delete and is added to the tracking a
     * moment after both RabbitMQ's close and this look; {@code RabbitmqUnbindRaceTest} opens
     * connections from four threads while unbinding (167 of them overlapping an unbind in 200
     * rounds; on the 3-node cluster 670 in 150 rounds, logins on other nodes than the broker's) and
     * saw none survive. Closing through the API as well covers other auth backends; its
     * 404 for a young connection (docs/clusters-notes.md, RabbitMQ fact 2) only means the next look
     * sees it again.
     */
    private void closeConnections(String user) {
        long deadline = System.nanoTime() + connectionCloseTimeout.toNanos();
        long askedAt = 0;
        boolean asked = false;
        while (true) {
            List<ManagementApi.Connection> open = api.connectionsOf(user);
            if (open.isEmpty()) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new BackendUnavailableException("RabbitMQ still shows " + open.size() + " open connection(s) of user "
                        + user + " after " + connectionCloseTimeout.toSeconds() + " s; the user is deleted, "
                        + "retry the unbind to close them", null);
            }
            // RabbitMQ is already closing them: ask at once, then once a second rather than on every look.
            if (!asked || System.nanoTime() - askedAt >= REASK_INTERVAL.toNanos()) {
                for (ManagementApi.Connection connection : open) {
                    api.closeConnection(connection.name(), "The service binding was deleted");
                }
                asked = true;
                askedAt = System.nanoTime();
            }
            sleep(POLL_INTERVAL);
        }
    }

    /**
     * The protocol entries of the credentials: the configured ports, or the cluster's listeners.
     * Listeners change only when an operator reconfigures the cluster, and {@code GET /api/overview}
     * is one of the management API's costly calls, so they are read at most once a minute.
     */
    private Map<String, Integer> ports() {
        if (!configuredPorts.isEmpty()) {
            return ordered(configuredPorts);
        }
        DiscoveredPorts cached = discoveredPorts;
        if (cached != null && System.nanoTime() - cached.readAt() < LISTENERS_MAX_AGE.toNanos()) {
            return cached.ports();
        }
        Map<String, Integer> fresh = Collections.unmodifiableMap(discoverPorts());
        discoveredPorts = new DiscoveredPorts(fresh, System.nanoTime());
        return fresh;
    }

    private record DiscoveredPorts(Map<String, Integer> ports, long readAt) {
    }

    private Map<String, Integer> discoverPorts() {
        Map<String, Integer> discovered = new LinkedHashMap<>();
        for (ManagementApi.Listener listener : api.listeners()) {
            String key = switch (listener.protocol()) {
                case "amqp", "mqtt", "stomp" -> listener.protocol();
                case "amqp/ssl", "mqtt/ssl", "stomp/ssl" -> listener.protocol().replace("/ssl", "+ssl");
                case "http" -> "management";
                case "https" -> "management+ssl";
                default -> null;
            };
            if (key != null) {
                discovered.putIfAbsent(key, listener.port());
            }
        }
        String amqp = endpoints.ssl() ? "amqp+ssl" : "amqp";
        if (!discovered.containsKey(amqp)) {
            throw new BackendUnavailableException("RabbitMQ lists no " + amqp.replace("+ssl", "/ssl")
                    + " listener; set servicepack.rabbitmq.protocols to the ports apps must use", null);
        }
        return ordered(discovered);
    }

    private static Map<String, Integer> ordered(Map<String, Integer> ports) {
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (String key : List.of("amqp", "amqp+ssl", "management", "management+ssl", "mqtt", "mqtt+ssl", "stomp",
                "stomp+ssl")) {
            if (ports.containsKey(key)) {
                ordered.put(key, ports.get(key));
            }
        }
        ports.forEach(ordered::putIfAbsent);
        return ordered;
    }

    private static String description(String instanceId) {
        String text = "PaaS-TA service instance " + instanceId;
        return text.length() > 255 ? text.substring(0, 255) : text;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException("Interrupted while closing a binding's connections", e);
        }
    }
}
