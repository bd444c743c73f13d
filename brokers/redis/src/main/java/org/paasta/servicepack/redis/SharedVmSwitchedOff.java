package org.paasta.servicepack.redis;

import java.util.List;
import java.util.Optional;
import org.paasta.servicepack.sdk.BackendUnavailableException;

/**
 * The shared-vm plan style where it cannot live ({@code servicepack.redis.shared.enabled=false}: a
 * Cloud Foundry app, a Kubernetes pod): no redis-server, no data directory, no supervisor.
 *
 * <p>A provision or bind answers 503 BackendUnavailable with a description that says why. Not a
 * 4xx: the request is valid for the catalog the platform was given, and the same request succeeds
 * at a broker that runs shared-vm; what is missing is on the broker's side, where an operator
 * fixes it (serve a catalog without the plan, or do not enable access to it). A 503 also makes
 * the platform's orphan mitigation send DELETE, which finds nothing and succeeds.
 */
final class SharedVmSwitchedOff implements Placement {
    static final String REFUSAL = "This broker does not run shared-vm instances (REDIS_SHARED_ENABLED=false:"
            + " it runs where redis-server processes cannot live beside it, such as a Cloud Foundry app or a"
            + " Kubernetes pod); use the dedicated-vm plan, or a broker on a VM that serves shared-vm";

    private final SharedInstances store;

    SharedVmSwitchedOff(SharedInstances store) {
        this.store = store;
    }

    @Override
    public void provision(String instanceId, RedisLimits limits) {
        throw new BackendUnavailableException(REFUSAL, null);
    }

    /** Nothing to do unless a broker on a VM, sharing this state store, runs the instance: then refuse. */
    @Override
    public void deprovision(String instanceId) {
        store.find(instanceId).ifPresent(instance -> {
            throw SharedInstance.onAnotherHost(instance, "this broker runs no shared-vm instances");
        });
    }

    @Override
    public Optional<InstanceServer> server(String instanceId) {
        Optional<SharedInstance> instance = store.find(instanceId);
        if (instance.isPresent()) {
            throw SharedInstance.onAnotherHost(instance.get(), "this broker runs no shared-vm instances");
        }
        return Optional.empty();
    }

    @Override
    public List<String> advertisedHosts() {
        return List.of();
    }

    @Override
    public boolean served() {
        return false;
    }
}
