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
    // About three minutes on an idle 2-core machine (8 JVM starts, C1 only, tiny counts); bounded
    // far above that, because a CI machine shared with other builds has taken minutes per JVM start.
    @Timeout(1800)
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
        String targets = run.targetsSvg();
        Files.writeString(Path.of("target", "benchmarks-smoke.md"), markdown);
        Files.writeString(Path.of("target", Report.SVG_FILE), svg);
        Files.writeString(Path.of("target", Report.TARGETS_SVG_FILE), targets);

        assertThat(markdown)
                .contains("## Targets", "## Machine", "Load average")
                .contains("| 1 | MySQL: provision median", "| 1 | Redis (shared-vm): unbind median",
                        "| 1 | Redis (dedicated-vm): bind median", "| 1 | RabbitMQ: deprovision median",
                        "| 1 | MongoDB (test double): deprovision median", "| 2 | RabbitMQ unbind",
                        "| 3 | MySQL: 4 concurrent clients", "| 3 | RabbitMQ: 4 concurrent clients",
                        "| 4 | H2 (embedded default): every operation", "| 4 | MariaDB: every operation",
                        "| 5 | last_operation requests/s", "| 5 | catalog requests/s",
                        "| 6 | mysql-broker idle RSS", "| 6 | mysql-broker first request")
                .contains("## 1. Per-operation cost", "### MySQL", "### Redis (dedicated-vm)", "### MongoDB (test double)",
                        "| provision |", "| bind |", "| unbind |", "| deprovision |", "| last_operation |")
                .contains("## 2. Concurrency", "| MySQL | ", "| RabbitMQ | ", "Where the machine's",
                        "| MySQL | broker | ", "| RabbitMQ | floor | ")
                .contains("Warm-up before the operation rounds", "bare-scosb-mvc ", "MongoDB (test double) ")
                .contains("## 3. Scale", "| H2 (embedded default) | last_operation |", "| MariaDB | bind |")
                .contains("## 4. Polling", "| mysql-broker | GET /v2/catalog |", "| bare-scosb-mvc | GET .../last_operation |",
                        "| tomcat-ceiling | GET /v2/catalog |", "; Tomcat's ceiling ")
                .contains("## 5. Footprint and start", "| redis-broker |", "| rabbitmq-broker |", "| mongodb-broker |")
                .contains("](" + Report.SVG_FILE + ")", "](" + Report.TARGETS_SVG_FILE + ")")
                .doesNotContain("(not run)", "Failed: ");
        // The brokers' own timers were read: a row of the time split has a figure in every column.
        assertThat(markdown).contains("Where the broker's time goes")
                .containsPattern("\\| bind \\| [0-9.]+ \\| -?[0-9.]+ \\| -?[0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+x");
        assertThat(svg).startsWith("<svg").endsWith("</svg>\n")
                .contains(">MySQL<", ">Redis (shared-vm)<", ">Redis (dedicated-vm)<", ">RabbitMQ<",
                        ">MongoDB (test double)<");
        assertThat(targets).startsWith("<svg").endsWith("</svg>\n").contains("<circle", ">limit<");
    }
}
