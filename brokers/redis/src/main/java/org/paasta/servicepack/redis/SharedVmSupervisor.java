package org.paasta.servicepack.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every shared-vm instance of this host running: the whole of the broker's process
 * supervision is in this class.
 *
 * <ul>
 *   <li>The state store, not memory, says what must run: every {@link SharedInstance#RUNNING} row
 *       of this host. So a broker that was killed and started again supervises the same set.</li>
 *   <li>At start and then every {@code interval} (100 ms .. 60 s), each instance is
 *       checked: a process it already knows is checked by its pid; otherwise a server that answers
 *       the instance's admin login on its port is <b>adopted</b> (processes run in their own session
 *       and outlive the broker), and a silent one is <b>started</b> from its durable record.</li>
 *   <li>A process that exits is restarted at once (its exit triggers a check), not only at the
 *       next tick.</li>
 *   <li>Checks, starts and stops of one instance hold that instance's lock, and a check re-reads
 *       the row first: once deprovision has marked an instance {@link SharedInstance#STOPPING},
 *       nothing brings its process back.</li>
 *   <li>One supervisor per data root: it holds the root's lock while it runs. A second broker over
 *       the same instances would not see this one's deprovisions and would restart, from handles
 *       it still holds, instances deleted or being started again on a reused port.</li>
 * </ul>
 * Closing the supervisor stops supervising, never the processes.
 */
final class SharedVmSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SharedVmSupervisor.class);

    private final SharedInstances store;
    private final ServerProcesses processes;
    private final String host;
    private final Duration interval;
    private final Duration probeTimeout;
    private final Map<String, ProcessHandle> supervised = new ConcurrentHashMap<>();
    // One lock object per instance id; kept after deprovision (a few bytes) so that a waiting
    // thread and a new one can never hold two different locks for the same instance.
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private AutoCloseable claim;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "redis-shared-vm-supervisor");
        thread.setDaemon(true);
        return thread;
    });

    SharedVmSupervisor(SharedInstances store, ServerProcesses processes, String host, Duration interval,
                       Duration probeTimeout) {
        this.store = store;
        this.processes = processes;
        this.host = host;
        this.interval = interval;
        this.probeTimeout = probeTimeout;
    }

    /**
     * Takes the data root ({@link ServerProcesses#claimDataRoot}), then adopts or restarts every
     * instance of this host now and checks them every interval.
     *
     * @throws org.paasta.servicepack.sdk.config.MissingSettingException when another running broker
     *                                                                   supervises the same data root
     */
    synchronized void start() {
        claim = processes.claimDataRoot();
        scheduler.scheduleWithFixedDelay(this::checkAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Checks every instance of this host once (what each tick does). */
    void checkAll() {
        try {
            for (SharedInstance instance : store.onHost(host)) {
                if (instance.state().equals(SharedInstance.RUNNING)) {
                    check(instance.instanceId());
                }
            }
        } catch (RuntimeException e) {
            // The next tick tries again; a dead supervisor thread would be worse than a log line.
            log.error("Checking the shared-vm instances failed", e);
        }
    }

    private void check(String instanceId) {
        try {
            synchronized (lock(instanceId)) {
                store.find(instanceId)
                        .filter(instance -> instance.state().equals(SharedInstance.RUNNING))
                        .ifPresent(this::ensureRunningLocked);
            }
        } catch (RuntimeException e) {
            log.error("Shared-vm instance {} is not running and could not be started", instanceId, e);
        }
    }

    /**
     * Makes sure the instance's process runs, starting it when needed; provision calls this too.
     *
     * @throws IllegalStateException when it cannot be started (the message names the log to read)
     */
    void ensureRunning(SharedInstance instance) {
        synchronized (lock(instance.instanceId())) {
            ensureRunningLocked(instance);
        }
    }

    private void ensureRunningLocked(SharedInstance instance) {
        String id = instance.instanceId();
        ProcessHandle known = supervised.get(id);
        if (known != null && known.isAlive()) {
            return;
        }
        Optional<ProcessHandle> answering = processes.running(instance.adminLogin(processes.connectHost()), probeTimeout);
        if (answering.isPresent()) {
            if (known == null) {
                log.info("Adopted the running redis-server of shared-vm instance {} (pid {}, port {})", id,
                        answering.get().pid(), instance.port());
            }
            watch(id, answering.get());
            return;
        }
        if (known != null) {
            log.warn("redis-server of shared-vm instance {} (pid {}, port {}) is gone; restarting it", id,
                    known.pid(), instance.port());
        } else {
            log.info("Starting redis-server of shared-vm instance {} on port {}", id, instance.port());
        }
        supervised.remove(id);
        watch(id, processes.start(instance).toHandle());
    }

    private void watch(String instanceId, ProcessHandle process) {
        ProcessHandle previous = supervised.put(instanceId, process);
        if (!process.equals(previous)) {
            // Restart at once rather than at the next tick; check() ignores a deprovisioned instance.
            process.onExit().thenRun(() -> {
                if (!scheduler.isShutdown()) {
                    scheduler.execute(() -> check(instanceId));
                }
            });
        }
    }

    /** Stops supervising the instance and stops its process (SHUTDOWN NOSAVE, bounded wait). */
    void stop(SharedInstance instance, Duration timeout) {
        synchronized (lock(instance.instanceId())) {
            supervised.remove(instance.instanceId());
            processes.stop(instance, timeout);
        }
    }

    /** The pid the supervisor watches for the instance, if any (for operators and tests). */
    Optional<Long> pid(String instanceId) {
        return Optional.ofNullable(supervised.get(instanceId)).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    }

    /**
     * What must run on this host and what does not run now, from the store and the watched
     * processes (for the health check).
     *
     * @param host       this host, as the store names it
     * @param expected   the instances of this host that must run
     * @param notRunning those of them without a live process right now (restarted at once when a
     *                   process exits, so an entry here stays only while a start keeps failing)
     */
    record Supervision(String host, List<String> expected, List<String> notRunning) {
    }

    Supervision supervision() {
        List<String> expected = store.onHost(host).stream()
                .filter(instance -> instance.state().equals(SharedInstance.RUNNING))
                .map(SharedInstance::instanceId)
                .toList();
        return new Supervision(host, expected, expected.stream().filter(id -> pid(id).isEmpty()).toList());
    }

    private Object lock(String instanceId) {
        return locks.computeIfAbsent(instanceId, id -> new Object());
    }

    /**
     * Stops supervising and gives the data root back; the processes keep running for the next
     * broker to adopt.
     */
    @Override
    public synchronized void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (claim != null) {
            try {
                claim.close();
            } catch (Exception e) {
                log.warn("Could not release the shared-vm data root: {}", e.toString());
            }
            claim = null;
        }
    }
}
