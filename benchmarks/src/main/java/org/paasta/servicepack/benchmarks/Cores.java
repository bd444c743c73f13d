package org.paasta.servicepack.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the machine's cores went during a measured stretch: CPU seconds of the broker's JVM, of the
 * backend server's process, of this JVM (the load driver, or the floor's clients), and of the whole
 * machine (from /proc/stat), over the stretch's wall time. A throughput that stops at a full
 * machine is bounded by CPU, and these shares say whose.
 *
 * @param busy      cores the whole machine kept busy (user, system, irq, steal; not idle or iowait)
 * @param broker    cores used by the broker's JVM (in a floor run, what it does with no requests: JIT, GC)
 * @param backend   cores used by the backend server (MariaDB, RabbitMQ)
 * @param benchmark cores used by this JVM: the load driver or the floor's clients
 */
record Cores(double busy, double broker, double backend, double benchmark) {
    private static final double TICKS_PER_SECOND = 100.0;

    /** CPU time so far of the processes to account for, and of the machine. */
    record Mark(long nanos, long machineBusyTicks, double broker, double backend, double benchmark) {
    }

    static Mark mark(long brokerPid, long backendPid) {
        return new Mark(System.nanoTime(), machineBusyTicks(), brokerPid > 0 ? ServerProcess.cpuSeconds(brokerPid) : 0,
                backendPid > 0 ? ServerProcess.cpuSeconds(backendPid) : 0,
                ServerProcess.cpuSeconds(ProcessHandle.current().pid()));
    }

    static Cores between(Mark from, Mark to) {
        double wall = (to.nanos() - from.nanos()) / 1e9;
        return new Cores((to.machineBusyTicks() - from.machineBusyTicks()) / TICKS_PER_SECOND / wall,
                (to.broker() - from.broker()) / wall, (to.backend() - from.backend()) / wall,
                (to.benchmark() - from.benchmark()) / wall);
    }

    /** Cores not accounted to the broker, the backend or this JVM: the kernel's own threads, other processes. */
    double other() {
        return Math.max(0, busy - broker - backend - benchmark);
    }

    /** CPU milliseconds per cycle at {@code cyclesPerSecond}, for a share in cores. */
    static double msPerCycle(double cores, double cyclesPerSecond) {
        return cores * 1000 / cyclesPerSecond;
    }

    /** The pid of the oldest process whose command is {@code name} (as /proc/PID/comm shows it). */
    static long pidOf(String... names) {
        Optional<ProcessHandle> found = ProcessHandle.allProcesses().filter(p -> {
            String comm = comm(p.pid());
            for (String name : names) {
                if (name.equals(comm)) {
                    return true;
                }
            }
            return false;
        }).min((a, b) -> Long.compare(a.pid(), b.pid()));
        return found.map(ProcessHandle::pid).orElse(-1L);
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(pid), "comm")).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static long machineBusyTicks() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long busy = 0;
                    // user nice system idle iowait irq softirq steal: all but idle (4) and iowait (5).
                    for (int i = 1; i <= 8 && i < f.length; i++) {
                        if (i != 4 && i != 5) {
                            busy += Long.parseLong(f[i]);
                        }
                    }
                    return busy;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
