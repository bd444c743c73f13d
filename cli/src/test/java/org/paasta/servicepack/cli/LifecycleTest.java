package org.paasta.servicepack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.cli.testbroker.RecordingFilter.Received;
import org.paasta.servicepack.sdk.Origin;

/** Whole lifecycles against the real broker, synchronous and asynchronous, and what an app would get. */
class LifecycleTest extends CliTestSupport {
    private static final List<String> VCAP_FIELDS = List.of("label", "provider", "plan", "name", "tags", "instance_guid",
            "instance_name", "binding_guid", "binding_name", "credentials", "syslog_drain_url", "volume_mounts");

    @Test
    void synchronousLifecycle() throws Exception {
        registerBroker();
        Run created = cli("create-service", "memory-db", "small", "db", "-c", "{\"color\": \"red\"}").succeeded();
        String instanceId = instanceId("db");
        assertThat(backend.instances).containsEntry(instanceId, "small");
        assertThat(created.out()).contains("service instance db created", instanceId,
                "dashboard: https://dashboard.example/memory/" + instanceId);
        assertThat(instanceState("db").path("last_operation").path("state").asText()).isEqualTo("succeeded");

        Run services = cli("services").succeeded();
        assertThat(services.out()).containsPattern("db\\s+memory-db\\s+small\\s+memory\\s+create succeeded");

        Run bound = cli("bind", "db", "my-app").succeeded();
        JsonNode vcap = json.readTree(bound.out());
        assertThat(vcap.size()).isEqualTo(1);
        JsonNode entry = vcap.path("memory-db").get(0);
        assertThat(fieldNames(entry)).containsExactlyElementsOf(VCAP_FIELDS);
        String bindingId = instanceState("db").path("bindings").path("my-app").path("binding_id").asText();
        assertThat(entry.path("label").asText()).isEqualTo("memory-db");
        assertThat(entry.path("provider").isNull()).isTrue();
        assertThat(entry.path("plan").asText()).isEqualTo("small");
        assertThat(entry.path("name").asText()).isEqualTo("db");
        assertThat(entry.path("instance_name").asText()).isEqualTo("db");
        assertThat(json.convertValue(entry.path("tags"), List.class)).containsExactly("memorydb", "testing");
        assertThat(entry.path("instance_guid").asText()).isEqualTo(instanceId);
        assertThat(entry.path("binding_guid").asText()).isEqualTo(bindingId);
        assertThat(entry.path("binding_name").isNull()).isTrue();
        assertThat(entry.path("syslog_drain_url").isNull()).isTrue();
        assertThat(entry.path("volume_mounts").isArray()).isTrue();
        assertThat(entry.path("volume_mounts").size()).isZero();
        // The credentials are the broker's real ones: the backend accepts exactly this password.
        assertThat(backend.passwords.get(bindingId)).isEqualTo(entry.path("credentials").path("password").asText());
        assertThat(entry.path("credentials").path("port").asInt()).isEqualTo(1234);
        // Credentials reach stdout only, never the state file.
        assertThat(Files.readString(stateFile())).doesNotContain(entry.path("credentials").path("password").asText());

        // env fetches the same binding again (GET binding) and builds the same VCAP_SERVICES.
        assertThat(json.readTree(cli("env", "my-app").succeeded().out())).isEqualTo(vcap);

        cli("unbind", "db", "my-app").succeeded();
        assertThat(backend.passwords).doesNotContainKey(bindingId);
        assertThat(instanceState("db").path("bindings").has("my-app")).isFalse();

        cli("delete-service", "db").succeeded();
        assertThat(backend.instances).doesNotContainKey(instanceId);
        assertThat(state().path("services").has("db")).isFalse();
        assertThat(cli("services").succeeded().out()).contains("No service instances");
    }

    @Test
    void everyRequestCarriesTheOsbHeadersAndAProvisionTheRequiredFields() throws Exception {
        registerBroker();
        recorder.clear();
        backend.origins.clear();
        cli("create-service", "memory-db", "small", "hdr").succeeded();
        cli("delete-service", "hdr").succeeded();

        List<Received> requests = recorder.received;
        assertThat(requests).hasSizeGreaterThanOrEqualTo(3); // catalog, provision, deprovision
        String expectedAuth = "Basic " + Base64.getEncoder().encodeToString(
                ("broker:" + BROKER_PASSWORD).getBytes(StandardCharsets.UTF_8));
        Set<String> requestIdentities = new HashSet<>();
        for (Received request : requests) {
            assertThat(request.headers()).containsEntry("x-broker-api-version", "2.17")
                    .containsEntry("authorization", expectedAuth);
            String identity = request.headers().get("x-broker-api-originating-identity");
            assertThat(identity).startsWith("cloudfoundry ");
            JsonNode decoded = json.readTree(Base64.getDecoder().decode(identity.substring("cloudfoundry ".length())));
            assertThat(decoded.path("user_id").asText()).isEqualTo(USER);
            requestIdentities.add(request.headers().get("x-broker-api-request-identity"));
        }
        assertThat(requestIdentities).hasSize(requests.size()).doesNotContainNull();
        Received provision = requests.stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow();
        assertThat(provision.query()).isEqualTo("accepts_incomplete=true");
        Received deprovision = requests.stream().filter(r -> r.method().equals("DELETE")).findFirst().orElseThrow();
        assertThat(deprovision.query()).contains("service_id=memory-service-id", "plan_id=memory-small", "accepts_incomplete=true");

        // What the SDK decoded from the provision: the context and identity a Cloud Foundry would send.
        JsonNode platform = json.readTree(Files.readString(configFile())).path("platform");
        Origin origin = backend.origins.get(0);
        assertThat(origin.platform()).isEqualTo("cloudfoundry");
        assertThat(origin.context()).containsEntry("platform", "cloudfoundry")
                .containsEntry("organization_guid", platform.path("organization_guid").asText())
                .containsEntry("space_guid", platform.path("space_guid").asText())
                .containsEntry("organization_name", "servicepack-cli")
                .containsEntry("instance_name", "hdr");
        assertThat(origin.originatingIdentity()).containsEntry("user_id", USER);
    }

    @Test
    void kubernetesPlatformProfile() throws Exception {
        registerBroker();
        backend.origins.clear();
        cli("--platform", "kubernetes", "create-service", "memory-db", "small", "kube").succeeded();
        Origin origin = backend.origins.get(0);
        assertThat(origin.platform()).isEqualTo("kubernetes");
        assertThat(origin.context()).containsEntry("namespace", "default").containsKey("clusterid")
                .containsEntry("instance_name", "kube");
        assertThat(origin.originatingIdentity()).containsEntry("username", USER);
        cli("delete-service", "kube", "--platform", "kubernetes").succeeded();
    }

    @Test
    void asynchronousLifecycleHonoursRetryAfter() throws Exception {
        registerBroker();
        recorder.clear();
        // Without Retry-After the CLI would wait 5s between polls; the broker says 1s.
        env.put(Session.POLL_INTERVAL_ENV, "5s");
        Run created = cli("create-service", "memory-db", "async", "adb").succeeded();
        String instanceId = instanceId("adb");
        assertThat(backend.instances).containsEntry(instanceId, "async");
        // Not a terminal: plain progress lines, no carriage returns.
        assertThat(created.err()).contains("creating service adb: in progress").doesNotContain("\r");
        assertPolledWithRetryAfter("/v2/service_instances/" + instanceId + "/last_operation");

        Run bound = cli("bind", "adb", "worker", "--binding-name", "jobs", "-c", "{\"role\": \"reader\"}").succeeded();
        JsonNode entry = json.readTree(bound.out()).path("memory-db").get(0);
        String bindingId = entry.path("binding_guid").asText();
        assertThat(fieldNames(entry)).containsExactlyElementsOf(VCAP_FIELDS);
        assertThat(entry.path("binding_name").asText()).isEqualTo("jobs");
        assertThat(entry.path("plan").asText()).isEqualTo("async");
        assertThat(entry.path("credentials").path("role").asText()).isEqualTo("reader");
        assertThat(backend.passwords.get(bindingId)).isEqualTo(entry.path("credentials").path("password").asText());
        assertThat(recorder.received).anyMatch(r -> r.method().equals("GET")
                && r.path().endsWith("/service_bindings/" + bindingId + "/last_operation"));

        cli("update-service", "adb", "-c", "{\"color\": \"blue\"}").succeeded();
        assertThat(instanceState("adb").path("last_operation").path("type").asText()).isEqualTo("update");

        cli("unbind", "adb", "worker").succeeded();
        assertThat(backend.passwords).doesNotContainKey(bindingId);

        Run deleted = cli("delete-service", "adb").succeeded();
        assertThat(deleted.err()).contains("deleting service adb: in progress");
        assertThat(backend.instances).doesNotContainKey(instanceId);
        assertThat(state().path("services").has("adb")).isFalse();
    }

    @Test
    void asynchronousPlanChangeAndTerminalProgress() throws Exception {
        registerBroker();
        Run created = run(true, "", "create-service", "memory-db", "async", "tty");
        assertThat(created.exit()).as(created.err()).isZero();
        // On a terminal the progress is one line redrawn in place.
        assertThat(created.err()).contains("\r").contains("creating service tty: in progress");

        cli("update-service", "tty", "-p", "small").succeeded();
        assertThat(backend.instances).containsEntry(instanceId("tty"), "small");
        assertThat(instanceState("tty").path("plan_name").asText()).isEqualTo("small");
        assertThat(cli("service", "tty", "--refresh").succeeded().out()).contains("plan:            small");
        cli("delete-service", "tty").succeeded();
    }

    @Test
    void deleteServiceUnbindsFirst() throws Exception {
        registerBroker();
        cli("create-service", "memory-db", "small", "two").succeeded();
        cli("bind", "two", "a").succeeded();
        cli("bind", "two", "b").succeeded();
        List<String> bindingIds = List.of(instanceState("two").path("bindings").path("a").path("binding_id").asText(),
                instanceState("two").path("bindings").path("b").path("binding_id").asText());
        assertThat(backend.passwords).containsKeys(bindingIds.get(0), bindingIds.get(1));
        Run deleted = cli("delete-service", "two").succeeded();
        assertThat(deleted.err()).contains("Unbinding two from a", "Unbinding two from b");
        assertThat(backend.passwords).doesNotContainKeys(bindingIds.get(0), bindingIds.get(1));
        assertThat(recorder.received.stream().filter(r -> r.method().equals("DELETE")).map(Received::path).toList())
                .hasSize(3).last().asString().doesNotContain("service_bindings");
    }

    @Test
    void servicebindingDirectoryAsSpringCloudBindingsReadsIt() throws Exception {
        registerBroker();
        cli("create-service", "memory-db", "small", "files").succeeded();
        Path dir = home.resolve("bindings").resolve("files");
        Run bound = cli("bind", "files", "app", "--servicebinding-dir", dir.toString()).succeeded();
        assertThat(bound.out()).contains("written to " + dir, "type memorydb");
        String bindingId = instanceState("files").path("bindings").path("app").path("binding_id").asText();

        List<String> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            listing.forEach(file -> files.add(file.getFileName().toString()));
        }
        assertThat(files).containsExactlyInAnyOrder("type", "provider", "username", "password", "uri", "host", "port",
                "hosts", "role");
        assertThat(Files.readString(dir.resolve("type"))).isEqualTo("memorydb");
        assertThat(Files.readString(dir.resolve("provider"))).isEqualTo("memory");
        assertThat(Files.readString(dir.resolve("password"))).isEqualTo(backend.passwords.get(bindingId));
        assertThat(Files.readString(dir.resolve("username"))).isEqualTo(bindingId);
        assertThat(Files.readString(dir.resolve("port"))).isEqualTo("1234");
        assertThat(Files.readString(dir.resolve("hosts"))).isEqualTo("[\"127.0.0.1\"]");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("password")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");

        // Written again (another app's binding, other type): old entries do not linger.
        cli("bind", "files", "other", "--servicebinding-dir", dir.toString(), "--type", "mysql", "--provider", "mariadb")
                .succeeded();
        assertThat(Files.readString(dir.resolve("type"))).isEqualTo("mysql");
        assertThat(Files.readString(dir.resolve("provider"))).isEqualTo("mariadb");
        assertThat(Files.readString(dir.resolve("password"))).isNotEqualTo(backend.passwords.get(bindingId));

        // A directory that holds something else is refused before the broker makes a binding.
        Path busy = home.resolve("busy");
        Files.createDirectories(busy.resolve("sub"));
        int bindingsBefore = backend.passwords.size();
        Run refused = cli("bind", "files", "third", "--servicebinding-dir", busy.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("it holds sub");
        assertThat(backend.passwords).hasSize(bindingsBefore);
        assertThat(instanceState("files").path("bindings").has("third")).isFalse();
    }

    /**
     * Polls of one last_operation came at the broker's Retry-After (1s): not sooner, and well before
     * the CLI's own interval (set to 5s), with room for a slow, shared CI machine.
     */
    private void assertPolledWithRetryAfter(String pathSuffix) {
        List<Received> polls = recorder.received.stream().filter(r -> r.path().endsWith(pathSuffix)).toList();
        assertThat(polls).hasSizeGreaterThanOrEqualTo(2);
        assertThat(polls.get(0).query()).contains("operation=");
        for (int i = 1; i < polls.size(); i++) {
            Duration gap = Duration.between(polls.get(i - 1).at(), polls.get(i).at());
            assertThat(gap).isBetween(Duration.ofMillis(950), Duration.ofMillis(4000));
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
