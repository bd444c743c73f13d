package org.paasta.servicepack.sdk;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Read access to the instances the broker has provisioned, for a backend's periodic work that
 * spans instances: quota enforcement, usage against plan limits on dashboards, metrics. It reads
 * the shared state store, so every replica sees the same instances.
 */
public interface ProvisionedInstances<L> {

    /** An instance that is ready (no operation running on it), with its typed plan. */
    record Instance<L>(String instanceId, Plan<L> plan, Map<String, Object> parameters) {
    }

    /** Calls {@code action} for every ready instance, reading the store a page at a time. */
    void forEachReady(Consumer<Instance<L>> action);
}
