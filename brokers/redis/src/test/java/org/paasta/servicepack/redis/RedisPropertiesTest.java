package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paasta.servicepack.sdk.config.MissingSettingException;
import org.paasta.servicepack.sdk.config.MissingSettingException.Setting;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;

/** Settings the broker cannot work with stop its start, each named with its environment variable. */
class RedisPropertiesTest {
    @TempDir
    Path root;

    static RedisProperties.Shared shared(boolean enabled, int firstPort, int lastPort, int maxInstances,
                                         Duration checkInterval) {
        return new RedisProperties.Shared(enabled, "10.0.4.20", "0.0.0.0", firstPort, lastPort, maxInstances,
                Path.of("/var/lib/servicepack-redis"), Path.of("/usr/bin/redis-server"), checkInterval,
                Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    @Test
    void everyInvalidSharedVmSettingIsNamedAtOnce() {
        assertThatThrownBy(() -> shared(true, 16499, 16400, 0, Duration.ofMinutes(5)))
                .isInstanceOfSatisfying(MissingSettingException.class, e -> assertThat(e.settings())
                        .extracting(Setting::property, Setting::variable)
                        .containsExactly(
                                tuple("servicepack.redis.shared.first-port",
                                        "SERVICEPACK_REDIS_SHARED_FIRSTPORT"),
                                tuple("servicepack.redis.shared.last-port",
                                        "SERVICEPACK_REDIS_SHARED_LASTPORT"),
                                tuple("servicepack.redis.shared.max-instances",
                                        "SERVICEPACK_REDIS_SHARED_MAXINSTANCES"),
                                tuple("servicepack.redis.shared.check-interval",
                                        "SERVICEPACK_REDIS_SHARED_CHECKINTERVAL")));
        assertThatThrownBy(() -> shared(true, 80, 16400, 10, Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(MissingSettingException.class, e -> assertThat(e.settings())
                        .extracting(Setting::variable).containsExactly("SERVICEPACK_REDIS_SHARED_FIRSTPORT"))
                .hasMessageContaining("1024 <= first-port");
        assertThatThrownBy(() -> shared(true, 16400, 70000, 10, Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(MissingSettingException.class, e -> assertThat(e.settings())
                        .extracting(Setting::variable).containsExactly("SERVICEPACK_REDIS_SHARED_LASTPORT"));
        assertThatThrownBy(() -> new RedisProperties.Shared(true, " ", "0.0.0.0", 16400, 16499, 10, Path.of("/d"),
                Path.of("/r"), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ZERO))
                .isInstanceOfSatisfying(MissingSettingException.class, e -> assertThat(e.settings())
                        .extracting(Setting::variable)
                        .containsExactly("REDIS_SHARED_HOST", "SERVICEPACK_REDIS_SHARED_STOPTIMEOUT"));
    }

    @Test
    void switchedOffSharedVmSettingsAreNotChecked() {
        assertThat(shared(false, 16499, 16400, 0, Duration.ofMinutes(5)).enabled()).isFalse();
    }

    @Test
    void aPoolNodeNeedsItsHostAndPort() {
        assertThatThrownBy(() -> new RedisProperties.Dedicated(List.of(
                new RedisProperties.Node("10.0.1.11", 6379, null, "x"), new RedisProperties.Node(null, 6379, null, "x"))))
                .isInstanceOf(MissingSettingException.class)
                .hasMessageContaining("SERVICEPACK_REDIS_DEDICATED_NODES_1_HOST");
        assertThatThrownBy(() -> new RedisProperties.Dedicated(List.of(new RedisProperties.Node("10.0.1.11", 0, null,
                "x")))).isInstanceOf(MissingSettingException.class)
                .hasMessageContaining("SERVICEPACK_REDIS_DEDICATED_NODES_0_PORT");
        assertThat(new RedisProperties.Node("10.0.1.11", 6379, null, "operator-password").toString())
                .doesNotContain("operator-password");
    }

    @Test
    void aBrokerWithInvalidSettingsStopsWithTheSdksOneMessage() {
        SpringApplication application = new SpringApplication(RedisBrokerApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> application.run("--servicepack.security.username=broker",
                "--servicepack.security.password=invalid-settings-test-password", "--servicepack.secrets.key=invalid-settings-test-key-0123456789",
                "--servicepack.store.url=jdbc:h2:mem:invalid-settings-" + UUID.randomUUID(),
                "--servicepack.redis.shared.first-port=80", "--servicepack.redis.shared.data-dir=" + root))
                .satisfies(failure -> assertThat(causes(failure)).anySatisfy(cause -> assertThat(cause)
                        .isInstanceOf(MissingSettingException.class)
                        .hasMessageContaining("SERVICEPACK_REDIS_SHARED_FIRSTPORT")));
    }

    @Test
    void aMissingRedisServerOrAnUnwritableDataDirStopsTheStart() throws Exception {
        assertThatThrownBy(() -> new ServerProcesses(root.resolve("no-redis-server"), root, "127.0.0.1",
                Duration.ofSeconds(1), new AdminConnections(Duration.ofSeconds(1))).checkUsable())
                .isInstanceOf(MissingSettingException.class)
                .hasMessageContaining("SERVICEPACK_REDIS_SHARED_REDISSERVER")
                .hasMessageContaining("REDIS_SHARED_ENABLED=false");
        Path file = Files.writeString(root.resolve("a-file"), "not a directory");
        assertThatThrownBy(() -> new ServerProcesses(Path.of("/usr/bin/redis-server"), file.resolve("data"),
                "127.0.0.1", Duration.ofSeconds(1), new AdminConnections(Duration.ofSeconds(1))).checkUsable())
                .isInstanceOf(MissingSettingException.class).hasMessageContaining("REDIS_SHARED_DATA_DIR");
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    @Test
    void theAdminTimeoutMustBePositive() {
        assertThatThrownBy(() -> new RedisProperties(shared(true, 16400, 16499, 10, Duration.ofSeconds(5)),
                new RedisProperties.Dedicated(List.of()), Duration.ZERO))
                .isInstanceOf(MissingSettingException.class).hasMessageContaining("SERVICEPACK_REDIS_ADMINTIMEOUT");
    }
}
