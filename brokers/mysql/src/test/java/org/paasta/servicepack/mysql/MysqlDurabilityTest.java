package org.paasta.servicepack.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paasta.servicepack.testkit.Catalog;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;

/**
 * kill -9 of the broker in the middle of an async operation. The backend is held mid-operation by
 * a real lock on the server (FLUSH TABLES WITH READ LOCK blocks CREATE/DROP DATABASE), the broker
 * process is killed, the lock released, the broker started again on the same state store: its
 * last_operation must tell the truth and nothing may be half-made.
 */
class MysqlDurabilityTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** The broker's defaults, state store included (an H2 file under the working directory), with short leases. */
    static final Map<String, String> SETTINGS = Map.of(
            "servicepack.async.lease", "2s",
            "servicepack.async.sweep-interval", "500ms");

    @Test
    void anOperationInterruptedByKill9IsFinishedAfterRestart() throws Exception {
        Path log = BrokerProcess.logFile("durability");
        String instanceId = UUID.randomUUID().toString();
        String operation;
        String serviceId;
        String planId;
        try (Connection lock = MysqlServer.admin(); Statement global = lock.createStatement()) {
            global.execute("FLUSH TABLES WITH READ LOCK");
            BrokerProcess first = BrokerProcess.start(SETTINGS, dir, log);
            Catalog catalog = first.catalog();
            serviceId = catalog.serviceId(MysqlBrokerContractTest.SERVICE);
            planId = catalog.planId(MysqlBrokerContractTest.SERVICE, MysqlBrokerContractTest.PLAN_10);
            OsbResponse accepted = first.client().provision(instanceId, serviceId, planId, null, true);
            assertThat(accepted.status()).isEqualTo(202);
            operation = accepted.text("operation");
            awaitBlockedStatement(Duration.ofSeconds(20));
            assertThat(first.client().lastOperation(instanceId, operation).text("state")).isEqualTo("in progress");
            first.kill9();
            global.execute("UNLOCK TABLES");
        }

        try (BrokerProcess second = BrokerProcess.start(SETTINGS, dir, log)) {
            OsbClient client = second.client();
            OsbResponse last = client.awaitInstance(instanceId, operation, WAIT);
            assertThat(last.text("state")).as("resumed after restart: %s", last).isEqualTo("succeeded");
            assertThat(MysqlServer.databaseExists(instanceId)).isTrue();
            OsbResponse bound = client.bind(instanceId, "after-restart", serviceId, planId, null, false);
            assertThat(bound.status()).isEqualTo(201);
            JsonNode credentials = bound.credentials();
            try (Connection app = MysqlServer.connectWithJdbcUrl(credentials)) {
                assertThat(app.isValid(5)).isTrue();
            }

            // The same for a deprovision killed half-way.
            assertThat(client.unbind(instanceId, "after-restart", serviceId, planId, false).status()).isEqualTo(200);
            String deleteOperation;
            try (Connection lock = MysqlServer.admin(); Statement global = lock.createStatement()) {
                global.execute("FLUSH TABLES WITH READ LOCK");
                OsbResponse deleting = client.deprovision(instanceId, serviceId, planId, true);
                assertThat(deleting.status()).isEqualTo(202);
                deleteOperation = deleting.text("operation");
                awaitBlockedStatement(Duration.ofSeconds(20));
                second.kill9();
                global.execute("UNLOCK TABLES");
            }
            try (BrokerProcess third = BrokerProcess.start(SETTINGS, dir, log)) {
                OsbResponse gone = third.client().awaitInstance(instanceId, deleteOperation, WAIT);
                assertThat(gone.status()).as("async delete finished after restart: %s", gone).isEqualTo(410);
                assertThat(MysqlServer.databaseExists(instanceId)).isFalse();
                assertThat(MysqlServer.usersOf(instanceId)).isEmpty();
            }
        }
    }

    /** Waits until the broker's DDL statement is queued behind the global read lock. */
    private static void awaitBlockedStatement(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!MysqlServer.query("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE ?",
                    "%DATABASE%cf\\_%").isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the broker never reached its CREATE/DROP DATABASE");
    }
}
