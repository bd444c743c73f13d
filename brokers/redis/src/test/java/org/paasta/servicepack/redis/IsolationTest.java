package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.paasta.servicepack.sdk.Credentials;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;

/** What one binding can and cannot do, on two shared-vm instances of real redis-server processes. */
class IsolationTest {
    @TempDir
    static Path root;
    static Broker broker;
    static Credentials a;
    static Credentials b;

    @BeforeAll
    static void twoInstances() {
        broker = new Broker(root, 16410, 16419, 10, List.of(), Duration.ofSeconds(1));
        broker.provision("instance-a", Broker.SHARED);
        broker.provision("instance-b", Broker.SHARED);
        a = broker.bind("instance-a", "binding-a", Broker.SHARED);
        b = broker.bind("instance-b", "binding-b", Broker.SHARED);
    }

    @AfterAll
    static void cleanUp() {
        try {
            broker.deprovision("instance-a", Broker.SHARED);
            broker.deprovision("instance-b", Broker.SHARED);
            RedisProcessesOnDisk.assertNoneLeft(root);
        } finally {
            broker.close();
            RedisProcessesOnDisk.killAll(root);
        }
    }

    @Test
    void aBindingCannotReachAnotherInstancesData() {
        try (Jedis jedis = AppClients.byFields(b)) {
            jedis.set("secret-of-b", "b-data");
        }
        assertThat(a.get("port")).isNotEqualTo(b.get("port"));
        assertThatThrownBy(() -> new Jedis(new HostAndPort("127.0.0.1", (Integer) b.get("port")),
                DefaultJedisClientConfig.builder().user(a.getString("username")).password(a.getString("password"))
                        .build()).get("secret-of-b"))
                .as("binding A's user on instance B").isInstanceOf(JedisAccessControlException.class)
                .hasMessageContaining("WRONGPASS");
        try (Jedis jedis = AppClients.byFields(a)) {
            assertThat(jedis.get("secret-of-b")).isNull();
        }
    }

    @Test
    void withoutAUserOnlyAPasswordOfThisInstancesBindingsGetsIn() {
        try (Jedis anonymous = new Jedis("127.0.0.1", (Integer) a.get("port"))) {
            assertThatThrownBy(anonymous::ping).isInstanceOf(JedisDataException.class).hasMessageContaining("NOAUTH");
            assertThatThrownBy(() -> anonymous.auth(b.getString("password")))
                    .as("another instance's binding's password").hasMessageContaining("WRONGPASS");
            assertThatThrownBy(() -> anonymous.auth("not-a-password-of-any-binding")).hasMessageContaining("WRONGPASS");
            assertThat(anonymous.auth(a.getString("password"))).as("this instance's binding's").isEqualTo("OK");
            assertThat(anonymous.aclWhoAmI()).isEqualTo("default");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"CONFIG GET maxmemory", "SHUTDOWN NOSAVE", "ACL LIST", "CLIENT LIST",
            "CLIENT KILL USER servicepack-admin", "MONITOR", "REPLICAOF 127.0.0.1 6379"})
    void aPasswordOnlyLoginCannotRunADeniedCommandEither(String command) {
        String[] words = command.split(" ");
        String[] arguments = Arrays.copyOfRange(words, 1, words.length);
        try (Jedis jedis = new Jedis("127.0.0.1", (Integer) a.get("port"))) {
            jedis.auth(a.getString("password"));
            ProtocolCommand name = () -> words[0].getBytes(StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> jedis.sendCommand(name, arguments))
                    .isInstanceOf(JedisDataException.class).message().startsWith("NOPERM");
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"CONFIG GET maxmemory", "CONFIG SET maxmemory 0", "SHUTDOWN NOSAVE", "ACL LIST",
            "ACL SETUSER intruder on >x ~* +@all", "DEBUG SLEEP 0", "MODULE LIST", "MONITOR", "CLIENT LIST",
            "CLIENT KILL USER servicepack-admin", "REPLICAOF 127.0.0.1 6379", "SAVE", "BGSAVE", "SLOWLOG GET",
            "MIGRATE 127.0.0.1 6379 k 0 1000", "FAILOVER"})
    void aBindingCannotRunADeniedCommand(String command) {
        String[] words = command.split(" ");
        String[] arguments = Arrays.copyOfRange(words, 1, words.length);
        try (Jedis jedis = AppClients.byFields(a)) {
            ProtocolCommand name = () -> words[0].getBytes(StandardCharsets.US_ASCII);
            // DEBUG and MODULE are also switched off in the server (enable-*-command no), which
            // answers before the ACL check does; the dry run below proves the ACL denies them too.
            assertThatThrownBy(() -> jedis.sendCommand(name, arguments))
                    .isInstanceOf(JedisDataException.class).message().matches("(NOPERM|ERR \\w+ command not allowed).*");
            assertThat(jedis.ping()).as("the server still answers").isEqualTo("PONG");
        }
        SharedInstance instance = broker.instances.find("instance-a").orElseThrow();
        try (Jedis admin = instance.adminLogin("127.0.0.1").connect(Broker.TIMEOUT)) {
            assertThat(admin.aclDryRun(a.getString("username"), words[0], arguments))
                    .as("ACL DRYRUN %s", command).contains("no permissions");
        }
    }

    @Test
    void aBindingCanRunWhatAppsAndTheirFrameworksUse() {
        try (Jedis jedis = AppClients.byFields(a)) {
            assertThat(jedis.info("server")).contains("redis_version:");
            jedis.set("k1", "v");
            assertThat(jedis.keys("k*")).contains("k1");
            jedis.publish("events", "hello");
            assertThat(jedis.flushDB()).isEqualTo("OK");
            assertThat(jedis.aclWhoAmI()).isEqualTo(a.getString("username"));
        }
    }

    @Test
    void thePlansMaxmemoryIsInForce() {
        SharedInstance instance = broker.instances.find("instance-a").orElseThrow();
        try (Jedis admin = instance.adminLogin("127.0.0.1").connect(Broker.TIMEOUT)) {
            assertThat(admin.configGet("maxmemory")).containsEntry("maxmemory",
                    Long.toString(Broker.SHARED.limits().maxmemoryBytes()));
            assertThat(admin.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "noeviction");
            assertThat(admin.configGet("maxclients")).containsEntry("maxclients",
                    Integer.toString(Broker.SHARED.limits().maxclients()));
        }
        String oneMegabyte = "x".repeat(1024 * 1024);
        try (Jedis jedis = AppClients.byFields(a)) {
            assertThatThrownBy(() -> {
                for (int i = 0; i < 16; i++) {
                    jedis.set("big-" + i, oneMegabyte);
                }
            }).as("writing 16 MB into an 8 MB instance").isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("OOM");
            jedis.flushDB();
        }
    }
}
