package org.paasta.servicepack.redis;

import org.paasta.servicepack.redis.RedisLimits.Persistence;
import org.paasta.servicepack.sdk.BackendUnavailableException;

/**
 * The durable record of one shared-vm instance: everything needed to start its redis-server again
 * on a fresh broker. {@link #toString()} leaves the admin password out.
 *
 * @param host          the broker host that runs the process (its configured advertised host)
 * @param slot          its place among the host's {@code max-instances}; unique per host, which is
 *                      what makes the instance limit hold when provisions race
 * @param adminPassword the broker's admin password on this server (sealed in the table)
 * @param state         {@link #RUNNING} while supervised, {@link #STOPPING} once deprovision began
 */
record SharedInstance(String instanceId, String host, int slot, int port, String adminPassword, long maxmemoryBytes,
                      int maxclients, Persistence persistence, String state) {
    static final String RUNNING = "RUNNING";
    static final String STOPPING = "STOPPING";

    /**
     * The refusal of a broker that is not the instance's host: a 503 that names the host to ask,
     * so an operator who put two replicas behind one address sees why at once.
     */
    static BackendUnavailableException onAnotherHost(SharedInstance instance, String thisBroker) {
        return new BackendUnavailableException("This shared-vm instance's redis-server runs on the broker host "
                + instance.host() + ", and " + thisBroker + ": send the request to the broker on " + instance.host()
                + " (shared-vm needs one broker per host, each reached for its own instances)", null);
    }

    RedisLogin adminLogin(String connectHost) {
        return new RedisLogin(connectHost, port, ResourceNames.ADMIN_USER, adminPassword);
    }

    @Override
    public String toString() {
        return "SharedInstance[" + instanceId + " on " + host + ":" + port + ", slot " + slot + ", " + state + "]";
    }
}
