package org.paasta.servicepack.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.paasta.servicepack.sdk.config.MissingSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code servicepack.redis.*}: the broker's host resources for shared-vm and its dedicated-vm pool.
 * A value the broker cannot work with stops the start with a {@link MissingSettingException} that
 * names the setting and its environment variable.
 *
 * @param shared       the shared-vm plan style: redis-server processes on this broker's host
 * @param dedicated    the dedicated-vm plan style: the operator's pool of Redis nodes
 * @param adminTimeout connect and read timeout of the broker's own Redis connections (also of the
 *                     health check's PING of each pool node)
 */
@ConfigurationProperties("servicepack.redis")
public record RedisProperties(@DefaultValue Shared shared, @DefaultValue Dedicated dedicated,
                              @DefaultValue("5s") Duration adminTimeout) {

    public RedisProperties {
        if (adminTimeout.isNegative() || adminTimeout.isZero() || adminTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new MissingSettingException("servicepack.redis.admin-timeout", "SERVICEPACK_REDIS_ADMINTIMEOUT",
                    "a positive duration such as 5s, was " + adminTimeout);
        }
    }

    /**
     * The shared-vm plan style. Its other settings are only read, and only checked, when it is enabled.
     *
     * @param enabled        false where redis-server processes cannot live beside the broker (a
     *                       Cloud Foundry app, a Kubernetes pod): no binary check, no data
     *                       directory, no supervisor, and shared-vm requests are refused with 503
     * @param advertisedHost what applications connect to; also this host's key in the state store,
     *                       so it must stay the same across restarts and differ between hosts
     * @param bindAddress    what the processes listen on ({@code 0.0.0.0} to serve other hosts)
     * @param firstPort      first port of the range for instances
     * @param lastPort       last port of the range (inclusive)
     * @param maxInstances   the per-host instance limit (PaaS-TA's shared-vm plan: 10)
     * @param dataDir        one directory per instance below it
     * @param redisServer    the redis-server 6+ binary (ACL users need 6, tested with 7.0)
     * @param checkInterval  how often the supervisor checks every process (100 ms .. 60 s)
     * @param startTimeout   how long a starting process may take to answer
     * @param stopTimeout    how long a stopping process may take before it is killed
     */
    public record Shared(@DefaultValue("true") boolean enabled,
                         @DefaultValue("127.0.0.1") String advertisedHost,
                         @DefaultValue("127.0.0.1") String bindAddress,
                         @DefaultValue("16400") int firstPort,
                         @DefaultValue("16499") int lastPort,
                         @DefaultValue("10") int maxInstances,
                         @DefaultValue("/var/lib/servicepack-redis") Path dataDir,
                         @DefaultValue("/usr/bin/redis-server") Path redisServer,
                         @DefaultValue("5s") Duration checkInterval,
                         @DefaultValue("10s") Duration startTimeout,
                         @DefaultValue("10s") Duration stopTimeout) {
        static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(100);
        static final Duration MAX_CHECK_INTERVAL = Duration.ofSeconds(60);

        public Shared {
            if (enabled) {
                validate(advertisedHost, bindAddress, firstPort, lastPort, maxInstances, checkInterval, startTimeout,
                        stopTimeout);
            }
        }

        private static void validate(String advertisedHost, String bindAddress, int firstPort, int lastPort,
                                     int maxInstances, Duration checkInterval, Duration startTimeout,
                                     Duration stopTimeout) {
            List<MissingSettingException.Setting> invalid = new ArrayList<>();
            if (advertisedHost == null || advertisedHost.isBlank()) {
                invalid.add(new MissingSettingException.Setting("servicepack.redis.shared.advertised-host",
                        "REDIS_SHARED_HOST", "this host's address as apps reach it (or REDIS_SHARED_ENABLED=false)"));
            }
            if (bindAddress == null || bindAddress.isBlank()) {
                invalid.add(new MissingSettingException.Setting("servicepack.redis.shared.bind-address",
                        "REDIS_SHARED_BIND", "the address the redis-server processes listen on, e.g. 0.0.0.0"));
            }
            String ports = "need 1024 <= first-port <= last-port <= 65535, got " + firstPort + "-" + lastPort;
            if (firstPort < 1024 || firstPort > lastPort) {
                invalid.add(new MissingSettingException.Setting("servicepack.redis.shared.first-port",
                        "SERVICEPACK_REDIS_SHARED_FIRSTPORT", ports));
            }
            if (lastPort > 65535 || firstPort > lastPort) {
                invalid.add(new MissingSettingException.Setting("servicepack.redis.shared.last-port",
                        "SERVICEPACK_REDIS_SHARED_LASTPORT", ports));
            }
            if (maxInstances < 1) {
                invalid.add(new MissingSettingException.Setting("servicepack.redis.shared.max-instances",
                        "SERVICEPACK_REDIS_SHARED_MAXINSTANCES", "a positive number of instances per host, was "
                        + maxInstances));
            }
            if (checkInterval.compareTo(MIN_CHECK_INTERVAL) < 0 || checkInterval.compareTo(MAX_CHECK_INTERVAL) > 0) {
                invalid.add(new MissingSettingException.Setting("servicepack.redis.shared.check-interval",
                        "SERVICEPACK_REDIS_SHARED_CHECKINTERVAL", "between " + MIN_CHECK_INTERVAL.toMillis()
                        + " ms and " + MAX_CHECK_INTERVAL.toSeconds() + " s, was " + checkInterval));
            }
            requirePositive(startTimeout, "start-timeout", "STARTTIMEOUT", invalid);
            requirePositive(stopTimeout, "stop-timeout", "STOPTIMEOUT", invalid);
            if (!invalid.isEmpty()) {
                throw new MissingSettingException(invalid);
            }
        }

        private static void requirePositive(Duration timeout, String name, String variable,
                                            List<MissingSettingException.Setting> invalid) {
            if (timeout.isNegative() || timeout.isZero()) {
                invalid.add(new MissingSettingException.Setting("servicepack.redis.shared." + name,
                        "SERVICEPACK_REDIS_SHARED_" + variable, "a positive duration such as 10s, was " + timeout));
            }
        }
    }

    /** @param nodes the pool: pre-provisioned Redis 6+ servers with their operator login */
    public record Dedicated(@DefaultValue List<Node> nodes) {
        public Dedicated {
            nodes = List.copyOf(nodes);
            for (int i = 0; i < nodes.size(); i++) {
                Node node = nodes.get(i);
                if (node.host() == null || node.host().isBlank()) {
                    throw new MissingSettingException("servicepack.redis.dedicated.nodes[" + i + "].host",
                            "SERVICEPACK_REDIS_DEDICATED_NODES_" + i + "_HOST", "the address of pool node " + i);
                }
                if (node.port() < 1 || node.port() > 65535) {
                    throw new MissingSettingException("servicepack.redis.dedicated.nodes[" + i + "].port",
                            "SERVICEPACK_REDIS_DEDICATED_NODES_" + i + "_PORT", "the port of pool node " + i
                            + " (1-65535), was " + node.port());
                }
            }
        }
    }

    /**
     * @param host     the node's address, as the broker and applications reach it
     * @param port     its port
     * @param username the operator's user on the node; {@code default} when left out
     * @param password its password; only used until the broker first claims the node and rotates it
     */
    public record Node(String host, int port, String username, String password) {
        @Override
        public String toString() {
            return "Node[" + host + ":" + port + "]";
        }
    }
}
