package org.paasta.servicepack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code marketplace} against the real broker's catalog. */
class MarketplaceTest extends CliTestSupport {

    @Test
    void tableOfPlansWithCostsAndBullets() {
        registerBroker();
        Run run = cli("marketplace").succeeded();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(5);
        String header = lines.get(0);
        assertThat(header).containsPattern("^service\\s+plan\\s+description\\s+free or paid\\s+costs\\s+bullets$");
        assertThat(lines.get(1)).containsPattern(
                "^memory-db\\s+small\\s+Synchronous operations\\s+free\\s+USD 0\\.00/MONTHLY\\s+2 bindings; answers at once$");
        assertThat(lines.get(2)).containsPattern("^memory-db\\s+async\\s+.*\\s+paid\\s+USD 10\\.00/MONTHLY\\s+5 bindings; "
                + "asynchronous: polled with Retry-After$");
        assertThat(lines.get(3)).containsPattern("\\s+paid\\s+USD 25\\.50/MONTHLY, EUR 23\\.00/MONTHLY$");
        // No free flag in the catalog means free (the spec's default); no costs, no bullets.
        assertThat(lines.get(4)).containsPattern("^memory-db\\s+fixed\\s+Cannot change to another plan\\s+free$");
        // Columns line up: every plan name starts where the header's "plan" does.
        int planColumn = header.indexOf("plan");
        for (String line : lines.subList(1, lines.size())) {
            assertThat(line.charAt(planColumn - 1)).isEqualTo(' ');
            assertThat(line.charAt(planColumn)).isNotEqualTo(' ');
        }
        int costsColumn = header.indexOf("costs");
        assertThat(lines.get(2).substring(costsColumn)).startsWith("USD 10.00/MONTHLY");
    }

    @Test
    void oneServiceAndUnknownService() {
        registerBroker();
        assertThat(cli("marketplace", "-e", "memory-db").succeeded().out().lines()).hasSize(5);
        Run unknown = cli("marketplace", "-e", "redis");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("has no service 'redis'; it offers: memory-db");
    }

    @Test
    void noBrokerRegisteredSaysWhatToDo() {
        Run run = cli("marketplace");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("servicepack register-broker");
    }
}
