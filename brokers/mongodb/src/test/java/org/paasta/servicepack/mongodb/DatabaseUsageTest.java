package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.Usage.Notice;
import org.paasta.servicepack.sdk.Usage.Severity;

/** Where the dashboard starts to warn, from dbStats answers as mongod gives them (ints, longs or doubles). */
class DatabaseUsageTest {
    private static final double MB = DatabaseUsage.MEGABYTE;

    private static Document stats(Number storageBytes) {
        return new Document("collections", 3).append("objects", 10L).append("dataSize", 2.5 * MB)
                .append("storageSize", storageBytes);
    }

    @Test
    void storageIsComparedWithTheAllowanceWhereThePlanHasOne() {
        MongodbLimits limits = new MongodbLimits(50, 100);
        assertThat(DatabaseUsage.of(stats(89 * MB), 1, limits).notices()).isEmpty();

        Usage near = DatabaseUsage.of(stats(90 * MB), 1, limits);
        assertThat(near.notices()).extracting(Notice::severity).containsExactly(Severity.WARNING);
        assertThat(near.notices().get(0).text().ko()).contains("90%");

        Usage over = DatabaseUsage.of(stats((long) (100 * MB)), 1, limits);
        assertThat(over.notices()).extracting(Notice::severity).containsExactly(Severity.CRITICAL);
        assertThat(over.measures().get(0).ratio()).isEqualTo(1.0);

        Usage noAllowance = DatabaseUsage.of(stats(10_000 * MB), 1, new MongodbLimits(50));
        assertThat(noAllowance.notices()).isEmpty();
        assertThat(noAllowance.measures().get(0).limit()).isNull();
        assertThat(noAllowance.measures().get(0).used()).isEqualTo(10_000.0);
    }

    @Test
    void usersAreComparedWithMaxBindings() {
        MongodbLimits limits = new MongodbLimits(10);
        assertThat(DatabaseUsage.of(stats(0), 8, limits).notices()).isEmpty();
        assertThat(DatabaseUsage.of(stats(0), 9, limits).notices()).extracting(Notice::severity)
                .containsExactly(Severity.WARNING);
        assertThat(DatabaseUsage.of(stats(0), 10, limits).notices()).extracting(Notice::severity)
                .containsExactly(Severity.CRITICAL);
    }

    @Test
    void aMissingFigureCountsAsZero() {
        Usage usage = DatabaseUsage.of(new Document("ok", 1.0), 0, new MongodbLimits(1));
        assertThat(usage.measures()).allSatisfy(m -> assertThat(m.used()).isZero());
    }
}
