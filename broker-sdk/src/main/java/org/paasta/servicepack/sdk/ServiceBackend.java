package org.paasta.servicepack.sdk;

import java.util.List;

/**
 * The one interface a broker author implements: the backing-resource part of a service broker.
 *
 * <p>Everything else of the Open Service Broker API v2.17 is done by the SDK before and after these
 * methods run: authentication, API version checks, catalog and plan resolution, JSON Schema
 * validation of parameters, idempotency (an identical repeated request never reaches the backend
 * twice), 409/410/422 conflict rules decided in the state store, asynchronous execution with
 * persisted operations, and recovery after a crash.
 *
 * <p>Methods are blocking and may take as long as the backend needs. They must be
 * <b>idempotent</b>: after a crash the SDK re-runs an interrupted operation, so a provision may see
 * a half-made resource and a deprovision may find it already gone. Derive backend resource names
 * from the OSB ids so the backend itself can answer "does it exist?".
 *
 * <p>Errors are typed: throw the exceptions of this package ({@link InvalidParametersException},
 * {@link PlanChangeRefusedException}, {@link CapacityExhaustedException},
 * {@link BackendUnavailableException}). Anything else becomes a 500 whose body never carries the
 * exception's text.
 *
 * @param <L> the plan limits type of this broker; the catalog's {@code limits} of every plan are
 *            bound to it at startup, so a plan with a missing or mistyped limit fails the start.
 */
public interface ServiceBackend<L> {

    /** The record or class the catalog's plan {@code limits} are bound to. */
    Class<L> limitsType();

    /**
     * {@code PUT /v2/service_instances/{instance_id}}: create the backing resource.
     *
     * @throws InvalidParametersException parameters that passed the schema but are still unusable (400)
     * @throws CapacityExhaustedException no room for another instance (507)
     * @throws BackendUnavailableException the backend cannot be reached now (503)
     */
    void provision(ProvisionRequest<L> request);

    /**
     * {@code PATCH /v2/service_instances/{instance_id}}: change plan or parameters. Only called when
     * the catalog makes the plan updateable or parameters change.
     *
     * @throws PlanChangeRefusedException the change does not fit the instance's current state (422)
     */
    default void update(UpdateRequest<L> request) {
        throw new PlanChangeRefusedException("This service does not support updates");
    }

    /**
     * {@code DELETE /v2/service_instances/{instance_id}}: remove the backing resource and everything
     * made for its bindings. Must succeed when the resource is already gone.
     */
    void deprovision(DeprovisionRequest<L> request);

    /**
     * {@code PUT /v2/service_instances/{instance_id}/service_bindings/{binding_id}}: create
     * credentials of their own for one binding. The SDK stores them encrypted for
     * {@code GET} binding and returns them to the platform.
     */
    Credentials bind(BindRequest<L> request);

    /**
     * {@code DELETE /v2/service_instances/{instance_id}/service_bindings/{binding_id}}: revoke the
     * binding's credentials and end its live sessions. Must succeed when they are already gone.
     */
    void unbind(UnbindRequest<L> request);

    /**
     * How an operation runs. {@link OperationMode#SYNC} (the default) runs it in the request;
     * {@link OperationMode#ASYNC_WHEN_ACCEPTED} runs it on the SDK's executor when the platform sent
     * {@code accepts_incomplete=true} and in the request otherwise; {@link OperationMode#ASYNC_ONLY}
     * answers 422 AsyncRequired to a platform that does not accept async operations.
     */
    default OperationMode mode(OperationType type, Plan<L> plan) {
        return OperationMode.SYNC;
    }

    /**
     * A dashboard of the backend's own for the instance, returned from provision (also when it runs
     * async), GET instance and update, and stored with the instance. Null (the default): the SDK's
     * own dashboard page, {@code /dashboard/instances/{instance_id}?token=...}, with a signed link
     * that is made for each response and never stored (see {@link #usage}).
     */
    default String dashboardUrl(String instanceId, Plan<L> plan) {
        return null;
    }

    /**
     * Live usage of an instance against its plan's limits, for its dashboard ({@code dashboard_url}),
     * read from the backend each time someone opens it ({@code GET /dashboard/instances/{instance_id}}).
     * Called only for ready instances, on the SDK's few usage threads; it must be read-only and quick
     * (bounded timeouts of its own): after {@code servicepack.dashboard.usage-timeout} the page is
     * shown without usage, so a slow backend makes a page without numbers, never a stuck broker.
     * Any other exception is logged and the page says usage could not be read.
     *
     * @throws BackendUnavailableException the backend cannot be reached now (the page says so)
     */
    default Usage usage(UsageRequest<L> request) {
        return Usage.NONE;
    }

    /**
     * The hosts apps are given in their credentials (the server's address as apps see it, the
     * advertised host of a process). Outside the dev profile the SDK says loudly at start, and in
     * the health details, when one is a loopback address: apps elsewhere could never reach it.
     */
    default List<String> advertisedHosts() {
        return List.of();
    }
}
