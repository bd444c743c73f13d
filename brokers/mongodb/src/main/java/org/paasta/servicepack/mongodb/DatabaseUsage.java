package org.paasta.servicepack.mongodb;

import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.Usage.Measure;
import org.paasta.servicepack.sdk.Usage.Notice;
import org.paasta.servicepack.sdk.Usage.Severity;
import org.paasta.servicepack.sdk.Usage.Text;

/**
 * An instance's usage as its dashboard shows it, made from MongoDB's own answers about the
 * instance's database: {@code dbStats} (storage on disk against the plan's storage allowance, the
 * uncompressed data, collections, documents) and {@code usersInfo} (users against the plan's
 * {@code max_bindings}). MongoDB's figures are shown as it reports them, so the broker's one
 * {@value MongodbBackend#INSTANCE_COLLECTION} document is counted too.
 */
final class DatabaseUsage {
    static final double MEGABYTE = 1024 * 1024;
    /** From here on the dashboard warns: a bulk load or a few more binds reach the limit quickly. */
    static final double NEAR_LIMIT = 0.9;

    static final Text STORAGE = new Text("Storage on disk", "디스크 저장 공간");
    static final Text DATA = new Text("Data (uncompressed)", "데이터 (압축 전)");
    static final Text COLLECTIONS = new Text("Collections", "컬렉션");
    static final Text DOCUMENTS = new Text("Documents", "문서");
    static final Text USERS = new Text("Database users (one per binding)", "데이터베이스 사용자 (바인딩마다 하나)");

    private DatabaseUsage() {
    }

    /**
     * @param dbStats the answer to {@code dbStats} on the instance's database (sizes in bytes:
     *                no {@code scale} given)
     * @param users   how many users {@code usersInfo} lists in that database
     * @param limits  the plan's limits
     */
    static Usage of(Document dbStats, int users, MongodbLimits limits) {
        double storage = megabytes(number(dbStats, "storageSize"));
        double data = megabytes(number(dbStats, "dataSize"));
        Double storageLimit = limits.storageMb() == null ? null : limits.storageMb().doubleValue();
        int maxBindings = limits.maxBindings();

        List<Measure> measures = List.of(
                Measure.of(STORAGE, storage, storageLimit, "MB"),
                Measure.of(DATA, data, null, "MB"),
                Measure.of(COLLECTIONS, number(dbStats, "collections"), null, "collections"),
                Measure.of(DOCUMENTS, number(dbStats, "objects"), null, "documents"),
                Measure.of(USERS, users, (double) maxBindings, "users"));

        List<Notice> notices = new ArrayList<>();
        if (storageLimit != null && storage >= storageLimit) {
            notices.add(new Notice(Severity.CRITICAL, new Text(
                    "The database takes " + storage + " MB on disk, at or over the plan's storage allowance of "
                            + limits.storageMb() + " MB. MongoDB does not stop writes by itself, but the operator"
                            + " may: delete data you no longer need, or move to a plan with more storage.",
                    "데이터베이스가 디스크에서 " + storage + " MB를 차지하여 플랜의 저장 공간 한도(" + limits.storageMb()
                            + " MB)에 이르렀거나 넘었습니다. MongoDB가 쓰기를 스스로 막지는 않지만 운영자가 막을 수"
                            + " 있습니다. 필요 없는 데이터를 지우거나, 저장 공간이 더 큰 플랜으로 옮기십시오.")));
        } else if (storageLimit != null && storage >= NEAR_LIMIT * storageLimit) {
            notices.add(new Notice(Severity.WARNING, new Text(
                    "Storage on disk is above 90% of the plan's allowance of " + limits.storageMb() + " MB.",
                    "디스크 저장 공간이 플랜 한도(" + limits.storageMb() + " MB)의 90%를 넘었습니다.")));
        }
        if (users >= maxBindings) {
            notices.add(new Notice(Severity.CRITICAL, new Text(
                    "The database has " + users + " users, the plan's limit of " + maxBindings + " bindings: a new"
                            + " bind is refused until one is unbound.",
                    "데이터베이스 사용자가 " + users + "명으로 플랜의 바인딩 한도(" + maxBindings + ")에 이르렀습니다:"
                            + " 바인딩을 하나 해제할 때까지 새 바인딩은 거부됩니다.")));
        } else if (users >= NEAR_LIMIT * maxBindings) {
            notices.add(new Notice(Severity.WARNING, new Text(
                    "Users are near the plan's limit of " + maxBindings + " bindings: past it, new binds are refused.",
                    "데이터베이스 사용자 수가 플랜의 바인딩 한도(" + maxBindings + ")에 가깝습니다: 넘으면 새 바인딩이"
                            + " 거부됩니다.")));
        }
        return new Usage(measures, notices);
    }

    /** A figure of dbStats; mongod answers int, long or double depending on its size and version. */
    private static double number(Document dbStats, String field) {
        return dbStats.get(field) instanceof Number n ? n.doubleValue() : 0;
    }

    /** MB to the hundredth, so a few kilobytes of writes show. */
    private static double megabytes(double bytes) {
        return Math.round(bytes / MEGABYTE * 100) / 100.0;
    }
}
