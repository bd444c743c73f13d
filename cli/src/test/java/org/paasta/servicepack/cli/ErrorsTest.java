package org.paasta.servicepack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.cli.testbroker.RecordingFilter.Fault;

/**
 * What a script sees when things go wrong: the broker's own error description and code on stderr,
 * an exit code per kind of failure, never a stack trace.
 */
class ErrorsTest extends CliTestSupport {

    @Test
    void invalidParametersShowTheBrokersDescription() throws IOException {
        registerBroker();
        Run run = cli("create-service", "memory-db", "small", "bad", "-c", "{\"color\": \"green\"}");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("HTTP 400 InvalidParameters", "invalid parameters for plan 'small'", "color");
        assertNoStackTrace(run);
        // The broker made nothing, so nothing is listed.
        assertThat(state().path("services").has("bad")).isFalse();
    }

    @Test
    void conflictingInstanceIdIs409() throws IOException {
        registerBroker();
        cli("create-service", "memory-db", "small", "first").succeeded();
        Run run = cli("create-service", "memory-db", "fixed", "second", "--instance-id", instanceId("first"));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("HTTP 409 Conflict");
        assertNoStackTrace(run);
        assertThat(state().path("services").has("second")).isFalse();
        assertThat(backend.instances).containsEntry(instanceId("first"), "small");
    }

    @Test
    void busyInstanceIs422AndATimedOutCreateCanBeAwaitedLater() throws IOException {
        registerBroker();
        long start = System.nanoTime();
        Run created = cli("create-service", "memory-db", "async", "held", "-c", "{\"hold\": true}", "--timeout", "1s");
        assertThat(created.exit()).as(created.err()).isEqualTo(5);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(20_000); // 1s of waiting, not 10 min
        assertThat(created.err()).contains("gave up waiting", "servicepack service held --refresh");
        assertThat(instanceState("held").path("last_operation").path("state").asText()).isEqualTo("in progress");

        Run update = cli("update-service", "held", "-c", "{\"color\": \"red\"}");
        assertThat(update.exit()).isEqualTo(2);
        assertThat(update.err()).contains("HTTP 422 ConcurrencyError", "another operation is in progress on this instance");
        assertNoStackTrace(update);
        // A refused request changes nothing, so the create still being watched stays on record.
        assertThat(instanceState("held").path("last_operation").path("type").asText()).isEqualTo("create");

        backend.release();
        Run awaited = cli("service", "held", "--wait", "--timeout", "20s").succeeded();
        assertThat(awaited.out()).contains("create succeeded");
        assertThat(backend.instances).containsKey(instanceId("held"));
        cli("delete-service", "held").succeeded();
    }

    @Test
    void plansMaximumPollingDurationEndsTheWait() throws IOException {
        registerBroker();
        long start = System.nanoTime();
        Run run = cli("create-service", "memory-db", "slow", "slowpoke", "-c", "{\"hold\": true}");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(run.exit()).as(run.err()).isEqualTo(5);
        assertThat(millis).isBetween(1_900L, 20_000L); // the plan's 2 s, not the default 10 min
        backend.release();
        cli("service", "slowpoke", "--wait", "--timeout", "20s").succeeded();
        cli("delete-service", "slowpoke", "--timeout", "20s").succeeded();
    }

    @Test
    void brokerErrorIs3AndOrphanMitigationCleansUp() throws IOException {
        registerBroker();
        Run run = cli("create-service", "memory-db", "small", "crash", "-c", "{\"fail\": \"crash\"}");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("HTTP 500 InternalError", "provision failed; see the broker log", "orphan mitigation");
        assertNoStackTrace(run);
        assertThat(recorder.received).anyMatch(r -> r.method().equals("DELETE"));
        assertThat(state().path("services").has("crash")).isFalse();
    }

    @Test
    void failedAsyncOperationIs3AndStaysListed() throws IOException {
        registerBroker();
        Run run = cli("create-service", "memory-db", "async", "doomed", "-c", "{\"fail\": \"crash\"}");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("create of service doomed failed", "servicepack delete-service doomed");
        assertThat(instanceState("doomed").path("last_operation").path("state").asText()).isEqualTo("failed");
        assertThat(cli("services").succeeded().out()).contains("create failed");
        cli("delete-service", "doomed").succeeded();
        assertThat(state().path("services").has("doomed")).isFalse();
    }

    @Test
    void wrongCredentialsAre401AndNotSaved() {
        env.put(BrokerCommands.PASSWORD_ENV, "not-the-password");
        Run run = cli("register-broker", "memory", brokerUrl(), "--username", "broker");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("HTTP 401", "missing or wrong broker credentials", "register-broker");
        assertThat(run.err() + run.out()).doesNotContain("not-the-password");
        assertThat(configFile()).doesNotExist();
    }

    @Test
    void connectionRefusedIs4() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        env.put(BrokerCommands.PASSWORD_ENV, "x");
        Run register = cli("register-broker", "gone", "http://127.0.0.1:" + closedPort, "-u", "u");
        assertThat(register.exit()).isEqualTo(4);
        assertThat(register.err()).contains("cannot reach broker 'gone'", "connection refused");
        assertNoStackTrace(register);
        cli("register-broker", "gone", "http://127.0.0.1:" + closedPort, "-u", "u", "--no-check").succeeded();
        Run marketplace = cli("marketplace");
        assertThat(marketplace.exit()).isEqualTo(4);
        assertNoStackTrace(marketplace);
        Run create = cli("create-service", "memory-db", "small", "x");
        assertThat(create.exit()).isEqualTo(4);
    }

    @Test
    void answersThatAreNotOsbJsonAre3() {
        registerBroker();
        recorder.inject(new Fault("GET", "/v2/catalog", 200, "text/html", "<html>maintenance</html>"));
        Run notJson = cli("marketplace");
        assertThat(notJson.exit()).isEqualTo(3);
        assertThat(notJson.err()).contains("not with a JSON object", "<html>maintenance</html>");
        assertNoStackTrace(notJson);

        recorder.inject(new Fault("GET", "/v2/catalog", 502, "text/html", "<html><h1>Bad Gateway</h1></html>"));
        Run proxyError = cli("marketplace");
        assertThat(proxyError.exit()).isEqualTo(3);
        assertThat(proxyError.err()).contains("HTTP 502", "not OSB JSON", "Bad Gateway");

        recorder.inject(new Fault("GET", "/v2/catalog", 200, "application/json", "{\"services\": [{\"name\": \"x\"}]}"));
        Run badCatalog = cli("marketplace");
        assertThat(badCatalog.exit()).isEqualTo(3);
        assertThat(badCatalog.err()).contains("not an OSB catalog", "services[0].id is missing");
    }

    @Test
    void usageErrorsAre1() {
        registerBroker();
        assertThat(cli("no-such-command").exit()).isEqualTo(1);
        assertThat(cli("create-service", "memory-db").exit()).isEqualTo(1);
        assertThat(cli("create-service", "memory-db", "small", "t", "--timeout", "soon").exit()).isEqualTo(1);

        Run unknownService = cli("create-service", "nosql", "small", "x");
        assertThat(unknownService.exit()).isEqualTo(1);
        assertThat(unknownService.err()).contains("has no service 'nosql'", "memory-db");
        Run unknownPlan = cli("create-service", "memory-db", "huge", "x");
        assertThat(unknownPlan.exit()).isEqualTo(1);
        assertThat(unknownPlan.err()).contains("no plan 'huge'", "small, async, slow, fixed");
        Run badJson = cli("create-service", "memory-db", "small", "x", "-c", "{oops");
        assertThat(badJson.exit()).isEqualTo(1);
        assertThat(badJson.err()).contains("not valid JSON");
        Run unknownInstance = cli("delete-service", "never-made");
        assertThat(unknownInstance.exit()).isEqualTo(1);
        assertThat(unknownInstance.err()).contains("no service instance named 'never-made'");
    }

    @Test
    void planThatTheCatalogDoesNotLetChangeIsRefusedBeforeAsking() throws IOException {
        registerBroker();
        cli("create-service", "memory-db", "fixed", "stuck").succeeded();
        Run run = cli("update-service", "stuck", "-p", "small");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("plan_updateable is false");
        assertThat(backend.instances).containsEntry(instanceId("stuck"), "fixed");
    }

    @Test
    void helpListsTheExitCodes() {
        for (String[] args : new String[][] {{"--help"}, {"create-service", "--help"}, {"help", "bind"}}) {
            Run help = cli(args).succeeded();
            assertThat(help.out()).contains("Exit codes:");
            for (ExitCode code : ExitCode.values()) {
                assertThat(help.out()).contains(code.code + "   " + code.meaning.substring(0, Math.min(20, code.meaning.length())));
            }
        }
    }

    private static void assertNoStackTrace(Run run) {
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
    }
}
