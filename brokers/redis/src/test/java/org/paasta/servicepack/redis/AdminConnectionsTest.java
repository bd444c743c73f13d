package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The broker's pooled admin connections against real redis-server processes: kept and reused,
 * bounded, and never used after the process behind them was restarted or replaced, nor after the
 * broker's login for the server changed.
 */
class AdminConnectionsTest {
    static final int PORT = 16472;

    @TempDir
    Path root;
    PoolNodeServers servers;
    AdminConnections connections;
    RedisLogin operator;

    @BeforeEach
    void start() throws Exception {
        servers = new PoolNodeServers(root);
        PoolNodeServers.Node node = servers.start(PORT);
        operator = new RedisLogin("127.0.0.1", PORT, "default", node.password());
        connections = new AdminConnections(Broker.TIMEOUT);
    }

    @AfterEach
    void stop() throws InterruptedException {
        connections.close();
        servers.close();
        RedisProcessesOnDisk.killAll(root);
        RedisProcessesOnDisk.assertNoneLeft(root);
    }

    @Test
    void aConnectionIsKeptAndUsedAgain() {
        long first;
        try (Jedis jedis = connections.borrow(operator)) {
            first = jedis.clientId();
        }
        try (Jedis jedis = connections.borrow(operator)) {
            assertThat(jedis.clientId()).as("the same server-side client").isEqualTo(first);
        }
        assertThat(brokerClients(1)).as("connections of the broker the server sees").isEqualTo(1);
    }

    @Test
    void aRestartedProcessGetsANewConnectionNotTheDeadOne() throws Exception {
        long before;
        try (Jedis jedis = connections.borrow(operator)) {
            before = ServerProcesses.pid(jedis);
        }
        kill9AndStartAgain(operator.password());

        try (Jedis jedis = connections.borrow(operator)) {
            assertThat(ServerProcesses.pid(jedis)).as("a connection to the new process").isNotEqualTo(before);
        }
    }

    @Test
    void aProcessReplacedWithAnotherPasswordRefusesInsteadOfAKeptConnectionAnswering() throws Exception {
        try (Jedis jedis = connections.borrow(operator)) {
            jedis.ping();
        }
        kill9AndStartAgain("the-new-process-has-another-password");

        assertThatThrownBy(() -> connections.borrow(operator).close())
                .isInstanceOf(JedisAccessControlException.class).hasMessageContaining("WRONGPASS");
    }

    @Test
    void aNewLoginForTheServerClosesTheConnectionsOfTheOldOne() {
        try (Jedis jedis = connections.borrow(operator)) {
            jedis.aclSetUser(ResourceNames.ADMIN_USER, "on", ">rotated-in", "~*", "&*", "+@all");
        }
        RedisLogin rotated = new RedisLogin("127.0.0.1", PORT, ResourceNames.ADMIN_USER, "rotated-in");
        try (Jedis jedis = connections.borrow(rotated)) {
            assertThat(jedis.aclWhoAmI()).isEqualTo(ResourceNames.ADMIN_USER);
            assertThat(clientsOf(jedis, "default", 0)).as("the old login's kept connection").isZero();
        }
    }

    @Test
    void forgetClosesTheServersConnectionsAlsoOneStillBorrowedOnceGivenBack() {
        Jedis borrowed = connections.borrow(operator);
        try (Jedis idle = connections.borrow(operator)) {
            idle.ping();
        }
        assertThat(brokerClients(2)).isEqualTo(2);

        connections.forget(operator.address());
        assertThat(borrowed.ping()).as("a step under way finishes").isEqualTo("PONG");
        borrowed.close();

        assertThat(brokerClients(0)).isZero();
        assertThat(connections.servers()).isZero();
    }

    @Test
    void aServerGetsAtMostTheBoundOfConnectionsAndAWaitForMoreEnds() {
        AdminConnections quick = new AdminConnections(Duration.ofMillis(300));
        List<Jedis> held = new ArrayList<>();
        try {
            for (int i = 0; i < AdminConnections.MAX_PER_SERVER; i++) {
                held.add(quick.borrow(operator));
            }
            long started = System.nanoTime();
            assertThatThrownBy(() -> quick.borrow(operator)).isInstanceOf(JedisConnectionException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3000);
        } finally {
            held.forEach(Jedis::close);
            quick.close();
        }
        assertThat(brokerClients(0)).as("none left open after close").isZero();
    }

    @Test
    void aConnectionThatProvedTheLoginIsHandedInAndLentToTheNextStep() {
        Jedis proven = operator.connect(Broker.TIMEOUT);
        long id = proven.clientId();
        connections.keep(operator, proven);
        try (Jedis jedis = connections.borrow(operator)) {
            assertThat(jedis.clientId()).as("the handed-in connection, not a new login").isEqualTo(id);
        }
        assertThat(brokerClients(1)).isEqualTo(1);
    }

    @Test
    void givingBackTwiceKeepsOneConnectionNotTwo() {
        Jedis jedis = connections.borrow(operator);
        jedis.close();
        jedis.close();
        try (Jedis first = connections.borrow(operator); Jedis second = connections.borrow(operator)) {
            assertThat(first.clientId()).as("two steps at once never share a connection")
                    .isNotEqualTo(second.clientId());
        }
    }

    @Test
    void idleConnectionsAreClosedAfterTheirLifetime() {
        AdminConnections shortLived = new AdminConnections(Broker.TIMEOUT, Duration.ofMillis(500));
        try {
            try (Jedis one = shortLived.borrow(operator); Jedis two = shortLived.borrow(operator)) {
                one.ping();
                two.ping();
            }
            assertThat(brokerClients(2)).as("kept while fresh").isEqualTo(2);
            assertThat(brokerClients(0)).as("closed once idle past their lifetime").isZero();
        } finally {
            shortLived.close();
        }
    }

    @Test
    void aServerThatDoesNotAnswerIsAConnectionFailure() {
        RedisLogin nobody = new RedisLogin("127.0.0.1", PORT + 1, "default", "x");
        assertThatThrownBy(() -> connections.borrow(nobody)).isInstanceOf(JedisConnectionException.class);
    }

    private void kill9AndStartAgain(String password) throws Exception {
        servers.kill9AndStart(servers.nodes().get(0), password);
    }

    /**
     * The broker's connections as the server lists them, read until it shows {@code expected} or
     * 2 s pass: a server notices a closed socket on its next turn of the event loop.
     */
    private long brokerClients(long expected) {
        return awaitCount(expected, () -> {
            try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", PORT), DefaultJedisClientConfig.builder()
                    .password(servers.nodes().get(0).password()).clientName("test").build())) {
                return jedis.clientList().lines()
                        .filter(line -> line.contains(" name=" + RedisLogin.CLIENT_NAME + " ")).count();
            }
        });
    }

    private static long clientsOf(Jedis jedis, String user, long expected) {
        return awaitCount(expected, () -> jedis.clientList().lines()
                .filter(line -> line.contains(" user=" + user + " ")).count());
    }

    private static long awaitCount(long expected, LongSupplier count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long now = count.getAsLong();
        while (now != expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = count.getAsLong();
        }
        return now;
    }
}
