package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.TEST_PLAN;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.bind;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.connect;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.deprovision;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.newId;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.provision;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.Usage.Measure;
import org.paasta.servicepack.sdk.Usage.Severity;
import org.paasta.servicepack.sdk.Usage.Text;
import org.paasta.servicepack.sdk.UsageRequest;

/**
 * The dashboard's usage of an instance, read from the real RabbitMQ before and after an app
 * declares queues, publishes, consumes and connects. The message and connection counts come from
 * RabbitMQ's statistics (emitted every 5 s), so the test waits, bounded, for them to move.
 */
class RabbitmqUsageTest {
    private static final Duration STATISTICS = Duration.ofSeconds(20);

    private final ManagementApi admin = LocalRabbitmq.admin();
    private final RabbitmqBackend backend = LocalRabbitmq.backend(admin);
    private final List<Connection> connections = new ArrayList<>();
    private final List<String> instances = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (Connection connection : connections) {
            if (connection.isOpen()) {
                connection.abort(1_000);
            }
        }
        instances.forEach(instance -> backend.deprovision(deprovision(instance, TEST_PLAN, List.of())));
    }

    @Test
    void numbersChangeWhenAnAppDeclaresPublishesConsumesAndConnects() throws Exception {
        String instance = provisioned();
        String app = newId();
        String idle = newId();
        Credentials credentials = backend.bind(bind(instance, app, TEST_PLAN));
        backend.bind(bind(instance, idle, TEST_PLAN));
        List<String> bindings = List.of(app, idle);

        Usage before = usage(instance, bindings);
        assertThat(measure(before, VhostUsage.QUEUES, null).used()).isZero();
        assertThat(measure(before, VhostUsage.QUEUES, null).limit()).isEqualTo(5.0);
        assertThat(measure(before, VhostUsage.CONNECTIONS, null).used()).isZero();
        assertThat(measure(before, VhostUsage.CONNECTIONS, null).limit()).isEqualTo(10.0);
        assertThat(measure(before, VhostUsage.READY, null).used()).isZero();
        assertThat(measure(before, VhostUsage.FULLEST_QUEUE, null).limit()).isEqualTo(3.0);
        assertThat(measure(before, VhostUsage.BINDING_CONNECTIONS, app).used()).isZero();
        assertThat(before.notices()).isEmpty();

        Connection connection = open(credentials.getString("uri"));
        Channel channel = connection.createChannel();
        channel.queueDeclare("orders", true, false, false, null);
        channel.queueDeclare("audit", true, false, false, null);
        channel.confirmSelect();
        for (int i = 1; i <= 3; i++) {
            channel.basicPublish("", "orders", null, ("order-" + i).getBytes(StandardCharsets.UTF_8));
        }
        channel.basicPublish("", "audit", null, "audit-1".getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
        // One message taken and not acknowledged.
        assertThat(channel.basicGet("audit", false)).isNotNull();

        Usage after = awaitUsage(instance, bindings, u -> measure(u, VhostUsage.CONNECTIONS, null).used() == 1
                && measure(u, VhostUsage.READY, null).used() == 3 && measure(u, VhostUsage.UNACKED, null).used() == 1);
        assertThat(measure(after, VhostUsage.QUEUES, null).used()).isEqualTo(2);
        assertThat(measure(after, VhostUsage.FULLEST_QUEUE, null).used()).isEqualTo(3);
        assertThat(measure(after, VhostUsage.BINDING_CONNECTIONS, app).used()).isEqualTo(1);
        assertThat(measure(after, VhostUsage.BINDING_CONNECTIONS, idle).used()).isZero();
        // "orders" holds the plan's 3 messages: new ones now push out the oldest.
        assertThat(after.notices()).singleElement().satisfies(notice -> {
            assertThat(notice.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(notice.text().en()).contains("'orders'", "oldest");
            assertThat(notice.text().ko()).contains("'orders'");
        });
    }

    @Test
    void nearAndAtTheQueueAndConnectionLimitsTheDashboardWarnsThenAlarms() throws Exception {
        String instance = provisioned();
        String uri = backend.bind(bind(instance, newId(), TEST_PLAN)).getString("uri");
        Channel channel = open(uri).createChannel();
        for (int i = 0; i < 4; i++) {
            channel.queueDeclare("q" + i, false, false, false, null);
        }
        for (int i = 1; i < 8; i++) {
            open(uri);
        }
        Usage near = awaitUsage(instance, List.of(), u -> measure(u, VhostUsage.CONNECTIONS, null).used() == 8);
        assertThat(near.notices()).extracting(Usage.Notice::severity).containsExactly(Severity.WARNING,
                Severity.WARNING);
        assertThat(near.notices().get(0).text().en()).contains("Queues are near the plan's limit of 5");
        assertThat(near.notices().get(1).text().en()).contains("Connections are near the plan's limit of 10");

        channel.queueDeclare("q4", false, false, false, null);
        for (int i = 8; i < 10; i++) {
            open(uri);
        }
        Usage full = awaitUsage(instance, List.of(), u -> measure(u, VhostUsage.CONNECTIONS, null).used() == 10);
        assertThat(full.notices()).extracting(Usage.Notice::severity).containsExactly(Severity.CRITICAL,
                Severity.CRITICAL);
        assertThat(full.notices().get(0).text().en()).contains("5 queues", "declaring another queue is refused");
        assertThat(full.notices().get(1).text().ko()).contains("새 연결이 거부됩니다");
    }

    @Test
    void theVhostsOwnLimitsWinOverThePlans() {
        String instance = provisioned();
        admin.putVhostLimit(ResourceNames.vhost(instance), "max-connections", 50);
        Usage usage = usage(instance, List.of());
        assertThat(measure(usage, VhostUsage.CONNECTIONS, null).limit()).isEqualTo(50.0);
    }

    @Test
    void aVhostDeletedOutsideTheBrokerIsSaidPlainly() {
        String instance = provisioned();
        admin.deleteVhost(ResourceNames.vhost(instance));
        Usage usage = usage(instance, List.of());
        assertThat(usage.measures()).isEmpty();
        assertThat(usage.notices()).singleElement().satisfies(notice -> {
            assertThat(notice.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(notice.text().en()).contains("does not exist on RabbitMQ");
        });
    }

    @Test
    void anUnreachableManagementApiIsBackendUnavailable() {
        RabbitmqBackend down = LocalRabbitmq.backend(new ManagementApi(URI.create("http://127.0.0.1:9"), "guest",
                "guest", Duration.ofSeconds(5)));
        assertThatThrownBy(() -> down.usage(new UsageRequest<>(newId(), TEST_PLAN, Map.of(), List.of())))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("cannot be reached to list queues of vhost");
    }

    private Usage usage(String instance, List<String> bindings) {
        return backend.usage(new UsageRequest<>(instance, TEST_PLAN, Map.of(), bindings));
    }

    private Usage awaitUsage(String instance, List<String> bindings, Predicate<Usage> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + STATISTICS.toNanos();
        Usage usage = usage(instance, bindings);
        while (!done.test(usage) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            usage = usage(instance, bindings);
        }
        assertThat(done.test(usage)).as("usage within %d s: %s", STATISTICS.toSeconds(), usage.measures()).isTrue();
        return usage;
    }

    private static Measure measure(Usage usage, Text label, String binding) {
        return usage.measures().stream()
                .filter(m -> m.label().equals(label) && java.util.Objects.equals(m.binding(), binding))
                .findFirst().orElseThrow(() -> new AssertionError("no measure " + label.en() + " for " + binding));
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
}
