package org.paasta.servicepack.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.UsageRequest;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.Catalog;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * An instance's dashboard, read from the real server as an app developer reads it: the database's
 * size against the 1 MB test plan as the quota measures it, its tables, the notices near and past
 * the quota and once writes are revoked, and each binding's open connections against the limit
 * the server enforces for it. The quota's schedule is an hour away; the test runs its passes.
 */
@BrokerTest
@TestPropertySource(properties = {"servicepack.catalog.files=classpath:catalog/mysql-quota-test.yml",
        "servicepack.mysql.quota-check-interval=1h"})
class MysqlUsageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    StorageQuota quota;
    String serviceId;
    String planId;
    /** Deprovisioned after each test, also a failed one, so no database or account is left on the server. */
    final List<String> provisioned = new ArrayList<>();

    @AfterEach
    void deprovision(OsbClient client) {
        for (String instanceId : provisioned) {
            assertThat(client.deprovision(instanceId, serviceId, planId, false).status()).isEqualTo(200);
        }
    }

    @BeforeEach
    void lookUpIds(OsbClient client) {
        Catalog catalog = Catalog.of(client);
        serviceId = catalog.serviceId(StorageQuotaTest.SERVICE_NAME);
        planId = catalog.planId(StorageQuotaTest.SERVICE_NAME, StorageQuotaTest.PLAN_NAME);
    }

    @Test
    void storageAndTablesFollowWhatTheAppWritesWithNoticesNearAndPastTheQuota(OsbClient client) throws Exception {
        String instanceId = UUID.randomUUID().toString();
        String dashboard = provision(client, instanceId, null);
        JsonNode credentials = bind(client, instanceId, "writer", null);

        JsonNode empty = usage(dashboard, "en");
        assertThat(measure(empty, "Storage", null).path("used").asDouble()).isZero();
        assertThat(measure(empty, "Storage", null).path("limit").asDouble()).isEqualTo(1.0);
        assertThat(measure(empty, "Storage", null).path("unit").asText()).isEqualTo("MB");
        assertThat(measure(empty, "Tables", null).path("used").asInt()).isZero();
        assertThat(empty.path("notices")).isEmpty();

        try (Connection app = MysqlServer.connectWithJdbcUrl(credentials); Statement statement = app.createStatement()) {
            statement.execute("CREATE TABLE innodb_rows (id INT PRIMARY KEY AUTO_INCREMENT, body VARCHAR(2000))");
            insert(app, "innodb_rows", 100);
        }
        JsonNode written = usage(dashboard, "en");
        double afterInnodb = measure(written, "Storage", null).path("used").asDouble();
        assertThat(afterInnodb).as("200 KB written").isBetween(0.15, 0.7);
        assertThat(measure(written, "Tables", null).path("used").asInt()).isEqualTo(1);
        assertThat(measure(written, "Storage", null).path("level").asText()).isEqualTo("ok");
        assertThat(written.path("notices")).isEmpty();

        // MyISAM grows by exactly what is written (InnoDB by whole extents once past half a MB), so
        // the database can be stepped into the last 20% of its quota.
        JsonNode near;
        try (Connection app = MysqlServer.connectWithJdbcUrl(credentials); Statement statement = app.createStatement()) {
            statement.execute("CREATE TABLE myisam_rows (body VARCHAR(2000)) ENGINE=MyISAM");
            double used = afterInnodb;
            for (int step = 0; used < 0.8 && step < 40; step++) {
                insert(app, "myisam_rows", 10);
                used = measure(usage(dashboard, "en"), "Storage", null).path("used").asDouble();
            }
            near = usage(dashboard, "en");
        }
        assertThat(measure(near, "Storage", null).path("used").asDouble()).isBetween(0.8, 1.0);
        assertThat(measure(near, "Storage", null).path("level").asText()).isEqualTo("near");
        assertThat(measure(near, "Tables", null).path("used").asInt()).isEqualTo(2);
        assertThat(notice(near, "warning")).contains("of the plan's 1 MB", "writes are revoked", "Delete data");
        assertThat(notice(usage(dashboard, "ko"), "warning")).contains("1 MB", "쓰기 권한이 회수됩니다");

        try (Connection app = MysqlServer.connectWithJdbcUrl(credentials)) {
            insert(app, "myisam_rows", 200);
        }
        JsonNode over = usage(dashboard, "en");
        assertThat(measure(over, "Storage", null).path("used").asDouble()).isGreaterThan(1.0);
        assertThat(measure(over, "Storage", null).path("level").asText()).isEqualTo("over");
        assertThat(notice(over, "critical")).as("not revoked yet: the quota has not checked")
                .contains("over the plan's 1 MB", "next quota check, within 1 hour").doesNotContain("Writes revoked");

        quota.enforce();
        try (Connection app = MysqlServer.connectWithJdbcUrl(credentials); Statement statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.execute("INSERT INTO myisam_rows VALUES ('more')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("denied");
        }
        JsonNode revoked = usage(dashboard, "en");
        assertThat(revoked.path("notices")).hasSize(1);
        assertThat(notice(revoked, "critical")).contains("Writes revoked", "over the plan's 1 MB", "Delete data",
                "OPTIMIZE TABLE", "plan with more storage", "within 1 hour");
        assertThat(notice(usage(dashboard, "ko"), "critical"))
                .contains("쓰기 권한 회수됨", "데이터를 지운", "더 큰 플랜", "1시간 안에");

        try (Connection app = MysqlServer.connectWithJdbcUrl(credentials); Statement statement = app.createStatement()) {
            statement.execute("TRUNCATE TABLE myisam_rows");
            statement.execute("TRUNCATE TABLE innodb_rows");
        }
        JsonNode shrunk = usage(dashboard, "en");
        assertThat(measure(shrunk, "Storage", null).path("used").asDouble()).isLessThan(0.8);
        assertThat(notice(shrunk, "critical")).as("still revoked until the quota's next pass")
                .contains("Writes revoked", "under the limit", "within 1 hour");

        quota.enforce();
        assertThat(usage(dashboard, "en").path("notices")).as("writes are back").isEmpty();
    }

    @Test
    void connectionsOfEachBindingCountAgainstTheLimitTheServerEnforcesForIt(OsbClient client) throws Exception {
        String instanceId = UUID.randomUUID().toString();
        String dashboard = provision(client, instanceId, null);
        JsonNode app = bind(client, instanceId, "app", null);
        JsonNode reader = bind(client, instanceId, "reader", Map.of("read_only", true));
        JsonNode idle = bind(client, instanceId, "idle", null);

        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                open.add(MysqlServer.connectWithJdbcUrl(app));
            }
            open.add(MysqlServer.connectWithUri(reader));
            JsonNode usage = usage(dashboard, "en");
            // split mode: the plan's 10 connections over 3 bindings
            assertThat(measure(usage, "Connections", "app").path("used").asInt()).isEqualTo(2);
            assertThat(measure(usage, "Connections", "app").path("limit").asInt()).isEqualTo(3);
            assertThat(measure(usage, "Connections", "reader").path("used").asInt()).isEqualTo(1);
            assertThat(measure(usage, "Connections", "idle").path("used").asInt()).isZero();
            assertThat(measure(usage, "Connections", "idle").path("limit").asInt()).isEqualTo(3);
            assertThat(usage.path("notices")).isEmpty();

            open.add(MysqlServer.connectWithJdbcUrl(app));
            assertThatThrownBy(() -> MysqlServer.connectWithJdbcUrl(app)).as("the server's own limit")
                    .isInstanceOf(SQLException.class);
            JsonNode full = usage(dashboard, "en");
            assertThat(measure(full, "Connections", "app").path("used").asInt()).isEqualTo(3);
            assertThat(measure(full, "Connections", "app").path("level").asText()).isEqualTo("over");
            assertThat(notice(full, "warning")).contains("app", "all 3 of its connections", "pool smaller");
            assertThat(notice(usage(dashboard, "ko"), "warning")).contains("app", "연결 풀");
        } finally {
            for (Connection connection : open) {
                connection.close();
            }
        }

        // A binding made while MYSQL_USER_HOST was another value keeps that host: it counts all the same.
        String user = app.path("username").asText();
        try (Connection admin = MysqlServer.admin(); Statement statement = admin.createStatement()) {
            statement.execute("RENAME USER '" + ResourceNames.safe(user) + "'@'%' TO '" + user + "'@'127.0.0.1'");
        }
        try (Connection again = MysqlServer.connectWithJdbcUrl(app)) {
            JsonNode usage = usage(dashboard, "en");
            assertThat(measure(usage, "Connections", "app").path("used").asInt()).isEqualTo(1);
            assertThat(measure(usage, "Connections", "app").path("limit").asInt()).isEqualTo(3);
        }

        // An account dropped behind the broker's back: the binding's credentials no longer work.
        try (Connection admin = MysqlServer.admin(); Statement statement = admin.createStatement()) {
            statement.execute("DROP USER '" + ResourceNames.safe(idle.path("username").asText()) + "'@'%'");
        }
        JsonNode orphaned = usage(dashboard, "en");
        assertThat(measure(orphaned, "Connections", "idle").path("limit").isNull()).isTrue();
        assertThat(notice(orphaned, "warning")).contains("idle", "no account", "bind it again");

        String perBinding = UUID.randomUUID().toString();
        String perBindingDashboard = provision(client, perBinding, Map.of("connection_limit_mode", "per-binding"));
        bind(client, perBinding, "one", null);
        bind(client, perBinding, "two", null);
        JsonNode usage = usage(perBindingDashboard, "en");
        assertThat(measure(usage, "Connections", "one").path("limit").asInt()).isEqualTo(10);
        assertThat(measure(usage, "Connections", "two").path("limit").asInt()).isEqualTo(10);

    }

    @Test
    void aServerThatCannotBeReachedIsBackendUnavailableWithinTheTimeout() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertUnavailable(closedPort);
        // A port that accepts connections and never says a word, as a hung server does.
        try (ServerSocket silent = new ServerSocket(0)) {
            assertUnavailable(silent.getLocalPort());
        }
    }

    private static void assertUnavailable(int port) {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl("jdbc:mariadb://127.0.0.1:" + port + "/");
            pool.setUsername("nobody");
            pool.setConnectionTimeout(1_000);
            pool.setInitializationFailTimeout(-1);
            MysqlProperties properties = new MysqlProperties(
                    new MysqlProperties.Admin(pool.getJdbcUrl(), "nobody", ""), "127.0.0.1", 3306, "%", "",
                    Duration.ofSeconds(60), ConnectionLimitMode.SPLIT, List.of());
            MysqlBackend backend = new MysqlBackend(pool, properties);
            Plan<MysqlLimits> plan = new Plan<>("service-id", "Mysql-DB", "plan-id", "plan", new MysqlLimits(10, 100), null);
            long started = System.nanoTime();
            assertThatThrownBy(() -> backend.usage(new UsageRequest<>(UUID.randomUUID().toString(), plan, Map.of(),
                    List.of("binding")))).isInstanceOf(BackendUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    private String provision(OsbClient client, String instanceId, Map<String, ?> parameters) {
        OsbResponse created = client.provision(instanceId, serviceId, planId, parameters, false);
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        provisioned.add(instanceId);
        return created.text("dashboard_url");
    }

    private JsonNode bind(OsbClient client, String instanceId, String bindingId, Map<String, ?> parameters) {
        OsbResponse bound = client.bind(instanceId, bindingId, serviceId, planId, parameters, false);
        assertThat(bound.status()).as("%s", bound).isEqualTo(201);
        return bound.credentials();
    }

    private static void insert(Connection app, String table, int rows) throws SQLException {
        try (PreparedStatement insert = app.prepareStatement("INSERT INTO " + table + " (body) VALUES (REPEAT('x', 2000))")) {
            for (int i = 0; i < rows; i++) {
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The dashboard's usage as its JSON gives it, in one language. */
    private static JsonNode usage(String dashboardUrl, String language) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(dashboardUrl.replace("?token=", "/usage.json?token=") + "&lang=" + language))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode usage = JSON.readTree(response.body()).path("usage");
        assertThat(usage.path("status").asText()).as("%s", usage).isEqualTo("shown");
        return usage;
    }

    private static JsonNode measure(JsonNode usage, String label, String binding) {
        for (JsonNode measure : usage.path("measures")) {
            if (measure.path("label").asText().equals(label)
                    && (binding == null ? measure.path("binding").isNull() : binding.equals(measure.path("binding").asText()))) {
                return measure;
            }
        }
        throw new AssertionError("no measure " + label + " for " + binding + " in " + usage);
    }

    /** The text of the one notice of this severity. */
    private static String notice(JsonNode usage, String severity) {
        List<String> texts = new ArrayList<>();
        for (JsonNode notice : usage.path("notices")) {
            if (notice.path("severity").asText().equals(severity)) {
                texts.add(notice.path("text").asText());
            }
        }
        assertThat(texts).as("%s notices in %s", severity, usage).hasSize(1);
        return texts.get(0);
    }
}
