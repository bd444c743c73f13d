package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.OperationType;
import org.paasta.servicepack.sdk.catalog.CatalogPlan;
import org.paasta.servicepack.sdk.state.BindingRecord;
import org.paasta.servicepack.sdk.state.BindingState;
import org.paasta.servicepack.sdk.state.InstanceRecord;
import org.paasta.servicepack.sdk.state.OperationStatus;
import org.paasta.servicepack.sdk.state.StateStore;

/**
 * The platform's reads: {@code GET} instance and binding, and both {@code last_operation}
 * endpoints, answered from the state store alone.
 */
public final class OsbQueries {
    private final PlanResolver<?> plans;
    private final StateStore store;
    private final SealedCredentials credentials;
    private final BindingLifetime lifetime;
    private final DashboardLinks dashboards;

    OsbQueries(PlanResolver<?> plans, StateStore store, SealedCredentials credentials, BindingLifetime lifetime,
               DashboardLinks dashboards) {
        this.plans = plans;
        this.store = store;
        this.credentials = credentials;
        this.lifetime = lifetime;
        this.dashboards = dashboards;
    }

    /**
     * {@code GET /v2/service_instances/{id}}: 404 while provisioning, 422 while updating. The SDK's
     * dashboard link is signed anew, so a platform that re-reads the instance gets a fresh one.
     */
    public Views.Instance instance(String instanceId) {
        InstanceRecord instance = store.instance(instanceId).orElseThrow(() -> Refusals.instanceNotFound(instanceId));
        CatalogPlan plan = plans.catalogPlan(instance.serviceId(), instance.planId());
        if (!plan.instancesRetrievable()) {
            throw new BadRequestException("instances of service '" + plan.serviceName() + "' are not retrievable");
        }
        switch (instance.state()) {
            case PROVISIONING, FAILED -> throw new NotReadyException("the instance is being provisioned");
            case UPDATING -> throw new ConcurrencyException("the instance is being updated");
            default -> {
            }
        }
        String dashboard = instance.dashboardUrl() != null ? instance.dashboardUrl() : dashboards.linkFor(instance);
        return new Views.Instance(instance.serviceId(), instance.planId(), dashboard,
                instance.parameters(), instance.maintenanceVersion(), plan.maintenanceDescription());
    }

    /** {@code GET .../service_bindings/{binding_id}}: 404 until the binding is ready. */
    public Views.Binding binding(String instanceId, String bindingId) {
        BindingRecord binding = store.binding(bindingId).filter(b -> b.instanceId().equals(instanceId))
                .orElseThrow(() -> Refusals.bindingNotFound(bindingId));
        CatalogPlan plan = plans.catalogPlan(binding.serviceId(), binding.planId());
        if (!plan.bindingsRetrievable()) {
            throw new BadRequestException("bindings of service '" + plan.serviceName() + "' are not retrievable");
        }
        if (binding.state() != BindingState.READY) {
            throw new NotReadyException("the binding is not ready");
        }
        return new Views.Binding(credentials.open(binding.sealedCredentials()), binding.parameters(),
                binding.expiresAt(), lifetime.renewBefore(binding.expiresAt()));
    }

    /**
     * {@code GET /v2/service_instances/{id}/last_operation}: the named operation (or the newest); 410
     * once a deletion succeeded; 404 for an unknown instance; 400 for an operation it never had.
     */
    public Views.LastOperation lastInstanceOperation(String instanceId, String operationId) {
        StateStore.OperationPoll poll = store.pollInstanceOperation(instanceId, operationId).orElseThrow(() ->
                operationId != null && store.instance(instanceId).isPresent()
                        ? Refusals.unknownOperation(operationId, "instance " + PlanResolver.printable(instanceId))
                        : Refusals.instanceNotFound(instanceId));
        StateStore.OperationSummary op = poll.operation();
        boolean gone = op.type() == OperationType.DEPROVISION && op.status() == OperationStatus.SUCCEEDED;
        if (!poll.resourceExists() && !gone
                && !(op.status() == OperationStatus.FAILED && op.type() == OperationType.PROVISION)) {
            throw Refusals.instanceNotFound(instanceId);
        }
        Boolean usable = null;
        Boolean repeatable = null;
        if (op.status() == OperationStatus.FAILED && op.type() == OperationType.UPDATE) {
            usable = true;
            repeatable = true;
        } else if (op.status() == OperationStatus.FAILED && op.type() == OperationType.DEPROVISION) {
            usable = false;
        }
        return new Views.LastOperation(op.type(), op.status(), op.description(), gone, usable, repeatable);
    }

    /** {@code GET .../service_bindings/{binding_id}/last_operation}, by the same rules. */
    public Views.LastOperation lastBindingOperation(String instanceId, String bindingId, String operationId) {
        StateStore.OperationPoll poll = store.pollBindingOperation(instanceId, bindingId, operationId).orElseThrow(() ->
                operationId != null && store.binding(bindingId).filter(b -> b.instanceId().equals(instanceId)).isPresent()
                        ? Refusals.unknownOperation(operationId, "binding " + PlanResolver.printable(bindingId))
                        : Refusals.bindingNotFound(bindingId));
        StateStore.OperationSummary op = poll.operation();
        boolean gone = op.type() == OperationType.UNBIND && op.status() == OperationStatus.SUCCEEDED;
        if (!gone && !poll.resourceExists() && !(op.type() == OperationType.BIND && op.status() == OperationStatus.FAILED)) {
            throw Refusals.bindingNotFound(bindingId);
        }
        return new Views.LastOperation(op.type(), op.status(), op.description(), gone, null, null);
    }
}
