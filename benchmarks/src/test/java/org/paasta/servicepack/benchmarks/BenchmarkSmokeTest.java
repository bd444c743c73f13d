package org.paasta.servicepack.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every benchmark scenario with tiny counts against the real MariaDB and the built MySQL
 * broker jar, so a change that breaks the benchmark shows in CI. It asserts that the run works
 * and reports every section, never how fast anything was: timings on a shared CI machine prove
 * nothing.
 */
class BenchmarkSmokeTest {
    @TempDir
    Path work;

    @Test
    @Timeout(300)
    void everyScenarioRunsAndIsReported() throws Exception {
        Path jar = Path.of("..", "brokers", "mysql", "target", "mysql-broker.jar");
        assertThat(jar).as("the reactor builds brokers/mysql before this module").isRegularFile();

        String markdown = new BenchmarkRun(Profile.SMOKE, jar, work, "scripts/benchmark.sh --smoke").run();
        Files.writeString(Path.of("target", "benchmarks-smoke.md"), markdown);

        assertThat(markdown)
                .contains("## 1. Catalog and last_operation throughput", "| mysql-broker | GET /v2/catalog |",
                        "| bare-scosb-mvc | GET .../last_operation |", "| bare-scosb-webflux | GET /v2/catalog |")
                .contains("## 2. MySQL broker operations", "| provision |", "| bind |", "| unbind |", "| deprovision |")
                .contains("## 3. Burst", "all succeeded, none duplicated")
                .contains("| H2 (embedded default) | last_operation |", "| MariaDB | bind |")
                .contains("## 5. Footprint", "## Machine")
                .doesNotContain("(not run)", "**FAILED**");
    }
}
