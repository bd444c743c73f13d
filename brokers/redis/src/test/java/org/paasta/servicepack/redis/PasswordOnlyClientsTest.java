package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.pivotal.cfenv.core.CfEnv;
import io.pivotal.cfenv.core.CfService;
import io.pivotal.cfenv.spring.boot.RedisCfEnvProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.Plan;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.AccessControlUser;

/**
 * Apps that give a password and no user name, as a Spring Boot app configured by java-cfenv does:
 * they log in as {@code default}, which accepts the password of every live binding. Unbind refuses
 * the binding's password and ends its connections; the other bindings keep working, those logged
 * in as their own user on the same connection, those logged in with a password only after a
 * reconnect. Against real redis-server processes, for both plan styles.
 */
class PasswordOnlyClientsTest {
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path root;
    PoolNodeServers servers;
    Broker broker;
    RedisClient lettuce;

    @AfterEach
    void stop() throws InterruptedException {
        if (lettuce != null) {
            lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (broker != null) {
            broker.close();
        }
        if (servers != null) {
            servers.close();
        }
        RedisProcessesOnDisk.killAll(root);
        RedisProcessesOnDisk.assertNoneLeft(root);
    }

    @Test
    void sharedVmUnbindEndsOneBindingAndTheOtherKeepsWorking() {
        broker = new Broker(root, 16474, 16476, 3, List.of(), Duration.ofSeconds(1));
        Credentials b = unbindOneOfTwoBindings(Broker.SHARED);

        broker.unbind("instance", "b", Broker.SHARED);
        assertRefused(b);
        try (Jedis admin = admin()) {
            AccessControlUser passwordOnly = admin.aclGetUser("default");
            assertThat(passwordOnly.getPasswords()).as("passwords default accepts without bindings").isEmpty();
            assertThat(passwordOnly.getFlags()).doesNotContain("nopass");
        }
        try (Jedis anonymous = new Jedis("127.0.0.1", (Integer) b.get("port"))) {
            assertThatThrownBy(anonymous::ping).isInstanceOf(JedisDataException.class).hasMessageContaining("NOAUTH");
        }
        broker.deprovision("instance", Broker.SHARED);
    }

    @Test
    void dedicatedVmUnbindEndsOneBindingAndDeprovisionEndsTheRest() throws Exception {
        servers = new PoolNodeServers(root);
        servers.start(16477);
        broker = new Broker(root, 16474, 16476, 3, servers.settings(), Duration.ofSeconds(1));
        Credentials b = unbindOneOfTwoBindings(Broker.DEDICATED);
        Jedis stillConnected = passwordOnly(b);
        stillConnected.ping();

        broker.deprovision("instance", Broker.DEDICATED);

        assertRefused(b);
        assertThatThrownBy(stillConnected::ping).isInstanceOf(JedisConnectionException.class);
        stillConnected.close();
    }

    /**
     * What java-cfenv 3.5.1 makes of the binding, as its environment post-processor does for a
     * Spring Boot app: VCAP_SERVICES as Cloud Foundry builds it from the bind response and the
     * catalog, the service found by its tag, and the properties Spring Data Redis then reads.
     */
    @Test
    void whatJavaCfEnvHandsSpringBootWorksUntilUnbind() throws Exception {
        broker = new Broker(root, 16474, 16476, 3, List.of(), Duration.ofSeconds(1));
        broker.provision("instance", Broker.SHARED);
        Credentials credentials = broker.bind("instance", "spring-app", Broker.SHARED);

        Map<String, Object> properties = springDataRedisProperties(credentials);
        assertThat(properties).as("java-cfenv passes no user name on").containsOnlyKeys(
                "spring.data.redis.host", "spring.data.redis.port", "spring.data.redis.password");
        RedisURI fromProperties = springBootUri(String.valueOf(properties.get("spring.data.redis.host")),
                Integer.parseInt(String.valueOf(properties.get("spring.data.redis.port"))),
                String.valueOf(properties.get("spring.data.redis.password")));
        lettuce = RedisClient.create();
        StatefulRedisConnection<String, String> app = lettuce.connect(fromProperties);
        app.sync().set("written-by", "a spring app");
        assertThat(app.sync().get("written-by")).isEqualTo("a spring app");
        assertThat(app.sync().aclWhoami()).isEqualTo("default");

        broker.unbind("instance", "spring-app", Broker.SHARED);

        assertThatThrownBy(() -> app.sync().get("written-by")).as("the live connection, which cannot get back in")
                .isInstanceOf(RedisException.class);
        app.close();
        assertThatThrownBy(() -> lettuce.connect(fromProperties))
                .isInstanceOf(RedisException.class).rootCause().hasMessageContaining("WRONGPASS");
        broker.deprovision("instance", Broker.SHARED);
    }

    /**
     * Binds a and b, connects each by password only and by its own user, unbinds a, and checks
     * what each connection can do then.
     *
     * @return b's credentials, b still bound
     */
    private Credentials unbindOneOfTwoBindings(Plan<RedisLimits> plan) {
        broker.provision("instance", plan);
        Credentials a = broker.bind("instance", "a", plan);
        Credentials b = broker.bind("instance", "b", plan);

        Jedis aPasswordOnly = passwordOnly(a);
        assertThat(aPasswordOnly.aclWhoAmI()).isEqualTo("default");
        aPasswordOnly.set("k", "from a");
        Jedis aOwnUser = AppClients.byUri(a);
        assertThat(aOwnUser.aclWhoAmI()).isEqualTo("binding-a");
        Jedis bPasswordOnly = passwordOnly(b);
        assertThat(bPasswordOnly.get("k")).isEqualTo("from a");
        Jedis bOwnUser = AppClients.byFields(b);
        lettuce = RedisClient.create();
        StatefulRedisConnection<String, String> bSpringBoot = lettuce.connect(springBootUri(b.getString("host"),
                (Integer) b.get("port"), b.getString("password")));
        assertThat(bSpringBoot.sync().get("k")).isEqualTo("from a");
        try (Jedis admin = admin()) {
            assertThat(admin.aclGetUser("default").getPasswords()).as("default takes both bindings' passwords")
                    .containsExactlyInAnyOrder(ResourceNames.sha256Hex(a.getString("password")),
                            ResourceNames.sha256Hex(b.getString("password")));
        }

        broker.unbind("instance", "a", plan);

        assertRefused(a);
        assertThatThrownBy(() -> aPasswordOnly.get("k")).as("a's password-only connection")
                .isInstanceOf(JedisConnectionException.class);
        assertThatThrownBy(() -> aOwnUser.get("k")).as("a's own user's connection")
                .isInstanceOf(JedisConnectionException.class);
        aPasswordOnly.close();
        aOwnUser.close();

        assertThat(bOwnUser.get("k")).as("b's own user, on the same connection").isEqualTo("from a");
        bOwnUser.close();
        assertThatThrownBy(() -> bPasswordOnly.get("k")).as("b's password-only connection is ended with a's")
                .isInstanceOf(JedisConnectionException.class);
        bPasswordOnly.close();
        try (Jedis again = passwordOnly(b)) {
            assertThat(again.get("k")).as("b's password still opens default").isEqualTo("from a");
        }
        assertThat(bSpringBoot.sync().get("k")).as("Lettuce as Spring Boot sets it up reconnects by itself")
                .isEqualTo("from a");
        bSpringBoot.close();
        return b;
    }

    /** The password and the binding's own user are both refused. */
    private static void assertRefused(Credentials credentials) {
        assertThatThrownBy(() -> passwordOnly(credentials).ping()).as("password only")
                .isInstanceOf(JedisAccessControlException.class).hasMessageContaining("WRONGPASS");
        assertThatThrownBy(() -> AppClients.byFields(credentials).ping()).as("user and password")
                .isInstanceOf(JedisAccessControlException.class).hasMessageContaining("WRONGPASS");
        assertThatThrownBy(() -> AppClients.byUri(credentials).ping()).as("uri")
                .isInstanceOf(JedisAccessControlException.class);
    }

    /** Jedis given a password and no user name: it sends AUTH with the password alone. */
    static Jedis passwordOnly(Credentials credentials) {
        Jedis jedis = new Jedis(new HostAndPort(credentials.getString("host"), (Integer) credentials.get("port")),
                DefaultJedisClientConfig.builder()
                        .password(credentials.getString("password"))
                        .connectionTimeoutMillis(2000)
                        .socketTimeoutMillis(2000)
                        .build());
        jedis.ping();
        return jedis;
    }

    /**
     * What Spring Boot's Lettuce connection factory builds from {@code spring.data.redis.host},
     * {@code port} and {@code password} with no {@code username}: a URI with a password and no
     * user, and Lettuce's defaults (reconnect on, HELLO with AUTH as {@code default}).
     */
    static RedisURI springBootUri(String host, int port, String password) {
        return RedisURI.builder().withHost(host).withPort(port).withPassword(password.toCharArray())
                .withTimeout(CLIENT_TIMEOUT).build();
    }

    /** The properties java-cfenv's Redis processor sets from VCAP_SERVICES with this one binding. */
    static Map<String, Object> springDataRedisProperties(Credentials credentials) throws Exception {
        Map<String, Object> service = Map.of("label", "redis", "name", "my-redis", "plan", "shared-vm",
                "tags", List.of("redis", "key-value"), "credentials", credentials.asMap());
        String vcapServices = new ObjectMapper().writeValueAsString(Map.of("redis", List.of(service)));
        CfEnv cfEnv = new CfEnv("{}", vcapServices);
        RedisCfEnvProcessor processor = new RedisCfEnvProcessor();
        List<CfService> found = cfEnv.findAllServices().stream().filter(processor::accept).toList();
        assertThat(found).as("services java-cfenv takes for Redis").hasSize(1);
        Map<String, Object> properties = new HashMap<>();
        processor.process(found.get(0).getCredentials(), properties);
        return properties;
    }

    private Jedis admin() {
        String instance = "instance";
        Placement.InstanceServer server = broker.sharedVm.server(instance)
                .or(() -> broker.dedicatedVm.server(instance)).orElseThrow();
        return server.admin().connect(Broker.TIMEOUT);
    }
}
