package org.paasta.servicepack.sdk.broker;

import java.util.List;
import java.util.function.Consumer;
import org.paasta.servicepack.sdk.ProvisionedInstances;
import org.paasta.servicepack.sdk.state.InstanceRecord;
import org.paasta.servicepack.sdk.state.StateStore;

/** The author's read model of the instances: ready ones, with typed plans, a page of the store at a time. */
public final class StoredInstances<L> implements ProvisionedInstances<L> {
    private static final int PAGE = 500;

    private final PlanResolver<L> plans;
    private final StateStore store;

    public StoredInstances(PlanResolver<L> plans, StateStore store) {
        this.plans = plans;
        this.store = store;
    }

    @Override
    public void forEachReady(Consumer<Instance<L>> action) {
        String after = "";
        while (true) {
            List<InstanceRecord> page = store.readyInstances(after, PAGE);
            for (InstanceRecord instance : page) {
                action.accept(new Instance<>(instance.instanceId(), plans.plan(instance.planId()), instance.parameters()));
            }
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).instanceId();
        }
    }
}
