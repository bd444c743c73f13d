package org.paasta.servicepack.sdk.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.BrokerException;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.OperationType;
import org.paasta.servicepack.sdk.Origin;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.ServiceBackend;
import org.paasta.servicepack.sdk.UnbindRequest;
import org.paasta.servicepack.sdk.UpdateRequest;
import org.paasta.servicepack.sdk.observability.BrokerMetrics;
import org.paasta.servicepack.sdk.state.BindingRecord;
import org.paasta.servicepack.sdk.state.BindingState;
import org.paasta.servicepack.sdk.state.InstanceRecord;
import org.paasta.servicepack.sdk.state.InstanceState;
import org.paasta.servicepack.sdk.state.OperationRecord;
import org.paasta.servicepack.sdk.state.OperationStatus;
import org.paasta.servicepack.sdk.state.StateStore;
import org.paasta.servicepack.sdk.web.ErrorTable;
import org.paasta.servicepack.sdk.web.OsbEndpoint;
import org.paasta.servicepack.sdk.web.OsbRequestFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when the backend runs, fails or crashes, in one place. Every operation, synchronous
 * or not, was recorded by {@link Admission} before it gets here; this class calls the author's
 * {@link ServiceBackend} and settles instance, binding and operation in one transaction. The same
 * path ({@link #run(String)}) resumes an operation a crashed replica left behind.
 */
public final class Operations<L> {
    private static final Logger LOG = LoggerFactory.getLogger(Operations.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("org.paasta.servicepack.audit");

    private final ServiceBackend<L> backend;
    private final PlanResolver<L> plans;
    private final StateStore store;
    private final OperationRunner runner;
    private final SealedCredentials credentials;
    private final BindingLifetime lifetime;
    private final BrokerMetrics metrics;
    private final Clock clock;

    Operations(ServiceBackend<L> backend, PlanResolver<L> plans, StateStore store, OperationRunner runner,
               SealedCredentials credentials, BindingLifetime lifetime, BrokerMetrics metrics, Clock clock) {
        this.backend = backend;
        this.plans = plans;
        this.store = store;
        this.runner = runner;
        this.credentials = credentials;
        this.lifetime = lifetime;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * A new in-progress operation owned by this replica, with the platform's audit data and the
     * plan it is for ({@code plan_id}: the target plan of an update).
     */
    OperationRecord newOperation(OperationType type, String instanceId, String bindingId, String planId,
                                 Map<String, Object> request, Origin origin) {
        long now = clock.millis();
        Map<String, Object> audit = new LinkedHashMap<>();
        audit.put("platform", origin.platform());
        audit.put("context", origin.context());
        audit.put("originating_identity", origin.originatingIdentity());
        audit.put("request_identity", origin.requestIdentity());
        Map<String, Object> recorded = new LinkedHashMap<>(request);
        recorded.putIfAbsent("plan_id", planId);
        return new OperationRecord(UUID.randomUUID().toString(), instanceId, bindingId, type,
                OperationStatus.IN_PROGRESS, null, recorded, audit, runner.owner(), runner.leaseUntil(), now, now);
    }

    /**
     * Runs a recorded operation: on the executor (202 with its id) or here, in the request, whose
     * answer is then the settled result or the failure.
     */
    Outcome start(OperationRecord op, boolean async, Outcome.Kind syncKind) {
        audit(op);
        if (async) {
            runner.submit(op.operationId());
            return Outcome.of(Outcome.Kind.ACCEPTED, op.operationId());
        }
        Object result = runner.runHere(op.operationId(), () -> execute(op, true));
        if (result instanceof BindingRecord binding) {
            return readyBinding(binding, syncKind);
        }
        return Outcome.of(syncKind, null);
    }

    /** The answer for a binding that is ready: its credentials and lifetime. */
    Outcome readyBinding(BindingRecord binding, Outcome.Kind kind) {
        return new Outcome(kind, null, null, credentials.open(binding.sealedCredentials()), binding.expiresAt(),
                lifetime.renewBefore(binding.expiresAt()));
    }

    /** Runs (or resumes) one recorded operation; outcome and failure are recorded, never thrown. */
    public void run(String operationId) {
        store.operation(operationId).filter(op -> op.status() == OperationStatus.IN_PROGRESS).ifPresent(op -> {
            OsbRequestFilter.putLogContext((String) op.origin().get("request_identity"), op.instanceId(),
                    op.bindingId());
            try {
                execute(op, false);
            } catch (RuntimeException e) {
                // Already recorded by execute(); nothing is waiting for the answer.
                LOG.debug("async operation {} ended with {}", operationId, e.getClass().getSimpleName());
            } finally {
                OsbRequestFilter.clearLogContext();
            }
        });
    }

    /**
     * Calls the backend for a recorded operation and settles instance, binding and operation:
     * each execute method records the resource's new state and the operation's success in one
     * transaction. In a request ({@code inRequest}) a failure is rethrown for the HTTP answer; a
     * failure that leaves the backend unchanged then leaves nothing of a creation behind either,
     * as the spec requires of a 4xx.
     */
    private Object execute(OperationRecord op, boolean inRequest) {
        long started = System.nanoTime();
        String outcome = "failed";
        try {
            Object result = switch (op.type()) {
                case PROVISION -> executeProvision(op);
                case UPDATE -> executeUpdate(op);
                case DEPROVISION -> executeDeprovision(op);
                case BIND -> executeBind(op);
                case UNBIND -> executeUnbind(op);
            };
            outcome = "succeeded";
            return result;
        } catch (Superseded e) {
            store.finishOperation(op.operationId(), OperationStatus.FAILED, e.getMessage(), clock.millis());
            if (inRequest) {
                throw new ConcurrencyException(e.getMessage());
            }
            return null;
        } catch (BrokerException e) {
            fail(op, e.description(), inRequest && ErrorTable.leavesNothing(e, endpointOf(op.type())));
            throw e;
        } catch (RuntimeException e) {
            LOG.error("{} of instance {} failed in the backend", op.type(), op.instanceId(), e);
            fail(op, op.type().name().toLowerCase() + " failed in the backend; see the broker log for operation "
                    + op.operationId(), false);
            throw new InternalErrorException(op.type().name().toLowerCase() + " failed; see the broker log for operation "
                    + op.operationId());
        } finally {
            metrics.operation(planOf(op), op.type(), outcome, System.nanoTime() - started);
        }
    }

    /** The plan an operation is for; null for one recorded before operations named their plan. */
    private Plan<L> planOf(OperationRecord op) {
        Object planId = op.request().get("plan_id");
        try {
            return planId == null ? null : plans.plan((String) planId);
        } catch (IllegalStateException noLongerInCatalog) {
            return null;
        }
    }

    /** Calls the backend, timing it for {@code servicepack_backend_calls_seconds}. */
    private <T> T call(OperationRecord op, java.util.function.Supplier<T> backendCall) {
        long started = System.nanoTime();
        Throwable failure = null;
        try {
            return backendCall.get();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            metrics.backendCall(planOf(op), op.type(), failure, System.nanoTime() - started);
        }
    }

    private static OsbEndpoint endpointOf(OperationType type) {
        return switch (type) {
            case PROVISION -> OsbEndpoint.PROVISION;
            case UPDATE -> OsbEndpoint.UPDATE;
            case DEPROVISION -> OsbEndpoint.DEPROVISION;
            case BIND -> OsbEndpoint.BIND;
            case UNBIND -> OsbEndpoint.UNBIND;
        };
    }

    private Void executeProvision(OperationRecord op) {
        InstanceRecord instance = ownedInstance(op);
        call(op, () -> {
            backend.provision(new ProvisionRequest<>(instance.instanceId(), plans.plan(instance.planId()),
                    instance.parameters(), origin(op)));
            return null;
        });
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
        call(op, () -> {
            backend.update(new UpdateRequest<>(instance.instanceId(), plans.plan(instance.planId()),
                    plans.plan(planId), parameters, bindingIds(instance.instanceId(), null), origin(op)));
            return null;
        });
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
        call(op, () -> {
            backend.deprovision(new DeprovisionRequest<>(instance.instanceId(), plans.plan(instance.planId()),
                    bindingIds(instance.instanceId(), null), origin(op)));
            return null;
        });
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
        Credentials made = call(op, () -> backend.bind(new BindRequest<>(binding.instanceId(), binding.bindingId(),
                plans.plan(binding.planId()), binding.parameters(), instance.parameters(), binding.appGuid(),
                binding.predecessorId(), bindingIds(binding.instanceId(), binding.bindingId()), origin(op))));
        String sealed = credentials.seal(made);
        if (!store.completeBinding(binding.bindingId(), op.operationId(), sealed, clock.millis())) {
            throw new Superseded("the binding was deleted while it was being created");
        }
        return new BindingRecord(binding.bindingId(), binding.instanceId(), binding.serviceId(), binding.planId(),
                binding.parameters(), binding.appGuid(), binding.predecessorId(), sealed, BindingState.READY,
                op.operationId(), binding.expiresAt(), binding.createdAt(), clock.millis());
    }

    private Void executeUnbind(OperationRecord op) {
        BindingRecord binding = ownedBinding(op);
        call(op, () -> {
            backend.unbind(new UnbindRequest<>(binding.instanceId(), binding.bindingId(),
                    plans.plan(binding.planId()), bindingIds(binding.instanceId(), binding.bindingId()), origin(op)));
            return null;
        });
        store.finishUnbind(binding.bindingId(), op.operationId(), clock.millis());
        return null;
    }

    /** The instance's bindings, but {@code except}. */
    private List<String> bindingIds(String instanceId, String except) {
        return store.bindingsOf(instanceId).stream().map(BindingRecord::bindingId)
                .filter(id -> !id.equals(except)).toList();
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
                    // The backend made nothing, so the broker keeps nothing either.
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

    @SuppressWarnings("unchecked")
    private static Origin origin(OperationRecord op) {
        Map<String, Object> o = op.origin();
        return new Origin((String) o.get("platform"), (Map<String, Object>) o.get("context"),
                (Map<String, Object>) o.get("originating_identity"), (String) o.get("request_identity"));
    }

    private static void audit(OperationRecord op) {
        if (AUDIT.isInfoEnabled()) {
            AUDIT.info("operation={} type={} instance={} binding={} origin={}", op.operationId(), op.type(),
                    op.instanceId(), op.bindingId(), op.origin());
        }
    }

    /** The operation lost its instance or binding to a later one; it ends as failed without effect. */
    private static final class Superseded extends RuntimeException {
        Superseded(String message) {
            super(message, null, false, false);
        }
    }
}
