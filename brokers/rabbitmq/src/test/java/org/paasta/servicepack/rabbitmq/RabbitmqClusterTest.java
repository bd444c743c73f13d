package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.TEST_PLAN;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.bind;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.connect;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.deprovision;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.newId;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.provision;
import static org.paasta.servicepack.rabbitmq.LocalRabbitmq.unbind;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.Credentials;

/**
 * The broker on a 3-node RabbitMQ cluster (scripts/clusters/rabbitmq-cluster.sh, issue 16), set up
 * as an operator would: every node's management API ({@code management.url}, with failover) and
 * every node's AMQP address in the credentials ({@code hostnames} as host:port).
 *
 * <p>Runs when {@value RabbitmqClusterFixture#SWITCH} is set (scripts/test-all.sh sets it, so CI
 * fails when the cluster cannot start); skipped with a message elsewhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RabbitmqClusterTest {
    private static RabbitmqClusterFixture cluster;

    private final List<Connection> connections = new ArrayList<>();
    private final List<String> instances = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        if (RabbitmqClusterFixture.enabled()) {
            cluster = RabbitmqClusterFixture.shared();
        }
    }

    /** Per test, not per class: surefire reports a skipped test with its reason, a skipped class with none. */
    @BeforeEach
    void clusterOrSkip() {
        assumeTrue(cluster != null, "The 3-node RabbitMQ cluster tests run when " + RabbitmqClusterFixture.SWITCH
                + "=1 (scripts/test-all.sh sets it); they start the cluster with scripts/clusters/rabbitmq-cluster.sh,"
                + " which needs root and Debian's rabbitmq-server.");
    }

    /** Whatever a test stopped runs again for the next class; the fixture stops the cluster at JVM exit. */
    @AfterAll
    static void allNodesUp() {
        if (cluster != null) {
            cluster.allNodesUp();
        }
    }

    @AfterEach
    void cleanUp() {
        connections.forEach(connection -> {
            if (connection.isOpen()) {
                connection.abort(1_000);
            }
        });
        if (cluster == null) {
            return;
        }
        RabbitmqBackend backend = backend(1, 2, 3);
        instances.forEach(instance -> backend.deprovision(deprovision(instance, TEST_PLAN, List.of())));
    }

    @Test
    @Order(1)
    void lifecycleWithAConnectionOnEachNodeAndUnbindClosesThemAll() throws Exception {
        RabbitmqBackend backend = backend(1, 2, 3);
        String instance = newId();
        instances.add(instance);
        backend.provision(provision(instance, TEST_PLAN));
        String vhost = ResourceNames.vhost(instance);
        for (int node = 1; node <= 3; node++) {
            ManagementApi onlyThisNode = cluster.api(node);
            assertThat(onlyThisNode.vhostExists(vhost)).as("vhost seen by node %d", node).isTrue();
            assertThat(onlyThisNode.operatorPolicy(vhost, RabbitmqBackend.PLAN_POLICY)).isNotNull();
        }

        String binding = newId();
        Credentials credentials = backend.bind(bind(instance, binding, TEST_PLAN));
        @SuppressWarnings("unchecked")
        List<String> uris = (List<String>) credentials.get("uris");
        assertThat(uris).hasSize(3);
        List<Connection> perNode = new ArrayList<>();
        for (String uri : uris) {
            perNode.add(open(uri));
        }
        String user = credentials.getString("username");
        assertThat(awaitNodesOf(user, 3)).as("one connection on each node")
                .containsExactlyInAnyOrder(cluster.nodeName(1), cluster.nodeName(2), cluster.nodeName(3));

        // A message published on node 1 is consumed on node 3: one vhost across the cluster.
        Channel producer = perNode.get(0).createChannel();
        producer.queueDeclare("orders", true, false, false, null);
        producer.confirmSelect();
        producer.basicPublish("", "orders", null, "order-1".getBytes(StandardCharsets.UTF_8));
        producer.waitForConfirmsOrDie(5_000);
        GetResponse message = perNode.get(2).createChannel().basicGet("orders", true);
        assertThat(message).isNotNull();
        assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("order-1");

        // max-queues counts the cluster's queues, not a node's: 5 declared across the nodes, the 6th refused.
        for (int i = 1; i < TEST_PLAN.limits().maxQueues(); i++) {
            perNode.get(i % 3).createChannel().queueDeclare("q" + i, true, false, false, null);
        }
        Channel onNode2 = perNode.get(1).createChannel();
        assertThatThrownBy(() -> onNode2.queueDeclare("one-too-many", true, false, false, null))
                .isInstanceOf(java.io.IOException.class)
                .satisfies(e -> assertThat(String.valueOf(e.getCause())).contains("queue limit"));

        backend.unbind(unbind(instance, binding, TEST_PLAN));

        for (int node = 0; node < 3; node++) {
            assertClosedByBroker(perNode.get(node), "on node " + (node + 1));
            assertRefused(uris.get(node));
            assertThat(cluster.api(node + 1).userExists(user)).isFalse();
        }

        backend.deprovision(deprovision(instance, TEST_PLAN, List.of()));
        instances.remove(instance);
        for (int node = 1; node <= 3; node++) {
            assertThat(cluster.api(node).vhostExists(vhost)).as("vhost seen by node %d", node).isFalse();
        }
    }

    /**
     * The race of {@link RabbitmqUnbindRaceTest} across nodes: logins on nodes 2 and 3 while the
     * broker unbinds through node 1, whose look at the user's connections reads the other nodes'
     * tracking tables remotely.
     */
    @Test
    @Order(2)
    void connectionsOpenedOnOtherNodesWhileUnbindingAreClosedToo() throws Exception {
        RabbitmqBackend backend = backend(1, 2, 3);
        String instance = newId();
        instances.add(instance);
        backend.provision(provision(instance, TEST_PLAN));
        ExecutorService openers = Executors.newFixedThreadPool(RabbitmqUnbindRaceTest.OPENERS);
        List<RabbitmqUnbindRaceTest.Opened> opened = Collections.synchronizedList(new ArrayList<>());
        try {
            @SuppressWarnings("unchecked")
            int inWindow = RabbitmqUnbindRaceTest.race(backend, cluster.api(1), instance,
                    Integer.getInteger("servicepack.unbind-race.cluster-rounds", 10),
                    credentials -> ((List<String>) credentials.get("uris")).subList(1, 3), openers, opened);
            assertThat(inWindow).as("connections whose login overlapped an unbind").isPositive();
        } finally {
            openers.shutdownNow();
            openers.awaitTermination(10, TimeUnit.SECONDS);
            synchronized (opened) {
                opened.forEach(o -> {
                    if (o.connection().isOpen()) {
                        o.connection().abort(1_000);
                    }
                });
            }
        }
    }

    /**
     * Node 3 stops between the two calls of a provision. A broker that reaches the cluster only
     * through node 3 fails the provision (503) and leaves the vhost without its plan, which it
     * says; a retry through the other nodes completes it and a deprovision removes it. A broker
     * with every node's API keeps working while node 3 is down, and node 3, back, holds nothing of
     * what was removed meanwhile.
     */
    @Test
    @Order(3)
    void aNodeStoppedDuringProvisionLeavesNoHalfMadeVhost() throws Exception {
        String halfMade = newId();
        instances.add(halfMade);
        AtomicBoolean stopped = new AtomicBoolean();
        ManagementApi throughNode3 = new ManagementApi(List.of(cluster.managementUrl(3)), cluster.adminUsername(),
                cluster.adminPassword(), Duration.ofSeconds(10)) {
            @Override
            void putOperatorPolicy(String vhost, String name, Map<String, Object> definition) {
                if (stopped.compareAndSet(false, true)) {
                    cluster.stopNode(3);
                }
                super.putOperatorPolicy(vhost, name, definition);
            }
        };
        assertThatThrownBy(() -> backend(throughNode3).provision(provision(halfMade, TEST_PLAN)))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("cannot be reached to set operator policy");
        String halfMadeVhost = ResourceNames.vhost(halfMade);
        ManagementApi node1 = cluster.api(1);
        assertThat(node1.vhostExists(halfMadeVhost)).as("made before node 3 stopped; its cleanup could not reach it")
                .isTrue();
        assertThat(node1.operatorPolicy(halfMadeVhost, RabbitmqBackend.PLAN_POLICY)).isNull();

        // Every node's API, the stopped one first: each call moves on to a node that answers.
        RabbitmqBackend failover = backend(3, 1, 2);
        String whileDown = newId();
        instances.add(whileDown);
        failover.provision(provision(whileDown, TEST_PLAN));
        String binding = newId();
        Credentials credentials = failover.bind(bind(whileDown, binding, TEST_PLAN));
        @SuppressWarnings("unchecked")
        List<String> uris = (List<String>) credentials.get("uris");
        Connection onNode1 = open(uris.get(0));
        Connection onNode2 = open(uris.get(1));
        assertThat(awaitNodesOf(credentials.getString("username"), 2))
                .containsExactlyInAnyOrder(cluster.nodeName(1), cluster.nodeName(2));
        failover.unbind(unbind(whileDown, binding, TEST_PLAN));
        assertClosedByBroker(onNode1, "on node 1");
        assertClosedByBroker(onNode2, "on node 2");

        // The retried provision completes the half-made vhost; deprovisions remove both.
        failover.provision(provision(halfMade, TEST_PLAN));
        assertThat(node1.operatorPolicy(halfMadeVhost, RabbitmqBackend.PLAN_POLICY)).isNotNull();
        failover.deprovision(deprovision(halfMade, TEST_PLAN, List.of()));
        failover.deprovision(deprovision(whileDown, TEST_PLAN, List.of(binding)));
        instances.clear();

        cluster.startNode(3);
        ManagementApi node3 = cluster.api(3);
        for (String instance : List.of(halfMade, whileDown)) {
            assertThat(node3.vhostExists(ResourceNames.vhost(instance))).as("node 3, back").isFalse();
        }
        assertThat(node3.userExists(credentials.getString("username"))).isFalse();
        assertThat(node1.vhostExists(halfMadeVhost)).isFalse();
    }

    private RabbitmqBackend backend(int... nodes) {
        return backend(cluster.api(nodes));
    }

    private RabbitmqBackend backend(ManagementApi api) {
        BindingCredentials.Endpoints endpoints = new BindingCredentials.Endpoints(cluster.amqpAddresses(), false,
                cluster.managementUrl(1), cluster.managementUrl(1).toString());
        return new RabbitmqBackend(api, endpoints, Map.of(), Duration.ofSeconds(15));
    }

    /** The nodes of the user's connections, once the cluster lists {@code count} of them (bounded). */
    private Set<String> awaitNodesOf(String user, int count) throws InterruptedException {
        ManagementApi api = cluster.api(1, 2, 3);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<ManagementApi.Connection> listed = api.connectionsOf(user);
        while (listed.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            listed = api.connectionsOf(user);
        }
        return listed.stream().map(ManagementApi.Connection::node).collect(Collectors.toCollection(TreeSet::new));
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

    private static void assertClosedByBroker(Connection connection, String where) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (connection.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(connection.isOpen()).as("connection %s closed after unbind", where).isFalse();
        assertThat(connection.getCloseReason().isInitiatedByApplication()).isFalse();
    }
}
