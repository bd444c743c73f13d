package org.paasta.servicepack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.UUID;
import org.paasta.servicepack.cli.LocalState.BindingRecord;
import org.paasta.servicepack.cli.LocalState.Operation;
import org.paasta.servicepack.cli.LocalState.ServiceRecord;
import org.paasta.servicepack.cli.OperationPoller.Failed;
import org.paasta.servicepack.cli.OperationPoller.Gone;
import org.paasta.servicepack.cli.OperationPoller.Outcome;
import org.paasta.servicepack.cli.OperationPoller.Succeeded;
import org.paasta.servicepack.cli.OperationPoller.Watch;

/**
 * Bindings of an instance to an app name: {@code PUT}, {@code GET} and {@code DELETE
 * /v2/service_instances/{id}/service_bindings/{binding_id}}. Credentials are never written to the
 * state file; {@code env} fetches them again from the broker.
 */
final class Bindings {
    static final String BIND = "bind";
    static final String UNBIND = "unbind";

    /** A binding that exists, with the broker's bind (or GET binding) response. */
    record Bound(ServiceRecord service, BindingRecord binding, JsonNode response) {
    }

    private final Session session;

    Bindings(Session session) {
        this.session = session;
    }

    /** {@code PUT .../service_bindings/{binding_id}}; after a 202, polls and then GETs the binding. */
    Bound bind(String name, String app, String bindingName, ObjectNode parameters, Duration timeout) {
        ServiceRecord record = session.services.require(name);
        if (record.bindings().containsKey(app)) {
            throw alreadyBound(name, app);
        }
        OsbClient client = session.client(record.broker());
        String bindingId = UUID.randomUUID().toString();
        BindingRecord[] binding = new BindingRecord[1];
        session.services.update(state -> {
            ServiceRecord current = state.services().get(name);
            if (current == null) {
                throw CliFailure.usage("service instance " + name + " vanished from the state file while this command ran");
            }
            if (current.bindings().containsKey(app)) {
                throw alreadyBound(name, app);
            }
            String appGuid = state.apps().getOrDefault(app, UUID.randomUUID().toString());
            binding[0] = new BindingRecord(app, appGuid, bindingId, bindingName,
                    Operation.of(BIND, Operation.IN_PROGRESS, null, null));
            return state.withApp(app, appGuid).with(current.withBinding(binding[0]));
        });
        BindingRecord created = binding[0];

        ObjectNode body = session.json.createObjectNode();
        body.put("service_id", record.serviceId());
        body.put("plan_id", record.planId());
        body.put("app_guid", created.appGuid());
        body.putObject("bind_resource").put("app_guid", created.appGuid());
        body.set("context", client.identity().context(name));
        if (parameters != null) {
            body.set("parameters", parameters);
        }
        String path = OsbClient.bindingPath(record.instanceId(), bindingId);
        String action = "bind " + name + " to " + app;
        OsbResponse response;
        try {
            response = client.send(action, "PUT", path, OsbClient.query("accepts_incomplete", "true"), body);
        } catch (CliFailure failure) {
            throw afterBindFailed(client, record, created, failure,
                    Instances.nothingSent(failure) || failure.exitCode() == ExitCode.USAGE);
        }
        if (response.is(202)) {
            String operation = response.field("operation");
            BindingRecord accepted = setBinding(name, created.withOperation(Operation.of(BIND, Operation.IN_PROGRESS, null, operation)));
            Outcome outcome = await(client, record, accepted, BIND, operation, timeout, "binding " + name + " to " + app);
            if (!(outcome instanceof Succeeded)) {
                String description = outcome instanceof Failed failed ? failed.description() : "the broker says the binding is gone";
                setBinding(name, accepted.withOperation(Operation.of(BIND, Operation.FAILED, description, null)));
                throw CliFailure.failed("bind of " + name + " to " + app + " failed on broker '" + record.broker() + "'"
                        + (description == null ? "" : ": " + OsbResponse.oneLine(description))
                        + ". Remove the failed binding with: servicepack unbind " + name + " " + app);
            }
            JsonNode fetched = fetch(client, record, accepted);
            BindingRecord done = setBinding(name, accepted.withOperation(Operation.of(BIND, Operation.SUCCEEDED, null, null)));
            return new Bound(session.services.require(name), done, fetched);
        }
        if (response.successful()) {
            JsonNode result = response.object();
            BindingRecord done = setBinding(name, created.withOperation(Operation.of(BIND, Operation.SUCCEEDED, null, null)));
            return new Bound(session.services.require(name), done, result);
        }
        throw afterBindFailed(client, record, created, response.failure(), response.status() < 500);
    }

    /** {@code DELETE .../service_bindings/{binding_id}}; the record goes once the broker confirms. */
    void unbind(String name, String app, Duration timeout) {
        ServiceRecord record = session.services.require(name);
        BindingRecord binding = record.bindings().get(app);
        if (binding == null) {
            throw CliFailure.usage("app '" + app + "' is not bound to service instance " + name
                    + (record.bindings().isEmpty() ? "" : " (bound: " + String.join(", ", record.bindings().keySet()) + ")"));
        }
        OsbClient client = session.client(record.broker());
        String action = "unbind " + name + " from " + app;
        OsbResponse response;
        try {
            response = client.send(action, "DELETE", OsbClient.bindingPath(record.instanceId(), binding.bindingId()),
                    OsbClient.query("service_id", record.serviceId(), "plan_id", record.planId(), "accepts_incomplete", "true"), null);
        } catch (CliFailure failure) {
            setBinding(name, binding.withOperation(Operation.of(UNBIND, Operation.FAILED, failure.getMessage(), null)));
            throw failure;
        }
        if (response.is(410) || (response.successful() && !response.is(202))) {
            removeBinding(name, app);
            return;
        }
        if (response.is(202)) {
            String operation = response.field("operation");
            BindingRecord accepted = setBinding(name, binding.withOperation(Operation.of(UNBIND, Operation.IN_PROGRESS, null, operation)));
            Outcome outcome = await(client, record, accepted, UNBIND, operation, timeout, "unbinding " + name + " from " + app);
            if (outcome instanceof Gone || outcome instanceof Succeeded) {
                removeBinding(name, app);
                return;
            }
            String description = ((Failed) outcome).description();
            setBinding(name, accepted.withOperation(Operation.of(UNBIND, Operation.FAILED, description, null)));
            throw CliFailure.failed("unbind of " + name + " from " + app + " failed on broker '" + record.broker() + "'"
                    + (description == null ? "" : ": " + OsbResponse.oneLine(description)));
        }
        setBinding(name, binding.withOperation(Operation.of(UNBIND, Operation.FAILED, response.failure().getMessage(), null)));
        throw response.failure();
    }

    /** The binding as it is now, from {@code GET .../service_bindings/{binding_id}}. */
    Bound current(String name, String app) {
        ServiceRecord record = session.services.require(name);
        BindingRecord binding = record.bindings().get(app);
        if (binding == null) {
            throw CliFailure.usage("app '" + app + "' is not bound to service instance " + name);
        }
        return new Bound(record, binding, fetch(session.client(record.broker()), record, binding));
    }

    private JsonNode fetch(OsbClient client, ServiceRecord record, BindingRecord binding) {
        OsbResponse response = client.get("fetch binding of " + record.name() + " to " + binding.app(),
                OsbClient.bindingPath(record.instanceId(), binding.bindingId()),
                OsbClient.query("service_id", record.serviceId(), "plan_id", record.planId()));
        if (!response.successful()) {
            throw response.failure();
        }
        return response.object();
    }

    private Outcome await(OsbClient client, ServiceRecord record, BindingRecord binding, String type, String operation,
                          Duration timeout, String label) {
        Watch watch = new Watch(type + " " + record.name() + " " + binding.app(),
                OsbClient.bindingPath(record.instanceId(), binding.bindingId()) + "/last_operation",
                record.serviceId(), record.planId(), operation, type.equals(UNBIND),
                "servicepack service " + record.name());
        ProgressLine progress = session.progress(label);
        Outcome outcome = session.poller().await(client, watch, session.deadline(timeout, record.maximumPollingDuration()), progress);
        return outcome;
    }

    /** As {@link Instances}' orphan mitigation, for a binding. */
    private CliFailure afterBindFailed(OsbClient client, ServiceRecord record, BindingRecord binding, CliFailure failure,
                                       boolean nothingMade) {
        if (nothingMade) {
            removeBinding(record.name(), binding.app());
            return failure;
        }
        String cleanup;
        try {
            OsbResponse delete = client.send("orphan mitigation of a binding of " + record.name(), "DELETE",
                    OsbClient.bindingPath(record.instanceId(), binding.bindingId()), OsbClient.query("service_id",
                            record.serviceId(), "plan_id", record.planId(), "accepts_incomplete", "true"), null);
            if (delete.is(410) || delete.is(404) || (delete.successful() && !delete.is(202))) {
                removeBinding(record.name(), binding.app());
                return failure.withDetail(". Whatever the broker may have made was deleted again (orphan mitigation).");
            }
            cleanup = delete.is(202) ? "the broker is deleting it (202)" : "the broker answered HTTP " + delete.status();
        } catch (CliFailure mitigation) {
            cleanup = mitigation.getMessage();
        }
        setBinding(record.name(), binding.withOperation(Operation.of(BIND, Operation.FAILED, failure.getMessage(), null)));
        return failure.withDetail(". Cleaning up did not finish (" + cleanup + "); remove the binding with: servicepack unbind "
                + record.name() + " " + binding.app());
    }

    private BindingRecord setBinding(String name, BindingRecord binding) {
        session.services.change(name, r -> r.withBinding(binding));
        return binding;
    }

    private void removeBinding(String name, String app) {
        session.services.change(name, r -> r.withoutBinding(app));
    }

    private static CliFailure alreadyBound(String name, String app) {
        return CliFailure.usage("app '" + app + "' is already bound to " + name + "; see its credentials with: servicepack env "
                + app + ", or unbind first");
    }
}
