package org.paasta.servicepack.redis;

import java.util.List;
import java.util.Optional;

/** Where instances of one plan style get their redis-server: shared-vm processes or dedicated-vm nodes. */
interface Placement {

    /** Gives the instance a running server configured by the plan's limits; idempotent. */
    void provision(String instanceId, RedisLimits limits);

    /** Takes the instance's server away with all its data and users; succeeds when already gone. */
    void deprovision(String instanceId);

    /** The instance's server, or empty when the broker has none on record for it. */
    Optional<InstanceServer> server(String instanceId);

    /** The hosts applications are given for instances of this plan style. */
    List<String> advertisedHosts();

    /**
     * Whether this broker serves the plan style at all. One that does not refuses at once, in the
     * request, instead of answering 202 and then a failed {@code last_operation}.
     */
    default boolean served() {
        return true;
    }

    /**
     * One instance's server.
     *
     * @param admin      how the broker logs in to administer it
     * @param clientHost the host applications connect to (may differ from the broker's own route)
     * @param clientPort the port applications connect to
     */
    record InstanceServer(RedisLogin admin, String clientHost, int clientPort) {
    }
}
