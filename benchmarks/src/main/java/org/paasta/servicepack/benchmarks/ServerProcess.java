package org.paasta.servicepack.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A broker (or the bare SCOSB baseline) as its own operating-system process, so the load driver's
 * CPU and heap are not mixed into what is measured, and RSS is the server's alone.
 */
final class ServerProcess implements AutoCloseable {
    /** The JVM settings the README recommends for a small footprint, given to every server alike. */
    static final List<String> RECOMMENDED_JVM = List.of("-XX:+UseSerialGC", "-Xss512k", "-Xms24m", "-Xmx160m",
            "-XX:ReservedCodeCacheSize=48m", "-XX:MaxMetaspaceSize=128m", "-XX:CICompilerCount=2",
            "-XX:TrimNativeHeapInterval=5000");

    final String name;
    final int port;
    final String username;
    final String password;
    final long startupMillis;
    /** CPU time (user + system) the process had used when it answered its first request. */
    final double startupCpuSeconds;
    private final Process process;
    private final Path log;

    private ServerProcess(String name, int port, String username, String password, Process process, Path log,
            long startupMillis, double startupCpuSeconds) {
        this.name = name;
        this.port = port;
        this.username = username;
        this.password = password;
        this.process = process;
        this.log = log;
        this.startupMillis = startupMillis;
        this.startupCpuSeconds = startupCpuSeconds;
    }

    /**
     * Starts {@code java <RECOMMENDED_JVM> <launch...> --server.port=N <args...>} and returns once
     * {@code GET /v2/catalog} answers 200; {@link #startupMillis} is the time from process start to
     * that first served request.
     */
    static ServerProcess start(String name, List<String> launch, List<String> args, String username, String password,
            Path workingDirectory, Path logDirectory, Duration timeout) {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(RECOMMENDED_JVM);
        command.addAll(launch);
        command.add("--server.port=" + port);
        command.addAll(args);
        try {
            Files.createDirectories(workingDirectory);
            Files.createDirectories(logDirectory);
            Path log = logDirectory.resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + "-" + System.currentTimeMillis() + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            long started = System.nanoTime();
            Process process = builder.start();
            long deadline = started + timeout.toNanos();
            try (HttpConnection probe = new HttpConnection(port, username, password)) {
                while (System.nanoTime() < deadline) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited during startup; see " + log);
                    }
                    try {
                        if (probe.get("/v2/catalog").status() == 200) {
                            long millis = (System.nanoTime() - started) / 1_000_000;
                            return new ServerProcess(name, port, username, password, process, log, millis,
                                    cpuSeconds(process.pid()));
                        }
                    } catch (UncheckedIOException notListeningYet) {
                        probe.close();
                    }
                    Thread.sleep(25);
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException(name + " not ready within " + timeout + "; see " + log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpConnection connect() {
        return new HttpConnection(port, username, password);
    }

    /** Resident set size in MB, from /proc/PID/status (VmRSS), as an operator's `ps` shows it. */
    double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /**
     * utime + stime of a process from /proc/PID/stat, in seconds: unlike wall time, it hardly moves
     * when other work shares the cores, so a start's cost shows through a loaded machine.
     */
    static double cpuSeconds(long pid) {
        try {
            return cpuSeconds(Path.of("/proc", String.valueOf(pid), "stat"));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** utime + stime in seconds from a /proc stat file: a process's, or one thread's under task/. */
    private static double cpuSeconds(Path statFile) throws IOException {
        String stat = Files.readString(statFile);
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    long pid() {
        return process.pid();
    }

    /**
     * CPU seconds the JVM's C2 compiler threads have used (threads named "C2 CompilerThre..." in
     * /proc/PID/task): while they work, the server is still compiling its request path.
     */
    double compilerCpuSeconds() {
        double seconds = 0;
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("C2 Compiler")) {
                        seconds += cpuSeconds(task.resolve("stat"));
                    }
                } catch (IOException | RuntimeException threadGone) {
                    // a thread that ended between the listing and the read
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return seconds;
    }

    /** Threads of the process (from /proc/PID/task). */
    int threads() {
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
            return (int) tasks.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }


    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
