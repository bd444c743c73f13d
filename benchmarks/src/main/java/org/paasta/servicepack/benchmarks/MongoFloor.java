package org.paasta.servicepack.benchmarks;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.bson.Document;

/**
 * The unavoidable cost of the MongoDB broker's operations: the commands its MongodbBackend sends
 * (as of this commit) over one warm driver connection (pool size 1) to the same server:
 * <ul>
 *   <li>provision: an upsert of the instance record into {@code servicepack_instance};</li>
 *   <li>bind: createUser with a readWrite role on the instance's database (SCRAM-SHA-256);</li>
 *   <li>unbind: dropUser, killAllSessionsByPattern (the test double answers 59 CommandNotFound,
 *       which the broker also tolerates);</li>
 *   <li>deprovision: usersInfo (none left after unbind), dropDatabase.</li>
 * </ul>
 */
final class MongoFloor implements BackendFloor {
    private static final int COMMAND_NOT_FOUND = 59;
    private static final int COMMAND_NOT_SUPPORTED = 115;

    private final MongoClient client;

    MongoFloor(String adminUri) {
        client = MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(adminUri))
                .applyToConnectionPoolSettings(pool -> pool.maxSize(1).minSize(1)).build());
        client.getDatabase("admin").runCommand(new Document("ping", 1));
    }

    @Override
    public String describe() {
        Document info = client.getDatabase("admin").runCommand(new Document("buildInfo", 1));
        return "in-JVM test double of MongoDB (mongo-java-server, reports version " + info.get("version") + "), not mongod";
    }

    @Override
    public long[] cycle() {
        String instanceId = UUID.randomUUID().toString();
        String database = "cf_" + instanceId.replace('-', '_');
        String user = "binding-" + UUID.randomUUID();
        MongoDatabase db = client.getDatabase(database);
        long t0 = System.nanoTime();
        db.getCollection("servicepack_instance").updateOne(Filters.eq("_id", "instance"),
                new Document("$setOnInsert", new Document("instance_id", instanceId).append("service_id", "Mongo-DB")
                        .append("plan_id", "default-plan").append("created_at", new Date())),
                new UpdateOptions().upsert(true));
        long t1 = System.nanoTime();
        db.runCommand(new Document("createUser", user).append("pwd", UUID.randomUUID().toString().replace("-", ""))
                .append("roles", List.of(new Document("role", "readWrite").append("db", database)))
                .append("mechanisms", List.of("SCRAM-SHA-256")));
        long t2 = System.nanoTime();
        db.runCommand(new Document("dropUser", user));
        killSessions(database, user);
        long t3 = System.nanoTime();
        Document users = db.runCommand(new Document("usersInfo", 1));
        for (Document left : users.getList("users", Document.class, List.of())) {
            db.runCommand(new Document("dropUser", left.getString("user")));
        }
        db.runCommand(new Document("dropDatabase", 1));
        long t4 = System.nanoTime();
        return new long[] {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
    }

    private void killSessions(String database, String user) {
        try {
            client.getDatabase("admin").runCommand(new Document("killAllSessionsByPattern",
                    List.of(new Document("users", List.of(new Document("user", user).append("db", database))))));
        } catch (MongoCommandException e) {
            if (e.getErrorCode() != COMMAND_NOT_FOUND && e.getErrorCode() != COMMAND_NOT_SUPPORTED) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
