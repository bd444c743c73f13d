package org.paasta.servicepack.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every benchmark scenario with tiny counts against the real MariaDB, redis-server and
 * RabbitMQ (and the MongoDB test double) and the built broker jars, so a change that breaks the
 * benchmark shows in CI. It asserts that the run works
 * and reports every section, never how fast anything was: timings on a shared CI machine prove
 * nothing.
 */
class BenchmarkSmokeTest {
    @TempDir
    Path work;

    @Test
    @Timeout(420)
    void everyScenarioRunsAndIsReported() throws Exception {
        Path jar = Path.of("..", "brokers", "mysql", "target", "mysql-broker.jar");
        assertThat(jar).as("the reactor builds brokers/mysql before this module").isRegularFile();

        for (String broker : new String[] {"redis", "rabbitmq", "mongodb"}) {
            assertThat(Path.of("..", "brokers", broker, "target", broker + "-broker.jar"))
                    .as("the reactor builds brokers/" + broker + " before this module").isRegularFile();
        }

        BenchmarkRun run = new BenchmarkRun(Profile.SMOKE, jar, work, "scripts/benchmark.sh --smoke");
        String markdown = run.run();
        String svg = run.svg();
        Files.writeString(Path.of("target", "benchmarks-smoke.md"), markdown);
        Files.writeString(Path.of("target", Report.SVG_FILE), svg);

        assertThat(markdown)
                .contains("## 1. Catalog and last_operation throughput", "| mysql-broker | GET /v2/catalog |",
                        "| bare-scosb-mvc | GET .../last_operation |", "| bare-scosb-webflux | GET /v2/catalog |")
                .contains("## 2. MySQL broker operations", "| provision |", "| bind |", "| unbind |", "| deprovision |")
                .contains("## 3. Burst", "all succeeded, none duplicated")
                .contains("| H2 (embedded default) | last_operation |", "| MariaDB | bind |")
                .contains("## 5. Footprint", "## Machine")
                .contains("## 2b. Redis broker (shared-vm plan)", "## 2c. RabbitMQ broker",
                        "## 2d. MongoDB broker operations against their floor (against the in-JVM test double, not mongod)",
                        "| 2 | Redis (shared-vm): unbind median", "| 2 | RabbitMQ: provision median",
                        "| 2 | MongoDB (test double): deprovision median", "| redis-broker |", "| rabbitmq-broker |",
                        "| mongodb-broker |", "](" + Report.SVG_FILE + ")")
                .doesNotContain("(not run)", "**FAILED**");
        assertThat(svg).startsWith("<svg").endsWith("</svg>\n")
                .contains(">MySQL<", ">Redis (shared-vm)<", ">RabbitMQ<", ">MongoDB (test double)<");
    }
}
