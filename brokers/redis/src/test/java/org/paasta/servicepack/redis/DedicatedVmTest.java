package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paasta.servicepack.sdk.CapacityExhaustedException;
import org.paasta.servicepack.sdk.Credentials;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** The dedicated-vm pool against real redis-server processes the test starts as the operator's nodes. */
class DedicatedVmTest {
    @TempDir
    Path root;
    PoolNodeServers servers;
    Broker broker;

    @AfterEach
    void stop() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
        if (servers != null) {
            servers.close();
        }
        RedisProcessesOnDisk.killAll(root);
        RedisProcessesOnDisk.assertNoneLeft(root);
    }

    void pool(int... ports) throws Exception {
        servers = new PoolNodeServers(root);
        for (int port : ports) {
            servers.start(port);
        }
        broker = new Broker(root, 16440, 16441, 1, servers.settings(), Duration.ofSeconds(1));
    }

    @Test
    void aNodeServesOneInstanceAndIsWipedAndGivenANewPasswordBeforeReuse() throws Exception {
        pool(16450, 16451);
        broker.provision("dedicated-1", Broker.DEDICATED);
        PoolNode claimed = broker.poolNodes.ofInstance("dedicated-1").orElseThrow();
        assertThat(claimed.nodeId()).isEqualTo("127.0.0.1:16450");
        assertThat(claimed.adminUser()).isEqualTo(ResourceNames.ADMIN_USER);
        String operatorPassword = servers.settings().get(0).password();
        assertThatThrownBy(() -> login(16450, "default", operatorPassword).ping())
                .as("the node's default user is off once the broker owns it")
                .isInstanceOf(JedisAccessControlException.class);
        try (Jedis admin = claimed.login().connect(Broker.TIMEOUT)) {
            assertThat(admin.configGet("maxmemory")).containsEntry("maxmemory",
                    Long.toString(Broker.DEDICATED.limits().maxmemoryBytes()));
            assertThat(admin.configGet("maxclients")).containsEntry("maxclients",
                    Integer.toString(Broker.DEDICATED.limits().maxclients()));
        }

        Credentials credentials = broker.bind("dedicated-1", "app", Broker.DEDICATED);
        Credentials forgotten = broker.bind("dedicated-1", "never-unbound", Broker.DEDICATED);
        assertThat(credentials.getString("uri")).isEqualTo("redis://binding-app:" + credentials.getString("password")
                + "@127.0.0.1:16450");
        Jedis connectedBeforeUnbind = AppClients.byFields(credentials);
        connectedBeforeUnbind.set("k", "v");
        try (Jedis fromUri = AppClients.byUri(credentials)) {
            assertThat(fromUri.get("k")).isEqualTo("v");
        }
        Jedis forgottenClient = AppClients.byUri(forgotten);
        forgottenClient.set("left-behind", "data");

        broker.unbind("dedicated-1", "app", Broker.DEDICATED);
        assertThatThrownBy(() -> AppClients.byFields(credentials).ping())
                .isInstanceOf(JedisAccessControlException.class);
        assertThatThrownBy(() -> connectedBeforeUnbind.get("k")).isInstanceOf(JedisConnectionException.class);
        connectedBeforeUnbind.close();

        String adminPasswordInUse = broker.poolNodes.ofInstance("dedicated-1").orElseThrow().adminPassword();
        broker.deprovision("dedicated-1", Broker.DEDICATED);

        PoolNode released = broker.poolNodes.find("127.0.0.1:16450").orElseThrow();
        assertThat(released.instanceId()).as("back in the pool").isNull();
        assertThat(released.adminPassword()).isNotEqualTo(adminPasswordInUse);
        assertThat(released.nextAdminPassword()).isNull();
        assertThatThrownBy(() -> login(16450, ResourceNames.ADMIN_USER, adminPasswordInUse).ping())
                .as("the admin password the instance had is refused").isInstanceOf(JedisAccessControlException.class);
        assertThatThrownBy(() -> AppClients.byFields(forgotten).ping())
                .as("a binding the platform never unbound is gone too").isInstanceOf(JedisAccessControlException.class);
        assertThatThrownBy(() -> PasswordOnlyClientsTest.passwordOnly(forgotten))
                .as("its password without a user name too").isInstanceOf(JedisAccessControlException.class);
        assertThatThrownBy(() -> forgottenClient.get("left-behind")).isInstanceOf(JedisConnectionException.class);
        forgottenClient.close();
        try (Jedis admin = released.login().connect(Broker.TIMEOUT)) {
            assertThat(admin.dbSize()).as("keys left on the wiped node").isZero();
            assertThat(admin.aclUsers()).containsExactlyInAnyOrder("default", ResourceNames.ADMIN_USER);
        }

        // The wiped node is handed out again, and only the broker's new password opens it.
        broker.provision("dedicated-2", Broker.DEDICATED);
        assertThat(broker.poolNodes.ofInstance("dedicated-2").orElseThrow().nodeId()).isEqualTo("127.0.0.1:16450");
        try (Jedis jedis = AppClients.byFields(broker.bind("dedicated-2", "next-app", Broker.DEDICATED))) {
            assertThat(jedis.get("k")).isNull();
        }
        broker.deprovision("dedicated-2", Broker.DEDICATED);
        broker.deprovision("dedicated-2", Broker.DEDICATED); // repeated: nothing left to do
    }

    @Test
    void twoProvisionsRacingForTheLastNodeOneWinsTheOtherFailsCleanly() throws Exception {
        pool(16452, 16453);
        broker.provision("holder", Broker.DEDICATED);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<String> results = new ArrayList<>();
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (String id : List.of("racer-1", "racer-2")) {
                outcomes.add(threads.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    try {
                        broker.provision(id, Broker.DEDICATED);
                        return "won";
                    } catch (CapacityExhaustedException e) {
                        return "507: " + e.description();
                    }
                }));
            }
            for (Future<String> outcome : outcomes) {
                results.add(outcome.get(30, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(results).containsExactlyInAnyOrder("won",
                "507: All 2 dedicated-vm nodes of the pool are in use");
        assertThatThrownBy(() -> broker.provision("late", Broker.DEDICATED))
                .isInstanceOf(CapacityExhaustedException.class);
        for (String id : List.of("holder", "racer-1", "racer-2")) {
            broker.deprovision(id, Broker.DEDICATED);
        }
        assertThat(broker.poolNodes.find("127.0.0.1:16452").orElseThrow().instanceId()).isNull();
        assertThat(broker.poolNodes.find("127.0.0.1:16453").orElseThrow().instanceId()).isNull();
    }

    @Test
    void aNodeThatDoesNotAnswerIsSkipped() throws Exception {
        servers = new PoolNodeServers(root);
        servers.start(16455);
        List<DedicatedVm.NodeSettings> nodes = new ArrayList<>();
        nodes.add(new DedicatedVm.NodeSettings("127.0.0.1", 16454, null, "nobody-listens-here"));
        nodes.addAll(servers.settings());
        broker = new Broker(root, 16440, 16441, 1, nodes, Duration.ofSeconds(1));

        broker.provision("survives-a-dead-node", Broker.DEDICATED);

        assertThat(broker.poolNodes.ofInstance("survives-a-dead-node").orElseThrow().nodeId())
                .isEqualTo("127.0.0.1:16455");
        assertThat(broker.poolNodes.find("127.0.0.1:16454").orElseThrow().instanceId()).isNull();
        broker.deprovision("survives-a-dead-node", Broker.DEDICATED);
    }

    @Test
    void whatTheBrokerChangedOnANodeSurvivesTheNodesRestart() throws Exception {
        pool(16456);
        broker.provision("survives-reboot", Broker.DEDICATED);
        Credentials credentials = broker.bind("survives-reboot", "app", Broker.DEDICATED);

        servers.restart(servers.nodes().get(0));

        PoolNode node = broker.poolNodes.ofInstance("survives-reboot").orElseThrow();
        try (Jedis admin = node.login().connect(Broker.TIMEOUT)) {
            assertThat(admin.ping()).as("the broker's own admin user, from CONFIG REWRITE").isEqualTo("PONG");
            assertThat(admin.configGet("maxmemory")).containsEntry("maxmemory",
                    Long.toString(Broker.DEDICATED.limits().maxmemoryBytes()));
        }
        try (Jedis app = AppClients.byUri(credentials)) {
            assertThat(app.ping()).as("the binding's user").isEqualTo("PONG");
        }
        try (Jedis app = PasswordOnlyClientsTest.passwordOnly(credentials)) {
            assertThat(app.aclWhoAmI()).as("the binding's password on default").isEqualTo("default");
        }
        assertThatThrownBy(() -> login(16456, "default", servers.nodes().get(0).password()).ping())
                .as("the operator's password stays refused").isInstanceOf(JedisAccessControlException.class);
        // The broker's kept admin connections went with the old process: new ones are made.
        Credentials after = broker.bind("survives-reboot", "after-restart", Broker.DEDICATED);
        broker.unbind("survives-reboot", "app", Broker.DEDICATED);
        assertThatThrownBy(() -> PasswordOnlyClientsTest.passwordOnly(credentials))
                .isInstanceOf(JedisAccessControlException.class);
        try (Jedis app = PasswordOnlyClientsTest.passwordOnly(after)) {
            assertThat(app.ping()).isEqualTo("PONG");
        }
        broker.deprovision("survives-reboot", Broker.DEDICATED);
    }

    static Jedis login(int port, String user, String password) {
        return new RedisLogin("127.0.0.1", port, user, password).connect(Broker.TIMEOUT);
    }
}
