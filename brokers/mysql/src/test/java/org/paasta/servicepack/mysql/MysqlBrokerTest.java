package org.paasta.servicepack.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.Catalog;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;

/**
 * What an app developer and an operator check on a real MariaDB/MySQL: the credentials work (as
 * Connector/J is given them by jdbcUrl, and the PaaS-TA way from uri), are refused after unbind,
 * live sessions are killed, instances are isolated, the server enforces the plan's connections.
 */
@BrokerTest
class MysqlBrokerTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    OsbClient broker;
    String serviceId;
    String plan10;
    String plan100;

    @BeforeEach
    void lookUpIds(OsbClient broker) {
        this.broker = broker;
        Catalog catalog = Catalog.of(broker);
        serviceId = catalog.serviceId(MysqlBrokerContractTest.SERVICE);
        plan10 = catalog.planId(MysqlBrokerContractTest.SERVICE, MysqlBrokerContractTest.PLAN_10);
        plan100 = catalog.planId(MysqlBrokerContractTest.SERVICE, MysqlBrokerContractTest.PLAN_100);
    }

    OsbClient client() {
        return broker;
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    String provision(String planId, Map<String, ?> parameters) {
        String instanceId = id();
        OsbResponse response = client().provision(instanceId, serviceId, planId, parameters, true);
        assertThat(response.status()).as("%s", response).isEqualTo(202);
        assertThat(client().awaitInstance(instanceId, response.text("operation"), WAIT).text("state"))
                .isEqualTo("succeeded");
        return instanceId;
    }

    JsonNode bind(String instanceId, String planId, String bindingId) {
        OsbResponse response = client().bind(instanceId, bindingId, serviceId, planId, null, false);
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.credentials();
    }

    void deprovision(String instanceId, String planId) {
        OsbResponse response = client().deprovision(instanceId, serviceId, planId, true);
        assertThat(response.status()).as("%s", response).isEqualTo(202);
        assertThat(client().awaitInstance(instanceId, response.text("operation"), WAIT).status()).isEqualTo(410);
    }

    /** The marketplace as platforms see it, pinned: PaaS-TA ids and names must never drift. */
    @Test
    void catalogIsExactlyTheGoldenFile() throws Exception {
        JsonNode golden = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                getClass().getResourceAsStream("/catalog-golden.json"));
        assertThat(client().catalog().body()).isEqualTo(golden);
    }

    @Test
    void lifecycleWithRealConnectionsAndRevocation() throws Exception {
        assertThat(client().catalog().body().path("services").get(0).path("tags").toString())
                .contains("mysql", "relational");
        String instanceId = provision(plan10, null);
        assertThat(MysqlServer.databaseExists(instanceId)).isTrue();
        String bindingId = id();
        JsonNode credentials = bind(instanceId, plan10, bindingId);

        assertThat(credentials.path("uri").asText()).isEqualTo("mysql://" + credentials.path("username").asText()
                + ":" + credentials.path("password").asText() + "@127.0.0.1:3306/" + credentials.path("name").asText());
        assertThat(credentials.path("hostname").asText()).isEqualTo("127.0.0.1");
        assertThat(credentials.path("max_connections").asInt()).isEqualTo(10);
        assertThat(credentials.path("database").asText()).isEqualTo(ResourceNames.database(instanceId));

        try (Connection app = MysqlServer.connectWithJdbcUrl(credentials); Statement statement = app.createStatement()) {
            statement.execute("CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(50))");
            statement.execute("INSERT INTO notes VALUES (1, 'written through jdbcUrl')");
        }
        try (Connection app = MysqlServer.connectWithUri(credentials); Statement statement = app.createStatement();
             ResultSet rows = statement.executeQuery("SELECT body FROM notes WHERE id = 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("written through jdbcUrl");
        }

        Connection openBeforeUnbind = MysqlServer.connectWithJdbcUrl(credentials);
        try {
            assertThat(client().unbind(instanceId, bindingId, serviceId, plan10, false).status()).isEqualTo(200);
            assertThatThrownBy(() -> MysqlServer.connectWithJdbcUrl(credentials).close())
                    .hasMessageContaining("Access denied");
            assertThatThrownBy(() -> {
                try (Statement statement = openBeforeUnbind.createStatement()) {
                    statement.setQueryTimeout(5);
                    statement.executeQuery("SELECT COUNT(*) FROM notes");
                }
            }).as("a session opened before unbind is killed").isInstanceOf(SQLException.class);
        } finally {
            openBeforeUnbind.close();
        }

        deprovision(instanceId, plan10);
        assertThat(MysqlServer.databaseExists(instanceId)).isFalse();
        assertThat(MysqlServer.usersOf(instanceId)).isEmpty();
    }

    @Test
    void bindingsOfOneInstanceCannotReachAnother() throws Exception {
        String a = provision(plan10, null);
        String b = provision(plan10, null);
        JsonNode credentialsA = bind(a, plan10, id());
        JsonNode credentialsB = bind(b, plan10, id());
        try (Connection appB = MysqlServer.connectWithJdbcUrl(credentialsB); Statement statement = appB.createStatement()) {
            statement.execute("CREATE TABLE secrets (v VARCHAR(10))");
            statement.execute("INSERT INTO secrets VALUES ('b-only')");
        }
        String databaseB = ResourceNames.database(b);
        try (Connection appA = MysqlServer.connectWithJdbcUrl(credentialsA); Statement statement = appA.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM `" + databaseB + "`.secrets"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("denied");
            assertThatThrownBy(() -> statement.execute("DROP TABLE `" + databaseB + "`.secrets"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("denied");
            assertThatThrownBy(() -> statement.execute("CREATE USER 'intruder'@'%' IDENTIFIED BY 'x'"))
                    .isInstanceOf(SQLException.class);
            String lookalike = ResourceNames.database(a).replace('_', 'x');
            assertThatThrownBy(() -> statement.execute("CREATE DATABASE `" + lookalike + "`"))
                    .as("'_' in the grant is no wildcard").isInstanceOf(SQLException.class)
                    .hasMessageContaining("denied");
            List<String> visible = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SHOW DATABASES")) {
                while (rows.next()) {
                    visible.add(rows.getString(1));
                }
            }
            assertThat(visible).contains(ResourceNames.database(a)).doesNotContain(databaseB);
        }
        deprovision(a, plan10);
        deprovision(b, plan10);
    }

    @Test
    void theServerEnforcesThePlansConnectionLimit() throws Exception {
        String instanceId = provision(plan10, null);
        JsonNode credentials = bind(instanceId, plan10, id());
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                open.add(MysqlServer.connectWithJdbcUrl(credentials));
            }
            assertThatThrownBy(() -> MysqlServer.connectWithJdbcUrl(credentials).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("max_user_connections");
        } finally {
            for (Connection connection : open) {
                connection.close();
            }
        }
        deprovision(instanceId, plan10);
    }

    @Test
    void splitModeSharesTheLimitAndPerBindingModeGivesEachTheWholeLimit() throws Exception {
        String split = provision(plan10, null);
        String first = id();
        String second = id();
        assertThat(bind(split, plan10, first).path("max_connections").asInt()).isEqualTo(10);
        assertThat(bind(split, plan10, second).path("max_connections").asInt()).isEqualTo(5);
        assertThat(MysqlServer.maxUserConnections(ResourceNames.user(split, first))).as("rebalanced").isEqualTo(5);
        assertThat(client().unbind(split, second, serviceId, plan10, false).status()).isEqualTo(200);
        assertThat(MysqlServer.maxUserConnections(ResourceNames.user(split, first))).as("given back").isEqualTo(10);
        deprovision(split, plan10);

        String perBinding = provision(plan10, Map.of("connection_limit_mode", "per-binding"));
        for (int i = 0; i < 11; i++) {
            assertThat(bind(perBinding, plan10, id()).path("max_connections").asInt()).isEqualTo(10);
        }
        deprovision(perBinding, plan10);
    }

    @Test
    void splitPlanTakesAtMostItsConnectionsInBindingsAndDowngradesMustFit() throws Exception {
        String instanceId = provision(plan100, null);
        List<String> bindings = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            String bindingId = id();
            bind(instanceId, plan100, bindingId);
            bindings.add(bindingId);
        }
        OsbResponse refused = client().update(instanceId, serviceId, plan10, null, false);
        assertThat(refused.status()).as("%s", refused).isEqualTo(422);
        assertThat(refused.text("description")).contains("11 bindings");
        assertThat(client().fetchInstance(instanceId).text("plan_id")).isEqualTo(plan100);
        assertThat(MysqlServer.maxUserConnections(ResourceNames.user(instanceId, bindings.get(0)))).isEqualTo(100 / 11);

        assertThat(client().unbind(instanceId, bindings.remove(0), serviceId, plan100, false).status()).isEqualTo(200);
        OsbResponse downgraded = client().update(instanceId, serviceId, plan10, null, false);
        assertThat(downgraded.status()).as("%s", downgraded).isEqualTo(200);
        assertThat(client().fetchInstance(instanceId).text("plan_id")).isEqualTo(plan10);
        assertThat(MysqlServer.maxUserConnections(ResourceNames.user(instanceId, bindings.get(0)))).isEqualTo(1);
        OsbResponse full = client().bind(instanceId, id(), serviceId, plan10, null, false);
        assertThat(full.status()).as("an 11th binding on 10 split connections").isEqualTo(422);
        assertThat(full.text("error")).isEqualTo("CapacityExhausted");
        deprovision(instanceId, plan10);
    }

    @Test
    void twentyConcurrentIdenticalProvisionsCreateOneDatabase() throws Exception {
        String instanceId = id();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Integer> statuses = new ArrayList<>();
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(() -> client().provision(instanceId, serviceId, plan10, null, false).status()));
            }
            for (Future<Integer> future : futures) {
                statuses.add(future.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses).isSubsetOf(200, 201, 422);
        assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(1);
        assertThat(MysqlServer.brokerDatabases()).containsOnlyOnce(ResourceNames.database(instanceId));
        deprovision(instanceId, plan10);
    }

    @Test
    void badInputGetsOsbErrorsAndChangesNothing() throws Exception {
        List<String> before = MysqlServer.brokerDatabases();
        List<OsbResponse> answers = new ArrayList<>();
        answers.add(client().send("PUT", "/v2/service_instances/" + id(), "{\"service_id\": \"" + serviceId));
        answers.add(client().provision(id(), "no-such-service", plan10, null, false));
        answers.add(client().provision(id(), serviceId, "no-such-plan", null, false));
        answers.add(client().provision(id(), serviceId, plan10, Map.of("character_set", 5), false));
        answers.add(client().provision(id(), serviceId, plan10, Map.of("character_set", "utf8; DROP DATABASE mysql"), false));
        for (String hostile : List.of("x'; DROP DATABASE mysql; --", "a`b", "a;b", "데이터베이스", "i".repeat(1000))) {
            answers.add(client().provision(hostile, serviceId, plan10, null, false));
        }
        Map<String, String> noVersion = new HashMap<>();
        noVersion.put("X-Broker-API-Version", null);
        answers.add(client().send("PUT", "/v2/service_instances/" + id(), Map.of("service_id", serviceId,
                "plan_id", plan10, "organization_guid", "o", "space_guid", "s"), noVersion));
        answers.add(client().send("PUT", "/v2/service_instances/" + id(), OsbClient.provisionBody(serviceId, plan10,
                null), Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "broker:wrong".getBytes(StandardCharsets.UTF_8)))));
        for (OsbResponse answer : answers) {
            assertThat(answer.status()).as("%s", answer).isBetween(400, 499);
            assertThat(answer.text("error")).as("%s", answer).isNotBlank();
            assertThat(answer.text("description")).as("%s", answer).isNotBlank();
        }
        assertThat(MysqlServer.brokerDatabases()).containsExactlyInAnyOrderElementsOf(before);
    }
}
