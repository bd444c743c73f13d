package org.paasta.servicepack.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.paasta.servicepack.redis.RedisLimits.Persistence;
import org.paasta.servicepack.redis.RedisLimits.Placement;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.Origin;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.UnbindRequest;
import org.paasta.servicepack.sdk.secrets.SecretBox;
import org.paasta.servicepack.sdk.state.StoreMigrations;

/**
 * The broker's object graph as {@link RedisBrokerApplication} wires it, over an H2 file store (with
 * the SDK's and this broker's migrations) in a
 * test directory. {@link #close()} is what a killed broker leaves: the state store and the
 * processes, no supervisor. Starting another on the same directory is a broker restart.
 */
final class Broker implements AutoCloseable {
    static final Plan<RedisLimits> SHARED = new Plan<>("7aba7e52-f61b-4263-9de1-14e9d11fb67d", "redis",
            "78bf886c-bc50-4f31-a03c-cb786a158286", "shared-vm",
            new RedisLimits(Placement.SHARED_VM, 8 * 1024 * 1024, 50, Persistence.NONE), "1.0.0");
    static final Plan<RedisLimits> DEDICATED = new Plan<>("7aba7e52-f61b-4263-9de1-14e9d11fb67d", "redis",
            "48b35349-d3de-4e19-bc4a-66996ae07766", "dedicated-vm",
            new RedisLimits(Placement.DEDICATED_VM, 16 * 1024 * 1024, 60, Persistence.NODE), "1.0.0");
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    final SharedInstances instances;
    final PoolNodes poolNodes;
    final ServerProcesses processes;
    final SharedVmSupervisor supervisor;
    final SharedVm sharedVm;
    final DedicatedVm dedicatedVm;
    final RedisBackend backend;

    Broker(Path root, int firstPort, int lastPort, int maxInstances, List<DedicatedVm.NodeSettings> pool,
           Duration checkInterval) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + root.resolve("state").toAbsolutePath());
        StoreMigrations.migrate(dataSource, dataSource.getURL(), List.of("classpath:db/redis-broker"));
        SecretBox secrets = new SecretBox("test-key-for-the-redis-broker-state");
        instances = new SharedInstances(dataSource, secrets);
        poolNodes = new PoolNodes(dataSource, secrets);
        processes = new ServerProcesses(Path.of("/usr/bin/redis-server"), root.resolve("instances"), "127.0.0.1",
                Duration.ofSeconds(10));
        processes.checkUsable();
        supervisor = new SharedVmSupervisor(instances, processes, "127.0.0.1", checkInterval, TIMEOUT);
        sharedVm = new SharedVm(instances, supervisor, processes, "127.0.0.1", firstPort, lastPort, maxInstances,
                Duration.ofSeconds(10));
        dedicatedVm = new DedicatedVm(poolNodes, pool, TIMEOUT);
        dedicatedVm.registerNodes();
        backend = new RedisBackend(sharedVm, dedicatedVm, new BindingUsers(TIMEOUT));
        supervisor.start();
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

    void deprovision(String instanceId, Plan<RedisLimits> plan) {
        backend.deprovision(new DeprovisionRequest<>(instanceId, plan, List.of(), Origin.NONE));
    }

    @Override
    public void close() {
        supervisor.close();
    }
}
