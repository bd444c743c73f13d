package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paasta.servicepack.sdk.Credentials;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** The shared-vm lifecycle against real redis-server processes the broker starts on 127.0.0.1. */
class SharedVmLifecycleTest {
    @TempDir
    Path root;
    Broker broker;

    @BeforeEach
    void start() {
        broker = new Broker(root, 16400, 16409, 10, List.of(), Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        broker.close();
        RedisProcessesOnDisk.killAll(root);
    }

    @Test
    void bindingWorksUntilUnbindAndDeprovisionLeavesNothingBehind() {
        broker.provision("instance-1", Broker.SHARED);
        int port = broker.instances.find("instance-1").orElseThrow().port();
        long pid = broker.sharedVm.pid("instance-1").orElseThrow();
        Credentials credentials = broker.bind("instance-1", "binding-1", Broker.SHARED);

        assertThat(credentials.asMap()).containsKeys("host", "hostname", "port", "username", "password", "uri");
        assertThat(credentials.get("port")).isEqualTo(port);
        assertThat(credentials.getString("username")).isEqualTo("binding-binding-1");
        assertThat(credentials.getString("uri")).isEqualTo("redis://binding-binding-1:"
                + credentials.getString("password") + "@127.0.0.1:" + port);
        assertThat(credentials.toString()).doesNotContain(credentials.getString("password"));

        Jedis connectedBeforeUnbind = AppClients.byFields(credentials);
        connectedBeforeUnbind.set("greeting", "hello");
        assertThat(connectedBeforeUnbind.get("greeting")).isEqualTo("hello");
        try (Jedis fromUri = AppClients.byUri(credentials)) {
            assertThat(fromUri.get("greeting")).isEqualTo("hello");
            fromUri.set("from-uri", "yes");
            assertThat(fromUri.aclWhoAmI()).isEqualTo("binding-binding-1");
        }

        broker.unbind("instance-1", "binding-1", Broker.SHARED);

        assertThatThrownBy(() -> AppClients.byFields(credentials).ping())
                .isInstanceOf(JedisAccessControlException.class).hasMessageContaining("WRONGPASS");
        assertThatThrownBy(() -> AppClients.byUri(credentials).ping())
                .isInstanceOf(JedisAccessControlException.class);
        assertThatThrownBy(() -> connectedBeforeUnbind.get("greeting"))
                .as("a client connected before unbind is disconnected")
                .isInstanceOf(JedisConnectionException.class);
        connectedBeforeUnbind.close();
        // A repeated unbind finds nothing to do and succeeds.
        broker.unbind("instance-1", "binding-1", Broker.SHARED);

        Path directory = broker.processes.directory("instance-1");
        assertThat(directory).exists();
        broker.deprovision("instance-1", Broker.SHARED);

        assertThat(ProcessHandle.of(pid)).as("redis-server process after deprovision").isEmpty();
        assertThat(RedisProcessesOnDisk.portFree(port)).as("port %d free", port).isTrue();
        assertThat(Files.exists(directory)).as("data directory removed").isFalse();
        assertThat(broker.instances.find("instance-1")).isEmpty();
        RedisProcessesOnDisk.assertNoneLeft(root);
        // A repeated deprovision finds nothing and succeeds.
        broker.deprovision("instance-1", Broker.SHARED);
    }

    @Test
    void bindAndUnbindReuseTheBrokersConnectionsInsteadOfOpeningOnePerStep() {
        broker.provision("instance-3", Broker.SHARED);
        SharedInstance instance = broker.instances.find("instance-3").orElseThrow();
        broker.unbind("instance-3", "warm-up", Broker.SHARED);
        long before = connectionsReceived(instance);

        for (int i = 0; i < 10; i++) {
            broker.unbind("instance-3", "b-" + i, Broker.SHARED);
            broker.bind("instance-3", "b-" + i, Broker.SHARED);
            broker.unbind("instance-3", "b-" + i, Broker.SHARED);
        }

        // One for the count below itself; none for the thirty steps.
        assertThat(connectionsReceived(instance) - before).isEqualTo(1);
        broker.deprovision("instance-3", Broker.SHARED);
        assertThat(broker.connections.servers()).as("pools left after deprovision").isZero();
    }

    private static long connectionsReceived(SharedInstance instance) {
        try (Jedis admin = instance.adminLogin("127.0.0.1").connect(Broker.TIMEOUT)) {
            return admin.info("stats").lines().filter(line -> line.startsWith("total_connections_received:"))
                    .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim()))
                    .findFirst().orElseThrow();
        }
    }

    @Test
    void repeatedProvisionReusesTheInstanceAndRepeatedBindResetsThePassword() {
        broker.provision("instance-2", Broker.SHARED);
        int port = broker.instances.find("instance-2").orElseThrow().port();
        broker.provision("instance-2", Broker.SHARED);
        assertThat(broker.instances.find("instance-2").orElseThrow().port()).isEqualTo(port);
        assertThat(RedisProcessesOnDisk.running(root)).hasSize(1);

        Credentials first = broker.bind("instance-2", "b", Broker.SHARED);
        Credentials second = broker.bind("instance-2", "b", Broker.SHARED);
        assertThat(second.getString("password")).isNotEqualTo(first.getString("password"));
        try (Jedis jedis = AppClients.byFields(second)) {
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
        assertThatThrownBy(() -> AppClients.byFields(first).ping()).isInstanceOf(JedisAccessControlException.class);
        assertThatThrownBy(() -> PasswordOnlyClientsTest.passwordOnly(first)).as("the first password without a user")
                .isInstanceOf(JedisAccessControlException.class);
        PasswordOnlyClientsTest.passwordOnly(second).close();

        broker.deprovision("instance-2", Broker.SHARED);
        RedisProcessesOnDisk.assertNoneLeft(root);
    }
}
