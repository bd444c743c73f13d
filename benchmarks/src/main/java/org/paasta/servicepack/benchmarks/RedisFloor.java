package org.paasta.servicepack.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The unavoidable cost of the Redis broker's shared-vm operations, as its ServerProcesses and
 * BindingUsers issue them (as of this commit):
 * <ul>
 *   <li>provision: write the instance's redis.conf and users.acl (same settings as the broker
 *       writes for the shared-vm plan), start {@code setsid redis-server redis.conf}, and poll until
 *       it answers PING to the admin user, trying again every millisecond: the raw time to start a
 *       redis-server and see it answer;</li>
 *   <li>bind ({@link #bind}): ACL GETUSER (a repeated bind's earlier password), ACL SETUSER of the
 *       binding's user with the broker's rules and its password's hash, ACL SETUSER {@code default}
 *       adding the same hash (password-only clients log in as {@code default}), CONFIG GET aclfile,
 *       ACL SAVE;</li>
 *   <li>unbind ({@link #unbind}): ACL GETUSER, ACL SETUSER off, ACL GETUSER default, ACL SETUSER
 *       default taking the hash off, CLIENT KILL USER default, CLIENT KILL USER, ACL DELUSER,
 *       CONFIG GET aclfile, ACL SAVE;</li>
 *   <li>deprovision: INFO server (the pid), SHUTDOWN NOSAVE, wait for the process to exit, remove
 *       the instance directory.</li>
 * </ul>
 * Bind, unbind and deprovision go over the one admin connection that saw the PING, kept warm.
 */
final class RedisFloor implements BackendFloor {
    static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final String ADMIN_USER = "servicepack-admin";
    private static final List<String> APP_RULES = List.of("~*", "&*", "+@all", "-@dangerous",
            "+info", "+keys", "+sort", "+sort_ro", "+flushdb", "+flushall", "+acl|whoami");

    private final Path dataRoot;
    private final int firstPort;
    private final int lastPort;

    /**
     * @param dataRoot   where instance directories go; ports are taken from firstPort..lastPort
     */
    RedisFloor(Path dataRoot, int firstPort, int lastPort) throws IOException {
        this.dataRoot = Files.createDirectories(dataRoot);
        this.firstPort = firstPort;
        this.lastPort = lastPort;
    }

    @Override
    public String describe() throws IOException, InterruptedException {
        Process version = new ProcessBuilder(REDIS_SERVER.toString(), "--version").redirectErrorStream(true).start();
        String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        version.waitFor(10, TimeUnit.SECONDS);
        return text.replaceAll(".*v=([0-9.]+).*", "redis-server $1");
    }

    @Override
    public long[] cycle() throws Exception {
        String instanceId = UUID.randomUUID().toString();
        String user = "binding-" + UUID.randomUUID();
        String adminPassword = password();
        Path dir = dataRoot.resolve("instance-" + instanceId);
        int port = freePort();
        long t0 = System.nanoTime();
        Resp admin = start(dir, port, adminPassword);
        long t1 = System.nanoTime();
        try {
            bind(admin, user);
            persistAcl(admin);
            long t2 = System.nanoTime();
            unbind(admin, user, () -> persistAcl(admin));
            long t3 = System.nanoTime();
            stop(admin, dir);
            long t4 = System.nanoTime();
            return new long[] {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
        } finally {
            admin.close();
        }
    }

    private Resp start(Path dir, int port, String adminPassword) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("redis.conf"), config(dir, port));
        Files.writeString(dir.resolve("users.acl"), "user default off resetpass resetkeys resetchannels -@all\n"
                + "user " + ADMIN_USER + " on #" + sha256(adminPassword) + " ~* &* +@all\n");
        Process process = new ProcessBuilder(SETSID.toString(), REDIS_SERVER.toString(), dir.resolve("redis.conf").toString())
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                Resp admin = new Resp(port, 1000);
                try {
                    admin.call("AUTH", ADMIN_USER, adminPassword);
                    admin.call("PING");
                    return admin;
                } catch (IOException e) {
                    admin.close();
                    throw e;
                }
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("redis-server on port " + port + " did not answer; see " + dir, notYet);
                }
                Thread.sleep(1);
            }
        }
    }

    private void stop(Resp admin, Path dir) throws Exception {
        long pid = -1;
        for (String line : ((String) admin.call("INFO", "server")).split("\r?\n")) {
            if (line.startsWith("process_id:")) {
                pid = Long.parseLong(line.substring("process_id:".length()).trim());
            }
        }
        try {
            admin.call("SHUTDOWN", "NOSAVE");
        } catch (IOException closedUnderShutdown) {
            // SHUTDOWN answers by closing the connection
        }
        ProcessHandle process = ProcessHandle.of(pid).orElse(null);
        if (process != null) {
            process.onExit().get(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void persistAcl(Resp admin) throws IOException {
        Object aclfile = admin.call("CONFIG", "GET", "aclfile");
        boolean hasFile = aclfile instanceof List<?> pair && pair.size() == 2 && !String.valueOf(pair.get(1)).isEmpty();
        admin.call(hasFile ? new String[] {"ACL", "SAVE"} : new String[] {"CONFIG", "REWRITE"});
    }

    /** What ServerProcesses writes for a shared-vm instance of catalog/redis.yml (250 MB, 1000 clients, rdb). */
    private static String config(Path dir, int port) {
        return "port " + port + "\n"
                + "bind 127.0.0.1\n"
                + "daemonize no\n"
                + "dir \"" + dir + "\"\n"
                + "pidfile \"" + dir.resolve("redis.pid") + "\"\n"
                + "logfile \"" + dir.resolve("redis.log") + "\"\n"
                + "aclfile \"" + dir.resolve("users.acl") + "\"\n"
                + "proc-title-template \"{title} {listen-addr} {server-mode} {config-file}\"\n"
                + "maxmemory 262144000\n"
                + "maxmemory-policy noeviction\n"
                + "maxclients 1000\n"
                + "enable-debug-command no\n"
                + "enable-module-command no\n"
                + "enable-protected-configs no\n"
                + "save 3600 1 300 100 60 10000\n"
                + "appendonly no\n";
    }

    private int freePort() {
        for (int port = firstPort; port <= lastPort; port++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // next
            }
        }
        throw new IllegalStateException("no free port in " + firstPort + "-" + lastPort);
    }

    /** Kills any redis-server still running from a directory below {@code root} (after a failed run). */
    static int killLeftovers(Path root) {
        String marker = root.toAbsolutePath().toString();
        int killed = 0;
        for (ProcessHandle process : ProcessHandle.allProcesses().toList()) {
            String command;
            try {
                command = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
            } catch (IOException | RuntimeException gone) {
                continue;
            }
            if (command.contains("redis-server") && command.contains(marker)) {
                process.destroyForcibly();
                killed++;
            }
        }
        return killed;
    }

    /** What the pass-through of {@link #unbind} persists the ACL with. */
    interface Persist {
        void run() throws Exception;
    }

    /**
     * The broker's bind (BindingUsers.create): the user with its password's hash, and the same
     * hash added to {@code default}, which is who password-only clients log in as.
     */
    static void bind(Resp admin, String user) throws Exception {
        String hash = "#" + sha256(password());
        admin.call("ACL", "GETUSER", user);
        List<String> setUser = new ArrayList<>(List.of("ACL", "SETUSER", user, "reset", "on", hash));
        setUser.addAll(APP_RULES);
        admin.call(setUser.toArray(String[]::new));
        List<String> setDefault = new ArrayList<>(List.of("ACL", "SETUSER", "default", "on", hash, "resetkeys",
                "resetchannels", "-@all"));
        setDefault.addAll(APP_RULES);
        admin.call(setDefault.toArray(String[]::new));
    }

    /**
     * The broker's unbind (BindingUsers.revoke): the user off, its hash taken off {@code default}
     * and {@code default}'s connections ended, its own connections ended, the user deleted.
     */
    static void unbind(Resp admin, String user, Persist persist) throws Exception {
        if (!(admin.call("ACL", "GETUSER", user) instanceof List<?> acl)) {
            return;
        }
        admin.call("ACL", "SETUSER", user, "off");
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i + 1 < acl.size(); i += 2) {
            if ("passwords".equals(String.valueOf(acl.get(i))) && acl.get(i + 1) instanceof List<?> list) {
                list.forEach(hash -> hashes.add("!" + hash));
            }
        }
        admin.call("ACL", "GETUSER", "default");
        if (!hashes.isEmpty()) {
            List<String> drop = new ArrayList<>(List.of("ACL", "SETUSER", "default"));
            drop.addAll(hashes);
            admin.call(drop.toArray(String[]::new));
            admin.call("CLIENT", "KILL", "USER", "default");
        }
        admin.call("CLIENT", "KILL", "USER", user);
        admin.call("ACL", "DELUSER", user);
        persist.run();
    }

    static String password() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        killLeftovers(dataRoot);
    }
}
