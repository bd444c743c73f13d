package org.paasta.servicepack.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paasta.servicepack.testkit.Catalog;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;

/**
 * Two broker processes on one MariaDB state store, hammered at once with provisions, binds,
 * unbinds and deprovisions of the SAME few ids. Afterwards the server and the store must agree:
 * a database exactly for every instance the brokers know, an account exactly for every binding,
 * nothing duplicated, nothing orphaned, and every answer one the spec allows.
 */
class MysqlReplicasTest {
    @TempDir
    Path dir;

    @Test
    void replicasSharingAStateStoreStayConsistentUnderConflictingLoad() throws Exception {
        String stateDatabase = "sp_state_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = MysqlServer.admin(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + stateDatabase + " CHARACTER SET utf8mb4");
        }
        Map<String, String> settings = Map.of(
                "servicepack.store.url", MysqlServer.ADMIN_URL + stateDatabase,
                "servicepack.store.username", MysqlServer.ADMIN_USER,
                "servicepack.store.password", MysqlServer.ADMIN_PASSWORD);
        Path log = BrokerProcess.logFile("replicas");
        List<String> instances = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                "Case-Sensitive-Id", "case-sensitive-id");
        List<String> bindings = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            bindings.add(UUID.randomUUID().toString());
        }
        try (BrokerProcess one = BrokerProcess.start(settings, dir, log);
             BrokerProcess two = BrokerProcess.start(settings, dir, log)) {
            List<OsbClient> replicas = List.of(one.client(), two.client());
            Catalog catalog = one.catalog();
            String serviceId = catalog.serviceId(MysqlBrokerContractTest.SERVICE);
            String planId = catalog.planId(MysqlBrokerContractTest.SERVICE, MysqlBrokerContractTest.PLAN_100);
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newFixedThreadPool(12);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int worker = 0; worker < 12; worker++) {
                    long seed = worker;
                    work.add(pool.submit(() -> {
                        Random random = new Random(seed);
                        for (int op = 0; op < 25; op++) {
                            OsbClient client = replicas.get(random.nextInt(2));
                            int i = random.nextInt(instances.size());
                            String instanceId = instances.get(i);
                            String bindingId = bindings.get(i * 2 + random.nextInt(2));
                            OsbResponse response = switch (random.nextInt(5)) {
                                case 0, 1 -> client.provision(instanceId, serviceId, planId, null, random.nextBoolean());
                                case 2 -> client.bind(instanceId, bindingId, serviceId, planId, null, false);
                                case 3 -> client.unbind(instanceId, bindingId, serviceId, planId, false);
                                default -> client.deprovision(instanceId, serviceId, planId, random.nextBoolean());
                            };
                            seen.add(response.status());
                            assertThat(response.status()).as("%s", response).isIn(200, 201, 202, 404, 410, 422);
                        }
                        return null;
                    }));
                }
                for (Future<?> future : work) {
                    future.get(3, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(seen).as("the load really conflicted").contains(422);

            OsbClient client = replicas.get(0);
            for (String instanceId : instances) {
                awaitQuiet(client, instanceId);
            }
            Set<String> expectedUsers = new HashSet<>();
            for (int i = 0; i < instances.size(); i++) {
                String instanceId = instances.get(i);
                boolean known = client.fetchInstance(instanceId).status() == 200;
                assertThat(MysqlServer.databaseExists(instanceId)).as("database of %s", instanceId).isEqualTo(known);
                for (String bindingId : List.of(bindings.get(i * 2), bindings.get(i * 2 + 1))) {
                    OsbResponse binding = client.fetchBinding(instanceId, bindingId);
                    if (binding.status() == 200) {
                        assertThat(known).as("binding of a live instance").isTrue();
                        expectedUsers.add(ResourceNames.user(instanceId, bindingId));
                        try (Connection app = MysqlServer.connectWithJdbcUrl(binding.credentials())) {
                            assertThat(app.isValid(5)).isTrue();
                        }
                    }
                }
                assertThat(new HashSet<>(MysqlServer.usersOf(instanceId)))
                        .as("accounts of %s: no duplicate, no orphan", instanceId)
                        .isEqualTo(expectedUsers.stream().filter(u -> u.startsWith(ResourceNames.userPrefix(instanceId)))
                                .collect(java.util.stream.Collectors.toSet()));
            }
            for (String instanceId : instances) {
                client.deprovision(instanceId, serviceId, planId, false);
                assertThat(MysqlServer.databaseExists(instanceId)).isFalse();
            }
        } finally {
            try (Connection admin = MysqlServer.admin(); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + stateDatabase);
            }
        }
    }

    /** Waits (bounded) until no async operation of the instance is still running. */
    private static void awaitQuiet(OsbClient client, String instanceId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            OsbResponse last = client.lastOperation(instanceId, null);
            if (last.status() != 200 || !"in progress".equals(last.text("state"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("operations of " + instanceId + " still running after 60 s");
    }
}
