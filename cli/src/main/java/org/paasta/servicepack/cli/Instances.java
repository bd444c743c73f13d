package org.paasta.servicepack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.paasta.servicepack.cli.LocalState.Operation;
import org.paasta.servicepack.cli.LocalState.ServiceRecord;
import org.paasta.servicepack.cli.OperationPoller.Failed;
import org.paasta.servicepack.cli.OperationPoller.Gone;
import org.paasta.servicepack.cli.OperationPoller.InProgress;
import org.paasta.servicepack.cli.OperationPoller.Outcome;
import org.paasta.servicepack.cli.OperationPoller.Succeeded;
import org.paasta.servicepack.cli.OperationPoller.Watch;

/**
 * Service instances as a platform handles them: {@code PUT}, {@code PATCH} and {@code DELETE
 * /v2/service_instances/{id}} with {@code accepts_incomplete=true}, polling after a 202, and the
 * state file updated before each request goes out, so an interrupted command still knows the id.
 */
final class Instances {
    static final String CREATE = "create";
    static final String UPDATE = "update";
    static final String DELETE = "delete";

    private final Session session;

    Instances(Session session) {
        this.session = session;
    }

    /** {@code PUT /v2/service_instances/{id}}. */
    ServiceRecord create(String brokerName, String serviceName, String planName, String name, ObjectNode parameters,
                         String instanceId, Duration timeout) {
        if (session.services.find(name).isPresent()) {
            throw alreadyExists(name);
        }
        OsbClient client = session.client(brokerName);
        Catalog.Plan plan = Catalog.fetch(client).service(serviceName).plan(planName);
        String id = instanceId != null ? instanceId : UUID.randomUUID().toString();
        ServiceRecord record = new ServiceRecord(name, client.name(), id, plan.service().id(), plan.service().name(),
                plan.id(), plan.name(), plan.service().tags(), plan.maximumPollingDuration(), null,
                Operation.of(CREATE, Operation.IN_PROGRESS, null, null), null);
        session.services.update(state -> {
            if (state.services().containsKey(name)) {
                throw alreadyExists(name);
            }
            return state.with(record);
        });

        ObjectNode body = session.json.createObjectNode();
        body.put("service_id", plan.service().id());
        body.put("plan_id", plan.id());
        // Deprecated in favour of context, but still REQUIRED in a provision by v2.17.
        body.put("organization_guid", client.identity().organizationGuid());
        body.put("space_guid", client.identity().spaceGuid());
        body.set("context", client.identity().context(name));
        if (parameters != null) {
            body.set("parameters", parameters);
        }
        if (plan.maintenanceVersion() != null) {
            body.putObject("maintenance_info").put("version", plan.maintenanceVersion());
        }
        String action = "create-service " + name;
        OsbResponse response;
        try {
            response = client.send(action, "PUT", OsbClient.instancePath(id), OsbClient.query("accepts_incomplete", "true"), body);
        } catch (CliFailure failure) {
            throw afterProvisionFailed(client, record, failure, nothingSent(failure) || failure.exitCode() == ExitCode.USAGE);
        }
        if (response.is(202)) {
            String operation = response.field("operation");
            ServiceRecord accepted = save(record.withDashboardUrl(response.field("dashboard_url"))
                    .withOperation(Operation.of(CREATE, Operation.IN_PROGRESS, null, operation)));
            Outcome outcome = await(client, accepted, CREATE, operation, false, timeout, "creating service " + name);
            return settle(accepted, CREATE, outcome);
        }
        if (response.successful()) {
            return save(record.withDashboardUrl(response.field("dashboard_url"))
                    .withOperation(Operation.of(CREATE, Operation.SUCCEEDED, null, null)));
        }
        throw afterProvisionFailed(client, record, response.failure(), response.status() < 500);
    }

    /** {@code PATCH /v2/service_instances/{id}}: a new plan, new parameters, or both. */
    ServiceRecord update(String name, String planName, ObjectNode parameters, Duration timeout) {
        ServiceRecord record = session.services.require(name);
        if (planName == null && parameters == null) {
            throw CliFailure.usage("nothing to change: give a new plan with -p PLAN and/or parameters with -c");
        }
        OsbClient client = session.client(record.broker());
        Catalog.Plan newPlan = null;
        if (planName != null) {
            Catalog catalog = Catalog.fetch(client);
            Catalog.Offering offering = catalog.services().stream().filter(s -> s.id().equals(record.serviceId()))
                    .findFirst().orElseThrow(() -> CliFailure.usage("broker '" + client.name()
                            + "' no longer offers service " + record.serviceName() + " (id " + record.serviceId() + ")"));
            newPlan = offering.plan(planName);
            Catalog.Plan current = offering.plans().stream().filter(p -> p.id().equals(record.planId())).findFirst().orElse(null);
            boolean updateable = current != null ? current.planUpdateable() : offering.planUpdateable();
            if (!newPlan.id().equals(record.planId()) && !updateable) {
                throw CliFailure.usage("the catalog of broker '" + client.name() + "' does not let plan " + record.planName()
                        + " of service " + record.serviceName() + " be changed (plan_updateable is false)");
            }
        }
        ObjectNode body = session.json.createObjectNode();
        body.put("service_id", record.serviceId());
        if (newPlan != null) {
            body.put("plan_id", newPlan.id());
            if (newPlan.maintenanceVersion() != null) {
                body.putObject("maintenance_info").put("version", newPlan.maintenanceVersion());
            }
        }
        if (parameters != null) {
            body.set("parameters", parameters);
        }
        body.set("context", client.identity().context(name));
        ObjectNode previous = body.putObject("previous_values");
        previous.put("service_id", record.serviceId());
        previous.put("plan_id", record.planId());
        previous.put("organization_id", client.identity().organizationGuid());
        previous.put("space_id", client.identity().spaceGuid());

        String action = "update-service " + name;
        OsbResponse response;
        try {
            response = client.send(action, "PATCH", OsbClient.instancePath(record.instanceId()),
                    OsbClient.query("accepts_incomplete", "true"), body);
        } catch (CliFailure failure) {
            throw recordFailure(name, UPDATE, failure);
        }
        Catalog.Plan plan = newPlan;
        if (response.is(202)) {
            String operation = response.field("operation");
            ServiceRecord accepted = change(name, r -> withNewDashboard(r, response)
                    .withOperation(Operation.of(UPDATE, Operation.IN_PROGRESS, null, operation)));
            Outcome outcome = await(client, accepted, UPDATE, operation, false, timeout, "updating service " + name);
            if (outcome instanceof Succeeded && plan != null) {
                change(name, r -> r.withPlan(plan.id(), plan.name(), plan.maximumPollingDuration()));
            }
            return settle(session.services.require(name), UPDATE, outcome);
        }
        if (response.successful()) {
            return change(name, r -> {
                ServiceRecord updated = withNewDashboard(r, response);
                if (plan != null) {
                    updated = updated.withPlan(plan.id(), plan.name(), plan.maximumPollingDuration());
                }
                return updated.withOperation(Operation.of(UPDATE, Operation.SUCCEEDED, null, null));
            });
        }
        throw recordFailure(name, UPDATE, response.failure());
    }

    /** {@code DELETE /v2/service_instances/{id}}; the caller unbinds first. */
    void delete(String name, Duration timeout) {
        ServiceRecord record = session.services.require(name);
        OsbClient client = session.client(record.broker());
        String action = "delete-service " + name;
        OsbResponse response;
        try {
            response = client.send(action, "DELETE", OsbClient.instancePath(record.instanceId()), OsbClient.query(
                    "service_id", record.serviceId(), "plan_id", record.planId(), "accepts_incomplete", "true"), null);
        } catch (CliFailure failure) {
            throw recordFailure(name, DELETE, failure);
        }
        if (response.is(410) || (response.successful() && !response.is(202))) {
            session.services.remove(name);
            if (response.is(410)) {
                session.note("The broker did not know instance " + record.instanceId() + " any more (410 Gone).");
            }
            return;
        }
        if (response.is(202)) {
            String operation = response.field("operation");
            ServiceRecord accepted = change(name, r -> r.withOperation(Operation.of(DELETE, Operation.IN_PROGRESS, null, operation)));
            settle(accepted, DELETE, await(client, accepted, DELETE, operation, true, timeout, "deleting service " + name));
            return;
        }
        throw recordFailure(name, DELETE, response.failure());
    }

    /**
     * Asks the broker how the instance is: its last operation while one is in progress (until it
     * ends when {@code wait} is set), else {@code GET /v2/service_instances/{id}}.
     *
     * @return the record as it is now, or null when the instance turned out deleted
     */
    ServiceRecord refresh(String name, boolean wait, Duration timeout) {
        ServiceRecord record = session.services.require(name);
        OsbClient client = session.client(record.broker());
        Operation last = record.lastOperation();
        if (last != null && last.inProgress()) {
            boolean deleting = last.type().equals(DELETE);
            Outcome outcome = wait
                    ? await(client, record, last.type(), last.operation(), deleting, timeout, last.type() + " of service " + name)
                    : session.poller().check(client, watch(record, last.type(), last.operation(), deleting));
            if (outcome instanceof InProgress inProgress) {
                return change(name, r -> r.withOperation(Operation.of(last.type(), Operation.IN_PROGRESS,
                        inProgress.description(), last.operation())));
            }
            try {
                return settle(record, last.type(), outcome);
            } catch (CliFailure failure) {
                if (wait) {
                    throw failure;
                }
                // A look, not an operation: the failed state is shown, and the look itself went fine.
                return session.services.find(name).orElse(null);
            }
        }
        OsbResponse response = client.get("service " + name, OsbClient.instancePath(record.instanceId()),
                OsbClient.query("service_id", record.serviceId(), "plan_id", record.planId()));
        if (response.is(404) || response.is(410)) {
            return change(name, r -> r.withOperation(Operation.of(last == null ? "fetch" : last.type(), Operation.FAILED,
                    "the broker does not know this instance (HTTP " + response.status() + ")", null)));
        }
        if (!response.successful()) {
            throw response.failure();
        }
        JsonNode body = response.object();
        String planId = body.path("plan_id").asText(record.planId());
        ServiceRecord refreshed = change(name, r -> withNewDashboard(r, response));
        if (!planId.equals(record.planId())) {
            Catalog.Plan plan = Catalog.fetch(client).services().stream().filter(s -> s.id().equals(record.serviceId()))
                    .flatMap(s -> s.plans().stream()).filter(p -> p.id().equals(planId)).findFirst().orElse(null);
            refreshed = change(name, r -> r.withPlan(planId, plan == null ? planId : plan.name(),
                    plan == null ? r.maximumPollingDuration() : plan.maximumPollingDuration()));
        }
        return refreshed;
    }

    private Outcome await(OsbClient client, ServiceRecord record, String type, String operation, boolean deleting,
                          Duration timeout, String label) {
        ProgressLine progress = session.progress(label);
        Outcome outcome = session.poller().await(client, watch(record, type, operation, deleting),
                session.deadline(timeout, record.maximumPollingDuration()), progress);
        return outcome;
    }

    private Watch watch(ServiceRecord record, String type, String operation, boolean deleting) {
        return new Watch(type + "-service " + record.name(), OsbClient.instancePath(record.instanceId()) + "/last_operation",
                record.serviceId(), record.planId(), operation, deleting,
                "servicepack service " + record.name() + " --refresh (or --wait)");
    }

    /** Records how a polled operation ended; a failed one throws (exit 3) after it is recorded. */
    private ServiceRecord settle(ServiceRecord record, String type, Outcome outcome) {
        String name = record.name();
        if (outcome instanceof Gone || (type.equals(DELETE) && outcome instanceof Succeeded)) {
            if (!type.equals(DELETE)) {
                change(name, r -> r.withOperation(Operation.of(type, Operation.FAILED, "the broker says the instance is gone", null)));
                throw CliFailure.failed("broker '" + record.broker() + "' says instance " + name + " is gone (410) after " + type);
            }
            session.services.remove(name);
            return null;
        }
        if (outcome instanceof Succeeded succeeded) {
            return change(name, r -> r.withOperation(Operation.of(type, Operation.SUCCEEDED, succeeded.description(), null)));
        }
        String description = outcome instanceof Failed failed ? failed.description() : null;
        change(name, r -> r.withOperation(Operation.of(type, Operation.FAILED, description, null)));
        throw CliFailure.failed(type + " of service " + name + " failed on broker '" + record.broker() + "'"
                + (description == null ? "" : ": " + OsbResponse.oneLine(description))
                + (type.equals(CREATE) ? ". The instance stays listed; remove it with: servicepack delete-service " + name : ""));
    }

    /**
     * After a provision that did not succeed. A refusal (4xx) or a request that never left made
     * nothing: the record goes. A 5xx or a timeout may have left a half-made instance, so the CLI
     * does the spec's orphan mitigation (a DELETE) and keeps the record unless that cleaned up.
     */
    private CliFailure afterProvisionFailed(OsbClient client, ServiceRecord record, CliFailure failure, boolean nothingMade) {
        if (nothingMade) {
            session.services.remove(record.name());
            return failure;
        }
        String cleanup;
        try {
            OsbResponse delete = client.send("orphan mitigation of " + record.name(), "DELETE",
                    OsbClient.instancePath(record.instanceId()), OsbClient.query("service_id", record.serviceId(),
                            "plan_id", record.planId(), "accepts_incomplete", "true"), null);
            if (delete.is(410) || delete.is(404) || (delete.successful() && !delete.is(202))) {
                session.services.remove(record.name());
                return failure.withDetail(". Whatever the broker may have made was deleted again (orphan mitigation).");
            }
            cleanup = delete.is(202) ? "the broker is deleting it (202)" : "the broker answered HTTP " + delete.status();
        } catch (CliFailure mitigation) {
            cleanup = mitigation.getMessage();
        }
        change(record.name(), r -> r.withOperation(Operation.of(CREATE, Operation.FAILED, failure.getMessage(), null)));
        return failure.withDetail(". Cleaning up what it may have made did not finish (" + cleanup
                + "); the instance stays listed: remove it with servicepack delete-service " + record.name());
    }

    /**
     * Records a request that failed. An operation still in progress (a create the CLI stopped
     * waiting for) is kept instead: its operation id is what {@code service --wait} needs.
     */
    private CliFailure recordFailure(String name, String type, CliFailure failure) {
        change(name, r -> r.lastOperation() != null && r.lastOperation().inProgress() ? r
                : r.withOperation(Operation.of(type, Operation.FAILED, failure.getMessage(), null)));
        return failure;
    }

    private ServiceRecord save(ServiceRecord record) {
        session.services.save(record);
        return record;
    }

    private ServiceRecord change(String name, UnaryOperator<ServiceRecord> change) {
        return session.services.change(name, change)
                .orElseThrow(() -> CliFailure.usage("service instance " + name + " vanished from the state file "
                        + session.services.file() + " while this command ran"));
    }

    private static ServiceRecord withNewDashboard(ServiceRecord record, OsbResponse response) {
        String url = response.field("dashboard_url");
        return url == null ? record : record.withDashboardUrl(url);
    }

    /** The request never reached the broker: refused connection or unknown host. */
    static boolean nothingSent(CliFailure failure) {
        Throwable cause = failure.getCause();
        while (cause != null) {
            if (cause instanceof ConnectException || cause instanceof UnresolvedAddressException) {
                return true;
            }
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        return false;
    }

    private static CliFailure alreadyExists(String name) {
        return CliFailure.usage("a service instance named '" + name + "' already exists; pick another name,"
                + " or remove it first with: servicepack delete-service " + name);
    }
}
