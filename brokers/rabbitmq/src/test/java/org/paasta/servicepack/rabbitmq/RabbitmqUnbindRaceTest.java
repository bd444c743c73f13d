package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.TEST_PLAN;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.bind;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.connect;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.deprovision;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.newId;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.provision;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.unbind;

import com.rabbitmq.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.Credentials;

/**
 * Unbind has no settle window: it deletes the user and waits only until the user's connection
 * list is empty. These tests open connections while unbind runs, against the real RabbitMQ, and
 * check that none of them outlives it: a connection that RabbitMQ let in just before the user was
 * deleted, and that neither RabbitMQ's own close nor the broker's list saw, would stay open here.
 */
class RabbitmqUnbindRaceTest {
    /** More with -Dservicepack.unbind-race.rounds=N for a longer stress run. */
    private static final int ROUNDS = Integer.getInteger("servicepack.unbind-race.rounds", 25);
    static final int OPENERS = 4;
    /** RabbitMQ closes a connection asynchronously; the client learns of it from the close frame. */
    private static final Duration CLOSE_NOTICE = Duration.ofSeconds(5);

    private final ManagementApi admin = LocalRabbitmq.admin();
    private final RabbitmqBackend backend = LocalRabbitmq.backend(admin);
    private final List<Opened> opened = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService openers = Executors.newFixedThreadPool(OPENERS);
    private String instance;

    record Opened(Connection connection, long startedAt, long openAt) {
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        openers.shutdownNow();
        openers.awaitTermination(10, TimeUnit.SECONDS);
        synchronized (opened) {
            for (Opened o : opened) {
                if (o.connection().isOpen()) {
                    o.connection().abort(1_000);
                }
            }
        }
        if (instance != null) {
            backend.deprovision(deprovision(instance, TEST_PLAN, List.of()));
        }
    }

    @Test
    void connectionsOpenedWhileUnbindingAreClosedAndNoneSurvives() throws Exception {
        instance = newId();
        backend.provision(provision(instance, TEST_PLAN));
        int inWindow = race(backend, admin, instance, ROUNDS, credentials -> List.of(credentials.getString("uri")),
                openers, opened);
        // Otherwise the rounds never hit the window they are about.
        assertThat(inWindow).as("connections whose login overlapped an unbind").isPositive();
    }

    /**
     * {@code rounds} times: bind, open a live connection, keep opening more from {@link #OPENERS}
     * threads (round-robin over the addresses {@code uris} picks), unbind meanwhile, and check that
     * every connection that got in is closed by RabbitMQ. Returns how many logins overlapped an unbind.
     */
    static int race(RabbitmqBackend backend, ManagementApi admin, String instance, int rounds,
                    Function<Credentials, List<String>> uris, ExecutorService openers, List<Opened> opened)
            throws Exception {
        // The plan's vhost limit would refuse openers past 10 connections; this is about users.
        admin.putVhostLimit(ResourceNames.vhost(instance), "max-connections", 10_000);
        int inWindow = 0;
        long slowestUnbind = 0;
        for (int round = 0; round < rounds; round++) {
            opened.clear();
            String binding = newId();
            List<String> addresses = uris.apply(backend.bind(bind(instance, binding, TEST_PLAN)));
            Connection live = connect(addresses.get(0));
            opened.add(new Opened(live, System.nanoTime(), System.nanoTime()));

            AtomicBoolean stop = new AtomicBoolean();
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < OPENERS; i++) {
                String uri = addresses.get(i % addresses.size());
                running.add(openers.submit(() -> keepOpening(uri, stop, opened)));
            }
            awaitOpened(opened, 1 + OPENERS);

            long unbindStart = System.nanoTime();
            backend.unbind(unbind(instance, binding, TEST_PLAN));
            long unbindEnd = System.nanoTime();
            slowestUnbind = Math.max(slowestUnbind, unbindEnd - unbindStart);
            // The openers keep trying a little longer: a login they started before the delete may
            // still complete now.
            Thread.sleep(50);
            stop.set(true);
            for (Future<?> opener : running) {
                opener.get(30, TimeUnit.SECONDS);
            }

            long deadline = System.nanoTime() + CLOSE_NOTICE.toNanos();
            List<Opened> all;
            synchronized (opened) {
                all = List.copyOf(opened);
            }
            for (Opened o : all) {
                while (o.connection().isOpen() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(o.connection().isOpen())
                        .as("round %d: a connection opened %d ms %s unbind began is still open %d s after unbind",
                                round, Math.abs(o.openAt() - unbindStart) / 1_000_000,
                                o.openAt() < unbindStart ? "before" : "after", CLOSE_NOTICE.toSeconds())
                        .isFalse();
                assertThat(o.connection().getCloseReason().isInitiatedByApplication()).isFalse();
                if (o.startedAt() < unbindEnd && o.openAt() > unbindStart) {
                    inWindow++;
                }
            }
            assertThat(admin.connectionsOf(ResourceNames.user(binding))).isEmpty();
        }
        System.out.printf("unbind race: %d rounds, %d connection(s) completed their login while unbind ran,"
                + " slowest unbind %d ms%n", rounds, inWindow, slowestUnbind / 1_000_000);
        return inWindow;
    }

    @Test
    void aLiveConnectionIsClosedByTheTimeUnbindReturns() throws Exception {
        instance = newId();
        backend.provision(provision(instance, TEST_PLAN));
        String binding = newId();
        Connection live = connect(backend.bind(bind(instance, binding, TEST_PLAN)).getString("uri"));
        opened.add(new Opened(live, 0, 0));
        live.createChannel().queueDeclare("work", false, false, false, null);

        backend.unbind(unbind(instance, binding, TEST_PLAN));

        // Unbind returned once RabbitMQ listed no connection of the user: the server has closed it,
        // only the close frame may still be on its way to the client.
        long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
        while (live.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(live.isOpen()).as("the live connection is closed when unbind returns").isFalse();
        assertThat(live.getCloseReason().getMessage()).contains("CONNECTION_FORCED");
    }

    private static void keepOpening(String uri, AtomicBoolean stop, List<Opened> opened) {
        while (!stop.get()) {
            long startedAt = System.nanoTime();
            try {
                Connection connection = connect(uri);
                opened.add(new Opened(connection, startedAt, System.nanoTime()));
            } catch (Exception refused) {
                // The user is gone: logins are refused from now on, as they should be.
            }
        }
    }

    private static void awaitOpened(List<Opened> opened, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (opened.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(opened).as("connections opened before unbind").hasSizeGreaterThanOrEqualTo(count);
    }
}
