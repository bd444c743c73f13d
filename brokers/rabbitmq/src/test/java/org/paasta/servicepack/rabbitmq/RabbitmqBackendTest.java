package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.TEST_PLAN;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.bind;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.connect;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.deprovision;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.newId;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.provision;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.unbind;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.Plan;

/** The backend against the machine's real RabbitMQ, used the way an app uses its credentials. */
class RabbitmqBackendTest {
    private final ManagementApi admin = LocalRabbitmq.admin();
    private final RabbitmqBackend backend = LocalRabbitmq.backend(admin);
    private final List<String> instances = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (Connection connection : connections) {
            try {
                if (connection.isOpen()) {
                    connection.abort(1_000);
                }
            } catch (RuntimeException ignored) {
                // best effort: the broker may have closed it already
            }
        }
        for (String instance : instances) {
            backend.deprovision(deprovision(instance, TEST_PLAN, List.of()));
        }
    }

    @Test
    void lifecycleFromProvisionToDeprovisionLeavesNothingBehind() throws Exception {
        String instance = provisioned();
        String vhost = ResourceNames.vhost(instance);
        assertThat(admin.vhostExists(vhost)).isTrue();

        String binding = newId();
        Credentials credentials = backend.bind(bind(instance, binding, TEST_PLAN));
        String user = credentials.getString("username");
        assertThat(user).isEqualTo(ResourceNames.user(binding));
        assertThat(credentials.getString("vhost")).isEqualTo(vhost);
        assertThat(credentials.getString("uri"))
                .isEqualTo("amqp://" + user + ":" + credentials.getString("password") + "@127.0.0.1/" + vhost);

        // The app: connect from the uri alone, declare, publish, consume.
        Connection app = open(credentials.getString("uri"));
        Channel channel = app.createChannel();
        channel.queueDeclare("orders", true, false, false, null);
        channel.confirmSelect();
        channel.basicPublish("", "orders", MessageProperties.PERSISTENT_TEXT_PLAIN, bytes("order-1"));
        channel.waitForConfirmsOrDie(5_000);
        GetResponse message = channel.basicGet("orders", true);
        assertThat(message).isNotNull();
        assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("order-1");

        backend.unbind(unbind(instance, binding, TEST_PLAN));

        assertClosedByBroker(app);
        assertRefused(credentials.getString("uri"));
        assertThat(admin.userExists(user)).isFalse();

        backend.deprovision(deprovision(instance, TEST_PLAN, List.of()));
        instances.remove(instance);
        assertThat(admin.vhostExists(vhost)).isFalse();
        assertThat(admin.usersPermittedOn(vhost)).isEmpty();
    }

    @Test
    void bindingOfOneInstanceCannotOpenAnotherInstancesVhost() throws Exception {
        String a = provisioned();
        String b = provisioned();
        Credentials ofA = backend.bind(bind(a, newId(), TEST_PLAN));
        Credentials ofB = backend.bind(bind(b, newId(), TEST_PLAN));

        String intoB = "amqp://" + ofA.getString("username") + ":" + ofA.getString("password") + "@127.0.0.1/"
                + ofB.getString("vhost");
        assertThatThrownBy(() -> open(intoB))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(causes(e)).contains("access to vhost"));
        // A's own vhost still works for A.
        assertThat(open(ofA.getString("uri")).isOpen()).isTrue();
    }

    @Test
    void twoBindingsOfOneInstanceShareItsQueues() throws Exception {
        String instance = provisioned();
        Credentials producer = backend.bind(bind(instance, newId(), TEST_PLAN));
        Credentials consumer = backend.bind(bind(instance, newId(), TEST_PLAN));
        assertThat(producer.getString("username")).isNotEqualTo(consumer.getString("username"));
        assertThat(producer.getString("password")).isNotEqualTo(consumer.getString("password"));

        Channel out = open(producer.getString("uri")).createChannel();
        out.queueDeclare("shared", true, false, false, null);
        out.confirmSelect();
        out.basicPublish("", "shared", null, bytes("hello"));
        out.waitForConfirmsOrDie(5_000);

        Channel in = open(consumer.getString("uri")).createChannel();
        GetResponse message = in.basicGet("shared", true);
        assertThat(message).isNotNull();
        assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void planLimitsAreInForceAndAnAppCannotRaiseThem() throws Exception {
        String instance = provisioned();
        JsonNode policy = admin.operatorPolicy(ResourceNames.vhost(instance), RabbitmqBackend.PLAN_POLICY);
        assertThat(policy.path("max-length").asLong()).isEqualTo(3);
        assertThat(policy.path("message-ttl").asLong()).isEqualTo(600_000);

        Channel channel = open(backend.bind(bind(instance, newId(), TEST_PLAN)).getString("uri")).createChannel();
        // The app asks for a longer queue; the operator policy's stricter limit wins.
        channel.queueDeclare("capped", true, false, false, Map.of("x-max-length", 1000));
        channel.confirmSelect();
        for (int i = 1; i <= 5; i++) {
            channel.basicPublish("", "capped", null, bytes("m" + i));
        }
        channel.waitForConfirmsOrDie(5_000);

        assertThat(channel.messageCount("capped")).isEqualTo(3);
        // drop-head: the two oldest made room.
        assertThat(new String(channel.basicGet("capped", true).getBody(), StandardCharsets.UTF_8)).isEqualTo("m3");
    }

    @Test
    void vhostLimitCapsTheNumberOfQueues() throws Exception {
        String instance = provisioned();
        Connection app = open(backend.bind(bind(instance, newId(), TEST_PLAN)).getString("uri"));
        Channel channel = app.createChannel();
        for (int i = 0; i < TEST_PLAN.limits().maxQueues(); i++) {
            channel.queueDeclare("q" + i, false, false, false, null);
        }
        assertThatThrownBy(() -> channel.queueDeclare("one-too-many", false, false, false, null))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(causes(e)).contains("queue limit"));
    }

    @Test
    void provisionAndBindAreIdempotentAndARepeatedBindRotatesThePassword() throws Exception {
        String instance = provisioned();
        backend.provision(provision(instance, TEST_PLAN));

        String binding = newId();
        Credentials first = backend.bind(bind(instance, binding, TEST_PLAN));
        Credentials second = backend.bind(bind(instance, binding, TEST_PLAN));
        assertThat(second.getString("username")).isEqualTo(first.getString("username"));
        assertThat(open(second.getString("uri")).isOpen()).isTrue();
        assertRefused(first.getString("uri"));
    }

    @Test
    void deprovisionRemovesUsersOfBindingsThatWereNeverUnbound() throws Exception {
        String instance = provisioned();
        String forgotten = newId();
        Credentials credentials = backend.bind(bind(instance, forgotten, TEST_PLAN));
        Connection app = open(credentials.getString("uri"));

        backend.deprovision(deprovision(instance, TEST_PLAN, List.of()));
        instances.remove(instance);

        assertThat(admin.userExists(credentials.getString("username"))).isFalse();
        assertThat(admin.vhostExists(credentials.getString("vhost"))).isFalse();
        assertClosedByBroker(app);
    }

    @Test
    void unbindAndDeprovisionOfWhatIsAlreadyGoneSucceed() {
        String instance = newId();
        backend.unbind(unbind(instance, newId(), TEST_PLAN));
        backend.deprovision(deprovision(instance, TEST_PLAN, List.of(newId())));
        assertThat(admin.vhostExists(ResourceNames.vhost(instance))).isFalse();
    }

    @Test
    void oddInstanceAndBindingIdsGiveUrlSafeNamesThatWork() throws Exception {
        String instance = "team a/orders?" + newId();
        instances.add(instance);
        backend.provision(provision(instance, TEST_PLAN));
        Credentials credentials = backend.bind(bind(instance, "binding #1 " + newId(), TEST_PLAN));
        assertThat(credentials.getString("vhost")).matches("si_[0-9a-f]{40}");
        assertThat(credentials.getString("username")).matches("sb_[0-9a-f]{40}");
        Channel channel = open(credentials.getString("uri")).createChannel();
        assertThat(channel.queueDeclare().getQueue()).isNotBlank();
    }

    @Test
    void managementApiThatCannotBeReachedIsAClearRetryableError() {
        // Port 9 (discard) is not served on this machine: connection refused, as when RabbitMQ is down.
        ManagementApi down = new ManagementApi(URI.create("http://127.0.0.1:9"), "guest", "guest",
                Duration.ofSeconds(5));
        RabbitmqBackend broker = LocalRabbitmq.backend(down);
        String instance = newId();
        assertThatThrownBy(() -> broker.provision(provision(instance, TEST_PLAN)))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("http://127.0.0.1:9/ cannot be reached to create vhost "
                        + ResourceNames.vhost(instance));
        assertThat(admin.vhostExists(ResourceNames.vhost(instance))).isFalse();
    }

    /**
     * Several management URLs (a cluster's nodes): one refusing connections and one answering 503
     * (a node going away) come first, and every operation still gets done through the real API.
     */
    @Test
    void severalManagementUrlsFailOverToTheOneThatAnswers() throws Exception {
        try (FlakyManagementProxy goingAway = new FlakyManagementProxy()) {
            goingAway.refuse((method, path) -> true);
            ManagementApi api = new ManagementApi(List.of(URI.create("http://127.0.0.1:9"), goingAway.url(),
                    LocalRabbitmq.MANAGEMENT), "guest", "guest", Duration.ofSeconds(5));
            RabbitmqBackend broker = LocalRabbitmq.backend(api);
            String instance = newId();
            instances.add(instance);
            broker.provision(provision(instance, TEST_PLAN));
            assertThat(api.base()).as("the node that answered").isEqualTo(URI.create(LocalRabbitmq.MANAGEMENT + "/"));
            assertThat(admin.operatorPolicy(ResourceNames.vhost(instance), RabbitmqBackend.PLAN_POLICY)).isNotNull();
            String binding = newId();
            Connection app = open(broker.bind(bind(instance, binding, TEST_PLAN)).getString("uri"));
            broker.unbind(unbind(instance, binding, TEST_PLAN));
            assertClosedByBroker(app);
        }
    }

    @Test
    void whenNoManagementUrlAnswersTheErrorNamesThemAll() {
        ManagementApi api = new ManagementApi(List.of(URI.create("http://127.0.0.1:9"), URI.create("http://127.0.0.1:7")),
                "guest", "guest", Duration.ofSeconds(5));
        assertThatThrownBy(() -> LocalRabbitmq.backend(api).provision(provision(newId(), TEST_PLAN)))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("at http://127.0.0.1:9/, http://127.0.0.1:7/ cannot be reached to create vhost");
    }

    @Test
    void managementApiThatRefusesTheAdminIsAClearErrorWithoutTheSecret() {
        ManagementApi refusing = new ManagementApi(LocalRabbitmq.MANAGEMENT, "guest", "not-the-password",
                Duration.ofSeconds(5));
        RabbitmqBackend broker = LocalRabbitmq.backend(refusing);
        String instance = newId();
        assertThatThrownBy(() -> broker.provision(provision(instance, TEST_PLAN)))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("refused the broker's admin credentials (HTTP 401)")
                .hasMessageNotContaining("not-the-password");
        assertThat(admin.vhostExists(ResourceNames.vhost(instance))).isFalse();
    }

    @Test
    void provisionThatFailsHalfWayRemovesItsVhost() {
        // The real server throughout, except that setting the policy fails, as when the API goes
        // away between two calls.
        ManagementApi failing = new ManagementApi(LocalRabbitmq.MANAGEMENT, "guest", "guest", Duration.ofSeconds(5)) {
            @Override
            void putOperatorPolicy(String vhost, String name, Map<String, Object> definition) {
                throw new BackendUnavailableException("RabbitMQ went away", null);
            }
        };
        String instance = newId();
        String vhost = ResourceNames.vhost(instance);
        assertThatThrownBy(() -> LocalRabbitmq.backend(failing).provision(provision(instance, TEST_PLAN)))
                .isInstanceOf(BackendUnavailableException.class);
        assertThat(admin.vhostExists(vhost)).isFalse();

        // A retry against a healthy API then makes the whole instance.
        instances.add(instance);
        backend.provision(provision(instance, TEST_PLAN));
        assertThat(admin.operatorPolicy(vhost, RabbitmqBackend.PLAN_POLICY)).isNotNull();
    }

    @Test
    void bindThatFailsHalfWayRemovesItsUser() {
        String instance = provisioned();
        ManagementApi failing = new ManagementApi(LocalRabbitmq.MANAGEMENT, "guest", "guest", Duration.ofSeconds(5)) {
            @Override
            void putPermissions(String vhost, String user) {
                throw new BackendUnavailableException("RabbitMQ went away", null);
            }
        };
        String binding = newId();
        assertThatThrownBy(() -> LocalRabbitmq.backend(failing).bind(bind(instance, binding, TEST_PLAN)))
                .isInstanceOf(BackendUnavailableException.class);
        assertThat(admin.userExists(ResourceNames.user(binding))).isFalse();
    }

    @Test
    void bindToAnInstanceWhoseVhostIsGoneIsAClearError() {
        String instance = newId();
        assertThatThrownBy(() -> backend.bind(bind(instance, newId(), TEST_PLAN)))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("does not exist on RabbitMQ");
    }

    @Test
    void advertisesTheHostnamesItGivesApps() {
        String instance = provisioned();
        Credentials credentials = backend.bind(bind(instance, newId(), TEST_PLAN));
        assertThat(backend.advertisedHosts()).containsExactly("127.0.0.1");
        assertThat(credentials.get("hostnames")).isEqualTo(backend.advertisedHosts());
    }

    @Test
    void credentialsListTheClustersProtocols() {
        String instance = provisioned();
        Credentials credentials = backend.bind(bind(instance, newId(), TEST_PLAN));
        assertThat(credentials.asMap()).containsKeys("username", "password", "vhost", "hostname", "hostnames", "uri",
                "uris", "http_api_uri", "http_api_uris", "ssl", "dashboard_url", "protocols");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> protocols = (Map<String, Map<String, Object>>) credentials.get("protocols");
        assertThat(protocols).containsKeys("amqp", "management");
        assertThat(protocols.get("amqp")).containsEntry("port", 5672).containsEntry("ssl", false);
        assertThat(protocols.get("management")).containsEntry("port", 15672).containsEntry("path", "/api/");
        for (Map<String, Object> entry : protocols.values()) {
            assertThat(entry).containsKeys("host", "hosts", "port", "ssl", "uri", "uris", "username", "password",
                    "vhost");
        }
    }

    @Test
    void userTagsComeFromThePlanAndNoneMeansNoManagementAccess() throws Exception {
        Plan<RabbitmqLimits> withManagement = LocalRabbitmq.plan(new RabbitmqLimits(3, 1_000_000, 600_000, 5, 10,
                List.of("management")));
        String instance = provisioned();
        String other = provisioned();
        Credentials plain = backend.bind(bind(instance, newId(), TEST_PLAN));
        Credentials managing = backend.bind(bind(instance, newId(), withManagement));
        backend.bind(bind(other, newId(), TEST_PLAN));

        assertThat(httpApi(plain, "overview").statusCode()).isEqualTo(401);
        HttpResponse<String> vhosts = httpApi(managing, "vhosts");
        assertThat(vhosts.statusCode()).isEqualTo(200);
        // A management user sees its own vhost and no other tenant's.
        assertThat(vhosts.body()).contains(ResourceNames.vhost(instance)).doesNotContain(ResourceNames.vhost(other));
    }

    /** A GET with the binding's own http_api_uri, user info moved into a header as HTTP clients do. */
    private static HttpResponse<String> httpApi(Credentials credentials, String path) throws Exception {
        URI api = URI.create(credentials.getString("http_api_uri"));
        String[] userInfo = api.getRawUserInfo().split(":", 2);
        URI target = new URI(api.getScheme(), null, api.getHost(), api.getPort(), api.getPath() + path, null, null);
        HttpRequest request = HttpRequest.newBuilder(target)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (userInfo[0] + ":" + userInfo[1]).getBytes(StandardCharsets.UTF_8)))
                .build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String provisioned() {
        String instance = newId();
        instances.add(instance);
        backend.provision(provision(instance, TEST_PLAN));
        return instance;
    }

    private Connection open(String uri) throws Exception {
        Connection connection = connect(uri);
        connections.add(connection);
        return connection;
    }

    private static void assertRefused(String uri) {
        assertThatThrownBy(() -> connect(uri).close())
                .isInstanceOfAny(AuthenticationFailureException.class, PossibleAuthenticationFailureException.class);
    }

    /** The broker closes the connection; bounded, as RabbitMQ does it asynchronously. */
    private static void assertClosedByBroker(Connection connection) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (connection.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(connection.isOpen()).as("connection opened before unbind is closed").isFalse();
        assertThat(connection.getCloseReason().isInitiatedByApplication()).isFalse();
    }

    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
