package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoSecurityException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.secrets.Passwords;

/**
 * The server behaviour the broker relies on, with mongod's error codes: the broker tolerates 11 on
 * a repeated unbind and handles 51003 on a repeated bind, and applications see 18 and 13. Run
 * against a real mongod (MONGODB_TEST_URI) this shows the test double answers as mongod does.
 */
class ServerAuthRulesTest {
    private static final String DATABASE = "sp-rules-" + UUID.randomUUID().toString().substring(0, 8);
    private static ConnectionString adminUri;
    private static MongoClient admin;

    @BeforeAll
    static void connect() {
        adminUri = new ConnectionString(MongoTarget.adminUri());
        admin = MongodbBrokerApplication.adminClient(adminUri);
    }

    @AfterAll
    static void cleanUp() {
        MongoDatabase db = admin.getDatabase(DATABASE);
        db.runCommand(new Document("usersInfo", 1)).getList("users", Document.class)
                .forEach(u -> db.runCommand(new Document("dropUser", u.getString("user"))));
        db.runCommand(new Document("dropDatabase", 1));
        admin.close();
    }

    private static Document createUser(String name, String password, String role) {
        return new Document("createUser", name).append("pwd", password)
                .append("roles", List.of(new Document("role", role).append("db", DATABASE)))
                .append("mechanisms", List.of("SCRAM-SHA-256"));
    }

    private static MongoClient login(String user, String password) {
        String hosts = String.join(",", adminUri.getHosts());
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://" + user + ":" + password + "@" + hosts + "/"
                        + DATABASE + "?authSource=" + DATABASE
                        + (Boolean.TRUE.equals(adminUri.getSslEnabled()) ? "&tls=true" : "")
                        + (adminUri.getRequiredReplicaSetName() != null
                        ? "&replicaSet=" + adminUri.getRequiredReplicaSetName() : "")))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .build());
    }

    private static int errorCode(Runnable action) {
        MongoCommandException e = catchThrowableOfType(action::run, MongoCommandException.class);
        assertThat(e).as("a command error").isNotNull();
        return e.getErrorCode();
    }

    @Test
    void aSecondUserOfTheSameNameIs51003AndDroppingAMissingUserIs11() {
        MongoDatabase db = admin.getDatabase(DATABASE);
        db.runCommand(createUser("twice", Passwords.generate(), "readWrite"));

        assertThat(errorCode(() -> db.runCommand(createUser("twice", Passwords.generate(), "readWrite"))))
                .isEqualTo(51003);
        db.runCommand(new Document("dropUser", "twice"));
        assertThat(errorCode(() -> db.runCommand(new Document("dropUser", "twice")))).isEqualTo(11);
    }

    @Test
    void aWrongPasswordIs18AndAnUnknownUserLooksTheSame() {
        String password = Passwords.generate();
        admin.getDatabase(DATABASE).runCommand(createUser("known", password, "read"));

        for (MongoClient client : List.of(login("known", Passwords.generate()), login("unknown", password))) {
            try (client) {
                MongoSecurityException refused = catchThrowableOfType(
                        () -> client.getDatabase(DATABASE).runCommand(new Document("ping", 1)),
                        MongoSecurityException.class);
                assertThat(refused).isNotNull();
                assertThat(((MongoCommandException) refused.getCause()).getErrorCode()).isEqualTo(18);
            }
        }
        try (MongoClient client = login("known", password)) {
            client.getDatabase(DATABASE).runCommand(new Document("ping", 1));
            Document status = client.getDatabase(DATABASE).runCommand(new Document("connectionStatus", 1));
            assertThat(status.get("authInfo", Document.class).getList("authenticatedUsers", Document.class))
                    .containsExactly(new Document("user", "known").append("db", DATABASE));
        }
    }

    @Test
    void aDatabaseOwnerManagesUsersOfItsDatabaseOnly() {
        String password = Passwords.generate();
        admin.getDatabase(DATABASE).runCommand(createUser("owner", password, "dbOwner"));
        try (MongoClient owner = login("owner", password)) {
            MongoDatabase own = owner.getDatabase(DATABASE);
            own.runCommand(createUser("made-by-owner", Passwords.generate(), "read"));
            own.runCommand(new Document("dropUser", "made-by-owner"));

            Document grantsElsewhere = new Document("createUser", "escalated").append("pwd", Passwords.generate())
                    .append("roles", List.of(new Document("role", "readWrite").append("db", "some-other-db")));
            assertThat(errorCode(() -> own.runCommand(grantsElsewhere))).isEqualTo(13);
            assertThat(errorCode(() -> owner.getDatabase("some-other-db").runCommand(new Document("find", "x"))))
                    .isEqualTo(13);
        }
    }

    @Test
    void aConnectionThatHasNotLoggedInIsRefused() {
        String hosts = String.join(",", adminUri.getHosts());
        try (MongoClient anonymous = MongoClients.create("mongodb://" + hosts + "/?serverSelectionTimeoutMS=5000"
                + (Boolean.TRUE.equals(adminUri.getSslEnabled()) ? "&tls=true" : "")
                + (adminUri.getRequiredReplicaSetName() != null
                ? "&replicaSet=" + adminUri.getRequiredReplicaSetName() : ""))) {
            assertThat(errorCode(() -> anonymous.getDatabase(DATABASE).runCommand(new Document("find", "x"))))
                    .isEqualTo(13);
            assertThat(errorCode(() -> anonymous.getDatabase(DATABASE)
                    .runCommand(createUser("sneaky", Passwords.generate(), "root")))).isEqualTo(13);
        }
    }
}
