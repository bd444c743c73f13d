package org.paasta.servicepack.consumer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server standing in for an operator's dedicated-vm pool node: a config file (so the
 * broker's CONFIG REWRITE persists) and a {@code requirepass}, as a BOSH-deployed node has.
 */
final class RedisPoolNode implements AutoCloseable {
    static final String REDIS_SERVER = "/usr/bin/redis-server";

    final int port;
    final String password;
    private final Process process;

    private RedisPoolNode(int port, String password, Process process) {
        this.port = port;
        this.password = password;
        this.process = process;
    }

    static RedisPoolNode start(Path directory, int port) {
        String password = BrokerProcess.secret(32);
        try {
            BrokerProcess.deleteRecursively(directory);
            Files.createDirectories(directory);
            Path conf = directory.resolve("redis.conf");
            Files.writeString(conf, String.join("\n", "port " + port, "bind 127.0.0.1", "requirepass " + password,
                    "save \"\"", "appendonly no", "dir " + directory.toAbsolutePath(),
                    "logfile " + directory.resolve("redis.log").toAbsolutePath(), ""));
            Process process = new ProcessBuilder(REDIS_SERVER, conf.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(directory.resolve("stdout.log").toFile()).start();
            RedisPoolNode node = new RedisPoolNode(port, password, process);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!node.answersPing()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    node.close();
                    throw new IllegalStateException("redis pool node on port " + port + " did not start; see " + directory);
                }
                Thread.sleep(50);
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** AUTH and PING in RESP, by hand: the harness needs no Redis client of its own for this. */
    private boolean answersPing() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write(("*2\r\n$4\r\nAUTH\r\n$" + password.length() + "\r\n" + password + "\r\n*1\r\n$4\r\nPING\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64];
            StringBuilder answer = new StringBuilder();
            while (!answer.toString().contains("PONG") && !answer.toString().contains("-")) {
                int read = in.read(buffer);
                if (read < 0) {
                    break;
                }
                answer.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
            return answer.toString().contains("+PONG");
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
