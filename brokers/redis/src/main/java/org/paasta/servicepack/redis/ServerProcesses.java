package org.paasta.servicepack.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.paasta.servicepack.sdk.config.MissingSettingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ShutdownParams;

/**
 * Starts and stops the redis-server processes of shared-vm instances on this host, one directory
 * per instance under the data root: {@code redis.conf} (written anew from the state store at every
 * start), {@code users.acl} (the broker's admin user and the bindings' users, hashed), the data
 * files and the logs. Deciding <i>when</i> to start or stop is {@link SharedVmSupervisor}'s job.
 */
final class ServerProcesses {
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    /** In the data root, beside the {@code instance-*} directories: held by the broker that runs them. */
    static final String LOCK_FILE = "broker.lock";
    /** The data roots claimed by brokers of this JVM. */
    private static final Set<Path> CLAIMED = ConcurrentHashMap.newKeySet();
    /** A new server answers within about 10 ms: poll soon, then back off to at most 20 ms. */
    private static final long FIRST_POLL_MILLIS = 1;
    private static final long MAX_POLL_MILLIS = 20;
    private static final Duration PING_TIMEOUT = Duration.ofMillis(200);
    private static final Logger log = LoggerFactory.getLogger(ServerProcesses.class);

    private final Path redisServer;
    private final Path dataRoot;
    private final String bindAddress;
    private final Duration startTimeout;
    private final AdminConnections connections;

    /**
     * @param connections where the connection that saw a new process answer is kept for the next
     *                    step, and where stopping a process borrows one
     */
    ServerProcesses(Path redisServer, Path dataRoot, String bindAddress, Duration startTimeout,
            AdminConnections connections) {
        this.redisServer = redisServer;
        this.dataRoot = dataRoot.toAbsolutePath();
        this.bindAddress = bindAddress;
        this.startTimeout = startTimeout;
        this.connections = connections;
    }

    /**
     * Fails the broker's start when redis-server or the data root cannot be used: the shared-vm
     * plan would fail at every provision otherwise.
     */
    void checkUsable() {
        if (!Files.isExecutable(redisServer)) {
            throw new MissingSettingException("servicepack.redis.shared.redis-server",
                    "SERVICEPACK_REDIS_SHARED_REDISSERVER", redisServer + " is not an executable file: install"
                    + " redis-server 6+ or set its path; or REDIS_SHARED_ENABLED=false where shared-vm cannot run");
        }
        try {
            Files.createDirectories(dataRoot);
        } catch (IOException e) {
            throw new MissingSettingException("servicepack.redis.shared.data-dir", "REDIS_SHARED_DATA_DIR",
                    "a directory the broker can write; cannot create " + dataRoot + " (" + e + ")");
        }
    }

    /**
     * Takes the data root for this broker alone, until the returned claim is closed (or the broker's
     * process ends: the operating system drops the lock then, so a broker killed with -9 does not
     * keep the next one out). Two brokers over one data root would each supervise the same
     * instances without knowing of the other's deprovisions: one restarts, from a handle it still
     * holds, an instance the other just deleted or is starting again on a reused port, and a
     * provision fails because the port is taken. So the second broker does not start.
     *
     * @throws MissingSettingException when another running broker holds the data root
     */
    AutoCloseable claimDataRoot() {
        Path lockFile = dataRoot.resolve(LOCK_FILE);
        Path root;
        try {
            Files.createDirectories(dataRoot);
            root = dataRoot.toRealPath();
        } catch (IOException e) {
            throw new MissingSettingException("servicepack.redis.shared.data-dir", "REDIS_SHARED_DATA_DIR",
                    "a directory the broker can write; cannot create " + dataRoot + " (" + e + ")");
        }
        // Brokers of this JVM (Spring test contexts) are told apart before the file is touched: a
        // process loses all its locks on a file when it closes any channel to it, so a refused
        // broker here must not open and close the file its neighbour holds.
        if (!CLAIMED.add(root)) {
            throw held("with pid " + ProcessHandle.current().pid() + " (this process)");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw held(holder(channel));
            }
            // Whose it is, for the message above; the lock itself, not this text, is what counts.
            channel.truncate(0);
            channel.write(StandardCharsets.UTF_8.encode("pid " + ProcessHandle.current().pid() + "\n"), 0);
            FileChannel held = channel;
            channel = null;
            return () -> {
                try {
                    lock.release();
                    held.close();
                } finally {
                    CLAIMED.remove(root);
                }
            };
        } catch (IOException e) {
            throw new MissingSettingException("servicepack.redis.shared.data-dir", "REDIS_SHARED_DATA_DIR",
                    "a directory the broker can write; cannot lock " + lockFile + " (" + e + ")");
        } finally {
            if (channel != null) {
                closeQuietly(channel);
                CLAIMED.remove(root);
            }
        }
    }

    private MissingSettingException held(String holder) {
        return new MissingSettingException("servicepack.redis.shared.data-dir", "REDIS_SHARED_DATA_DIR",
                "a directory no other running broker uses: " + dataRoot + " is held by the broker " + holder
                        + " (shared-vm runs one broker per host)");
    }

    /** The lock, or null when another process holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // locked through another channel of this JVM, outside claimDataRoot
        }
    }

    /** What the holder wrote into the lock file, read through our own channel. */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer text = ByteBuffer.allocate(64);
            channel.read(text, 0);
            String pid = new String(text.array(), 0, text.position(), StandardCharsets.UTF_8).trim();
            return pid.isEmpty() ? "(pid unknown)" : "with " + pid;
        } catch (IOException e) {
            return "(pid unknown)";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // the claim failed already; that is what is reported
        }
    }

    /** The address the processes listen on. */
    String bindAddress() {
        return bindAddress;
    }

    /** The host the broker itself connects to (the processes listen on the bind address only). */
    String connectHost() {
        return bindAddress.equals("0.0.0.0") ? "127.0.0.1" : bindAddress;
    }

    /** The instance's directory, named after its OSB id ({@link ResourceNames#instanceDirectory}). */
    Path directory(String instanceId) {
        return dataRoot.resolve(ResourceNames.instanceDirectory(instanceId));
    }

    /**
     * Starts the instance's redis-server and waits until it answers its admin login.
     *
     * @throws IllegalStateException when it exits or stays silent past the start timeout; the
     *                               message names the log file to read
     */
    Process start(SharedInstance instance) {
        Path dir = directory(instance.instanceId());
        try {
            Files.createDirectories(dir);
            restrict(dir, "rwx------");
            writeAtomically(dir.resolve("redis.conf"), config(instance, dir));
            Path aclfile = dir.resolve("users.acl");
            if (!Files.exists(aclfile)) {
                // The bindings' users live here too (ACL SAVE), so it is written only once.
                writeAtomically(aclfile, "user default off resetpass resetkeys resetchannels -@all\n"
                        + "user " + ResourceNames.ADMIN_USER + " on #" + ResourceNames.sha256Hex(instance.adminPassword())
                        + " ~* &* +@all\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // Its own session: the processes must outlive the broker and not share its signals
            // (a supervisor stopping the broker's process group must not take every instance down).
            command.add(SETSID.toString());
        }
        command.add(redisServer.toString());
        command.add(dir.resolve("redis.conf").toString());
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + redisServer, e);
        }
        awaitReady(instance.adminLogin(connectHost()), process, dir);
        return process;
    }

    private void awaitReady(RedisLogin admin, Process process, Path dir) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        long pause = FIRST_POLL_MILLIS;
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + admin.port() + " exited with status "
                        + process.exitValue() + "; see " + dir.resolve("stdout.log"));
            }
            Jedis jedis = null;
            try {
                jedis = admin.connect(PING_TIMEOUT);
                jedis.ping();
                // It has just proved the login: the instance's first step (its bind) need not log in again.
                connections.keep(admin, jedis);
                return;
            } catch (JedisConnectionException | JedisAccessControlException e) {
                if (jedis != null) {
                    jedis.close();
                }
                // Not listening yet, or a stranger holds the port: our process exits then, see above.
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-server on port " + admin.port() + " did not answer within "
                        + startTimeout.toMillis() + " ms; see " + dir.resolve("redis.log"));
            }
            try {
                Thread.sleep(pause);
                pause = Math.min(pause * 2, MAX_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IllegalStateException("interrupted while redis-server was starting");
            }
        }
    }

    /** The process behind a server that answers its admin login, or empty when it does not answer. */
    Optional<ProcessHandle> running(RedisLogin admin, Duration timeout) {
        try (Jedis jedis = admin.connect(timeout)) {
            return ProcessHandle.of(pid(jedis));
        } catch (JedisConnectionException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops the instance's server with SHUTDOWN NOSAVE (the data is about to be removed, and this is
     * far quicker than SIGTERM's save-and-exit) and waits, bounded, until the process is gone. A
     * server that does not answer but whose pidfile names a live redis-server of this directory is
     * killed.
     */
    void stop(SharedInstance instance, Duration timeout) {
        Path dir = directory(instance.instanceId());
        Optional<ProcessHandle> process = Optional.empty();
        try (Jedis jedis = connections.borrow(instance.adminLogin(connectHost()))) {
            process = ProcessHandle.of(pid(jedis));
            jedis.shutdown(ShutdownParams.shutdownParams().nosave());
        } catch (JedisConnectionException e) {
            // Not running, or the connection closed under SHUTDOWN: the process check below decides.
        } catch (JedisException e) {
            log.warn("SHUTDOWN NOSAVE refused by redis-server of instance {}: {}", instance.instanceId(),
                    e.getMessage());
        }
        if (process.isEmpty()) {
            process = fromPidfile(dir);
        }
        process.ifPresent(p -> awaitExit(p, timeout, instance));
    }

    private Optional<ProcessHandle> fromPidfile(Path dir) {
        Path pidfile = dir.resolve("redis.pid");
        try {
            long pid = Long.parseLong(Files.readString(pidfile).trim());
            // Only a process whose title names this directory's config is ours to kill.
            return ProcessHandle.of(pid).filter(p -> commandLine(p).contains(dir.resolve("redis.conf").toString()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void awaitExit(ProcessHandle process, Duration timeout, SharedInstance instance) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException e) {
            log.warn("redis-server of instance {} (pid {}) still runs after SHUTDOWN; killing it",
                    instance.instanceId(), process.pid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // onExit never fails
        }
        process.destroyForcibly();
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException("redis-server pid " + process.pid() + " survived SIGKILL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes the instance's directory: data, users, logs. */
    void removeData(String instanceId) {
        Path dir = directory(instanceId);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    /**
     * The process title as {@code ps} shows it. redis-server rewrites its title in place, which
     * {@link ProcessHandle.Info#commandLine()} does not parse, so it is read from /proc.
     */
    static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"))
                    .replace('\0', ' ');
        } catch (IOException | UncheckedIOException e) {
            return process.info().commandLine().orElse("");
        }
    }

    static long pid(Jedis jedis) {
        for (String line : jedis.info("server").split("\r?\n")) {
            if (line.startsWith("process_id:")) {
                return Long.parseLong(line.substring("process_id:".length()).trim());
            }
        }
        throw new IllegalStateException("INFO server has no process_id");
    }

    private String config(SharedInstance instance, Path dir) {
        StringBuilder conf = new StringBuilder()
                .append("# Written by the service broker from its state store at every start: edits are lost.\n")
                .append("port ").append(instance.port()).append('\n')
                .append("bind ").append(bindAddress).append('\n')
                .append("daemonize no\n")
                .append("dir ").append(quote(dir.toString())).append('\n')
                .append("pidfile ").append(quote(dir.resolve("redis.pid").toString())).append('\n')
                .append("logfile ").append(quote(dir.resolve("redis.log").toString())).append('\n')
                .append("aclfile ").append(quote(dir.resolve("users.acl").toString())).append('\n')
                .append("proc-title-template \"{title} {listen-addr} {server-mode} {config-file}\"\n")
                .append("maxmemory ").append(instance.maxmemoryBytes()).append('\n')
                .append("maxmemory-policy noeviction\n")
                .append("maxclients ").append(instance.maxclients()).append('\n')
                .append("enable-debug-command no\n")
                .append("enable-module-command no\n")
                .append("enable-protected-configs no\n");
        String[] persistence = instance.persistence().settings();
        for (int i = 0; i < persistence.length; i += 2) {
            // "save" takes its schedule as separate arguments; only the empty schedule needs quotes.
            String value = persistence[i + 1].isEmpty() ? "\"\"" : persistence[i + 1];
            conf.append(persistence[i]).append(' ').append(value).append('\n');
        }
        return conf.toString();
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        restrict(temp, "rw-------");
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void restrict(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to restrict
        }
    }
}
