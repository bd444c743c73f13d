package org.paasta.servicepack.redis;

import java.util.Optional;

/** Where instances of one plan style get their redis-server: shared-vm processes or dedicated-vm nodes. */
interface Placement {

    /** Gives the instance a running server configured by the plan's limits; idempotent. */
    void provision(String instanceId, RedisLimits limits);

    /** Takes the instance's server away with all its data and users; succeeds when already gone. */
    void deprovision(String instanceId);

    /** The instance's server, or empty when the broker has none on record for it. */
    Optional<InstanceServer> server(String instanceId);

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
