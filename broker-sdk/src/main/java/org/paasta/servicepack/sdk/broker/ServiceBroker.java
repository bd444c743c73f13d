package org.paasta.servicepack.sdk.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.BrokerException;
import org.paasta.servicepack.sdk.CapacityExhaustedException;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.InvalidParametersException;
import org.paasta.servicepack.sdk.OperationMode;
import org.paasta.servicepack.sdk.OperationType;
import org.paasta.servicepack.sdk.Origin;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.PlanChangeRefusedException;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.ServiceBackend;
import org.paasta.servicepack.sdk.UnbindRequest;
import org.paasta.servicepack.sdk.UpdateRequest;
import org.paasta.servicepack.sdk.catalog.CatalogPlan;
import org.paasta.servicepack.sdk.secrets.SecretBox;
import org.paasta.servicepack.sdk.state.BindingRecord;
import org.paasta.servicepack.sdk.state.BindingState;
import org.paasta.servicepack.sdk.state.InstanceRecord;
import org.paasta.servicepack.sdk.state.InstanceState;
import org.paasta.servicepack.sdk.state.OperationRecord;
import org.paasta.servicepack.sdk.state.OperationStatus;
import org.paasta.servicepack.sdk.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * The OSB API's rules, once, for every broker: idempotency, conflicts, async operations and their
 * recovery, rotation and expiry of bindings. It decides everything from the state store and calls
 * the author's {@link ServiceBackend} only for work that really has to happen.
 *
 * <p>Every operation, synchronous or not, is recorded before the backend is called and settled
 * after, through one path ({@link #run(String)}), which is also the path a replica takes to
 * resume an operation a crashed replica left behind.
 */
public final class ServiceBroker<L> implements org.paasta.servicepack.sdk.ProvisionedInstances<L> {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceBroker.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("org.paasta.servicepack.audit");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final int MAX_JSON_CHARS = 16 * 1024;

    private final ServiceBackend<L> backend;
    private final PlanResolver<L> plans;
    private final StateStore store;
    private final OperationRunner runner;
    private final SecretBox secrets;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration bindingTtl;

    public ServiceBroker(ServiceBackend<L> backend, PlanResolver<L> plans, StateStore store, OperationRunner runner,
                         SecretBox secrets, ObjectMapper json, Clock clock, Duration bindingTtl) {
        this.backend = backend;
        this.plans = plans;
        this.store = store;
        this.runner = runner;
        this.secrets = secrets;
        this.json = json;
        this.clock = clock;
        this.bindingTtl = bindingTtl;
    }

    public PlanResolver<L> plans() {
        return plans;
    }

    // ---- PUT /v2/service_instances/{id} ----------------------------------------------------

    public Outcome provision(Commands.Provision cmd) {
        requireNonEmpty("organization_guid", cmd.organizationGuid());
        requireNonEmpty("space_guid", cmd.spaceGuid());
        checkSizes(cmd.parameters(), cmd.origin(), null);
        CatalogPlan catalogPlan = plans.catalogPlan(cmd.serviceId(), cmd.planId());
        checkMaintenance(catalogPlan, cmd.maintenanceVersion());
        plans.validate(catalogPlan, PlanResolver.Schema.INSTANCE_CREATE, cmd.parameters());
        Plan<L> plan = plans.plan(catalogPlan.id());
        boolean async = decideAsync(OperationType.PROVISION, plan, cmd.acceptsIncomplete());
        String dashboard = backend.dashboardUrl(cmd.instanceId(), plan);
        Map<String, Object> parameters = orEmpty(cmd.parameters());

        long now = clock.millis();
        OperationRecord op = newOperation(OperationType.PROVISION, cmd.instanceId(), null, Map.of(), cmd.origin());
        InstanceRecord fresh = new InstanceRecord(cmd.instanceId(), cmd.serviceId(), cmd.planId(), parameters,
                catalogPlan.maintenanceVersion(), dashboard, cmd.origin().context(), cmd.organizationGuid(),
                cmd.spaceGuid(), InstanceState.PROVISIONING, op.operationId(), now, now);
        if (store.insertInstance(fresh, op)) {
            return start(op, async, Outcome.Kind.CREATED).withDashboard(dashboard);
        }
        InstanceRecord existing = store.instance(cmd.instanceId())
                .orElseThrow(() -> new ConcurrencyException("the instance is being deleted; try again"));
        boolean identical = existing.serviceId().equals(cmd.serviceId()) && existing.planId().equals(cmd.planId())
                && existing.parameters().equals(parameters) && sameTenant(existing, cmd)
                && (cmd.maintenanceVersion() == null
                || Objects.equals(cmd.maintenanceVersion(), existing.maintenanceVersion()));
        if (existing.state() == InstanceState.FAILED) {
            // A failed provision may be retried with any attributes: nothing usable exists.
            if (store.retryProvision(fresh, existing.operationId(), op)) {
                return start(op, async, Outcome.Kind.CREATED).withDashboard(dashboard);
            }
            throw new ConcurrencyException("another request is retrying this instance's provision");
        }
        if (!identical) {
            throw new InstanceConflictException("instance " + PlanResolver.printable(cmd.instanceId())
                    + " already exists with other attributes");
        }
        return switch (existing.state()) {
            // Finished: 200, also to a platform that accepts async (202 is only for work in progress).
            case READY -> Outcome.of(Outcome.Kind.EXISTED, null).withDashboard(existing.dashboardUrl());
            case PROVISIONING -> inProgress(cmd.acceptsIncomplete(), existing.operationId(),
                    "the instance is being provisioned by an earlier request").withDashboard(existing.dashboardUrl());
            default -> throw new ConcurrencyException("another operation is in progress on this instance");
        };
    }

    // ---- PATCH /v2/service_instances/{id} --------------------------------------------------

    public Outcome update(Commands.Update cmd) {
        checkSizes(cmd.parameters(), cmd.origin(), null);
        InstanceRecord instance = store.instance(cmd.instanceId()).orElseThrow(() -> instanceNotFound(cmd.instanceId()));
        if (cmd.serviceId() != null && !cmd.serviceId().equals(instance.serviceId())) {
            throw new BadRequestException("service_id does not match the instance's service");
        }
        CatalogPlan current = plans.catalogPlan(instance.serviceId(), instance.planId());
        String targetPlanId = cmd.planId() == null ? instance.planId() : cmd.planId();
        CatalogPlan target = plans.catalogPlan(instance.serviceId(), targetPlanId);
        boolean planChange = !targetPlanId.equals(instance.planId());
        if (planChange && !current.planUpdateable()) {
            throw new PlanChangeRefusedException("plan '" + current.name() + "' cannot be changed to another plan");
        }
        checkMaintenance(target, cmd.maintenanceVersion());
        if (cmd.parameters() != null) {
            plans.validate(target, PlanResolver.Schema.INSTANCE_UPDATE, cmd.parameters());
        }
        Map<String, Object> merged = new LinkedHashMap<>(instance.parameters());
        if (cmd.parameters() != null) {
            merged.putAll(cmd.parameters());
        }
        boolean maintenanceChange = cmd.maintenanceVersion() != null
                && !cmd.maintenanceVersion().equals(instance.maintenanceVersion());
        boolean parameterChange = !merged.equals(instance.parameters());
        if (instance.state() == InstanceState.UPDATING && cmd.acceptsIncomplete()) {
            Optional<OperationRecord> running = store.operation(instance.operationId());
            if (running.isPresent() && targetPlanId.equals(running.get().request().get("plan_id"))
                    && merged.equals(running.get().request().get("parameters"))) {
                return Outcome.of(Outcome.Kind.ACCEPTED, instance.operationId());
            }
        }
        if (instance.state() != InstanceState.READY) {
            throw new ConcurrencyException("another operation is in progress on this instance");
        }
        if (!planChange && !parameterChange && !maintenanceChange) {
            // Context-only (or empty) update: nothing for the backend to do; keep the newest context.
            if (!cmd.origin().context().isEmpty()) {
                store.updateInstanceContext(cmd.instanceId(), cmd.origin().context(), clock.millis());
            }
            return Outcome.of(Outcome.Kind.EXISTED, null);
        }
        Plan<L> plan = plans.plan(targetPlanId);
        boolean async = decideAsync(OperationType.UPDATE, plan, cmd.acceptsIncomplete());
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("previous_plan_id", instance.planId());
        request.put("plan_id", targetPlanId);
        request.put("parameters", merged);
        request.put("maintenance_version", target.maintenanceVersion());
        OperationRecord op = newOperation(OperationType.UPDATE, cmd.instanceId(), null, request, cmd.origin());
        if (!store.startInstanceOperation(cmd.instanceId(), InstanceState.READY, instance.operationId(),
                InstanceState.UPDATING, op)) {
            throw new ConcurrencyException("another operation started on this instance at the same time");
        }
        return start(op, async, Outcome.Kind.EXISTED);
    }

    // ---- DELETE /v2/service_instances/{id} -------------------------------------------------

    public Outcome deprovision(Commands.Deprovision cmd) {
        plans.catalogPlan(cmd.serviceId(), cmd.planId());
        InstanceRecord instance = store.instance(cmd.instanceId()).orElseThrow(() -> instanceNotFound(cmd.instanceId()));
        Plan<L> plan = plans.plan(instance.planId());
        boolean async = decideAsync(OperationType.DEPROVISION, plan, cmd.acceptsIncomplete());
        OperationRecord op = newOperation(OperationType.DEPROVISION, cmd.instanceId(), null, Map.of(), cmd.origin());
        String conflict = store.inTransaction(() -> {
            InstanceRecord locked = store.lockInstance(cmd.instanceId()).orElse(null);
            if (locked == null) {
                return "gone";
            }
            if (locked.state() == InstanceState.DEPROVISIONING) {
                return "deprovisioning:" + locked.operationId();
            }
            boolean provisioning = locked.state() == InstanceState.PROVISIONING;
            if (provisioning && !async) {
                return "the instance is still being provisioned; delete it with accepts_incomplete=true to stop that";
            }
            if (!provisioning && locked.state() != InstanceState.READY && locked.state() != InstanceState.FAILED) {
                return "another operation is in progress on this instance";
            }
            if (store.busyBindings(cmd.instanceId()) > 0) {
                return "a binding of this instance is being created or deleted";
            }
            // Deleting during provisioning takes the instance over; the provision sees it lost
            // the instance when it settles, and the deprovision waits for it (see run()).
            if (provisioning) {
                op.request().put("halted_operation_id", locked.operationId());
            }
            return store.startInstanceOperation(cmd.instanceId(), locked.state(), locked.operationId(),
                    InstanceState.DEPROVISIONING, op) ? null : "another operation started on this instance";
        });
        if (conflict == null) {
            return start(op, async, Outcome.Kind.EXISTED);
        }
        if (conflict.equals("gone")) {
            throw instanceNotFound(cmd.instanceId());
        }
        if (conflict.startsWith("deprovisioning:")) {
            return inProgress(cmd.acceptsIncomplete(), conflict.substring("deprovisioning:".length()),
                    "the instance is being deprovisioned by an earlier request");
        }
        throw new ConcurrencyException(conflict);
    }

    // ---- PUT /v2/service_instances/{id}/service_bindings/{binding_id} ----------------------

    public Outcome bind(Commands.Bind cmd) {
        checkSizes(cmd.parameters(), cmd.origin(), cmd.appGuid());
        CatalogPlan catalogPlan = plans.catalogPlan(cmd.serviceId(), cmd.planId());
        if (!catalogPlan.bindable()) {
            throw new BadRequestException("plan '" + catalogPlan.name() + "' is not bindable");
        }
        Map<String, Object> parameters = orEmpty(cmd.parameters());
        BindingRecord predecessor = null;
        if (cmd.predecessorBindingId() != null) {
            predecessor = predecessorOf(cmd, catalogPlan);
            if (cmd.parameters() == null || cmd.parameters().isEmpty()) {
                parameters = predecessor.parameters();
            }
        }
        plans.validate(catalogPlan, PlanResolver.Schema.BINDING_CREATE, parameters);
        Plan<L> plan = plans.plan(catalogPlan.id());
        boolean async = decideAsync(OperationType.BIND, plan, cmd.acceptsIncomplete());

        long now = clock.millis();
        Long expiresAt = bindingTtl == null ? null : now + bindingTtl.toMillis();
        OperationRecord op = newOperation(OperationType.BIND, cmd.instanceId(), cmd.bindingId(), Map.of(), cmd.origin());
        BindingRecord fresh = new BindingRecord(cmd.bindingId(), cmd.instanceId(), cmd.serviceId(), cmd.planId(),
                parameters, cmd.appGuid(), cmd.predecessorBindingId(), null, BindingState.BINDING, op.operationId(),
                expiresAt, now, now);
        String conflict;
        try {
            conflict = store.inTransaction(() -> {
                InstanceRecord instance = store.lockInstance(cmd.instanceId()).orElse(null);
                if (instance == null) {
                    return "instance-gone";
                }
                if (!instance.planId().equals(cmd.planId())) {
                    return "plan_id is not the instance's plan";
                }
                if (instance.state() != InstanceState.READY) {
                    return "the instance is busy with another operation";
                }
                store.insertBinding(fresh);
                store.insertOperation(op);
                return null;
            });
        } catch (DuplicateKeyException e) {
            return existingBinding(cmd, parameters, op, async);
        }
        if ("instance-gone".equals(conflict)) {
            throw instanceNotFound(cmd.instanceId());
        }
        if (conflict != null && conflict.startsWith("plan_id")) {
            throw new BadRequestException(conflict);
        }
        if (conflict != null) {
            throw new ConcurrencyException(conflict);
        }
        return start(op, async, Outcome.Kind.CREATED);
    }

    private Outcome existingBinding(Commands.Bind cmd, Map<String, Object> parameters, OperationRecord op,
                                    boolean async) {
        BindingRecord existing = store.binding(cmd.bindingId())
                .orElseThrow(() -> new ConcurrencyException("the binding is being deleted; try again"));
        boolean identical = existing.instanceId().equals(cmd.instanceId()) && existing.planId().equals(cmd.planId())
                && existing.parameters().equals(parameters) && Objects.equals(existing.appGuid(), cmd.appGuid())
                && Objects.equals(existing.predecessorId(), cmd.predecessorBindingId());
        if (!identical) {
            throw new BindingConflictException("binding " + PlanResolver.printable(cmd.bindingId())
                    + " already exists with other attributes");
        }
        return switch (existing.state()) {
            case READY -> readyBinding(existing, Outcome.Kind.EXISTED, null);
            case BINDING -> inProgress(cmd.acceptsIncomplete(), existing.operationId(),
                    "the binding is being created by an earlier request");
            case FAILED -> {
                if (store.startBindingOperation(cmd.bindingId(), BindingState.FAILED, existing.operationId(),
                        BindingState.BINDING, op)) {
                    yield start(op, async, Outcome.Kind.CREATED);
                }
                throw new ConcurrencyException("another request is retrying this binding");
            }
            default -> throw new ConcurrencyException("the binding is being deleted");
        };
    }

    private BindingRecord predecessorOf(Commands.Bind cmd, CatalogPlan plan) {
        if (!plan.bindingRotatable()) {
            throw new BadRequestException("plan '" + plan.name() + "' does not allow binding rotation");
        }
        BindingRecord predecessor = store.binding(cmd.predecessorBindingId())
                .filter(b -> b.instanceId().equals(cmd.instanceId()))
                .orElseThrow(() -> new BadRequestException("predecessor_binding_id is not a binding of this instance"));
        if (predecessor.state() != BindingState.READY) {
            throw new BadRequestException("predecessor_binding_id names a binding that is not usable");
        }
        if (predecessor.expiresAt() != null && predecessor.expiresAt() <= clock.millis()) {
            throw new BadRequestException("predecessor_binding_id names an expired binding");
        }
        return predecessor;
    }

    // ---- DELETE .../service_bindings/{binding_id} ------------------------------------------

    public Outcome unbind(Commands.Unbind cmd) {
        plans.catalogPlan(cmd.serviceId(), cmd.planId());
        BindingRecord binding = store.binding(cmd.bindingId())
                .filter(b -> b.instanceId().equals(cmd.instanceId()))
                .orElseThrow(() -> bindingNotFound(cmd.bindingId()));
        Plan<L> plan = plans.plan(binding.planId());
        boolean async = decideAsync(OperationType.UNBIND, plan, cmd.acceptsIncomplete());
        if (binding.state() == BindingState.UNBINDING) {
            return inProgress(cmd.acceptsIncomplete(), binding.operationId(),
                    "the binding is being deleted by an earlier request");
        }
        if (binding.state() == BindingState.BINDING) {
            throw new ConcurrencyException("the binding is still being created");
        }
        OperationRecord op = newOperation(OperationType.UNBIND, cmd.instanceId(), cmd.bindingId(), Map.of(),
                cmd.origin());
        return startUnbind(binding, op, async);
    }

    private Outcome startUnbind(BindingRecord binding, OperationRecord op, boolean async) {
        String conflict = store.inTransaction(() -> {
            InstanceRecord instance = store.lockInstance(binding.instanceId()).orElse(null);
            if (instance == null) {
                return "gone";
            }
            if (instance.state() == InstanceState.DEPROVISIONING || instance.state() == InstanceState.PROVISIONING) {
                return "the instance is busy with another operation";
            }
            return store.startBindingOperation(binding.bindingId(), binding.state(), binding.operationId(),
                    BindingState.UNBINDING, op) ? null : "another operation started on this binding";
        });
        if ("gone".equals(conflict)) {
            throw bindingNotFound(binding.bindingId());
        }
        if (conflict != null) {
            throw new ConcurrencyException(conflict);
        }
        return start(op, async, Outcome.Kind.EXISTED);
    }

    // ---- GET endpoints ---------------------------------------------------------------------

    public Views.Instance instance(String instanceId) {
        InstanceRecord instance = store.instance(instanceId).orElseThrow(() -> instanceNotFound(instanceId));
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
        return new Views.Instance(instance.serviceId(), instance.planId(), instance.dashboardUrl(),
                instance.parameters(), instance.maintenanceVersion(), plan.maintenanceDescription());
    }

    public Views.Binding binding(String instanceId, String bindingId) {
        BindingRecord binding = store.binding(bindingId).filter(b -> b.instanceId().equals(instanceId))
                .orElseThrow(() -> bindingNotFound(bindingId));
        CatalogPlan plan = plans.catalogPlan(binding.serviceId(), binding.planId());
        if (!plan.bindingsRetrievable()) {
            throw new BadRequestException("bindings of service '" + plan.serviceName() + "' are not retrievable");
        }
        if (binding.state() != BindingState.READY) {
            throw new NotReadyException("the binding is not ready");
        }
        return new Views.Binding(openCredentials(binding), binding.parameters(), binding.expiresAt(),
                renewBefore(binding.expiresAt()));
    }

    public Views.LastOperation lastInstanceOperation(String instanceId, String operationId) {
        StateStore.OperationPoll poll = store.pollInstanceOperation(instanceId, operationId).orElseThrow(() ->
                operationId != null && store.instance(instanceId).isPresent()
                        ? unknownOperation(operationId, "instance " + PlanResolver.printable(instanceId))
                        : instanceNotFound(instanceId));
        StateStore.OperationSummary op = poll.operation();
        boolean gone = op.type() == OperationType.DEPROVISION && op.status() == OperationStatus.SUCCEEDED;
        if (!poll.resourceExists() && !gone
                && !(op.status() == OperationStatus.FAILED && op.type() == OperationType.PROVISION)) {
            throw instanceNotFound(instanceId);
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

    public Views.LastOperation lastBindingOperation(String instanceId, String bindingId, String operationId) {
        StateStore.OperationPoll poll = store.pollBindingOperation(instanceId, bindingId, operationId).orElseThrow(() ->
                operationId != null && store.binding(bindingId).filter(b -> b.instanceId().equals(instanceId)).isPresent()
                        ? unknownOperation(operationId, "binding " + PlanResolver.printable(bindingId))
                        : bindingNotFound(bindingId));
        StateStore.OperationSummary op = poll.operation();
        boolean gone = op.type() == OperationType.UNBIND && op.status() == OperationStatus.SUCCEEDED;
        if (!gone && !poll.resourceExists() && !(op.type() == OperationType.BIND && op.status() == OperationStatus.FAILED)) {
            throw bindingNotFound(bindingId);
        }
        return new Views.LastOperation(op.type(), op.status(), op.description(), gone, null, null);
    }

    // ---- running operations ----------------------------------------------------------------

    private Outcome start(OperationRecord op, boolean async, Outcome.Kind syncKind) {
        audit(op);
        if (async) {
            runner.submit(op.operationId());
            return Outcome.of(Outcome.Kind.ACCEPTED, op.operationId());
        }
        Object result = runner.runHere(op.operationId(), () -> execute(op, true));
        if (result instanceof BindingRecord binding) {
            return readyBinding(binding, syncKind, null);
        }
        return Outcome.of(syncKind, null);
    }

    /** Runs (or resumes) one recorded operation; outcome and failure are recorded, never thrown. */
    public void run(String operationId) {
        store.operation(operationId).filter(op -> op.status() == OperationStatus.IN_PROGRESS).ifPresent(op -> {
            try {
                execute(op, false);
            } catch (RuntimeException e) {
                // Already recorded by execute(); nothing is waiting for the answer.
                LOG.debug("async operation {} ended with {}", operationId, e.getClass().getSimpleName());
            }
        });
    }

    /**
     * Calls the backend for a recorded operation and settles instance, binding and operation:
     * each execute method records the resource's new state and the operation's success in one
     * transaction. In a request ({@code inRequest}) a failure is rethrown for the HTTP answer; a
     * 4xx failure of a creation then leaves nothing behind, as the spec requires.
     */
    private Object execute(OperationRecord op, boolean inRequest) {
        try {
            return switch (op.type()) {
                case PROVISION -> executeProvision(op);
                case UPDATE -> executeUpdate(op);
                case DEPROVISION -> executeDeprovision(op);
                case BIND -> executeBind(op);
                case UNBIND -> executeUnbind(op);
            };
        } catch (Superseded e) {
            store.finishOperation(op.operationId(), OperationStatus.FAILED, e.getMessage(), clock.millis());
            if (inRequest) {
                throw new ConcurrencyException(e.getMessage());
            }
            return null;
        } catch (BrokerException e) {
            fail(op, e.description(), inRequest && isClientError(e));
            throw e;
        } catch (RuntimeException e) {
            LOG.error("{} of instance {} failed in the backend", op.type(), op.instanceId(), e);
            fail(op, op.type().name().toLowerCase() + " failed in the backend; see the broker log for operation "
                    + op.operationId(), false);
            throw new InternalErrorException(op.type().name().toLowerCase() + " failed; see the broker log for operation "
                    + op.operationId());
        }
    }

    private static boolean isClientError(BrokerException e) {
        return e instanceof InvalidParametersException || e instanceof CapacityExhaustedException
                || e instanceof PlanChangeRefusedException || e instanceof BadRequestException;
    }

    private Void executeProvision(OperationRecord op) {
        InstanceRecord instance = ownedInstance(op);
        backend.provision(new ProvisionRequest<>(instance.instanceId(), plans.plan(instance.planId()),
                instance.parameters(), origin(op)));
        if (!store.completeInstanceOperation(instance.instanceId(), op.operationId(), null, null, null, clock.millis())) {
            throw new Superseded("provisioning was halted by a deprovision request");
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private Void executeUpdate(OperationRecord op) {
        InstanceRecord instance = ownedInstance(op);
        String planId = (String) op.request().get("plan_id");
        Map<String, Object> parameters = (Map<String, Object>) op.request().get("parameters");
        List<String> bindingIds = store.bindingsOf(instance.instanceId()).stream().map(BindingRecord::bindingId).toList();
        backend.update(new UpdateRequest<>(instance.instanceId(), plans.plan(instance.planId()), plans.plan(planId),
                parameters, bindingIds, origin(op)));
        if (!store.completeInstanceOperation(instance.instanceId(), op.operationId(), planId, parameters,
                (String) op.request().get("maintenance_version"), clock.millis())) {
            throw new Superseded("a later operation took over this instance");
        }
        return null;
    }

    private Void executeDeprovision(OperationRecord op) {
        InstanceRecord instance = ownedInstance(op);
        Object halted = op.request().get("halted_operation_id");
        if (halted != null) {
            awaitHalted((String) halted);
        }
        List<String> bindingIds = store.bindingsOf(instance.instanceId()).stream().map(BindingRecord::bindingId).toList();
        backend.deprovision(new DeprovisionRequest<>(instance.instanceId(), plans.plan(instance.planId()), bindingIds,
                origin(op)));
        store.finishDeprovision(instance.instanceId(), op.operationId(), clock.millis());
        return null;
    }

    /** A deprovision that halted a provision waits (bounded) until that provision's backend call returned. */
    private void awaitHalted(String provisionOperationId) {
        long deadline = clock.millis() + Duration.ofMinutes(10).toMillis();
        while (clock.millis() < deadline) {
            Optional<OperationRecord> provision = store.operation(provisionOperationId);
            if (provision.isEmpty() || provision.get().status() != OperationStatus.IN_PROGRESS) {
                return;
            }
            if (provision.get().owner() == null || provision.get().leaseUntil() < clock.millis()) {
                // Its replica is gone: nobody will settle it, so it is over.
                store.finishOperation(provisionOperationId, OperationStatus.FAILED,
                        "provisioning was halted by a deprovision request", clock.millis());
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a halted provision");
            }
        }
        throw new IllegalStateException("a halted provision did not stop within 10 minutes");
    }

    private BindingRecord executeBind(OperationRecord op) {
        BindingRecord binding = ownedBinding(op);
        InstanceRecord instance = store.instance(binding.instanceId())
                .orElseThrow(() -> new Superseded("the instance was deleted"));
        List<String> others = store.bindingsOf(binding.instanceId()).stream().map(BindingRecord::bindingId)
                .filter(id -> !id.equals(binding.bindingId())).toList();
        Credentials credentials = backend.bind(new BindRequest<>(binding.instanceId(), binding.bindingId(),
                plans.plan(binding.planId()), binding.parameters(), instance.parameters(), binding.appGuid(),
                binding.predecessorId(), others, origin(op)));
        String sealed = secrets.seal(write(credentials.asMap()));
        if (!store.completeBinding(binding.bindingId(), op.operationId(), sealed, clock.millis())) {
            throw new Superseded("the binding was deleted while it was being created");
        }
        return new BindingRecord(binding.bindingId(), binding.instanceId(), binding.serviceId(), binding.planId(),
                binding.parameters(), binding.appGuid(), binding.predecessorId(), sealed, BindingState.READY,
                op.operationId(), binding.expiresAt(), binding.createdAt(), clock.millis());
    }

    private Void executeUnbind(OperationRecord op) {
        BindingRecord binding = ownedBinding(op);
        List<String> others = store.bindingsOf(binding.instanceId()).stream().map(BindingRecord::bindingId)
                .filter(id -> !id.equals(binding.bindingId())).toList();
        backend.unbind(new UnbindRequest<>(binding.instanceId(), binding.bindingId(), plans.plan(binding.planId()),
                others, origin(op)));
        store.finishUnbind(binding.bindingId(), op.operationId(), clock.millis());
        return null;
    }

    private InstanceRecord ownedInstance(OperationRecord op) {
        return store.instance(op.instanceId()).filter(i -> i.operationId().equals(op.operationId()))
                .orElseThrow(() -> new Superseded("a later operation took over this instance"));
    }

    private BindingRecord ownedBinding(OperationRecord op) {
        return store.binding(op.bindingId()).filter(b -> b.operationId().equals(op.operationId()))
                .orElseThrow(() -> new Superseded("a later operation took over this binding"));
    }

    /** Records a failed operation and what it leaves of its resource, in one transaction. */
    private void fail(OperationRecord op, String description, boolean undoCreation) {
        store.inTransaction(() -> {
            recordFailure(op, description, undoCreation);
            return null;
        });
    }

    private void recordFailure(OperationRecord op, String description, boolean undoCreation) {
        long now = clock.millis();
        store.finishOperation(op.operationId(), OperationStatus.FAILED, description, now);
        switch (op.type()) {
            case PROVISION -> {
                if (undoCreation) {
                    // 4xx: the backend made nothing, so the broker keeps nothing either.
                    store.deleteInstance(op.instanceId(), op.operationId());
                } else {
                    store.settleInstance(op.instanceId(), op.operationId(), InstanceState.FAILED, null, null, null, now);
                }
            }
            case UPDATE -> store.settleInstance(op.instanceId(), op.operationId(), InstanceState.READY, null, null,
                    null, now);
            case DEPROVISION -> store.settleInstance(op.instanceId(), op.operationId(), InstanceState.FAILED, null,
                    null, null, now);
            case BIND -> {
                if (undoCreation) {
                    store.deleteBinding(op.bindingId(), op.operationId());
                } else {
                    store.settleBinding(op.bindingId(), op.operationId(), BindingState.FAILED, null, now);
                }
            }
            case UNBIND -> store.settleBinding(op.bindingId(), op.operationId(), BindingState.READY, null, now);
        }
    }

    @Override
    public void forEachReady(java.util.function.Consumer<Instance<L>> action) {
        String after = "";
        while (true) {
            List<InstanceRecord> page = store.readyInstances(after, 500);
            for (InstanceRecord instance : page) {
                action.accept(new Instance<>(instance.instanceId(), plans.plan(instance.planId()), instance.parameters()));
            }
            if (page.size() < 500) {
                return;
            }
            after = page.get(page.size() - 1).instanceId();
        }
    }

    /** Unbinds bindings whose {@code expires_at} passed; run by the sweeper. */
    public void expireBindings() {
        if (bindingTtl == null) {
            return;
        }
        for (BindingRecord binding : store.expiredBindings(clock.millis(), 50)) {
            OperationRecord op = newOperation(OperationType.UNBIND, binding.instanceId(), binding.bindingId(),
                    new LinkedHashMap<>(Map.of("reason", "expired")), Origin.NONE);
            try {
                startUnbind(binding, op, true);
            } catch (BrokerException e) {
                LOG.debug("expired binding {} not unbound yet: {}", binding.bindingId(), e.description());
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private boolean decideAsync(OperationType type, Plan<L> plan, boolean acceptsIncomplete) {
        OperationMode mode = backend.mode(type, plan);
        if (mode == OperationMode.ASYNC_ONLY && !acceptsIncomplete) {
            throw new AsyncRequiredException("this " + type.name().toLowerCase()
                    + " runs asynchronously; send accepts_incomplete=true");
        }
        return mode != OperationMode.SYNC && acceptsIncomplete;
    }

    private static Outcome inProgress(boolean acceptsIncomplete, String operationId, String description) {
        if (acceptsIncomplete) {
            return Outcome.of(Outcome.Kind.ACCEPTED, operationId);
        }
        throw new ConcurrencyException(description);
    }

    private void checkMaintenance(CatalogPlan plan, String requested) {
        if (requested != null && !requested.equals(plan.maintenanceVersion())) {
            throw new MaintenanceInfoConflictException("maintenance_info.version " + PlanResolver.printable(requested)
                    + " is not plan '" + plan.name() + "' version " + plan.maintenanceVersion());
        }
    }

    private Outcome readyBinding(BindingRecord binding, Outcome.Kind kind, String operation) {
        return new Outcome(kind, operation, null, openCredentials(binding), binding.expiresAt(),
                renewBefore(binding.expiresAt()));
    }

    /** A fifth of the lifetime before expiry, so a platform has time to rotate. */
    private Long renewBefore(Long expiresAt) {
        return expiresAt == null || bindingTtl == null ? null : expiresAt - bindingTtl.toMillis() / 5;
    }

    private Credentials openCredentials(BindingRecord binding) {
        try {
            return Credentials.of(json.readValue(secrets.open(binding.sealedCredentials()), MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored credentials of a binding are not readable");
        }
    }

    private OperationRecord newOperation(OperationType type, String instanceId, String bindingId,
                                         Map<String, Object> request, Origin origin) {
        long now = clock.millis();
        Map<String, Object> audit = new LinkedHashMap<>();
        audit.put("platform", origin.platform());
        audit.put("context", origin.context());
        audit.put("originating_identity", origin.originatingIdentity());
        audit.put("request_identity", origin.requestIdentity());
        return new OperationRecord(UUID.randomUUID().toString(), instanceId, bindingId, type,
                OperationStatus.IN_PROGRESS, null, new LinkedHashMap<>(request), audit, runner.owner(),
                runner.leaseUntil(), now, now);
    }

    @SuppressWarnings("unchecked")
    private static Origin origin(OperationRecord op) {
        Map<String, Object> o = op.origin();
        return new Origin((String) o.get("platform"), (Map<String, Object>) o.get("context"),
                (Map<String, Object>) o.get("originating_identity"), (String) o.get("request_identity"));
    }

    private void audit(OperationRecord op) {
        if (AUDIT.isInfoEnabled()) {
            AUDIT.info("operation={} type={} instance={} binding={} origin={}", op.operationId(), op.type(),
                    op.instanceId(), op.bindingId(), op.origin());
        }
    }

    private String write(Map<String, Object> map) {
        try {
            return json.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("credentials are not JSON-serializable");
        }
    }

    private static Map<String, Object> orEmpty(Map<String, Object> parameters) {
        return parameters == null ? Map.of() : parameters;
    }

    /**
     * Keeps what a platform sends within what every supported state store column holds (MariaDB's
     * TEXT is 64 kB): too much is the client's mistake, a 400, never a failed INSERT and a 500.
     */
    private void checkSizes(Map<String, Object> parameters, Origin origin, String appGuid) {
        if (parameters != null && write(parameters).length() > MAX_JSON_CHARS) {
            throw new InvalidParametersException("parameters are larger than " + MAX_JSON_CHARS / 1024 + " kB");
        }
        if (write(origin.context()).length() > MAX_JSON_CHARS) {
            throw new BadRequestException("context is larger than " + MAX_JSON_CHARS / 1024 + " kB");
        }
        if (appGuid != null && appGuid.length() > 255) {
            throw new BadRequestException("bind_resource.app_guid is longer than 255 characters");
        }
    }

    /**
     * The resource exists but never had this operation: a 400 that names it, rather than a 404 that
     * would tell the platform the resource is gone, or another operation's state under its name.
     */
    private static BadRequestException unknownOperation(String operationId, String resource) {
        return new BadRequestException("operation " + PlanResolver.printable(operationId) + " is not an operation of "
                + resource + "; poll without an operation for its latest one");
    }

    private static void requireNonEmpty(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new BadRequestException(field + " is required and must be a non-empty string");
        }
    }

    /** The context keys that say whose instance it is (Cloud Foundry and Kubernetes profiles). */
    private static final List<String> TENANT_KEYS = List.of("platform", "organization_guid", "space_guid",
            "namespace", "clusterid");

    /**
     * Whether a re-provision comes from the instance's own organization and space. A value the store
     * does not have (an instance stored before it recorded them) matches anything.
     */
    private static boolean sameTenant(InstanceRecord existing, Commands.Provision cmd) {
        return storedMatches(existing.organizationGuid(), cmd.organizationGuid())
                && storedMatches(existing.spaceGuid(), cmd.spaceGuid())
                && TENANT_KEYS.stream().allMatch(key -> storedMatches(existing.context().get(key),
                cmd.origin().context().get(key)));
    }

    private static boolean storedMatches(Object stored, Object requested) {
        return stored == null || stored.equals(requested);
    }

    private static InstanceNotFoundException instanceNotFound(String instanceId) {
        return new InstanceNotFoundException("instance " + PlanResolver.printable(instanceId) + " does not exist");
    }

    private static BindingNotFoundException bindingNotFound(String bindingId) {
        return new BindingNotFoundException("binding " + PlanResolver.printable(bindingId) + " does not exist");
    }

    /** The operation lost its instance or binding to a later one; it ends as failed without effect. */
    private static final class Superseded extends RuntimeException {
        Superseded(String message) {
            super(message, null, false, false);
        }
    }
}
