package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.paasta.servicepack.mongodb.AppClients.assertLoginRefused;
import static org.paasta.servicepack.mongodb.AppClients.assertOpenConnectionRefused;
import static org.paasta.servicepack.mongodb.AppClients.assertUnauthorized;
import static org.paasta.servicepack.mongodb.AppClients.connect;
import static org.paasta.servicepack.mongodb.AppClients.database;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.CapacityExhaustedException;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.Origin;

/**
 * The backend's whole lifecycle against a real MongoDB wire server ({@link MongoTarget}), checked
 * the way an application sees it: connect with the returned {@code uri}, use it, unbind, be refused.
 */
class MongodbBackendLifecycleTest {
    private static final Duration USER_CACHE_REFRESH = Duration.ofSeconds(5);

    private static MongoClient admin;
    private static MongodbBackend backend;

    @BeforeAll
    static void connectAsAdmin() {
        ConnectionString uri = new ConnectionString(MongoTarget.adminUri());
        admin = MongodbBrokerApplication.adminClient(uri);
        backend = new MongodbBackend(admin, ClientAddress.of(uri, List.of()));
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static List<String> userNames(String database) {
        List<String> names = new ArrayList<>();
        Document answer = admin.getDatabase(database).runCommand(new Document("usersInfo", 1));
        answer.getList("users", Document.class).forEach(u -> names.add(u.getString("user")));
        return names;
    }

    private static List<String> databaseNames() {
        return admin.listDatabaseNames().into(new ArrayList<>());
    }

    @Test
    void bindingCredentialsWorkUntilUnbindAndNothingIsLeftAfterDeprovision() {
        String instance = newId();
        String binding = newId();
        String stayingBinding = newId();
        backend.provision(Requests.provision(instance));
        String database = "sp-" + instance;
        assertThat(databaseNames()).contains(database);
        assertThat(admin.getDatabase(database).getCollection(MongodbBackend.INSTANCE_COLLECTION).find().first())
                .containsEntry("instance_id", instance);

        Credentials credentials = backend.bind(Requests.bind(instance, binding));
        Credentials staying = backend.bind(Requests.bind(instance, stayingBinding));

        assertThat(credentials.asMap()).containsKeys("uri", "name", "database", "hosts", "port", "username",
                "password", "auth_source");
        assertThat(credentials.getString("database")).isEqualTo(database);
        assertThat(credentials.getString("name")).isEqualTo(database);
        assertThat(credentials.getString("auth_source")).isEqualTo(database);
        assertThat(credentials.getString("password")).matches("[A-Za-z0-9]{32}");
        assertThat(credentials.getString("password")).isNotEqualTo(staying.getString("password"));
        ConnectionString uri = new ConnectionString(credentials.getString("uri"));
        assertThat(uri.getUsername()).isEqualTo(credentials.getString("username"));
        assertThat(uri.getPassword()).containsExactly(credentials.getString("password").toCharArray());
        assertThat(uri.getDatabase()).isEqualTo(database);
        assertThat(uri.getCredential().getSource()).isEqualTo(database);
        assertThat(userNames(database)).containsExactlyInAnyOrder(credentials.getString("username"),
                staying.getString("username"));

        // The uri alone is enough (java-cfenv passes on nothing else): no settings added here.
        try (MongoClient app = MongoClients.create(credentials.getString("uri"))) {
            MongoDatabase db = app.getDatabase(uri.getDatabase());
            MongoCollection<Document> notes = db.getCollection("notes");
            notes.insertMany(List.of(new Document("_id", 1).append("text", "first"),
                    new Document("_id", 2).append("text", "second")));
            assertThat(notes.find(Filters.eq("_id", 2)).first()).containsEntry("text", "second");
            assertThat(notes.countDocuments()).isEqualTo(2);
            assertThat(databaseNames()).contains(database);

            backend.unbind(Requests.unbind(instance, binding));

            // The connection opened before unbind is refused from now on, and a new login fails.
            assertOpenConnectionRefused(db, USER_CACHE_REFRESH);
        }
        assertLoginRefused(credentials);
        assertThat(userNames(database)).containsExactly(staying.getString("username"));

        // The other binding is untouched by the unbind and still sees the data.
        try (MongoClient other = connect(staying)) {
            assertThat(database(other, staying).getCollection("notes").countDocuments()).isEqualTo(2);
        }

        // The platform should unbind first, but a forgotten binding must not survive deprovision.
        backend.deprovision(Requests.deprovision(instance, stayingBinding));

        assertThat(databaseNames()).doesNotContain(database);
        assertThat(userNames(database)).isEmpty();
        assertLoginRefused(staying);
    }

    @Test
    void readOnlyBindingReadsButCannotWrite() {
        String instance = newId();
        backend.provision(Requests.provision(instance));
        Credentials writer = backend.bind(Requests.bind(instance, newId()));
        Credentials reader = backend.bind(Requests.bind(instance, newId(), Map.of("read_only", true)));
        try (MongoClient writing = connect(writer); MongoClient reading = connect(reader)) {
            database(writing, writer).getCollection("notes").insertOne(new Document("text", "hello"));

            MongoCollection<Document> notes = database(reading, reader).getCollection("notes");
            assertThat(notes.find().first()).containsEntry("text", "hello");
            assertUnauthorized(() -> notes.insertOne(new Document("text", "not allowed")));
            assertUnauthorized(() -> notes.drop());
        } finally {
            backend.deprovision(Requests.deprovision(instance));
        }
    }

    @Test
    void everyOperationCanBeRepeated() {
        String instance = newId();
        String binding = newId();
        backend.provision(Requests.provision(instance));
        Document record = admin.getDatabase("sp-" + instance).getCollection(MongodbBackend.INSTANCE_COLLECTION)
                .find().first();
        backend.provision(Requests.provision(instance));
        assertThat(admin.getDatabase("sp-" + instance).getCollection(MongodbBackend.INSTANCE_COLLECTION).find()
                .into(new ArrayList<>())).containsExactly(record);

        // A bind re-run after a crash cannot know the lost password: it makes the user again.
        Credentials lost = backend.bind(Requests.bind(instance, binding));
        Credentials current = backend.bind(Requests.bind(instance, binding));
        assertLoginRefused(lost);
        try (MongoClient app = connect(current)) {
            database(app, current).getCollection("notes").insertOne(new Document("text", "still works"));
        }

        backend.unbind(Requests.unbind(instance, binding));
        backend.unbind(Requests.unbind(instance, binding));
        assertLoginRefused(current);

        backend.deprovision(Requests.deprovision(instance));
        backend.deprovision(Requests.deprovision(instance));
        assertThat(databaseNames()).doesNotContain("sp-" + instance);

        // Never provisioned at all: deprovision and unbind still succeed.
        String unknown = newId();
        backend.unbind(Requests.unbind(unknown, newId()));
        backend.deprovision(Requests.deprovision(unknown));
    }

    @Test
    void refusesABindBeyondThePlansLimitAndCreatesNothing() {
        String instance = newId();
        String binding = newId();
        backend.provision(Requests.provision(instance));
        BindRequest<MongodbLimits> third = new BindRequest<>(instance, binding, Requests.plan(2), Map.of(),
                Map.of(), null, null, List.of(newId(), newId()), Origin.NONE);

        assertThatThrownBy(() -> backend.bind(third))
                .isInstanceOf(CapacityExhaustedException.class)
                .hasMessageContaining("at most 2 bindings");
        assertThat(userNames("sp-" + instance)).isEmpty();
    }

    @Test
    void anInstanceIdOutsideMongodbsNameRulesStillGetsADatabase() {
        String instance = "Instance/With.Dots \"and\" $pecial*chars:|?<>\\ " + newId();
        backend.provision(Requests.provision(instance));
        Credentials credentials = backend.bind(Requests.bind(instance, "Binding With Spaces/" + newId()));
        try (MongoClient app = connect(credentials)) {
            database(app, credentials).getCollection("notes").insertOne(new Document("text", "fine"));
            assertThat(database(app, credentials).getCollection("notes").countDocuments()).isEqualTo(1);
        }
        backend.deprovision(Requests.deprovision(instance));
        assertThat(databaseNames()).doesNotContain(credentials.getString("database"));
        assertLoginRefused(credentials);
    }

    @Test
    void advertisesTheHostsItWritesIntoBindings() {
        String instance = newId();
        backend.provision(Requests.provision(instance));
        Credentials credentials = backend.bind(Requests.bind(instance, newId()));

        List<String> bound = new ConnectionString(credentials.getString("uri")).getHosts().stream()
                .map(host -> host.startsWith("[") ? host.substring(1, host.indexOf(']'))
                        : host.substring(0, host.lastIndexOf(':')))
                .toList();
        assertThat(backend.advertisedHosts()).isNotEmpty().isEqualTo(bound);
        backend.deprovision(Requests.deprovision(instance));
    }

    @Test
    void wrongAdminCredentialsOrNoServerAnswer503() {
        ConnectionString wrongPassword = new ConnectionString(MongoTarget.adminUriWithPassword("wrong-password"));
        ConnectionString nobodyListening =
                new ConnectionString("mongodb://admin:x@127.0.0.1:1/admin?serverSelectionTimeoutMS=500");

        for (ConnectionString broken : List.of(wrongPassword, nobodyListening)) {
            try (MongoClient client = MongodbBrokerApplication.adminClient(broken)) {
                MongodbBackend brokenBackend = new MongodbBackend(client, ClientAddress.of(broken, List.of()));
                assertThatThrownBy(() -> brokenBackend.provision(Requests.provision(newId())))
                        .isInstanceOf(BackendUnavailableException.class)
                        .hasMessageNotContaining("wrong-password");
            }
        }
    }
}
