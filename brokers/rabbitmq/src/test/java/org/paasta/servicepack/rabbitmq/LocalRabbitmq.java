package org.paasta.servicepack.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.Origin;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.UnbindRequest;
import org.paasta.servicepack.testkit.OsbClient;

/** The machine's RabbitMQ (127.0.0.1, guest/guest, management plugin on) as the tests use it. */
final class LocalRabbitmq {
    static final URI MANAGEMENT = URI.create("http://127.0.0.1:15672");
    static final String SERVICE_ID = "568725FD-AD46-44CA-9853-621416E983A4";
    static final String PLAN_ID = "22F0B28C-B886-4123-B01B-95E54D3DE6DA";

    /** Small limits, so a test can fill a queue. */
    static final RabbitmqLimits TEST_LIMITS = new RabbitmqLimits(3, 1_000_000, 600_000, 5, 10, List.of());
    static final Plan<RabbitmqLimits> TEST_PLAN = plan(TEST_LIMITS);

    private LocalRabbitmq() {
    }

    /** A platform calling the broker under test over HTTP, with the test profile's broker credentials. */
    static OsbClient platform(int port) {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", "test-broker-password");
    }

    static ManagementApi admin() {
        return new ManagementApi(MANAGEMENT, "guest", "guest", Duration.ofSeconds(10));
    }

    static RabbitmqBackend backend(ManagementApi api) {
        return new RabbitmqBackend(api, endpoints(), Map.of(), Duration.ofSeconds(15), Duration.ofMillis(500));
    }

    static BindingCredentials.Endpoints endpoints() {
        return new BindingCredentials.Endpoints(List.of("127.0.0.1"), false, MANAGEMENT, MANAGEMENT + "/");
    }

    static Plan<RabbitmqLimits> plan(RabbitmqLimits limits) {
        return new Plan<>(SERVICE_ID, "rabbitmq", PLAN_ID, "standard", limits, "1.0.0");
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    static ProvisionRequest<RabbitmqLimits> provision(String instanceId, Plan<RabbitmqLimits> plan) {
        return new ProvisionRequest<>(instanceId, plan, Map.of(), Origin.NONE);
    }

    static BindRequest<RabbitmqLimits> bind(String instanceId, String bindingId, Plan<RabbitmqLimits> plan) {
        return new BindRequest<>(instanceId, bindingId, plan, Map.of(), Map.of(), "app-guid", null, List.of(),
                Origin.NONE);
    }

    static UnbindRequest<RabbitmqLimits> unbind(String instanceId, String bindingId, Plan<RabbitmqLimits> plan) {
        return new UnbindRequest<>(instanceId, bindingId, plan, List.of(), Origin.NONE);
    }

    static DeprovisionRequest<RabbitmqLimits> deprovision(String instanceId, Plan<RabbitmqLimits> plan,
                                                          List<String> bindingIds) {
        return new DeprovisionRequest<>(instanceId, plan, bindingIds, Origin.NONE);
    }

    /** An AMQP connection made the way an app would, from the binding's {@code uri} alone. */
    static Connection connect(String uri) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(5_000);
        return factory.newConnection();
    }
}
