package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.redis.RedisLimits.Persistence;
import org.paasta.servicepack.redis.RedisLimits.Placement;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.Usage.Severity;

/** What the dashboard says for given server answers: the thresholds and a server that reports no limits. */
class ServerUsageTest {
    static final RedisLimits PLAN = new RedisLimits(Placement.SHARED_VM, 100 * 1024 * 1024, 10, Persistence.NONE);

    @Test
    void nearTheMemoryLimitWarnsAndPastItSaysWritesAreRefused() {
        assertThat(of(89, 0).notices()).isEmpty();
        assertThat(of(90, 0).notices()).singleElement().satisfies(notice -> {
            assertThat(notice.severity()).isEqualTo(Severity.WARNING);
            assertThat(notice.text().ko()).isNotEqualTo(notice.text().en());
        });
        assertThat(of(100, 0).notices()).singleElement()
                .satisfies(notice -> assertThat(notice.severity()).isEqualTo(Severity.CRITICAL));
    }

    @Test
    void refusedWritesAreCountedAndSaidBelowTheMemoryWarning() {
        Usage usage = ServerUsage.of("used_memory:1048576\r\nmaxmemory:104857600\r\n# Errorstats\r\n"
                + "errorstat_NOPERM:count=2\r\nerrorstat_OOM:count=5\r\n", "", PLAN, List.of());
        assertThat(usage.measures()).filteredOn(m -> m.label().equals(ServerUsage.REFUSED_WRITES))
                .singleElement().satisfies(m -> assertThat(m.used()).isEqualTo(5));
        assertThat(usage.notices()).singleElement().satisfies(notice -> {
            assertThat(notice.severity()).isEqualTo(Severity.WARNING);
            assertThat(notice.text().en()).startsWith("5 writes were refused");
        });
    }

    @Test
    void nearTheConnectionLimitWarnsAndTheBrokersOwnConnectionsDoNotCount() {
        assertThat(of(1, 8).notices()).isEmpty();
        assertThat(of(1, 9).notices()).singleElement().satisfies(notice ->
                assertThat(notice.text().en()).contains("limit of 10"));
    }

    @Test
    void aServerWithoutMaxclientsInInfoIsMeasuredAgainstThePlan() {
        Usage usage = ServerUsage.of("used_memory:1048576\r\n", "", PLAN, List.of());
        assertThat(usage.measures().get(0).limit()).isEqualTo(100.0);
        assertThat(usage.measures().get(1).limit()).isEqualTo(10.0);
    }

    @Test
    void keysOfEveryDatabaseAreSummed() {
        Usage usage = ServerUsage.of("# Keyspace\r\ndb0:keys=3,expires=0,avg_ttl=0\r\ndb5:keys=4,expires=1,avg_ttl=9\r\n",
                "", PLAN, List.of());
        assertThat(usage.measures().get(2).used()).isEqualTo(7);
    }

    /** INFO and CLIENT LIST as a server with {@code usedPercent} of 100 MB and {@code apps} app connections answers. */
    private static Usage of(int usedPercent, int apps) {
        String info = "# Memory\r\nused_memory:" + (long) usedPercent * 1024 * 1024 + "\r\nmaxmemory:" + 100 * 1024 * 1024
                + "\r\n# Clients\r\nmaxclients:10\r\n";
        StringBuilder clients = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            clients.append("id=").append(i).append(" name=servicepack-broker user=servicepack-admin resp=2\n");
        }
        for (int i = 0; i < apps; i++) {
            clients.append("id=").append(10 + i).append(" name= user=binding-a resp=2\n");
        }
        return ServerUsage.of(info, clients.toString(), PLAN, List.of("a"));
    }
}
