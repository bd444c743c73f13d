package org.paasta.servicepack.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The unavoidable cost of the Redis broker's dedicated-vm operations, as its DedicatedVm and
 * BindingUsers issue them (as of this commit), over one warm admin connection to a pool node of
 * its own (a redis-server with a config file and no aclfile, as an operator's node is):
 * <ul>
 *   <li>provision: CONFIG SET maxmemory, maxmemory-policy, maxclients (the plan's, persistence left
 *       to the node), CONFIG REWRITE;</li>
 *   <li>bind: as {@link RedisFloor#bind} (the user and its hash on {@code default}), CONFIG GET aclfile,
 *       CONFIG REWRITE;</li>
 *   <li>unbind: as {@link RedisFloor#unbind}, then CONFIG GET aclfile, CONFIG REWRITE;</li>
 *   <li>deprovision: the wipe (ACL USERS, ACL SETUSER default off, CLIENT KILL of normal and pubsub
 *       clients, FLUSHALL) and the admin password's rotation (ACL SETUSER, CONFIG GET aclfile,
 *       CONFIG REWRITE).</li>
 * </ul>
 * Not in the floor: the broker's own pool-table rows (claim, rotation begun and completed,
 * release), which it commits to its state store like the SDK's rows.
 */
final class RedisDedicatedFloor implements BackendFloor {
    static final String ADMIN_USER = "servicepack-admin";

    private final Process node;
    private final Resp admin;

    /** Starts this floor's own node under {@code dir} on {@code port} and takes it over as the broker does. */
    RedisDedicatedFloor(Path dir, int port) throws Exception {
        String operatorPassword = UUID.randomUUID().toString().replace("-", "");
        node = startNode(dir, port, operatorPassword);
        Resp connection = connect(port, "default", operatorPassword);
        connection.call("ACL", "SETUSER", ADMIN_USER, "on", ">" + operatorPassword, "~*", "&*", "+@all");
        connection.call("ACL", "SETUSER", "default", "off", "resetpass");
        connection.call("CONFIG", "REWRITE");
        connection.close();
        // As the broker does: from here on as its own admin user, never as default, which bind
        // gives the apps' password-only logins (and no commands of the admin's).
        admin = connect(port, ADMIN_USER, operatorPassword);
    }

    /**
     * A pool node as an operator runs one: {@code redis-server redis.conf} with {@code requirepass},
     * no aclfile, in its own session; answers PING before this returns (10 s at most).
     */
    static Process startNode(Path dir, int port, String password) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("redis.conf"), "port " + port + "\nbind 127.0.0.1\ndaemonize no\n"
                + "dir \"" + dir + "\"\nlogfile \"" + dir.resolve("redis.log") + "\"\n"
                + "requirepass " + password + "\nsave \"\"\nappendonly no\n");
        Process process = new ProcessBuilder("/usr/bin/setsid", RedisFloor.REDIS_SERVER.toString(),
                dir.resolve("redis.conf").toString()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Resp probe = connect(port, "default", password)) {
                return process;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("pool node on port " + port + " did not answer; see " + dir, notYet);
                }
                Thread.sleep(5);
            }
        }
    }

    private static Resp connect(int port, String user, String password) throws IOException {
        Resp resp = new Resp(port, 2000);
        try {
            resp.call("AUTH", user, password);
            resp.call("PING");
            return resp;
        } catch (IOException e) {
            resp.close();
            throw e;
        }
    }

    @Override
    public String describe() {
        return "redis-server pool node";
    }

    @Override
    public long[] cycle() throws Exception {
        String user = "binding-" + UUID.randomUUID();
        long t0 = System.nanoTime();
        admin.call("CONFIG", "SET", "maxmemory", "1073741824", "maxmemory-policy", "noeviction", "maxclients", "10000");
        admin.call("CONFIG", "REWRITE");
        long t1 = System.nanoTime();
        RedisFloor.bind(admin, user);
        persist();
        long t2 = System.nanoTime();
        RedisFloor.unbind(admin, user, this::persist);
        long t3 = System.nanoTime();
        Object users = admin.call("ACL", "USERS");
        if (users instanceof List<?> names) {
            for (Object name : names) {
                if (!ADMIN_USER.equals(name) && !"default".equals(name)) {
                    admin.call("ACL", "DELUSER", String.valueOf(name));
                }
            }
        }
        admin.call("ACL", "SETUSER", "default", "off", "resetpass");
        admin.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
        admin.call("CLIENT", "KILL", "TYPE", "pubsub", "SKIPME", "yes");
        admin.call("FLUSHALL");
        admin.call("ACL", "SETUSER", ADMIN_USER, "on", "resetpass", ">" + password(), "~*", "&*", "+@all");
        persist();
        long t4 = System.nanoTime();
        return new long[] {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
    }

    private void persist() throws IOException {
        Object aclfile = admin.call("CONFIG", "GET", "aclfile");
        boolean hasFile = aclfile instanceof List<?> pair && pair.size() == 2 && !String.valueOf(pair.get(1)).isEmpty();
        admin.call(hasFile ? new String[] {"ACL", "SAVE"} : new String[] {"CONFIG", "REWRITE"});
    }

    private static String password() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Override
    public void close() {
        try {
            admin.close();
        } catch (IOException ignored) {
            // the node is stopped next anyway
        }
        node.destroy();
        try {
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        } catch (InterruptedException e) {
            node.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
