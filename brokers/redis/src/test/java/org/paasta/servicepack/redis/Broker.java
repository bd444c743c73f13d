package org.paasta.servicepack.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.h2.jdbcx.JdbcConnectionPool;
import org.paasta.servicepack.redis.RedisLimits.Persistence;
import org.paasta.servicepack.redis.RedisLimits.Placement;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.Origin;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.UnbindRequest;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.UsageRequest;
import org.paasta.servicepack.sdk.secrets.SecretBox;
import org.paasta.servicepack.sdk.state.StoreMigrations;

/**
 * The broker's object graph as {@link RedisBrokerApplication} wires it, over an H2 file store (with
 * the SDK's and this broker's migrations) in a test directory. {@link #close()} is what a killed
 * broker leaves: the state store and the processes, no supervisor. Starting another on the same
 * directory is a broker restart; starting another with a different host on the same directory is a
 * second replica on another host sharing the store.
 */
final class Broker implements AutoCloseable {
    // Ids of no catalog on purpose: the backend decides by the plan's limits, never by id or name.
    static final Plan<RedisLimits> SHARED = new Plan<>("service-id-of-no-catalog", "redis",
            "plan-id-of-no-catalog-1", "shared-vm",
            new RedisLimits(Placement.SHARED_VM, 8 * 1024 * 1024, 50, Persistence.NONE), "1.0.0");
    static final Plan<RedisLimits> DEDICATED = new Plan<>("service-id-of-no-catalog", "redis",
            "plan-id-of-no-catalog-2", "dedicated-vm",
            new RedisLimits(Placement.DEDICATED_VM, 16 * 1024 * 1024, 60, Persistence.NODE), "1.0.0");
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    final String host;
    final SharedInstances instances;
    final PoolNodes poolNodes;
    final ServerProcesses processes;
    final SharedVmSupervisor supervisor;
    final SharedVm sharedVm;
    final DedicatedVm dedicatedVm;
    final RedisBackend backend;
    final RedisHealth health;
    final AdminConnections connections;
    private final JdbcConnectionPool store;

    Broker(Path root, int firstPort, int lastPort, int maxInstances, List<DedicatedVm.NodeSettings> pool,
           Duration checkInterval) {
        this(root, "127.0.0.1", firstPort, lastPort, maxInstances, pool, checkInterval);
    }

    /**
     * @param host the advertised host: this broker's key in the state store. Its processes listen on
     *             127.0.0.1 whatever it is, in a directory of their own ({@code instances} for
     *             127.0.0.1, {@code instances-<host>} for any other).
     */
    Broker(Path root, String host, int firstPort, int lastPort, int maxInstances, List<DedicatedVm.NodeSettings> pool,
           Duration checkInterval) {
        this.host = host;
        // A pool, as the SDK's store has: with single connections the embedded database closes each
        // time the last one does, and one thread's open racing another's close lost tables.
        store = JdbcConnectionPool.create("jdbc:h2:file:" + root.resolve("state").toAbsolutePath(), "", "");
        StoreMigrations.migrate(store, "jdbc:h2:file:" + root.resolve("state").toAbsolutePath(),
                List.of("classpath:db/redis-broker"));
        SecretBox secrets = new SecretBox("test-key-for-the-redis-broker-state");
        instances = new SharedInstances(store, secrets);
        poolNodes = new PoolNodes(store, secrets);
        String directory = host.equals("127.0.0.1") ? "instances" : "instances-" + host;
        connections = new AdminConnections(TIMEOUT);
        processes = new ServerProcesses(Path.of("/usr/bin/redis-server"), root.resolve(directory), "127.0.0.1",
                Duration.ofSeconds(10), connections);
        processes.checkUsable();
        supervisor = new SharedVmSupervisor(instances, processes, host, checkInterval, TIMEOUT);
        sharedVm = new SharedVm(instances, supervisor, processes, connections, host, firstPort, lastPort,
                maxInstances, Duration.ofSeconds(10));
        dedicatedVm = new DedicatedVm(poolNodes, pool, connections, TIMEOUT);
        dedicatedVm.registerNodes();
        backend = new RedisBackend(sharedVm, dedicatedVm, new BindingUsers(connections), connections);
        health = new RedisHealth(Optional.of(supervisor), dedicatedVm);
        try {
            supervisor.start();
        } catch (RuntimeException e) {
            // A broker that did not start leaves nothing open (another one holds the data root).
            connections.close();
            store.dispose();
            throw e;
        }
    }

    void provision(String instanceId, Plan<RedisLimits> plan) {
        backend.provision(new ProvisionRequest<>(instanceId, plan, Map.of(), Origin.NONE));
    }

    Credentials bind(String instanceId, String bindingId, Plan<RedisLimits> plan) {
        return backend.bind(new BindRequest<>(instanceId, bindingId, plan, Map.of(), Map.of(), "app-1", null,
                List.of(), Origin.NONE));
    }

    void unbind(String instanceId, String bindingId, Plan<RedisLimits> plan) {
        backend.unbind(new UnbindRequest<>(instanceId, bindingId, plan, List.of(), Origin.NONE));
    }

    Usage usage(String instanceId, Plan<RedisLimits> plan, List<String> bindingIds) {
        return backend.usage(new UsageRequest<>(instanceId, plan, Map.of(), bindingIds));
    }

    void deprovision(String instanceId, Plan<RedisLimits> plan) {
        backend.deprovision(new DeprovisionRequest<>(instanceId, plan, List.of(), Origin.NONE));
    }

    @Override
    public void close() {
        supervisor.close();
        connections.close();
        store.dispose();
    }
}
