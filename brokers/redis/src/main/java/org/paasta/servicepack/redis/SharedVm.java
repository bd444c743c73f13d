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
 */
final class SharedVm implements Placement {
    private static final Logger log = LoggerFactory.getLogger(SharedVm.class);

    private final SharedInstances store;
    private final SharedVmSupervisor supervisor;
    private final ServerProcesses processes;
    private final String host;
    private final int firstPort;
    private final int lastPort;
    private final int maxInstances;
    private final Duration stopTimeout;

    /**
     * @param host         the host name applications connect to; also this host's key in the store
     * @param maxInstances the per-host instance limit (PaaS-TA's shared-vm plan had 10)
     */
    SharedVm(SharedInstances store, SharedVmSupervisor supervisor, ServerProcesses processes, String host,
             int firstPort, int lastPort, int maxInstances, Duration stopTimeout) {
        if (firstPort < 1024 || lastPort > 65535 || firstPort > lastPort) {
            throw new IllegalArgumentException("servicepack.redis.shared ports: need 1024 <= first-port <= last-port"
                    + " <= 65535, got " + firstPort + "-" + lastPort);
        }
        if (maxInstances < 1) {
            throw new IllegalArgumentException("servicepack.redis.shared.max-instances must be positive");
        }
        this.store = store;
        this.supervisor = supervisor;
        this.processes = processes;
        this.host = host;
        this.firstPort = firstPort;
        this.lastPort = lastPort;
        this.maxInstances = maxInstances;
        this.stopTimeout = stopTimeout;
    }

    @Override
    public void provision(String instanceId, RedisLimits limits) {
        Optional<SharedInstance> existing = store.find(instanceId);
        SharedInstance instance = existing.orElseGet(() -> allocate(instanceId, limits));
        try {
            supervisor.ensureRunning(instance);
        } catch (RuntimeException e) {
            log.error("redis-server of new shared-vm instance {} did not start", instanceId, e);
            if (existing.isEmpty()) {
                // Give the port and slot back; a retried provision allocates afresh.
                store.markStopping(instanceId);
                supervisor.stop(instance, stopTimeout);
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
            // First STOPPING in the store, so the supervisor cannot restart what we stop next.
            store.markStopping(instanceId);
            supervisor.stop(instance.get(), stopTimeout);
        }
        processes.removeData(instanceId);
        store.delete(instanceId);
    }

    @Override
    public Optional<InstanceServer> server(String instanceId) {
        return store.find(instanceId)
                .filter(instance -> instance.state().equals(SharedInstance.RUNNING))
                .map(instance -> new InstanceServer(instance.adminLogin(processes.connectHost()), host,
                        instance.port()));
    }

    /** The pid of the instance's supervised process, if one runs (for operators and tests). */
    Optional<Long> pid(String instanceId) {
        return supervisor.pid(instanceId);
    }
}
