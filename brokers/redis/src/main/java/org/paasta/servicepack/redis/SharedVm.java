package org.paasta.servicepack.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.CapacityExhaustedException;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * The shared-vm plan style: a redis-server process per instance on the broker's host, with its own
 * port from a configured range, its own admin password and the plan's memory and client limits.
 *
 * <p>An instance lives on the host that created it, and its row in the state store names that host.
 * Every operation acts on the recorded host: a broker on another host (a second replica sharing the
 * store) refuses with 503 and leaves the row alone, since it can neither reach nor stop the
 * process. So shared-vm means one broker per host, each reached for its own instances.
 */
final class SharedVm implements Placement {
    private static final Logger log = LoggerFactory.getLogger(SharedVm.class);

    private final SharedInstances store;
    private final SharedVmSupervisor supervisor;
    private final ServerProcesses processes;
    private final AdminConnections connections;
    private final String host;
    private final int firstPort;
    private final int lastPort;
    private final int maxInstances;
    private final Duration stopTimeout;

    /**
     * @param host         the host name applications connect to; also this host's key in the store
     * @param maxInstances the per-host instance limit (PaaS-TA's shared-vm plan had 10)
     */
    SharedVm(SharedInstances store, SharedVmSupervisor supervisor, ServerProcesses processes,
             AdminConnections connections, String host, int firstPort, int lastPort, int maxInstances,
             Duration stopTimeout) {
        this.store = store;
        this.supervisor = supervisor;
        this.processes = processes;
        this.connections = connections;
        this.host = host;
        this.firstPort = firstPort;
        this.lastPort = lastPort;
        this.maxInstances = maxInstances;
        this.stopTimeout = stopTimeout;
    }

    @Override
    public void provision(String instanceId, RedisLimits limits) {
        Optional<SharedInstance> existing = store.find(instanceId);
        existing.ifPresent(this::requireThisHost);
        SharedInstance instance = existing.orElseGet(() -> allocate(instanceId, limits));
        try {
            supervisor.ensureRunning(instance);
        } catch (RuntimeException e) {
            log.error("redis-server of new shared-vm instance {} did not start", instanceId, e);
            if (existing.isEmpty()) {
                // Give the port and slot back; a retried provision allocates afresh.
                store.markStopping(instanceId);
                supervisor.stop(instance, stopTimeout);
                connections.forget(instance.adminLogin(processes.connectHost()).address());
                processes.removeData(instanceId);
                store.delete(instanceId);
            }
            throw new BackendUnavailableException(
                    "The Redis process of this instance did not start; the broker's log says why", e);
        }
    }

    /**
     * Takes the lowest free slot and port. Two provisions that pick the same one both INSERT, the
     * store's unique keys let exactly one through, and the other reads again: so a loser finds the
     * next free port, or fails with 507 when there is none, and never gets a half-made instance.
     */
    private SharedInstance allocate(String instanceId, RedisLimits limits) {
        int attempts = lastPort - firstPort + 2;
        for (int attempt = 0; attempt < attempts; attempt++) {
            List<SharedInstance> onHost = store.onHost(host);
            Set<Integer> slots = onHost.stream().map(SharedInstance::slot).collect(Collectors.toSet());
            Set<Integer> ports = onHost.stream().map(SharedInstance::port).collect(Collectors.toSet());
            int slot = 0;
            while (slots.contains(slot)) {
                slot++;
            }
            if (slot >= maxInstances) {
                throw new CapacityExhaustedException("This broker's host already runs its limit of " + maxInstances
                        + " shared-vm instances; delete one or ask the operator for more capacity");
            }
            int port = freePort(ports);
            if (port < 0) {
                throw new CapacityExhaustedException("No port is free for another shared-vm instance in "
                        + firstPort + "-" + lastPort + " on this broker's host");
            }
            SharedInstance instance = new SharedInstance(instanceId, host, slot, port, Passwords.generate(),
                    limits.maxmemoryBytes(), limits.maxclients(), limits.persistence(), SharedInstance.RUNNING);
            try {
                store.insert(instance);
                return instance;
            } catch (DuplicateKeyException e) {
                Optional<SharedInstance> same = store.find(instanceId);
                if (same.isPresent()) {
                    return same.get();
                }
                log.debug("Port {} or slot {} was taken by a concurrent provision; reading again", port, slot);
            }
        }
        throw new CapacityExhaustedException("No port is free for another shared-vm instance on this broker's host");
    }

    /** The first port of the range that no instance holds and no other program listens on. */
    private int freePort(Set<Integer> taken) {
        for (int port = firstPort; port <= lastPort; port++) {
            if (!taken.contains(port) && bindable(port)) {
                return port;
            }
        }
        return -1;
    }

    private boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(processes.bindAddress()), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void deprovision(String instanceId) {
        Optional<SharedInstance> instance = store.find(instanceId);
        if (instance.isPresent()) {
            requireThisHost(instance.get());
            // First STOPPING in the store, so the supervisor cannot restart what we stop next.
            store.markStopping(instanceId);
            supervisor.stop(instance.get(), stopTimeout);
            // The port goes to the next instance, with a password of its own.
            connections.forget(instance.get().adminLogin(processes.connectHost()).address());
        }
        processes.removeData(instanceId);
        store.delete(instanceId);
    }

    @Override
    public Optional<InstanceServer> server(String instanceId) {
        return store.find(instanceId)
                .map(this::requireThisHost)
                .filter(instance -> instance.state().equals(SharedInstance.RUNNING))
                .map(instance -> new InstanceServer(instance.adminLogin(processes.connectHost()), instance.host(),
                        instance.port()));
    }

    @Override
    public List<String> advertisedHosts() {
        return List.of(host);
    }

    /**
     * The instance, when its process runs on this broker's host. Another host's instance is not
     * this broker's to touch: its process listens there, and deleting its row here would leave it
     * running unsupervised.
     */
    private SharedInstance requireThisHost(SharedInstance instance) {
        if (!instance.host().equals(host)) {
            throw SharedInstance.onAnotherHost(instance, "this broker serves shared-vm on " + host);
        }
        return instance;
    }

    /** The pid of the instance's supervised process, if one runs (for operators and tests). */
    Optional<Long> pid(String instanceId) {
        return supervisor.pid(instanceId);
    }
}
