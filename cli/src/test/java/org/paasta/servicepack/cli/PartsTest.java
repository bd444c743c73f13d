package org.paasta.servicepack.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small parts whose every case a broker test would take too long to reach. */
class PartsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void retryAfterInSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2025-03-01T10:00:00Z");
        assertThat(RetryAfter.parse("7", now)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse(" 0 ", now)).contains(Duration.ZERO);
        String inThirty = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(30).atZone(ZoneOffset.UTC));
        assertThat(inThirty).isEqualTo("Sat, 1 Mar 2025 10:00:30 GMT");
        assertThat(RetryAfter.parse(inThirty, now)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Sat, 01 Mar 2025 10:00:30 GMT", now)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Sat, 01 Mar 2025 09:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", now)).isEmpty();
        assertThat(RetryAfter.parse("99999999999999999999999", now)).isEmpty();
        assertThat(RetryAfter.parse(null, now)).isEmpty();
    }

    @Test
    void durations() {
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> Durations.parse("ten minutes")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Durations.format(Duration.ofSeconds(75))).isEqualTo("1m15s");
    }

    @Test
    void idsAndOperationsArePercentEncoded() {
        assertThat(OsbClient.encode("op 1/2&x=y+z")).isEqualTo("op%201%2F2%26x%3Dy%2Bz");
        assertThat(OsbClient.bindingPath("a b", "c/d")).isEqualTo("/v2/service_instances/a%20b/service_bindings/c%2Fd");
        assertThat(OsbClient.query("service_id", "s", "plan_id", null, "operation", "o")).containsExactly(
                Map.entry("service_id", "s"), Map.entry("operation", "o"));
    }

    @Test
    void serviceBindingEntriesKeepTypeAndProviderAndSkipUnsafeNames() throws Exception {
        List<String> skipped = new ArrayList<>();
        Map<String, String> entries = ServiceBindingDirectory.entries(json.readTree(
                "{\"host\":\"h\",\"port\":5432,\"ssl\":true,\"hosts\":[\"a\",\"b\"],\"nested\":{\"k\":1},"
                        + "\"../evil\":\"x\",\".hidden\":\"x\",\"type\":\"theirs\",\"none\":null}"), "postgresql", "acme", skipped);
        assertThat(entries).containsExactly(Map.entry("host", "h"), Map.entry("port", "5432"), Map.entry("ssl", "true"),
                Map.entry("hosts", "[\"a\",\"b\"]"), Map.entry("nested", "{\"k\":1}"),
                Map.entry("type", "postgresql"), Map.entry("provider", "acme"));
        assertThat(skipped).hasSize(3).anyMatch(s -> s.startsWith("../evil")).anyMatch(s -> s.startsWith("type"));
    }

    @Test
    void readmeListsTheExitCodesAsHelpDoes() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (ExitCode code : ExitCode.values()) {
            assertThat(readme).contains("| " + code.code + " | " + code.meaning + " |");
        }
    }

    @Test
    void osbErrorsBecomeOneLineWithTheBrokersWords() throws Exception {
        OsbResponse refused = new OsbResponse("b", "create-service x", 400,
                json.readTree("{\"error\":\"InvalidParameters\",\"description\":\"size\\nmust be > 0\"}"), "", null, "rid");
        CliFailure failure = refused.failure();
        assertThat(failure.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(failure.getMessage()).isEqualTo(
                "broker 'b' refused create-service x (HTTP 400 InvalidParameters): size must be > 0");
        CliFailure broken = new OsbResponse("b", "bind", 503, null, "<html>down</html>", null, "rid").failure();
        assertThat(broken.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(broken.transientFailure()).isTrue();
        assertThat(broken.getMessage()).contains("HTTP 503", "not OSB JSON: <html>down</html>", "request identity rid");
        // A broker's text cannot move the cursor or clear the terminal.
        assertThat(OsbResponse.oneLine("a\u001b[2Jb")).isEqualTo("a?[2Jb");
    }
}
