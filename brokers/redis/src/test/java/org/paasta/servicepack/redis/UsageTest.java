package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.Usage.Measure;
import org.paasta.servicepack.sdk.Usage.Severity;
import org.paasta.servicepack.sdk.Usage.Text;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** The dashboard's usage of an instance, read from its real redis-server before and after an app writes. */
class UsageTest {
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

    @Test
    void sharedVmNumbersChangeWhenAnAppWritesAndConnects() {
        broker = new Broker(root, 16445, 16446, 2, List.of(), Duration.ofSeconds(1));
        numbersChangeWhenAnAppWritesAndConnects(Broker.SHARED);
    }

    @Test
    void dedicatedVmNumbersChangeWhenAnAppWritesAndConnectsAndTheNextInstanceStartsFromNothing()
            throws Exception {
        servers = new PoolNodeServers(root);
        servers.start(16447);
        broker = new Broker(root, 16445, 16446, 2, servers.settings(), Duration.ofSeconds(1));
        numbersChangeWhenAnAppWritesAndConnects(Broker.DEDICATED);

        broker.provision("next-tenant", Broker.DEDICATED);
        Usage fresh = broker.usage("next-tenant", Broker.DEDICATED, List.of());
        assertThat(measure(fresh, ServerUsage.KEYS, null).used()).isZero();
        assertThat(measure(fresh, ServerUsage.REFUSED_WRITES, null).used())
                .as("the node's statistics were reset with the wipe").isZero();
        assertThat(fresh.notices()).isEmpty();
        broker.deprovision("next-tenant", Broker.DEDICATED);
    }

    private void numbersChangeWhenAnAppWritesAndConnects(Plan<RedisLimits> plan) {
        broker.provision("instance", plan);
        Credentials app = broker.bind("instance", "app", plan);
        broker.bind("instance", "idle", plan);
        List<String> bindings = List.of("app", "idle");

        Usage before = broker.usage("instance", plan, bindings);
        double limitMb = plan.limits().maxmemoryBytes() / ServerUsage.MEGABYTE;
        assertThat(measure(before, ServerUsage.MEMORY, null).limit()).isEqualTo(limitMb);
        assertThat(measure(before, ServerUsage.CONNECTIONS, null).limit()).isEqualTo(plan.limits().maxclients());
        assertThat(measure(before, ServerUsage.CONNECTIONS, null).used()).as("the broker's own are not counted")
                .isZero();
        assertThat(measure(before, ServerUsage.KEYS, null).used()).isZero();
        assertThat(before.notices()).isEmpty();

        try (Jedis ownUser = AppClients.byFields(app); Jedis passwordOnly = PasswordOnlyClientsTest.passwordOnly(app)) {
            String kilobyte = "v".repeat(1024);
            for (int i = 0; i < 2000; i++) {
                ownUser.set("key-" + i, kilobyte);
            }
            Usage after = broker.usage("instance", plan, bindings);

            assertThat(measure(after, ServerUsage.KEYS, null).used()).isEqualTo(2000);
            assertThat(measure(after, ServerUsage.MEMORY, null).used())
                    .as("MB used after 2 MB of values").isGreaterThan(measure(before, ServerUsage.MEMORY, null).used() + 1.5);
            assertThat(measure(after, ServerUsage.CONNECTIONS, null).used()).isEqualTo(2);
            assertThat(measure(after, ServerUsage.BINDING_CONNECTIONS, "app").used()).isEqualTo(1);
            assertThat(measure(after, ServerUsage.BINDING_CONNECTIONS, "idle").used()).isZero();
            assertThat(measure(after, ServerUsage.PASSWORD_ONLY_CONNECTIONS, null).used()).isEqualTo(1);
            assertThat(after.notices()).isEmpty();

            String megabyte = "m".repeat(1024 * 1024);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 64; i++) {
                    ownUser.set("big-" + i, megabyte);
                }
            }).isInstanceOf(JedisDataException.class).hasMessageContaining("OOM");
            Usage full = broker.usage("instance", plan, bindings);
            assertThat(measure(full, ServerUsage.REFUSED_WRITES, null).used()).isGreaterThanOrEqualTo(1);
            // A 1 MB write is refused before the memory figure reaches the limit (Redis counts
            // the pending write's buffer): which notice depends on how close it got.
            assertThat(full.notices()).as("%s", full.notices()).singleElement().satisfies(notice -> {
                assertThat(notice.severity()).isIn(Severity.WARNING, Severity.CRITICAL);
                assertThat(notice.text().en()).contains("refused");
                assertThat(notice.text().ko()).contains("거부");
            });
            ownUser.flushAll();
        }
        broker.deprovision("instance", plan);
        assertThatThrownBy(() -> broker.usage("instance", plan, bindings))
                .as("no server on record").isInstanceOf(BackendUnavailableException.class);
    }

    private static Measure measure(Usage usage, Text label, String binding) {
        return usage.measures().stream()
                .filter(m -> m.label().equals(label) && java.util.Objects.equals(m.binding(), binding))
                .findFirst().orElseThrow(() -> new AssertionError("no measure " + label.en() + " in " + usage));
    }
}
