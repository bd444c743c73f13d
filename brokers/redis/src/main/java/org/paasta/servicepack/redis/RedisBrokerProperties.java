package org.paasta.servicepack.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code servicepack.redis.*}: the broker's host resources for shared-vm and its dedicated-vm pool.
 *
 * @param adminTimeout connect and read timeout of the broker's own Redis connections
 */
@ConfigurationProperties("servicepack.redis")
public record RedisBrokerProperties(@DefaultValue Shared shared, @DefaultValue Dedicated dedicated,
                                    @DefaultValue("5s") Duration adminTimeout) {

    /**
     * @param advertisedHost what applications connect to; also this host's key in the state store
     * @param bindAddress    what the processes listen on
     * @param firstPort      first port of the range for instances
     * @param lastPort       last port of the range (inclusive)
     * @param maxInstances   the per-host instance limit (PaaS-TA's shared-vm plan: 10)
     * @param dataDir        one directory per instance below it
     * @param redisServer    the redis-server 6+ binary (ACL users need 6, tested with 7.0)
     * @param checkInterval  how often the supervisor checks every process (100 ms .. 60 s)
     * @param startTimeout   how long a starting process may take to answer
     * @param stopTimeout    how long a stopping process may take before it is killed
     */
    public record Shared(@DefaultValue("127.0.0.1") String advertisedHost,
                         @DefaultValue("127.0.0.1") String bindAddress,
                         @DefaultValue("16400") int firstPort,
                         @DefaultValue("16499") int lastPort,
                         @DefaultValue("10") int maxInstances,
                         @DefaultValue("/var/lib/servicepack-redis") Path dataDir,
                         @DefaultValue("/usr/bin/redis-server") Path redisServer,
                         @DefaultValue("5s") Duration checkInterval,
                         @DefaultValue("10s") Duration startTimeout,
                         @DefaultValue("10s") Duration stopTimeout) {
    }

    /** @param nodes the pool: pre-provisioned Redis 6+ servers with their operator login */
    public record Dedicated(@DefaultValue List<Node> nodes) {
    }

    /**
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
