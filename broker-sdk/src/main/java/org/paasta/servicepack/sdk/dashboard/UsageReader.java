package org.paasta.servicepack.sdk.dashboard;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.ServiceBackend;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.UsageRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an instance's usage from the backend for a dashboard, on a few threads of its own and
 * within a time limit: a slow or stuck backend makes a page without usage, never a request thread
 * of the broker that waits forever, and many open dashboards cannot pile onto the backend.
 */
public final class UsageReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageReader.class);

    private final ThreadPoolExecutor executor;
    private final Duration timeout;

    public UsageReader(int threads, Duration timeout) {
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * 4), runnable -> {
                    Thread thread = new Thread(runnable, "servicepack-usage-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.executor.allowCoreThreadTimeOut(true);
        this.timeout = timeout;
    }

    /** What a read gave: usage, or why there is none. */
    public sealed interface Result {
        record Read(Usage usage) implements Result {
        }

        /** The backend said it cannot be reached ({@link BackendUnavailableException}). */
        record Unreachable() implements Result {
        }

        record TimedOut(Duration after) implements Result {
        }

        /** Too many reads at once; the viewer may reload. */
        record Busy() implements Result {
        }

        /** Anything else the backend threw; the log has it, the page only says so. */
        record Failed() implements Result {
        }
    }

    public <L> Result read(ServiceBackend<L> backend, UsageRequest<L> request) {
        Future<Usage> future;
        try {
            future = executor.submit(() -> backend.usage(request));
        } catch (RejectedExecutionException e) {
            return new Result.Busy();
        }
        try {
            Usage usage = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Result.Read(usage == null ? Usage.NONE : usage);
        } catch (TimeoutException e) {
            future.cancel(true);
            LOG.warn("usage of instance {} not read within {}", request.instanceId(), timeout);
            return new Result.TimedOut(timeout);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Result.TimedOut(timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BackendUnavailableException unavailable) {
                LOG.warn("usage of instance {}: backend unavailable: {}", request.instanceId(), unavailable.getMessage());
                return new Result.Unreachable();
            }
            LOG.warn("usage of instance {} failed", request.instanceId(), e.getCause());
            return new Result.Failed();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
