package org.paasta.servicepack.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import org.paasta.servicepack.sdk.catalog.CatalogLoader;
import org.paasta.servicepack.sdk.catalog.CatalogPlan;

/**
 * The one place of this module's shared test setup: the machine's RabbitMQ (127.0.0.1, guest/guest,
 * management plugin on) as the tests use it, the catalog's plan by name, and backend requests as
 * the SDK hands them over. HTTP tests start the broker with {@code @BrokerTest}.
 */
final class LocalRabbitmq {
    static final URI MANAGEMENT = URI.create("http://127.0.0.1:15672");
    /** The service and plan of {@code catalog/rabbitmq.yml}, by the names operators see. */
    static final String SERVICE = "rabbitmq";
    static final String PLAN = "standard";

    /** Small limits, so a test can fill a queue. */
    static final RabbitmqLimits TEST_LIMITS = new RabbitmqLimits(3, 1_000_000, 600_000, 5, 10, List.of());
    static final Plan<RabbitmqLimits> TEST_PLAN = plan(TEST_LIMITS);

    private LocalRabbitmq() {
    }

    static ManagementApi admin() {
        return new ManagementApi(MANAGEMENT, "guest", "guest", Duration.ofSeconds(10));
    }

    static RabbitmqBackend backend(ManagementApi api) {
        return new RabbitmqBackend(api, endpoints(), Map.of(), Duration.ofSeconds(15));
    }

    static BindingCredentials.Endpoints endpoints() {
        return new BindingCredentials.Endpoints(List.of("127.0.0.1"), false, MANAGEMENT, MANAGEMENT + "/");
    }

    /** The catalog's plan, as the SDK resolves it, with the given limits in place of the catalog's. */
    static Plan<RabbitmqLimits> plan(RabbitmqLimits limits) {
        CatalogPlan plan = catalogPlan();
        return new Plan<>(plan.serviceId(), plan.serviceName(), plan.id(), plan.name(), limits,
                plan.maintenanceVersion());
    }

    /** The plan of {@code catalog/rabbitmq.yml} named {@value #SERVICE} / {@value #PLAN}, as the SDK loads it. */
    static CatalogPlan catalogPlan() {
        try (InputStream file = LocalRabbitmq.class.getResourceAsStream("/catalog/rabbitmq.yml")) {
            return new CatalogLoader().load(List.of(new CatalogLoader.Source("rabbitmq.yml", file))).plans().stream()
                    .filter(p -> p.serviceName().equals(SERVICE) && p.name().equals(PLAN))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no plan " + SERVICE + "/" + PLAN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
