package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.paasta.servicepack.mongodb.AppClients.assertLoginRefused;
import static org.paasta.servicepack.mongodb.AppClients.assertOpenConnectionRefused;
import static org.paasta.servicepack.mongodb.AppClients.assertUnauthorized;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.testkit.BrokerContractTest;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole broker (SDK runtime, catalog, {@link MongodbBrokerApplication}) on a random port, driven
 * through the Open Service Broker HTTP API only, against the MongoDB server of {@link MongoTarget}.
 * The SDK's contract kit runs first; the tests below add what is particular to MongoDB.
 */
@BrokerTest
class MongodbBrokerContractTest extends BrokerContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MongoClient admin;

    @DynamicPropertySource
    static void mongodb(DynamicPropertyRegistry registry) {
        MongoTarget.register(registry);
    }

    @BeforeAll
    static void connectAsAdmin() {
        admin = MongodbBrokerApplication.adminClient(new ConnectionString(MongoTarget.adminUri()));
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    @Override
    protected String serviceName() {
        return Requests.SERVICE;
    }

    @Override
    protected String planName() {
        return Requests.PLAN;
    }

    private static Credentials credentials(JsonNode node) {
        return Credentials.of(JSON.convertValue(node, Map.class));
    }

    @Override
    protected void assertCredentialsWork(JsonNode node) {
        String marker = UUID.randomUUID().toString();
        // The uri alone, as java-cfenv would pass it on.
        try (MongoClient app = MongoClients.create(node.path("uri").asText())) {
            MongoDatabase db = app.getDatabase(node.path("database").asText());
            MongoCollection<Document> notes = db.getCollection("notes");
            notes.insertOne(new Document("marker", marker));
            assertThat(notes.find(new Document("marker", marker)).first()).isNotNull();
        }
    }

    @Override
    protected void assertCredentialsRefused(JsonNode node) {
        assertLoginRefused(credentials(node));
    }

    @Override
    protected void assertResourceExists(String instanceId, boolean exists) {
        String database = ResourceNames.database(instanceId);
        List<String> databases = admin.listDatabaseNames().into(new ArrayList<>());
        List<Document> users = admin.getDatabase(database).runCommand(new Document("usersInfo", 1))
                .getList("users", Document.class);
        if (exists) {
            assertThat(databases).contains(database);
        } else {
            assertThat(databases).doesNotContain(database);
            assertThat(users).as("users of %s", database).isEmpty();
        }
    }

    @Test
    void unbindThroughHttpEndsTheOpenConnectionsOfTheBinding() {
        String instance = newId();
        String binding = newId();
        provisionReady(instance);
        JsonNode node = bindReady(instance, binding);
        assertThat(node.path("username").asText()).isNotBlank();
        assertThat(node.path("hosts").isArray()).isTrue();
        assertThat(node.path("port").isInt()).isTrue();
        assertThat(node.path("uri").asText()).startsWith("mongodb://")
                .contains("authSource=" + node.path("auth_source").asText());
        try (MongoClient app = MongoClients.create(node.path("uri").asText())) {
            MongoDatabase db = app.getDatabase(node.path("database").asText());
            db.getCollection("notes").insertOne(new Document("text", "before unbind"));

            OsbResponse unbind = client().unbind(instance, binding, serviceId(), planId(), false);
            assertThat(unbind.status()).as("unbind %s", unbind).isEqualTo(200);

            assertOpenConnectionRefused(db, Duration.ofSeconds(5));
        }
        deprovisionGone(instance);
        assertResourceExists(instance, false);
    }

    @Test
    void aBindingOfOneInstanceIsRefusedOnAnother() {
        String a = newId();
        String b = newId();
        provisionReady(a);
        provisionReady(b);
        JsonNode ofA = bindReady(a, newId());
        JsonNode ofB = bindReady(b, newId());
        try (MongoClient clientOfA = MongoClients.create(ofA.path("uri").asText())) {
            MongoDatabase otherDb = clientOfA.getDatabase(ofB.path("database").asText());
            assertUnauthorized(() -> otherDb.getCollection("notes").find().first());
            assertUnauthorized(() -> otherDb.getCollection("notes").insertOne(new Document("from", "A")));
            assertUnauthorized(() -> otherDb.runCommand(new Document("dropDatabase", 1)));
            assertUnauthorized(() -> otherDb.runCommand(new Document("createUser", "intruder")
                    .append("pwd", "intruder-password-1234").append("roles", List.of("readWrite"))));
        }
        deprovisionGone(a);
        deprovisionGone(b);
    }

    @Test
    void aReadOnlyBindingIsOfferedThroughBindParameters() {
        String instance = newId();
        provisionReady(instance);
        OsbResponse response = client().bind(instance, newId(), serviceId(), planId(), Map.of("read_only", true),
                false);
        assertThat(response.status()).as("bind %s", response).isEqualTo(201);
        try (MongoClient app = MongoClients.create(response.credentials().path("uri").asText())) {
            MongoDatabase db = app.getDatabase(response.credentials().path("database").asText());
            assertThat(db.getCollection(MongodbBackend.INSTANCE_COLLECTION).countDocuments()).isEqualTo(1);
            assertUnauthorized(() -> db.getCollection("notes").insertOne(new Document("text", "no")));
        }
        OsbResponse unknownParameter = client().bind(instance, newId(), serviceId(), planId(),
                Map.of("role", "root"), false);
        assertThat(unknownParameter.status()).as("bind %s", unknownParameter).isEqualTo(400);
        deprovisionGone(instance);
    }
}
