package org.paasta.servicepack.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paasta.servicepack.testkit.Catalog;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;

/**
 * A platform stops a broker with SIGTERM while requests are in flight: none of them may fail with
 * a 500 (the embedded store used to be closed by H2's own shutdown hook under them), and every
 * instance the broker answered 201 for is still there after a restart.
 */
class MysqlShutdownTest {
    @TempDir
    Path dir;

    @Test
    void sigtermUnderLoadAnswersNo500AndLosesNothing() throws Exception {
        Path log = BrokerProcess.logFile("shutdown");
        List<String> created = Collections.synchronizedList(new ArrayList<>());
        List<String> serverErrors = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        BrokerProcess broker = BrokerProcess.start(Map.of(), dir, log);
        Catalog catalog = broker.catalog();
        String serviceId = catalog.serviceId(MysqlBrokerContractTest.SERVICE);
        String planId = catalog.planId(MysqlBrokerContractTest.SERVICE, MysqlBrokerContractTest.PLAN_10);
        try {
            OsbClient client = broker.client();
            for (int i = 0; i < 4; i++) {
                clients.submit(() -> {
                    while (running.get()) {
                        String instanceId = UUID.randomUUID().toString();
                        try {
                            OsbResponse provision = client.provision(instanceId, serviceId, planId, null, false);
                            if (provision.status() == 201) {
                                created.add(instanceId);
                            } else if (provision.status() >= 500 && provision.status() != 503) {
                                serverErrors.add("provision " + provision);
                            }
                        } catch (RuntimeException connectionGone) {
                            // the broker stopped listening: expected once the shutdown began
                        }
                    }
                });
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (created.size() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(created).as("provisions under load before the SIGTERM").hasSizeGreaterThanOrEqualTo(20);
            broker.terminate(Duration.ofSeconds(60));
        } finally {
            running.set(false);
            clients.shutdown();
            clients.awaitTermination(30, TimeUnit.SECONDS);
            broker.close();
        }

        assertThat(serverErrors).as("answers during the shutdown").isEmpty();
        assertThat(Files.readString(log)).as("H2 closed under live requests").doesNotContain("90121");
        try (BrokerProcess restarted = BrokerProcess.start(Map.of(), dir, log)) {
            OsbClient client = restarted.client();
            List<String> lost = new ArrayList<>();
            for (String instanceId : List.copyOf(created)) {
                if (client.fetchInstance(instanceId).status() != 200) {
                    lost.add(instanceId);
                }
                assertThat(client.deprovision(instanceId, serviceId, planId, false).status()).isEqualTo(200);
            }
            assertThat(lost).as("instances answered 201 but gone after the restart").isEmpty();
        }
    }
}
