package org.paasta.servicepack.sdk.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.paasta.servicepack.sdk.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs operations and keeps them owned. Each replica has an owner id; every operation it runs
 * holds a lease in the state store that it renews while the work goes on. When a replica dies its
 * leases run out and the sweeper of any replica (the same one after a restart included) claims
 * the operation with one conditional UPDATE and runs it again; the author's methods are
 * idempotent, so a re-run finishes what the dead replica started. Nothing stays "in progress"
 * forever, and two replicas never run one operation at once.
 *
 * <p>Async work goes to a bounded pool. When its queue is full the operation is not lost: it stays
 * in the store with a short lease and the next sweep picks it up.
 */
public final class OperationRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperationRunner.class);

    private final StateStore store;
    private final Clock clock;
    private final Duration lease;
    private final String owner = "replica-" + UUID.randomUUID();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService scheduler;
    private volatile Consumer<String> handler;

    public OperationRunner(StateStore store, Clock clock, Duration lease, int threads, int queue) {
        this.store = store;
        this.clock = clock;
        this.lease = lease;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                r -> daemon(r, "servicepack-operation-" + n.incrementAndGet()), new ThreadPoolExecutor.AbortPolicy());
        this.pool.allowCoreThreadTimeOut(true);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "servicepack-leases"));
    }

    /**
     * Starts lease renewal and the sweeper. {@code handler} runs one operation by id; it must
     * record the outcome itself and never throw for a backend failure.
     */
    public void start(Consumer<String> handler, Duration sweepInterval, Runnable housekeeping) {
        this.handler = handler;
        long renewMillis = Math.max(100, lease.toMillis() / 3);
        scheduler.scheduleWithFixedDelay(this::renew, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
        // The first sweep runs at once: operations a crash left behind are resumed on start.
        scheduler.scheduleWithFixedDelay(() -> {
            sweep();
            housekeeping.run();
        }, 0, sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String owner() {
        return owner;
    }

    /** Async operations waiting for a worker of this replica. */
    public int queued() {
        return pool.getQueue().size();
    }

    /** Async operations running on this replica's workers now. */
    public int active() {
        return pool.getActiveCount();
    }

    /** When a fresh operation's lease runs out if this replica does not renew it. */
    public long leaseUntil() {
        return clock.millis() + lease.toMillis();
    }

    /** Runs an operation in the calling (request) thread, keeping its lease alive meanwhile. */
    public <T> T runHere(String operationId, java.util.function.Supplier<T> work) {
        running.add(operationId);
        try {
            return work.get();
        } finally {
            running.remove(operationId);
        }
    }

    /** Queues an operation this replica already owns. */
    public void submit(String operationId) {
        try {
            pool.execute(() -> runOwned(operationId));
        } catch (RejectedExecutionException e) {
            LOG.warn("operation queue full; operation {} waits for the next sweep", operationId);
        }
    }

    private void runOwned(String operationId) {
        running.add(operationId);
        try {
            handler.accept(operationId);
        } catch (RuntimeException e) {
            LOG.error("operation {} failed unexpectedly; the sweeper will retry it", operationId, e);
        } finally {
            running.remove(operationId);
        }
    }

    void renew() {
        try {
            store.renewLeases(owner, List.copyOf(running), leaseUntil());
        } catch (RuntimeException e) {
            LOG.warn("could not renew operation leases: {}", e.toString());
        }
    }

    /** Claims operations whose lease ran out and runs them again. Public for tests and tools. */
    public int sweep() {
        int resumed = 0;
        try {
            long now = clock.millis();
            for (String operationId : store.abandonedOperations(now, Math.max(1, pool.getQueue().remainingCapacity()))) {
                if (running.contains(operationId) || !store.claim(operationId, owner, leaseUntil(), now)) {
                    continue;
                }
                LOG.info("resuming operation {} left unfinished by its replica", operationId);
                resumed++;
                submit(operationId);
            }
        } catch (RuntimeException e) {
            LOG.warn("operation sweep failed: {}", e.toString());
        }
        return resumed;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        pool.shutdown();
        try {
            // In-flight work keeps its lease only while we renew: stop waiting after one lease.
            pool.awaitTermination(lease.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
