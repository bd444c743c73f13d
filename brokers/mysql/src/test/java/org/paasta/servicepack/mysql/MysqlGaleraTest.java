package org.paasta.servicepack.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.testkit.BrokerContractTest;
import org.paasta.servicepack.testkit.GaleraCluster;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;

/**
 * The MySQL broker on a 3-node MariaDB Galera cluster (scripts/clusters/galera.sh), as PaaS-TA runs
 * it: the SDK's contract suite (the same as {@link MysqlBrokerContractTest}, another fixture), plus
 * what is per node there. The broker is a separate process whose admin connection is the failover
 * URL over the three nodes (so node 1 while it is up), with {@code servicepack.mysql.nodes} naming
 * all three, and whose state store is a database on the same cluster. Apps are given node 1; the
 * tests use the same credentials on nodes 2 and 3, as an app behind a proxy would end up doing.
 *
 * <p>Skipped without the cluster, unless {@code SERVICEPACK_REQUIRE_GALERA=true} (CI).
 */
class MysqlGaleraTest extends BrokerContractTest {
    private static GaleraCluster cluster;
    private static BrokerProcess broker;
    private static String store;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = GaleraCluster.require();
        store = "sp_galera_state_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + store + " CHARACTER SET utf8mb4");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("servicepack.mysql.admin.url", cluster.adminUrl());
        settings.put("servicepack.mysql.admin.username", cluster.adminUsername());
        settings.put("servicepack.mysql.admin.password", cluster.adminPassword());
        settings.put("servicepack.mysql.nodes", cluster.nodes());
        settings.put("servicepack.mysql.host", cluster.nodeHost(1));
        settings.put("servicepack.mysql.port", String.valueOf(cluster.nodePort(1)));
        settings.put("servicepack.store.url", cluster.adminUrl() + store);
        settings.put("servicepack.store.username", cluster.adminUsername());
        settings.put("servicepack.store.password", cluster.adminPassword());
        // The quota test's 1 MB plan beside the real catalog, and an enforcer pass every second.
        settings.put("servicepack.catalog.files", "classpath:catalog/mysql.yml,classpath:catalog/mysql-quota-test.yml");
        settings.put("servicepack.mysql.quota-check-interval", "1s");
        Path dir = Files.createTempDirectory("mysql-galera-broker");
        broker = BrokerProcess.start(settings, dir, BrokerProcess.logFile("galera"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (store != null) {
            try (Connection admin = admin(); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + store);
            }
        }
    }

    @Override
    protected OsbClient client() {
        return broker.client();
    }

    @Override
    protected String serviceName() {
        return MysqlBrokerContractTest.SERVICE;
    }

    @Override
    protected String planName() {
        return MysqlBrokerContractTest.PLAN_10;
    }

    @Override
    protected String otherPlanName() {
        return MysqlBrokerContractTest.PLAN_100;
    }

    @Override
    protected Duration operationTimeout() {
        return Duration.ofSeconds(120);
    }

    /** Writes through the node the credentials name, reads it back and writes again on node 2. */
    @Override
    protected void assertCredentialsWork(JsonNode credentials) throws SQLException {
        assertThat(credentials.path("max_connections_scope").asText()).as("the limit is per node").isEqualTo("node");
        try (Connection app = MysqlServer.connectWithJdbcUrl(credentials); Statement statement = app.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS contract (id INT PRIMARY KEY, note VARCHAR(20))");
            statement.execute("REPLACE INTO contract VALUES (1, 'works')");
        }
        try (Connection app = onNode(2, credentials); Statement statement = app.createStatement()) {
            // An app that reads its own writes across nodes asks for causal reads.
            statement.execute("SET SESSION wsrep_sync_wait = 1");
            try (ResultSet rows = statement.executeQuery("SELECT note FROM contract WHERE id = 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("works");
            }
            statement.execute("REPLACE INTO contract VALUES (2, 'node 2')");
        }
    }

    /** Refused on every node, at once: unbind returns only after each node has applied the DROP USER. */
    @Override
    protected void assertCredentialsRefused(JsonNode credentials) {
        for (int node = 1; node <= cluster.nodeCount(); node++) {
            int n = node;
            assertThatThrownBy(() -> onNode(n, credentials).close()).as("node %d", n)
                    .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
        }
    }

    @Override
    protected void assertResourceExists(String instanceId, boolean exists) throws SQLException {
        for (int node = 1; node <= cluster.nodeCount(); node++) {
            assertThat(query(node, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                    ResourceNames.database(instanceId))).as("database on node %d", node).hasSize(exists ? 1 : 0);
            if (!exists) {
                assertThat(usersOn(node, instanceId)).as("accounts on node %d", node).isEmpty();
            }
        }
    }

    @Test
    void unbindEndsTheBindingsSessionsOnEveryNode() throws Exception {
        String instanceId = newId();
        String bindingId = newId();
        provisionReady(instanceId);
        try {
            JsonNode credentials = bindReady(instanceId, bindingId);
            // Node 1 is the broker's own node (the failover URL's first); 2 and 3 are not.
            List<Connection> sessions = new ArrayList<>();
            for (int node = 1; node <= cluster.nodeCount(); node++) {
                sessions.add(onNode(node, credentials));
            }
            for (Connection session : sessions) {
                assertThat(session.isValid(5)).isTrue();
            }
            OsbResponse unbind = client().unbind(instanceId, bindingId, serviceId(), planId(), false);
            assertThat(unbind.status()).as("%s", unbind).isEqualTo(200);
            for (int node = 1; node <= sessions.size(); node++) {
                Connection session = sessions.get(node - 1);
                assertThatThrownBy(() -> {
                    try (Statement statement = session.createStatement()) {
                        statement.executeQuery("SELECT 1").close();
                    }
                }).as("the session on node %d was ended", node).isInstanceOf(SQLException.class);
                session.close();
            }
            assertCredentialsRefused(credentials);
        } finally {
            deprovisionGone(instanceId);
        }
    }

    /**
     * MAX_USER_CONNECTIONS is counted per node: with two bindings of the 10-connection plan (split:
     * 5 each), a binding opens 5 sessions on node 1, the sixth there is refused, and node 2 still
     * takes more. This is what the README and {@code max_connections_scope} say.
     */
    @Test
    void thePlansConnectionLimitHoldsOnEachNode() throws Exception {
        String instanceId = newId();
        provisionReady(instanceId);
        List<Connection> sessions = new ArrayList<>();
        try {
            bindReady(instanceId, newId());
            JsonNode credentials = bindReady(instanceId, newId());
            assertThat(credentials.path("max_connections").asInt()).isEqualTo(5);
            assertThat(credentials.path("max_connections_scope").asText()).isEqualTo("node");
            for (int i = 0; i < 5; i++) {
                sessions.add(onNode(1, credentials));
            }
            assertThatThrownBy(() -> onNode(1, credentials).close()).isInstanceOf(SQLException.class)
                    .hasMessageContaining("max_user_connections");
            sessions.add(onNode(2, credentials));
            assertThat(sessions.get(5).isValid(5)).as("node 2 counts its own sessions").isTrue();
        } finally {
            for (Connection session : sessions) {
                session.close();
            }
            deprovisionGone(instanceId);
        }
    }

    /**
     * The storage quota on the cluster: data written through node 1 past the 1 MB plan; the REVOKE
     * holds on every node, and sessions opened before it on nodes 2 and 3 with the database as their
     * default (which would keep the revoked privileges until their next USE) are ended.
     */
    @Test
    void quotaRevocationHoldsOnEveryNode() throws Exception {
        String service = StorageQuotaTest.SERVICE_NAME;
        String serviceId = broker.catalog().serviceId(service);
        String planId = broker.catalog().planId(service, StorageQuotaTest.PLAN_NAME);
        String instanceId = newId();
        assertThat(client().provision(instanceId, serviceId, planId, null, false).status()).isEqualTo(201);
        List<Connection> early = new ArrayList<>();
        try {
            OsbResponse bound = client().bind(instanceId, newId(), serviceId, planId, null, false);
            assertThat(bound.status()).as("%s", bound).isEqualTo(201);
            JsonNode credentials = bound.credentials();
            try (Connection app = onNode(1, credentials); Statement statement = app.createStatement()) {
                statement.execute("CREATE TABLE blob_rows (id INT PRIMARY KEY AUTO_INCREMENT, body VARCHAR(2000))");
            }
            for (int node = 2; node <= cluster.nodeCount(); node++) {
                early.add(onNode(node, credentials));
            }
            // The enforcer runs every second, so it may end this session once the database is past 1 MB.
            try (Connection app = onNode(1, credentials);
                 PreparedStatement insert = app.prepareStatement("INSERT INTO blob_rows (body) VALUES (REPEAT('x', 2000))")) {
                for (int i = 0; i < 15; i++) {
                    for (int row = 0; row < 100; row++) {
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            } catch (SQLException endedByTheQuota) {
                assertThat(usersWithInsert(instanceId)).as("only the quota ends the writer: %s",
                        endedByTheQuota.getMessage()).isZero();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (usersWithInsert(instanceId) > 0) {
                assertThat(System.nanoTime()).as("writes revoked within 60 s").isLessThan(deadline);
                Thread.sleep(250);
            }
            for (int node = 1; node <= cluster.nodeCount(); node++) {
                try (Connection app = onNode(node, credentials); Statement statement = app.createStatement()) {
                    assertThatThrownBy(() -> statement.execute("INSERT INTO blob_rows (body) VALUES ('more')"))
                            .as("a new session on node %d", node).isInstanceOf(SQLException.class)
                            .hasMessageContaining("denied");
                }
            }
            // The enforcer ends the sessions right after its REVOKE, which the loop above may have seen first.
            for (int i = 0; i < early.size(); i++) {
                Connection session = early.get(i);
                long ended = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (session.isValid(2) && System.nanoTime() < ended) {
                    Thread.sleep(100);
                }
                assertThatThrownBy(() -> {
                    try (Statement statement = session.createStatement()) {
                        statement.execute("INSERT INTO blob_rows (body) VALUES ('via an old session')");
                    }
                }).as("the session opened before the revoke on node %d", i + 2).isInstanceOf(SQLException.class);
            }
        } finally {
            for (Connection session : early) {
                session.close();
            }
            assertThat(client().deprovision(instanceId, serviceId, planId, false).status()).isEqualTo(200);
        }
    }

    /** Read-write accounts of the instance that still have INSERT, seen on node 3. */
    private static int usersWithInsert(String instanceId) throws SQLException {
        return query(3, "SELECT User FROM mysql.db WHERE Insert_priv = 'Y' AND User LIKE ?",
                ResourceNames.userPrefix(instanceId).replace("_", "\\_") + "%").size();
    }

    /** The SDK's tables on the same cluster: migrated once, and the broker's records visible on node 3. */
    @Test
    void theStateStoreLivesOnTheSameCluster() throws Exception {
        String instanceId = newId();
        provisionReady(instanceId);
        try {
            assertThat(query(3, "SELECT CONCAT(version, ':', success) FROM " + store + ".sp_schema_history"
                    + " WHERE version = ?", "3")).containsExactly("3:1");
            assertThat(query(3, "SELECT state FROM " + store + ".sp_instance WHERE instance_id = ?", instanceId))
                    .containsExactly("READY");
        } finally {
            deprovisionGone(instanceId);
        }
    }

    /**
     * Node 1, the broker's admin and state store node and the one apps are given, is killed (-9)
     * while provisions, binds, unbinds and deprovisions run. Each answer is one the spec allows or a
     * clean error; after the node is back and the platform has unbound what failed to bind (orphan
     * mitigation), every instance and binding the broker knows exists on every node, every account
     * of these instances is one the broker knows, and deprovisioning leaves nothing anywhere.
     */
    @Test
    void aNodeKilledMidRunLeavesNothingHalfMade() throws Exception {
        List<String> instances = new ArrayList<>();
        List<String> bindings = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            instances.add(newId());
            bindings.add(newId());
        }
        List<String> unclean = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(instances.size());
        boolean killed = false;
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong killedAt = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        java.util.concurrent.atomic.AtomicInteger acrossTheKill = new java.util.concurrent.atomic.AtomicInteger();
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < instances.size(); i++) {
                String instanceId = instances.get(i);
                String bindingId = bindings.get(i);
                work.add(pool.submit(() -> {
                    while (!stop.get()) {
                        long started = System.nanoTime();
                        List<OsbResponse> responses = List.of(
                                client().provision(instanceId, serviceId(), planId(), null, false),
                                client().bind(instanceId, bindingId, serviceId(), planId(), null, false),
                                client().unbind(instanceId, bindingId, serviceId(), planId(), false),
                                client().bind(instanceId, bindingId, serviceId(), planId(), null, false));
                        if (started < killedAt.get() && System.nanoTime() > killedAt.get()) {
                            acrossTheKill.incrementAndGet();
                        }
                        for (OsbResponse response : responses) {
                            if (!cleanAnswer(response)) {
                                unclean.add(response.toString());
                            }
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(1000);
            killedAt.set(System.nanoTime());
            cluster.killNode(1);
            killed = true;
            // Galera takes about 5 s to evict a killed node; keep the load on through it.
            Thread.sleep(8000);
            stop.set(true);
            for (Future<?> future : work) {
                future.get(5, TimeUnit.MINUTES);
            }
            assertThat(unclean).as("answers that are neither an OSB success nor a clean OSB error").isEmpty();
            // The kill must land amid the load: some run of requests began before it and ended after.
            // Not a 5xx: the broker's URLs fail over to nodes 2 and 3, and when no statement is on
            // node 1 at that moment every request succeeds, the outcome this test wants.
            assertThat(acrossTheKill.get()).as("runs of requests in flight across the kill").isPositive();
            cluster.startNode(1);
            killed = false;

            for (int i = 0; i < instances.size(); i++) {
                String instanceId = instances.get(i);
                awaitQuiet(instanceId);
                boolean known = client().fetchInstance(instanceId).status() == 200;
                OsbResponse binding = client().fetchBinding(instanceId, bindings.get(i));
                if (binding.status() != 200) {
                    // What the platform does after a bind that failed (orphan mitigation): unbind, again
                    // while the broker answers 422 (a bind whose request died with the node stays in
                    // progress until its lease, servicepack.async.lease, runs out).
                    OsbResponse mitigation = client().unbind(instanceId, bindings.get(i), serviceId(), planId(), false);
                    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                    while (mitigation.status() == 422 && System.nanoTime() < deadline) {
                        Thread.sleep(1000);
                        mitigation = client().unbind(instanceId, bindings.get(i), serviceId(), planId(), false);
                    }
                    assertThat(mitigation.status()).as("orphan mitigation %s", mitigation).isIn(200, 410);
                }
                Set<String> expected = new HashSet<>();
                if (binding.status() == 200) {
                    expected.add(ResourceNames.user(instanceId, bindings.get(i)));
                    for (int node = 1; node <= cluster.nodeCount(); node++) {
                        try (Connection app = onNode(node, binding.credentials())) {
                            assertThat(app.isValid(5)).as("binding of %s on node %d", instanceId, node).isTrue();
                        }
                    }
                }
                for (int node = 1; node <= cluster.nodeCount(); node++) {
                    if (known) {
                        assertThat(query(node, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA"
                                + " WHERE SCHEMA_NAME = ?", ResourceNames.database(instanceId)))
                                .as("database of %s on node %d", instanceId, node).hasSize(1);
                    }
                    assertThat(new HashSet<>(usersOn(node, instanceId)))
                            .as("accounts of %s on node %d: none the broker does not know", instanceId, node)
                            .isSubsetOf(expected);
                }
            }
            for (String instanceId : instances) {
                deprovisionGone(instanceId);
                assertResourceExists(instanceId, false);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
            if (killed) {
                cluster.startNode(1);
            }
            for (String instanceId : instances) {
                client().deprovision(instanceId, serviceId(), planId(), false);
            }
        }
    }

    /** A success the spec allows, or an error with an OSB body: a 5xx is clean only with a description. */
    private static boolean cleanAnswer(OsbResponse response) {
        int status = response.status();
        if (List.of(200, 201, 202, 404, 409, 410, 422).contains(status)) {
            return true;
        }
        return status >= 500 && response.body() != null && response.body().hasNonNull("description");
    }

    private void awaitQuiet(String instanceId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            OsbResponse last = client().lastOperation(instanceId, null);
            if (last.status() != 200 || !"in progress".equals(last.text("state"))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("operations of " + instanceId + " still running after 120 s");
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(cluster.adminUrl(), cluster.adminUsername(), cluster.adminPassword());
    }

    /** The binding's account on node {@code n}, as an app given that node would connect. */
    private static Connection onNode(int n, JsonNode credentials) throws SQLException {
        return DriverManager.getConnection(cluster.nodeUrl(n) + credentials.path("name").asText(),
                credentials.path("username").asText(), credentials.path("password").asText());
    }

    private static List<String> usersOn(int node, String instanceId) throws SQLException {
        return query(node, "SELECT User FROM mysql.user WHERE User LIKE ?",
                ResourceNames.userPrefix(instanceId).replace("_", "\\_") + "%");
    }

    /** A query on node {@code n} alone, after the node has applied everything committed before it. */
    private static List<String> query(int n, String sql, String parameter) throws SQLException {
        try (Connection connection = DriverManager.getConnection(cluster.nodeUrl(n), cluster.adminUsername(),
                cluster.adminPassword())) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION wsrep_sync_wait = 15");
            }
            return MysqlServer.query(connection, sql, parameter);
        }
    }
}
