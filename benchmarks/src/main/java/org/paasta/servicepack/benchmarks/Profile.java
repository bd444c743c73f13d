package org.paasta.servicepack.benchmarks;

import java.time.Duration;

/**
 * How much of everything one run does ({@code otherWarmupCycles}/{@code otherCycles}: the
 * operation cycles of the Redis, RabbitMQ and MongoDB brokers and their floors). {@link #FULL} is the published run; {@link #SMOKE} runs
 * every scenario with tiny counts, only to prove in CI that the benchmark still works.
 */
record Profile(String name, int concurrency, Duration warmup, Duration measure, int warmupCycles, int cycles,
        int burstOperations, int burstConcurrency, int scaleInstances, int scaleBindingsPerInstance,
        int scaleWarmupCycles, int scaleCycles, int lastOperationProbes, boolean freshEmptyStoreRun,
        Duration settle, boolean diagnostics, int otherWarmupCycles, int otherCycles) {
    /**
     * Operation cycles are warmed up by the hundred: with two compiler threads on two cores the JIT
     * needs about that many before a broker's request path runs compiled, and the figures are
     * meant to describe a broker that has been up for a while, as JMH's warm-up iterations do.
     */
    static final Profile FULL = new Profile("full", 8, Duration.ofSeconds(8), Duration.ofSeconds(12), 200, 200,
            200, 20, 100_000, 2, 100, 100, 1500, true, Duration.ofSeconds(5), true, 60, 60);
    static final Profile SMOKE = new Profile("smoke", 2, Duration.ofMillis(300), Duration.ofMillis(700), 1, 3,
            10, 4, 300, 2, 1, 3, 20, false, Duration.ofMillis(200), false, 1, 2);
}
