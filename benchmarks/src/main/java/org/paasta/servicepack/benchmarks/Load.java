package org.paasta.servicepack.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Closed-loop load at a fixed concurrency: each of {@code concurrency} threads keeps one
 * keep-alive connection and sends the next request as soon as the previous one answered. Samples
 * taken during the warm-up are dropped; the measured window is bounded in time.
 */
final class Load {
    private Load() {
    }

    /** {@code request} sends one request on the given connection and says whether it succeeded. */
    static Stats run(ServerProcess server, int concurrency, Duration warmup, Duration measure,
            Function<HttpConnection, Boolean> request) throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        List<Stats.Samples> perThread = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            Stats.Samples samples = new Stats.Samples();
            perThread.add(samples);
            Thread thread = new Thread(() -> {
                try (HttpConnection connection = server.connect()) {
                    for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                        boolean ok;
                        try {
                            ok = request.apply(connection);
                        } catch (RuntimeException e) {
                            ok = false;
                        }
                        long after = System.nanoTime();
                        if (now >= measureFrom && after <= end) {
                            if (ok) {
                                samples.add(after - now);
                            } else {
                                errors.incrementAndGet();
                            }
                        }
                    }
                }
            }, "load-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(measure.toMillis() + warmup.toMillis() + 180_000);
        }
        Stats.Samples all = new Stats.Samples();
        perThread.forEach(all::addAll);
        return all.stats(measure.toNanos() / 1e9, errors.get());
    }
}
