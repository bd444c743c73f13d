package org.paasta.servicepack.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this CLI created, by the names the user gave: the broker never learns those names (OSB
 * knows only ids), so without this file {@code delete-service db} could not find the instance.
 *
 * @param services by instance name
 * @param apps     the made-up app GUID of each app name used with {@code bind}, so that all
 *                 bindings of one app carry the same {@code app_guid}
 */
record LocalState(Map<String, ServiceRecord> services, Map<String, String> apps) {

    LocalState {
        services = services == null ? new LinkedHashMap<>() : new LinkedHashMap<>(services);
        apps = apps == null ? new LinkedHashMap<>() : new LinkedHashMap<>(apps);
    }

    static LocalState empty() {
        return new LocalState(null, null);
    }

    LocalState with(ServiceRecord service) {
        Map<String, ServiceRecord> copy = new LinkedHashMap<>(services);
        copy.put(service.name(), service);
        return new LocalState(copy, apps);
    }

    LocalState without(String name) {
        Map<String, ServiceRecord> copy = new LinkedHashMap<>(services);
        copy.remove(name);
        return new LocalState(copy, apps);
    }

    LocalState withApp(String app, String guid) {
        Map<String, String> copy = new LinkedHashMap<>(apps);
        copy.put(app, guid);
        return new LocalState(services, copy);
    }

    /**
     * One service instance.
     *
     * @param maximumPollingDuration the plan's {@code maximum_polling_duration} in seconds, or null
     * @param bindings               by app name
     */
    record ServiceRecord(String name, String broker,
                         @JsonProperty("instance_id") String instanceId,
                         @JsonProperty("service_id") String serviceId,
                         @JsonProperty("service_name") String serviceName,
                         @JsonProperty("plan_id") String planId,
                         @JsonProperty("plan_name") String planName,
                         List<String> tags,
                         @JsonProperty("maximum_polling_duration") Integer maximumPollingDuration,
                         @JsonProperty("dashboard_url") String dashboardUrl,
                         @JsonProperty("last_operation") Operation lastOperation,
                         Map<String, BindingRecord> bindings) {

        ServiceRecord {
            tags = tags == null ? List.of() : List.copyOf(tags);
            bindings = bindings == null ? new LinkedHashMap<>() : new LinkedHashMap<>(bindings);
        }

        ServiceRecord withOperation(Operation operation) {
            return new ServiceRecord(name, broker, instanceId, serviceId, serviceName, planId, planName, tags,
                    maximumPollingDuration, dashboardUrl, operation, bindings);
        }

        ServiceRecord withPlan(String newPlanId, String newPlanName, Integer newMaximumPollingDuration) {
            return new ServiceRecord(name, broker, instanceId, serviceId, serviceName, newPlanId, newPlanName, tags,
                    newMaximumPollingDuration, dashboardUrl, lastOperation, bindings);
        }

        ServiceRecord withDashboardUrl(String url) {
            return new ServiceRecord(name, broker, instanceId, serviceId, serviceName, planId, planName, tags,
                    maximumPollingDuration, url, lastOperation, bindings);
        }

        ServiceRecord withBinding(BindingRecord binding) {
            Map<String, BindingRecord> copy = new LinkedHashMap<>(bindings);
            copy.put(binding.app(), binding);
            return new ServiceRecord(name, broker, instanceId, serviceId, serviceName, planId, planName, tags,
                    maximumPollingDuration, dashboardUrl, lastOperation, copy);
        }

        ServiceRecord withoutBinding(String app) {
            Map<String, BindingRecord> copy = new LinkedHashMap<>(bindings);
            copy.remove(app);
            return new ServiceRecord(name, broker, instanceId, serviceId, serviceName, planId, planName, tags,
                    maximumPollingDuration, dashboardUrl, lastOperation, copy);
        }
    }

    /** One binding of an instance to an app (or a service key, for a made-up app). */
    record BindingRecord(String app,
                         @JsonProperty("app_guid") String appGuid,
                         @JsonProperty("binding_id") String bindingId,
                         @JsonProperty("binding_name") String bindingName,
                         @JsonProperty("last_operation") Operation lastOperation) {

        BindingRecord withOperation(Operation operation) {
            return new BindingRecord(app, appGuid, bindingId, bindingName, operation);
        }
    }

    /**
     * The last operation as this CLI saw it end (or stop watching it).
     *
     * @param type      create, update, delete, bind or unbind
     * @param state     in progress, succeeded or failed, as OSB names them
     * @param operation the broker's operation id of an async operation, to poll it again later
     */
    record Operation(String type, String state, String description, String operation, String at) {
        static final String IN_PROGRESS = "in progress";
        static final String SUCCEEDED = "succeeded";
        static final String FAILED = "failed";

        static Operation of(String type, String state, String description, String operation) {
            return new Operation(type, state, description, operation, Instant.now().toString());
        }

        boolean inProgress() {
            return IN_PROGRESS.equals(state);
        }
    }
}
