package org.paasta.servicepack.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.CapacityExhaustedException;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ClientKillParams;

/**
 * The dedicated-vm plan style: a pre-provisioned Redis node from a configured pool, given to exactly
 * one instance. The first claim of a node replaces the operator's login with the broker's own ACL
 * user and switches {@code default} off; every release wipes the node (all keys, all other users,
 * all connections) and rotates the broker's password before the node can be claimed again.
 */
final class DedicatedVm implements Placement {
    private static final Logger log = LoggerFactory.getLogger(DedicatedVm.class);

    /** A node of the pool as the operator configured it; the password is the operator's initial one. */
    record NodeSettings(String host, int port, String username, String password) {
        NodeSettings {
            username = username == null || username.isBlank() ? "default" : username;
        }

        String nodeId() {
            return host + ":" + port;
        }

        @Override
        public String toString() {
            return "NodeSettings[" + nodeId() + " as " + username + "]";
        }
    }

    private final PoolNodes store;
    private final List<NodeSettings> nodes;
    private final Set<String> nodeIds;
    private final AdminConnections connections;
    private final Duration timeout;

    /** @param timeout bounds each health probe, which logs in afresh rather than borrow a connection */
    DedicatedVm(PoolNodes store, List<NodeSettings> nodes, AdminConnections connections, Duration timeout) {
        this.store = store;
        this.nodes = List.copyOf(nodes);
        this.nodeIds = nodes.stream().map(NodeSettings::nodeId).collect(Collectors.toUnmodifiableSet());
        this.connections = connections;
        this.timeout = timeout;
    }

    /** Puts the configured nodes the store does not know yet into the pool. */
    void registerNodes() {
        nodes.forEach(node -> store.register(node.host(), node.port(), node.username(), node.password()));
    }

    @Override
    public void provision(String instanceId, RedisLimits limits) {
        Optional<PoolNode> mine = store.ofInstance(instanceId);
        if (mine.isPresent()) {
            // A repeated provision: configure again, the node is already this instance's.
            configure(mine.get(), limits);
            return;
        }
        List<PoolNode> free = store.free(nodeIds);
        BackendUnavailableException unreachable = null;
        for (PoolNode node : free) {
            if (!store.claim(node.nodeId(), instanceId)) {
                continue;
            }
            try {
                configure(node, limits);
                log.info("Dedicated-vm instance {} got pool node {}", instanceId, node.nodeId());
                return;
            } catch (BackendUnavailableException e) {
                // A dead node must not block the pool: give it back and try the next one.
                log.warn("Pool node {} cannot be used now: {}", node.nodeId(), e.getMessage());
                store.release(node.nodeId(), instanceId);
                unreachable = e;
            }
        }
        if (unreachable != null) {
            throw new BackendUnavailableException("No free dedicated-vm node of the pool answers the broker now",
                    unreachable);
        }
        throw new CapacityExhaustedException(nodes.isEmpty()
                ? "This broker has no dedicated-vm nodes configured"
                : "All " + nodes.size() + " dedicated-vm nodes of the pool are in use");
    }

    private void configure(PoolNode node, RedisLimits limits) {
        try (Jedis jedis = adminConnection(node)) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("maxmemory", Long.toString(limits.maxmemoryBytes()));
            settings.put("maxmemory-policy", "noeviction");
            settings.put("maxclients", Integer.toString(limits.maxclients()));
            String[] persistence = limits.persistence().settings();
            for (int i = 0; i < persistence.length; i += 2) {
                settings.put(persistence[i], persistence[i + 1]);
            }
            jedis.configSet(settings);
            rewriteConfig(jedis, node);
        } catch (JedisConnectionException | JedisAccessControlException e) {
            throw BindingUsers.unavailable(node.login(), e);
        }
    }

    @Override
    public void deprovision(String instanceId) {
        Optional<PoolNode> owned = store.ofInstance(instanceId);
        if (owned.isEmpty()) {
            return;
        }
        PoolNode node = owned.get();
        try (Jedis jedis = adminConnection(node)) {
            wipe(jedis, node);
            rotate(jedis, node);
        } catch (JedisConnectionException | JedisAccessControlException e) {
            // The node stays this instance's until it is wiped: a retried deprovision finishes it.
            throw BindingUsers.unavailable(node.login(), e);
        }
        // Every connection still logged in with the password just rotated out goes now.
        connections.forget(node.nodeId());
        store.release(node.nodeId(), instanceId);
        log.info("Pool node {} wiped, its admin password rotated, back in the pool", node.nodeId());
    }

    /**
     * Removes every user but the broker's, ends every other connection, deletes every key, and
     * resets the statistics INFO shows (commands, errors, hits): the next instance must not read
     * what this one did.
     */
    private static void wipe(Jedis jedis, PoolNode node) {
        for (String user : jedis.aclUsers()) {
            if (!user.equals(ResourceNames.ADMIN_USER) && !user.equals("default")) {
                jedis.aclDelUser(user);
            }
        }
        jedis.aclSetUser("default", "off", "resetpass");
        for (ClientType type : List.of(ClientType.NORMAL, ClientType.PUBSUB)) {
            jedis.clientKill(new ClientKillParams().type(type).skipMe(ClientKillParams.SkipMe.YES));
        }
        jedis.flushAll();
        jedis.configResetStat();
    }

    @Override
    public List<String> advertisedHosts() {
        return nodes.stream().map(NodeSettings::host).distinct().toList();
    }

    /**
     * A configured node as the health check finds it.
     *
     * @param nodeId    {@code host:port}
     * @param answers   whether it answered PING to the broker's login in time
     * @param condition what an operator reads: free or in use, or why it is not usable (never a password)
     */
    record NodeCondition(String nodeId, boolean answers, String condition) {
    }

    /**
     * PINGs every configured node as the broker's admin (the stored login, or the one being rotated
     * in), each bounded by the admin timeout. Changes nothing on a node and nothing in the store.
     */
    List<NodeCondition> probe() {
        return nodes.stream().map(this::probe).toList();
    }

    private NodeCondition probe(NodeSettings settings) {
        Optional<PoolNode> stored = store.find(settings.nodeId());
        String use = stored.map(PoolNode::instanceId).map(id -> "in use").orElse("free");
        List<RedisLogin> logins = new ArrayList<>();
        stored.ifPresentOrElse(node -> {
            logins.add(node.login());
            if (node.nextAdminPassword() != null) {
                logins.add(node.login().withPassword(ResourceNames.ADMIN_USER, node.nextAdminPassword()));
            }
        }, () -> logins.add(new RedisLogin(settings.host(), settings.port(), settings.username(), settings.password())));
        String failure = "refuses the broker's admin login";
        for (RedisLogin login : logins) {
            try (Jedis jedis = login.connect(timeout)) {
                jedis.ping();
                return new NodeCondition(settings.nodeId(), true, "UP, " + use);
            } catch (JedisAccessControlException e) {
                failure = "refuses the broker's admin login";
            } catch (JedisConnectionException e) {
                return new NodeCondition(settings.nodeId(), false, "DOWN, " + use + ": does not answer within "
                        + timeout.toMillis() + " ms");
            } catch (JedisDataException e) {
                failure = "answers PING with an error";
            }
        }
        return new NodeCondition(settings.nodeId(), false, "DOWN, " + use + ": " + failure);
    }

    @Override
    public Optional<InstanceServer> server(String instanceId) {
        return store.ofInstance(instanceId).map(node -> {
            PoolNode current = ensureBrokerLogin(node);
            return new InstanceServer(current.login(), current.host(), current.port());
        });
    }

    /** The node's record once its admin login is the broker's own user (claiming it first if needed). */
    private PoolNode ensureBrokerLogin(PoolNode node) {
        if (node.adminUser().equals(ResourceNames.ADMIN_USER) && node.nextAdminPassword() == null) {
            return node;
        }
        try (Jedis ignored = adminConnection(node)) {
            return store.find(node.nodeId()).orElseThrow();
        } catch (JedisConnectionException | JedisAccessControlException e) {
            throw BindingUsers.unavailable(node.login(), e);
        }
    }

    /**
     * A connection as the broker's admin user. Tries the stored login, then a password that was
     * being rotated in when a previous run stopped. A node still on the operator's login gets the
     * broker's own user now, and {@code default} is switched off.
     */
    private Jedis adminConnection(PoolNode node) {
        if (node.nextAdminPassword() != null) {
            // A rotation was interrupted: only a fresh login tells which password the node takes
            // now (a kept connection would still work, logged in with whichever it had).
            connections.forget(node.nodeId());
        }
        Jedis jedis;
        try {
            // Borrowing logs in (a new connection) or PINGs (a kept one), so a refusal shows here.
            jedis = connections.borrow(node.login());
        } catch (JedisAccessControlException refused) {
            if (node.nextAdminPassword() == null) {
                throw refused;
            }
            jedis = connections.borrow(new RedisLogin(node.host(), node.port(), ResourceNames.ADMIN_USER,
                    node.nextAdminPassword()));
            store.completeRotation(node.nodeId(), ResourceNames.ADMIN_USER, node.nextAdminPassword());
            return jedis;
        }
        if (!node.adminUser().equals(ResourceNames.ADMIN_USER)) {
            try {
                rotate(jedis, node);
                jedis.aclSetUser("default", "off", "resetpass");
                BindingUsers.persistAcl(jedis, node.login());
                log.info("Pool node {} now takes the broker's own admin user; its default user is off",
                        node.nodeId());
            } catch (RuntimeException e) {
                jedis.close();
                throw e;
            }
            // This connection logged in as the operator's user, now switched off: it finishes this
            // step and is closed when given back, and the next step logs in as the broker's user.
            connections.forget(node.nodeId());
        }
        return jedis;
    }

    /**
     * Gives the broker's admin user a new password. The new password is stored (as "next") before
     * the node takes it, so a crash between the two cannot lock the broker out of its node. The
     * connection stays logged in: Redis checks passwords at AUTH only.
     */
    private void rotate(Jedis jedis, PoolNode node) {
        String password = Passwords.generate();
        store.beginRotation(node.nodeId(), password);
        // No "reset": it is this connection's own user, and only the password may change under it.
        jedis.aclSetUser(ResourceNames.ADMIN_USER, "on", "resetpass", ">" + password, "~*", "&*", "+@all");
        BindingUsers.persistAcl(jedis, node.login());
        store.completeRotation(node.nodeId(), ResourceNames.ADMIN_USER, password);
    }

    private static void rewriteConfig(Jedis jedis, PoolNode node) {
        try {
            jedis.configRewrite();
        } catch (JedisDataException e) {
            log.warn("Pool node {} cannot rewrite its config file ({}); its limits are lost if it restarts",
                    node.nodeId(), e.getMessage());
        }
    }
}
