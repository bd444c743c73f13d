package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.paasta.servicepack.mongodb.AppClients.assertUnauthorized;
import static org.paasta.servicepack.mongodb.AppClients.connect;
import static org.paasta.servicepack.mongodb.AppClients.database;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.Credentials;

/**
 * A binding of instance A can do nothing to instance B, and cannot widen its own rights: every
 * attempt is refused by the server with error 13 Unauthorized, and B's data stays as it was.
 */
class InstanceIsolationTest {
    private static final String A = UUID.randomUUID().toString();
    private static final String B = UUID.randomUUID().toString();

    private static MongoClient admin;
    private static MongodbBackend backend;
    private static Credentials bindingOfA;
    private static Credentials bindingOfB;
    private static MongoClient clientOfA;

    @BeforeAll
    static void twoInstancesWithData() {
        ConnectionString uri = new ConnectionString(MongoTarget.adminUri());
        admin = MongodbBrokerApplication.adminClient(uri);
        backend = new MongodbBackend(admin, ClientAddress.of(uri, List.of()));
        backend.provision(Requests.provision(A));
        backend.provision(Requests.provision(B));
        bindingOfA = backend.bind(Requests.bind(A, UUID.randomUUID().toString()));
        bindingOfB = backend.bind(Requests.bind(B, UUID.randomUUID().toString()));
        try (MongoClient clientOfB = connect(bindingOfB)) {
            database(clientOfB, bindingOfB).getCollection("secrets").insertOne(new Document("owner", "B"));
        }
        clientOfA = connect(bindingOfA);
        database(clientOfA, bindingOfA).getCollection("notes").insertOne(new Document("owner", "A"));
    }

    @AfterAll
    static void cleanUp() {
        clientOfA.close();
        backend.deprovision(Requests.deprovision(A));
        backend.deprovision(Requests.deprovision(B));
        admin.close();
    }

    private static MongoDatabase dbOfBSeenByA() {
        return clientOfA.getDatabase(bindingOfB.getString("database"));
    }

    private static MongoDatabase ownDatabaseOfA() {
        return database(clientOfA, bindingOfA);
    }

    @Test
    void cannotReadOrWriteAnotherInstancesDatabase() {
        MongoDatabase other = dbOfBSeenByA();
        assertUnauthorized(() -> other.getCollection("secrets").find().first());
        assertUnauthorized(() -> other.getCollection("secrets").countDocuments());
        assertUnauthorized(() -> other.getCollection("secrets").insertOne(new Document("owner", "A")));
        assertUnauthorized(() -> other.getCollection("secrets").deleteMany(new Document()));
        assertUnauthorized(() -> other.listCollectionNames().first());
        assertUnauthorized(() -> other.getCollection("secrets").drop());
        assertUnauthorizedCommand(other, new Document("usersInfo", 1));

        try (MongoClient clientOfB = connect(bindingOfB)) {
            MongoDatabase own = database(clientOfB, bindingOfB);
            assertThat(own.getCollection("secrets").countDocuments()).isEqualTo(1);
            assertThat(own.getCollection("secrets").find().first()).containsEntry("owner", "B");
        }
    }

    @Test
    void cannotCreateUsersAnywhere() {
        for (MongoDatabase db : List.of(ownDatabaseOfA(), dbOfBSeenByA(), clientOfA.getDatabase("admin"))) {
            assertUnauthorizedCommand(db, new Document("createUser", "intruder")
                    .append("pwd", "intruder-password-1234")
                    .append("roles", List.of(new Document("role", "readWrite").append("db", bindingOfB.getString("database"))))
                    .append("mechanisms", List.of("SCRAM-SHA-256")));
        }
        assertUnauthorizedCommand(dbOfBSeenByA(), new Document("dropUser", bindingOfB.getString("username")));
        Document users = admin.getDatabase(bindingOfB.getString("database")).runCommand(new Document("usersInfo", 1));
        assertThat(users.getList("users", Document.class)).extracting(u -> u.getString("user"))
                .containsExactly(bindingOfB.getString("username"));
    }

    @Test
    void cannotDropDatabasesNotEvenItsOwn() {
        assertUnauthorizedCommand(dbOfBSeenByA(), new Document("dropDatabase", 1));
        assertUnauthorizedCommand(ownDatabaseOfA(), new Document("dropDatabase", 1));
        assertThat(admin.listDatabaseNames().into(new ArrayList<>()))
                .contains(bindingOfA.getString("database"), bindingOfB.getString("database"));
    }

    @Test
    void doesNotSeeOtherInstancesInTheDatabaseList() {
        List<String> visible = clientOfA.listDatabaseNames().into(new ArrayList<>());
        assertThat(visible).contains(bindingOfA.getString("database"))
                .doesNotContain(bindingOfB.getString("database"));
    }

    @Test
    void cannotUseServerAdministrationCommands() {
        assertUnauthorizedCommand(clientOfA.getDatabase("admin"), new Document("killAllSessionsByPattern", List.of()));
        assertUnauthorizedCommand(clientOfA.getDatabase("admin"), new Document("usersInfo", new Document("forAllDBs", true)));
    }

    private static void assertUnauthorizedCommand(MongoDatabase db, Document command) {
        assertUnauthorized(() -> db.runCommand(command));
    }
}
