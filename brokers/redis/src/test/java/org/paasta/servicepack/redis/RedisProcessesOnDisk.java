package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the tests leave behind, seen from the operating system: redis-server processes whose title
 * names a config file below a test's directory (both the broker's processes and the test's pool
 * nodes put it there), and ports in use.
 */
final class RedisProcessesOnDisk {
    private RedisProcessesOnDisk() {
    }

    static List<ProcessHandle> running(Path root) {
        String marker = root.toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> {
                    String line = ServerProcesses.commandLine(p);
                    return line.contains("redis-server") && line.contains(marker);
                })
                .toList();
    }

    /** Cleanup after a failed test: SIGKILL to every redis-server the test started, bounded wait. */
    static void killAll(Path root) {
        for (ProcessHandle process : running(root)) {
            process.destroyForcibly();
            try {
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by assertNoneLeft
            }
        }
    }

    static void assertNoneLeft(Path root) {
        assertThat(running(root)).as("redis-server processes left running below " + root).isEmpty();
    }

    static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
