package org.paasta.servicepack.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.mysql.MysqlUsage.BindingConnections;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.Usage.Severity;

/**
 * The dashboard's words for facts the real-server test does not reach: a broker whose quota check
 * is switched off, bindings the server sets no limit for, a plan without storage_mb, and how the
 * check interval is written. {@link MysqlUsageTest} covers what the server gives.
 */
class MysqlUsageReportTest {
    private static final long MB = 1024 * 1024;
    private static final Duration OFF = Duration.ZERO;

    @Test
    void withTheQuotaCheckOffNoNoticePromisesWhatNoOneEnforces() {
        Usage near = MysqlUsage.report(90 * MB, 100, false, 3, List.of(), OFF);
        assertThat(near.notices()).singleElement().satisfies(notice -> {
            assertThat(notice.severity()).isEqualTo(Severity.WARNING);
            assertThat(notice.text().en()).contains("90% of the plan's 100 MB").doesNotContain("revoked");
            assertThat(notice.text().ko()).contains("90%").doesNotContain("회수");
        });
        Usage over = MysqlUsage.report(150 * MB, 100, false, 3, List.of(), OFF);
        assertThat(over.notices()).singleElement().satisfies(notice -> {
            assertThat(notice.severity()).isEqualTo(Severity.WARNING);
            assertThat(notice.text().en()).contains("150 MB, over the plan's 100 MB").doesNotContain("revoke");
        });
        Usage revoked = MysqlUsage.report(50 * MB, 100, true, 3, List.of(), OFF);
        assertThat(revoked.notices()).singleElement().satisfies(notice -> {
            assertThat(notice.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(notice.text().en()).contains("Writes revoked", "the operator switches the broker's quota check");
            assertThat(notice.text().ko()).contains("쓰기 권한 회수됨", "운영자");
        });
    }

    @Test
    void aBindingWithoutALimitOfItsOwnAndAPlanWithoutStorageShowNoBarAndNoWarning() {
        Usage usage = MysqlUsage.report(5 * MB, 0, false, 1,
                List.of(new BindingConnections("unlimited", 40, null, 1), new BindingConnections("busy", 4, 4, 1)),
                Duration.ofSeconds(60));
        assertThat(usage.measures()).filteredOn(m -> m.label().equals(MysqlUsage.STORAGE))
                .singleElement().satisfies(m -> assertThat(m.limit()).isNull());
        assertThat(usage.measures()).filteredOn(m -> "unlimited".equals(m.binding()))
                .singleElement().satisfies(m -> {
                    assertThat(m.used()).isEqualTo(40);
                    assertThat(m.limit()).isNull();
                });
        assertThat(usage.notices()).singleElement()
                .satisfies(notice -> assertThat(notice.text().en()).startsWith("Binding busy has all 4"));
    }

    @Test
    void theCheckIntervalIsWrittenInItsLargestWholeUnit() {
        assertThat(MysqlUsage.within(Duration.ofSeconds(60)).en()).isEqualTo("within 60 seconds");
        assertThat(MysqlUsage.within(Duration.ofSeconds(90)).ko()).isEqualTo("90초 안에");
        assertThat(MysqlUsage.within(Duration.ofMinutes(5)).en()).isEqualTo("within 5 minutes");
        assertThat(MysqlUsage.within(Duration.ofMinutes(5)).ko()).isEqualTo("5분 안에");
        assertThat(MysqlUsage.within(Duration.ofHours(1)).en()).isEqualTo("within 1 hour");
        assertThat(MysqlUsage.within(Duration.ofHours(2)).ko()).isEqualTo("2시간 안에");
        assertThat(MysqlUsage.megabytes(MB)).isEqualTo("1");
        assertThat(MysqlUsage.megabytes(MB * 3 / 2)).isEqualTo("1.5");
    }
}
