package org.paasta.servicepack.redis;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.paasta.servicepack.redis.Placement.InstanceServer;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.OperationMode;
import org.paasta.servicepack.sdk.OperationType;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.ServiceBackend;
import org.paasta.servicepack.sdk.UnbindRequest;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.UsageRequest;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The Redis service: an instance is a redis-server of its own (a supervised process on the
 * broker's host, or a node from a pool, as the plan's {@code placement} says), and a binding is an
 * ACL user of its own on that server.
 */
public final class RedisBackend implements ServiceBackend<RedisLimits> {
    private final Placement sharedVm;
    private final DedicatedVm dedicatedVm;
    private final BindingUsers users;
    private final AdminConnections connections;

    /**
     * @param sharedVm a {@link SharedVm}, or a {@link SharedVmSwitchedOff} where redis-server
     *                 processes cannot live beside the broker
     */
    RedisBackend(Placement sharedVm, DedicatedVm dedicatedVm, BindingUsers users, AdminConnections connections) {
        this.sharedVm = sharedVm;
        this.dedicatedVm = dedicatedVm;
        this.users = users;
        this.connections = connections;
    }

    @Override
    public Class<RedisLimits> limitsType() {
        return RedisLimits.class;
    }

    /** {@code PUT /v2/service_instances/{id}}: a server of the instance's own, configured by the plan. */
    @Override
    public void provision(ProvisionRequest<RedisLimits> request) {
        placement(request.plan()).provision(request.instanceId(), request.plan().limits());
    }

    /** {@code DELETE /v2/service_instances/{id}}: the process and its data, or the node wiped back into the pool. */
    @Override
    public void deprovision(DeprovisionRequest<RedisLimits> request) {
        placement(request.plan()).deprovision(request.instanceId());
    }

    /**
     * {@code PUT .../service_bindings/{binding_id}}: a new ACL user with a password of its own,
     * which {@code default} accepts too (for clients that send no user name).
     */
    @Override
    public Credentials bind(BindRequest<RedisLimits> request) {
        InstanceServer server = server(request.plan(), request.instanceId());
        String password = users.create(server.admin(), request.bindingId());
        return credentials(server, ResourceNames.bindingUser(request.bindingId()), password);
    }

    /**
     * {@code DELETE .../service_bindings/{binding_id}}: the password is refused and the connections
     * that used it are closed (with every password-only connection of the instance: see {@link BindingUsers}).
     */
    @Override
    public void unbind(UnbindRequest<RedisLimits> request) {
        Optional<InstanceServer> server = placement(request.plan()).server(request.instanceId());
        // No server on record: the instance is gone, and so is every user it had.
        server.ifPresent(s -> users.revoke(s.admin(), request.bindingId()));
    }

    /**
     * The instance's dashboard: memory against {@code maxmemory}, connections against
     * {@code maxclients}, keys, connections per binding ({@link ServerUsage}). Two read-only
     * commands (INFO, CLIENT LIST) on a kept admin connection; the wait for the connection and
     * each answer are bounded by the admin timeout.
     */
    @Override
    public Usage usage(UsageRequest<RedisLimits> request) {
        InstanceServer server = server(request.plan(), request.instanceId());
        String info;
        String clients;
        try (Jedis jedis = connections.borrow(server.admin())) {
            info = jedis.info();
            clients = jedis.clientList();
        } catch (JedisConnectionException | JedisAccessControlException e) {
            throw BindingUsers.unavailable(server.admin(), e);
        }
        return ServerUsage.of(info, clients, request.plan().limits(), request.bindingIds());
    }

    /**
     * Starting and stopping processes, or wiping a node, can take seconds: asynchronous when allowed.
     * A plan style this broker does not serve is refused in the request itself.
     */
    @Override
    public OperationMode mode(OperationType type, Plan<RedisLimits> plan) {
        boolean slow = type == OperationType.PROVISION || type == OperationType.DEPROVISION;
        return slow && placement(plan).served() ? OperationMode.ASYNC_WHEN_ACCEPTED : OperationMode.SYNC;
    }

    /** This host's shared-vm address (when it runs shared-vm) and the pool nodes' hosts. */
    @Override
    public List<String> advertisedHosts() {
        return Stream.concat(sharedVm.advertisedHosts().stream(), dedicatedVm.advertisedHosts().stream())
                .distinct().toList();
    }

    /**
     * The fields Redis clients and PaaS-TA apps read: {@code host} (java-cfenv, Jedis examples) and
     * {@code hostname} (Spring Cloud Connectors), {@code port}, {@code password}, and a {@code uri}
     * that carries the user name. An app that names the user logs in as the binding's own user; one
     * that takes only the password (java-cfenv takes host, port and password from the uri) logs in
     * as {@code default}, which accepts every live binding's password ({@link BindingUsers}).
     */
    static Credentials credentials(InstanceServer server, String username, String password) {
        String host = server.clientHost().contains(":") ? "[" + server.clientHost() + "]" : server.clientHost();
        return Credentials.builder()
                .put("host", server.clientHost())
                .put("hostname", server.clientHost())
                .put("port", server.clientPort())
                .put("username", username)
                .put("password", password)
                .put("uri", "redis://" + username + ":" + password + "@" + host + ":" + server.clientPort())
                .build();
    }

    private InstanceServer server(Plan<RedisLimits> plan, String instanceId) {
        Placement placement = placement(plan);
        return placement.server(instanceId).orElseThrow(() -> new BackendUnavailableException(placement.served()
                ? "The broker has no Redis server on record for this instance (is it being deleted?)"
                : SharedVmSwitchedOff.REFUSAL, null));
    }

    private Placement placement(Plan<RedisLimits> plan) {
        return switch (plan.limits().placement()) {
            case SHARED_VM -> sharedVm;
            case DEDICATED_VM -> dedicatedVm;
        };
    }
}
