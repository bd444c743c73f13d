package org.paasta.servicepack.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.paasta.servicepack.sdk.secrets.Passwords;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Real redis-server processes standing in for an operator's pre-provisioned dedicated-vm nodes:
 * each with a config file (so CONFIG REWRITE can persist what the broker changes) and a
 * {@code requirepass}, as a BOSH-deployed PaaS-TA node has.
 */
final class PoolNodeServers implements AutoCloseable {
    record Node(int port, String password, Process process) {
        DedicatedVm.NodeSettings settings() {
            return new DedicatedVm.NodeSettings("127.0.0.1", port, null, password);
        }
    }

    private final Path root;
    private final List<Node> nodes = new ArrayList<>();

    PoolNodeServers(Path root) {
        this.root = root;
    }

    Node start(int port) throws IOException, InterruptedException {
        return start(port, Passwords.generate());
    }

    Node start(int port, String password) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(root.resolve("node-" + port));
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "requirepass " + password,
                "save \"\"",
                "appendonly no",
                "dir " + dir,
                "logfile " + dir.resolve("redis.log"),
                "proc-title-template \"{title} {listen-addr} {server-mode} {config-file}\"",
                ""));
        Process process = new ProcessBuilder("/usr/bin/redis-server", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        Node node = new Node(port, password, process);
        nodes.add(node);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Jedis jedis = new RedisLogin("127.0.0.1", port, "default", password).connect(Duration.ofMillis(200))) {
                jedis.ping();
                return node;
            } catch (JedisConnectionException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("pool node on port " + port + " did not start; see " + dir);
                }
                Thread.sleep(20);
            }
        }
    }

    /**
     * Stops a node the way its operator's reboot would (SIGTERM) and starts it again from its
     * config file, which holds what the broker persisted with CONFIG REWRITE.
     */
    Node restart(Node node) throws IOException, InterruptedException {
        node.process().destroy();
        if (!node.process().waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pool node on port " + node.port() + " did not stop");
        }
        nodes.remove(node);
        Path dir = root.resolve("node-" + node.port());
        Process process = new ProcessBuilder("/usr/bin/redis-server", dir.resolve("redis.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                .start();
        Node restarted = new Node(node.port(), node.password(), process);
        nodes.add(restarted);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!listening(node.port())) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("pool node on port " + node.port() + " did not restart; see " + dir);
            }
            Thread.sleep(20);
        }
        return restarted;
    }

    /**
     * Kills the node (SIGKILL) and starts a new process on its port with {@code password}: a
     * crash and restart when the password is the same, a replaced server when it is not.
     */
    Node kill9AndStart(Node node, String password) throws IOException, InterruptedException {
        node.process().destroyForcibly();
        if (!node.process().waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pool node on port " + node.port() + " survived SIGKILL");
        }
        nodes.remove(node);
        return start(node.port(), password);
    }

    private static boolean listening(int port) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    List<DedicatedVm.NodeSettings> settings() {
        return nodes.stream().map(Node::settings).toList();
    }

    @Override
    public void close() throws InterruptedException {
        for (Node node : nodes) {
            node.process().destroyForcibly();
            node.process().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
