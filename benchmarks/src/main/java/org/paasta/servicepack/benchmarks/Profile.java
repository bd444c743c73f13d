package org.paasta.servicepack.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * How much of everything one run does. {@link #FULL} is the published run; {@link #SMOKE} runs
 * every scenario with tiny counts, only to prove in CI that the benchmark still works.
 *
 * @param rounds              how often each ratio is measured (broker, then its baseline, in turn):
 *                            a target's figure is the median of the rounds, shown with their spread
 * @param starts              how often the bare SCOSB and the MySQL broker are started for start time and idle RSS
 * @param warmup              throughput warm-up per server and endpoint (once), nothing recorded
 * @param measure             one measured throughput window per server, endpoint and round
 * @param mysqlWarmupCycles   sequential lifecycle cycles before the MySQL broker's rounds (JIT warm-up), at least
 * @param mysqlCycles         MySQL cycles per round
 * @param otherWarmupCycles   the same for the Redis, RabbitMQ and MongoDB brokers
 * @param otherCycles         their cycles per round
 * @param clients             concurrent clients of the concurrency scenario
 * @param cyclesPerClient     provision+bind+unbind+deprovision cycles each client runs per round
 * @param restartForScale     a fresh broker for each store state; off, the smoke run fills MariaDB under
 *                            the running broker and measures the H2 empty store on the first broker
 * @param serverJvm           JVM flags added for this profile only (the smoke run's servers compile with C1
 *                            only: it measures nothing, and C2 at start-up costs a loaded CI machine most)
 * @param warmupBlockCycles   after its warm-up cycles, a server keeps cycling in blocks of this many until its
 *                            C2 compiler thread used under a tenth of a core over the last block
 * @param warmupLimit         ... or until this much time went into those extra blocks
 */
record Profile(String name, int rounds, int starts, int concurrency, Duration warmup, Duration measure,
        int mysqlWarmupCycles, int mysqlCycles, int otherWarmupCycles, int otherCycles, int clients,
        int cyclesPerClient, int scaleInstances, int scaleBindingsPerInstance, int scaleWarmupCycles,
        int scaleCycles, int lastOperationProbes, boolean restartForScale, boolean webfluxBaseline,
        Duration settle, List<String> serverJvm, int warmupBlockCycles, Duration warmupLimit) {
    /**
     * Operation cycles are warmed up by the thousand, as JMH's warm-up iterations are meant to: the
     * figures describe a broker that has been up for a while. With two compiler threads on two
     * cores the JIT takes that long to settle on a broker's request path: a fresh MySQL broker driven
     * by one client took 9.2 ms per bind over its first 100 cycles, 4.3 ms at 400, 3.4 ms at 1,000
     * and 3.1 ms at 1,500, while its CPU per cycle fell from 58 ms to 8 ms (C2 compiling H2's MVStore
     * methods, 100-280 ms each, long after the first hundred cycles). At 1,500 cycles its C2 thread
     * still used about 30% of a core (deoptimised methods recompiled, half the late C2 compiles),
     * under 10% only after 5,000 or so: hence warm-up blocks until the compiler has settled. The
     * floors, small loops in this JVM, settle within a few dozen cycles.
     */
    static final Profile FULL = new Profile("full", 3, 3, 8, Duration.ofSeconds(8), Duration.ofSeconds(6),
            1500, 100, 600, 40, 32, 8, 100_000, 2, 600, 100, 500, true, true, Duration.ofSeconds(10), List.of(),
            250, Duration.ofSeconds(150));
    static final Profile SMOKE = new Profile("smoke", 2, 1, 2, Duration.ofMillis(300), Duration.ofMillis(300),
            1, 2, 1, 2, 4, 1, 300, 2, 1, 2, 10, false, false, Duration.ofMillis(200),
            List.of("-XX:TieredStopAtLevel=1"), 1, Duration.ofSeconds(10));

    /** Minutes a run of this profile takes on an idle 2-core machine, build excluded (said in the report). */
    String expectedDuration() {
        return this == FULL ? "about 20 minutes" : "about 3 minutes";
    }
}
