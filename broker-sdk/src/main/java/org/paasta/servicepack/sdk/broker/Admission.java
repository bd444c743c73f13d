package org.paasta.servicepack.sdk.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.paasta.servicepack.sdk.InvalidParametersException;
import org.paasta.servicepack.sdk.OperationMode;
import org.paasta.servicepack.sdk.OperationType;
import org.paasta.servicepack.sdk.Origin;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.PlanChangeRefusedException;
import org.paasta.servicepack.sdk.ServiceBackend;
import org.paasta.servicepack.sdk.catalog.CatalogPlan;
import org.paasta.servicepack.sdk.state.BindingRecord;
import org.paasta.servicepack.sdk.state.BindingState;
import org.paasta.servicepack.sdk.state.InstanceRecord;
import org.paasta.servicepack.sdk.state.InstanceState;
import org.paasta.servicepack.sdk.state.OperationRecord;
import org.paasta.servicepack.sdk.state.StateStore;
import org.springframework.dao.DuplicateKeyException;

/**
 * Admission of the OSB requests that change something: the spec's rules of idempotency and
 * conflict, decided in the state store before any author code runs. An admitted request is a
 * recorded operation, handed to {@link Operations}; a repeated one gets the answer its first
 * attempt got (or is getting); a conflicting one gets its 409, 410 or 422 here.
 */
public final class Admission<L> {
    private static final int MAX_JSON_CHARS = 16 * 1024;
    /** The context keys that say whose instance it is (Cloud Foundry and Kubernetes profiles). */
    private static final List<String> TENANT_KEYS = List.of("platform", "organization_guid", "space_guid",
            "namespace", "clusterid");

    private final ServiceBackend<L> backend;
    private final PlanResolver<L> plans;
    private final StateStore store;
    private final Operations<L> operations;
    private final BindingLifetime lifetime;
    private final DashboardLinks dashboards;
    private final ObjectMapper json;
    private final Clock clock;

    Admission(ServiceBackend<L> backend, PlanResolver<L> plans, StateStore store, Operations<L> operations,
              BindingLifetime lifetime, DashboardLinks dashboards, ObjectMapper json, Clock clock) {
        this.backend = backend;
        this.plans = plans;
        this.store = store;
        this.operations = operations;
        this.lifetime = lifetime;
        this.dashboards = dashboards;
        this.json = json;
        this.clock = clock;
    }

    /** The backend's own dashboard (stored at provision) or else the SDK's, freshly signed. */
    String dashboardOf(InstanceRecord instance) {
        return instance.dashboardUrl() != null ? instance.dashboardUrl() : dashboards.linkFor(instance);
    }

    // ---- PUT /v2/service_instances/{id} ----------------------------------------------------

    public Outcome provision(Commands.Provision cmd) {
        requireGuid("organization_guid", cmd.organizationGuid());
        requireGuid("space_guid", cmd.spaceGuid());
        checkSizes(cmd.parameters(), cmd.origin(), null);
        CatalogPlan catalogPlan = plans.catalogPlan(cmd.serviceId(), cmd.planId());
        checkMaintenance(catalogPlan, cmd.maintenanceVersion());
        plans.validate(catalogPlan, PlanResolver.Schema.INSTANCE_CREATE, cmd.parameters());
        Plan<L> plan = plans.plan(catalogPlan.id());
        boolean async = decideAsync(OperationType.PROVISION, plan, cmd.acceptsIncomplete());
        String dashboard = backend.dashboardUrl(cmd.instanceId(), plan);
        Map<String, Object> parameters = orEmpty(cmd.parameters());

        long now = clock.millis();
        OperationRecord op = operations.newOperation(OperationType.PROVISION, cmd.instanceId(), null,
                cmd.planId(), Map.of(), cmd.origin());
        InstanceRecord fresh = new InstanceRecord(cmd.instanceId(), cmd.serviceId(), cmd.planId(), parameters,
                catalogPlan.maintenanceVersion(), dashboard, cmd.origin().context(), cmd.organizationGuid(),
                cmd.spaceGuid(), InstanceState.PROVISIONING, op.operationId(), now, now);
        if (store.insertInstance(fresh, op)) {
            return operations.start(op, async, Outcome.Kind.CREATED).withDashboard(dashboardOf(fresh));
        }
        InstanceRecord existing = store.instance(cmd.instanceId())
                .orElseThrow(() -> new ConcurrencyException("the instance is being deleted; try again"));
        if (existing.state() == InstanceState.FAILED) {
            // A failed provision may be retried with any attributes: nothing usable exists.
            if (store.retryProvision(fresh, existing.operationId(), op)) {
                // The retry keeps the row's creation time, which the link is signed for.
                InstanceRecord retried = new InstanceRecord(fresh.instanceId(), fresh.serviceId(), fresh.planId(),
                        fresh.parameters(), fresh.maintenanceVersion(), fresh.dashboardUrl(), fresh.context(),
                        fresh.organizationGuid(), fresh.spaceGuid(), fresh.state(), fresh.operationId(),
                        existing.createdAt(), fresh.updatedAt());
                return operations.start(op, async, Outcome.Kind.CREATED).withDashboard(dashboardOf(retried));
            }
            throw new ConcurrencyException("another request is retrying this instance's provision");
        }
        boolean identical = existing.serviceId().equals(cmd.serviceId()) && existing.planId().equals(cmd.planId())
                && existing.parameters().equals(parameters) && sameTenant(existing, cmd)
                && (cmd.maintenanceVersion() == null
                || Objects.equals(cmd.maintenanceVersion(), existing.maintenanceVersion()));
        if (!identical) {
            throw new InstanceConflictException("instance " + PlanResolver.printable(cmd.instanceId())
                    + " already exists with other attributes");
        }
        return switch (existing.state()) {
            // Finished: 200, also to a platform that accepts async (202 is only for work in progress).
            case READY -> Outcome.of(Outcome.Kind.EXISTED, null).withDashboard(dashboardOf(existing));
            case PROVISIONING -> inProgress(cmd.acceptsIncomplete(), existing.operationId(),
                    "the instance is being provisioned by an earlier request").withDashboard(dashboardOf(existing));
            default -> throw new ConcurrencyException("another operation is in progress on this instance");
        };
    }

    // ---- PATCH /v2/service_instances/{id} --------------------------------------------------

    public Outcome update(Commands.Update cmd) {
        checkSizes(cmd.parameters(), cmd.origin(), null);
        InstanceRecord instance = store.instance(cmd.instanceId())
                .orElseThrow(() -> Refusals.instanceNotFound(cmd.instanceId()));
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
                return Outcome.of(Outcome.Kind.ACCEPTED, instance.operationId()).withDashboard(dashboardOf(instance));
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
            // v2.14+ platforms keep the dashboard_url of an update response: a fresh link.
            return Outcome.of(Outcome.Kind.EXISTED, null).withDashboard(dashboardOf(instance));
        }
        Plan<L> plan = plans.plan(targetPlanId);
        boolean async = decideAsync(OperationType.UPDATE, plan, cmd.acceptsIncomplete());
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("previous_plan_id", instance.planId());
        request.put("plan_id", targetPlanId);
        request.put("parameters", merged);
        request.put("maintenance_version", target.maintenanceVersion());
        OperationRecord op = operations.newOperation(OperationType.UPDATE, cmd.instanceId(), null,
                targetPlanId, request, cmd.origin());
        if (!store.startInstanceOperation(cmd.instanceId(), InstanceState.READY, instance.operationId(),
                InstanceState.UPDATING, op)) {
            throw new ConcurrencyException("another operation started on this instance at the same time");
        }
        return operations.start(op, async, Outcome.Kind.EXISTED).withDashboard(dashboardOf(instance));
    }

    // ---- DELETE /v2/service_instances/{id} -------------------------------------------------

    public Outcome deprovision(Commands.Deprovision cmd) {
        plans.catalogPlan(cmd.serviceId(), cmd.planId());
        InstanceRecord instance = store.instance(cmd.instanceId())
                .orElseThrow(() -> Refusals.instanceNotFound(cmd.instanceId()));
        Plan<L> plan = plans.plan(instance.planId());
        boolean async = decideAsync(OperationType.DEPROVISION, plan, cmd.acceptsIncomplete());
        OperationRecord op = operations.newOperation(OperationType.DEPROVISION, cmd.instanceId(), null,
                instance.planId(), Map.of(), cmd.origin());
        Conflict conflict = store.inTransaction(() -> {
            InstanceRecord locked = store.lockInstance(cmd.instanceId()).orElse(null);
            if (locked == null) {
                return new Conflict.Gone();
            }
            if (locked.state() == InstanceState.DEPROVISIONING) {
                return new Conflict.InProgress(locked.operationId(),
                        "the instance is being deprovisioned by an earlier request");
            }
            boolean provisioning = locked.state() == InstanceState.PROVISIONING;
            if (provisioning && !async) {
                return new Conflict.Busy("the instance is still being provisioned; delete it with "
                        + "accepts_incomplete=true to stop that");
            }
            if (!provisioning && locked.state() != InstanceState.READY && locked.state() != InstanceState.FAILED) {
                return new Conflict.Busy("another operation is in progress on this instance");
            }
            if (store.busyBindings(cmd.instanceId()) > 0) {
                return new Conflict.Busy("a binding of this instance is being created or deleted");
            }
            // Deleting during provisioning takes the instance over; the provision sees it lost
            // the instance when it settles, and the deprovision waits for it (see Operations).
            if (provisioning) {
                op.request().put("halted_operation_id", locked.operationId());
            }
            return store.startInstanceOperation(cmd.instanceId(), locked.state(), locked.operationId(),
                    InstanceState.DEPROVISIONING, op) ? null
                    : new Conflict.Busy("another operation started on this instance");
        });
        if (conflict == null) {
            return operations.start(op, async, Outcome.Kind.EXISTED);
        }
        if (conflict instanceof Conflict.InProgress running) {
            return inProgress(cmd.acceptsIncomplete(), running.operationId(), running.why());
        }
        throw Refusals.of(conflict, () -> Refusals.instanceNotFound(cmd.instanceId()));
    }

    // ---- PUT /v2/service_instances/{id}/service_bindings/{binding_id} ----------------------

    public Outcome bind(Commands.Bind cmd) {
        checkSizes(cmd.parameters(), cmd.origin(), cmd.appGuid());
        CatalogPlan catalogPlan = plans.catalogPlan(cmd.serviceId(), cmd.planId());
        if (!catalogPlan.bindable()) {
            throw new BadRequestException("plan '" + catalogPlan.name() + "' is not bindable");
        }
        Map<String, Object> parameters = orEmpty(cmd.parameters());
        if (cmd.predecessorBindingId() != null) {
            BindingRecord predecessor = predecessorOf(cmd, catalogPlan);
            if (cmd.parameters() == null || cmd.parameters().isEmpty()) {
                parameters = predecessor.parameters();
            }
        }
        plans.validate(catalogPlan, PlanResolver.Schema.BINDING_CREATE, parameters);
        Plan<L> plan = plans.plan(catalogPlan.id());
        boolean async = decideAsync(OperationType.BIND, plan, cmd.acceptsIncomplete());

        long now = clock.millis();
        OperationRecord op = operations.newOperation(OperationType.BIND, cmd.instanceId(), cmd.bindingId(),
                cmd.planId(), Map.of(), cmd.origin());
        BindingRecord fresh = new BindingRecord(cmd.bindingId(), cmd.instanceId(), cmd.serviceId(), cmd.planId(),
                parameters, cmd.appGuid(), cmd.predecessorBindingId(), null, BindingState.BINDING, op.operationId(),
                lifetime.expiresAt(now), now, now);
        Conflict conflict;
        try {
            conflict = store.inTransaction(() -> {
                InstanceRecord instance = store.lockInstance(cmd.instanceId()).orElse(null);
                if (instance == null) {
                    return new Conflict.Gone();
                }
                if (!instance.planId().equals(cmd.planId())) {
                    return new Conflict.Mismatch("plan_id is not the instance's plan");
                }
                if (instance.state() != InstanceState.READY) {
                    return new Conflict.Busy("the instance is busy with another operation");
                }
                store.insertBinding(fresh);
                store.insertOperation(op);
                return null;
            });
        } catch (DuplicateKeyException e) {
            return existingBinding(cmd, parameters, op, async);
        }
        if (conflict == null) {
            return operations.start(op, async, Outcome.Kind.CREATED);
        }
        throw Refusals.of(conflict, () -> Refusals.instanceNotFound(cmd.instanceId()));
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
            // Finished: 200 with the credentials, also to a platform that accepts async.
            case READY -> operations.readyBinding(existing, Outcome.Kind.EXISTED);
            case BINDING -> inProgress(cmd.acceptsIncomplete(), existing.operationId(),
                    "the binding is being created by an earlier request");
            case FAILED -> {
                if (store.startBindingOperation(cmd.bindingId(), BindingState.FAILED, existing.operationId(),
                        BindingState.BINDING, op)) {
                    yield operations.start(op, async, Outcome.Kind.CREATED);
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
                .orElseThrow(() -> Refusals.bindingNotFound(cmd.bindingId()));
        Plan<L> plan = plans.plan(binding.planId());
        boolean async = decideAsync(OperationType.UNBIND, plan, cmd.acceptsIncomplete());
        if (binding.state() == BindingState.UNBINDING) {
            return inProgress(cmd.acceptsIncomplete(), binding.operationId(),
                    "the binding is being deleted by an earlier request");
        }
        if (binding.state() == BindingState.BINDING) {
            throw new ConcurrencyException("the binding is still being created");
        }
        OperationRecord op = operations.newOperation(OperationType.UNBIND, cmd.instanceId(), cmd.bindingId(),
                binding.planId(), Map.of(), cmd.origin());
        return startUnbind(binding, op, async);
    }

    /** Unbinds on the broker's own account (an expired binding); a conflict means: not now. */
    void unbindExpired(BindingRecord binding) {
        OperationRecord op = operations.newOperation(OperationType.UNBIND, binding.instanceId(), binding.bindingId(),
                binding.planId(), new LinkedHashMap<>(Map.of("reason", "expired")), Origin.NONE);
        startUnbind(binding, op, true);
    }

    private Outcome startUnbind(BindingRecord binding, OperationRecord op, boolean async) {
        Conflict conflict = store.inTransaction(() -> {
            InstanceRecord instance = store.lockInstance(binding.instanceId()).orElse(null);
            if (instance == null) {
                return new Conflict.Gone();
            }
            if (instance.state() == InstanceState.DEPROVISIONING || instance.state() == InstanceState.PROVISIONING) {
                return new Conflict.Busy("the instance is busy with another operation");
            }
            return store.startBindingOperation(binding.bindingId(), binding.state(), binding.operationId(),
                    BindingState.UNBINDING, op) ? null : new Conflict.Busy("another operation started on this binding");
        });
        if (conflict == null) {
            return operations.start(op, async, Outcome.Kind.EXISTED);
        }
        throw Refusals.of(conflict, () -> Refusals.bindingNotFound(binding.bindingId()));
    }

    // ---- rules shared by the endpoints -----------------------------------------------------

    private boolean decideAsync(OperationType type, Plan<L> plan, boolean acceptsIncomplete) {
        OperationMode mode = backend.mode(type, plan);
        if (mode == OperationMode.ASYNC_ONLY && !acceptsIncomplete) {
            throw new AsyncRequiredException("this " + type.name().toLowerCase()
                    + " runs asynchronously; send accepts_incomplete=true");
        }
        return mode != OperationMode.SYNC && acceptsIncomplete;
    }

    /** A repeat of work still in progress: 202 with its operation, or 422 to a platform that cannot wait. */
    private static Outcome inProgress(boolean acceptsIncomplete, String operationId, String description) {
        if (acceptsIncomplete) {
            return Outcome.of(Outcome.Kind.ACCEPTED, operationId);
        }
        throw new ConcurrencyException(description);
    }

    private static void checkMaintenance(CatalogPlan plan, String requested) {
        if (requested != null && !requested.equals(plan.maintenanceVersion())) {
            throw new MaintenanceInfoConflictException("maintenance_info.version " + PlanResolver.printable(requested)
                    + " is not plan '" + plan.name() + "' version " + plan.maintenanceVersion());
        }
    }

    /** Present, and no longer than the store's column (a longer one failed the INSERT with a 500). */
    private static void requireGuid(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new BadRequestException(field + " is required and must be a non-empty string");
        }
        if (value.length() > 255) {
            throw new BadRequestException(field + " is longer than 255 characters");
        }
    }

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

    /**
     * Keeps what a platform sends within what every supported state store column holds (MariaDB's
     * TEXT is 64 kB): too much is the client's mistake, a 400, never a failed INSERT and a 500.
     */
    private void checkSizes(Map<String, Object> parameters, Origin origin, String appGuid) {
        if (parameters != null && jsonLength(parameters) > MAX_JSON_CHARS) {
            throw new InvalidParametersException("parameters are larger than " + MAX_JSON_CHARS / 1024 + " kB");
        }
        if (jsonLength(origin.context()) > MAX_JSON_CHARS) {
            throw new BadRequestException("context is larger than " + MAX_JSON_CHARS / 1024 + " kB");
        }
        if (appGuid != null && appGuid.length() > 255) {
            throw new BadRequestException("bind_resource.app_guid is longer than 255 characters");
        }
    }

    private int jsonLength(Map<String, Object> map) {
        try {
            return json.writeValueAsString(map).length();
        } catch (JsonProcessingException e) {
            throw new InvalidParametersException("parameters are not JSON-serializable");
        }
    }

    private static Map<String, Object> orEmpty(Map<String, Object> parameters) {
        return parameters == null ? Map.of() : parameters;
    }
}
