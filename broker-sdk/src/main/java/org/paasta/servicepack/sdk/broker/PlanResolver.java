package org.paasta.servicepack.sdk.broker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.paasta.servicepack.sdk.InvalidParametersException;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.catalog.CatalogException;
import org.paasta.servicepack.sdk.catalog.CatalogPlan;
import org.paasta.servicepack.sdk.catalog.ServiceCatalog;

/**
 * Turns catalog plans into the author's typed {@link Plan}s (limits bound once, at startup, so a
 * plan with a missing or mistyped limit stops the broker from starting) and validates request
 * parameters against the plan's schemas before any author code runs.
 */
public final class PlanResolver<L> {
    private final ServiceCatalog catalog;
    private final Map<String, Plan<L>> plans = new LinkedHashMap<>();
    private final ObjectMapper json;

    public PlanResolver(ServiceCatalog catalog, Class<L> limitsType, ObjectMapper mapper) {
        this.catalog = catalog;
        this.json = mapper;
        ObjectMapper strict = mapper.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
        List<String> problems = new ArrayList<>();
        for (CatalogPlan plan : catalog.plans()) {
            try {
                L limits = strict.convertValue(plan.limits(), limitsType);
                plans.put(plan.id(), new Plan<>(plan.serviceId(), plan.serviceName(), plan.id(), plan.name(), limits,
                        plan.maintenanceVersion()));
            } catch (IllegalArgumentException e) {
                problems.add(plan.source() + ": plan '" + plan.name() + "' limits do not fit "
                        + limitsType.getSimpleName() + ": " + firstLine(e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
    }

    public ServiceCatalog catalog() {
        return catalog;
    }

    /** The plan of a request, or 400 naming what is unknown. */
    public CatalogPlan catalogPlan(String serviceId, String planId) {
        if (serviceId == null || serviceId.isBlank()) {
            throw new BadRequestException("service_id is required");
        }
        requireService(serviceId);
        if (planId == null || planId.isBlank()) {
            throw new BadRequestException("plan_id is required");
        }
        return catalog.plan(serviceId, planId).orElseThrow(() -> new BadRequestException(
                "plan_id '" + printable(planId) + "' is not a plan of service '" + printable(serviceId) + "'"));
    }

    /** 400 naming a service_id that is not in the catalog: the one check, for SCOSB's lookups too. */
    public void requireService(String serviceId) {
        if (!catalog.hasService(serviceId)) {
            throw new BadRequestException("service_id '" + printable(serviceId) + "' is not in the catalog");
        }
    }

    public Plan<L> plan(String planId) {
        Plan<L> plan = plans.get(planId);
        if (plan == null) {
            throw new IllegalStateException("plan " + planId + " of a stored instance is no longer in the catalog");
        }
        return plan;
    }

    public enum Schema { INSTANCE_CREATE, INSTANCE_UPDATE, BINDING_CREATE }

    /**
     * Checks parameters against the plan's schema. Keys the schema does not declare are refused even
     * where the schema forgot {@code additionalProperties: false}; a plan without a schema takes no
     * parameters at all.
     */
    public void validate(CatalogPlan plan, Schema which, Map<String, Object> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            parameters = Map.of();
        }
        JsonSchema schema = switch (which) {
            case INSTANCE_CREATE -> plan.instanceCreateSchema();
            case INSTANCE_UPDATE -> plan.instanceUpdateSchema();
            case BINDING_CREATE -> plan.bindingCreateSchema();
        };
        if (schema == null) {
            if (!parameters.isEmpty()) {
                throw new InvalidParametersException("plan '" + plan.name() + "' takes no parameters here; got "
                        + new TreeSet<>(parameters.keySet()).stream().map(PlanResolver::printable).toList());
            }
            return;
        }
        JsonNode node = json.valueToTree(parameters);
        List<String> errors = new ArrayList<>();
        JsonNode declared = schema.getSchemaNode().path("properties");
        if (declared.isObject() && !schema.getSchemaNode().has("additionalProperties")) {
            for (String key : new TreeSet<>(parameters.keySet())) {
                if (!declared.has(key)) {
                    errors.add("parameters." + printable(key) + ": unknown parameter");
                }
            }
        }
        Set<ValidationMessage> messages = schema.validate(node);
        for (ValidationMessage message : messages) {
            errors.add(describe(message));
        }
        if (!errors.isEmpty()) {
            throw new InvalidParametersException("invalid parameters for plan '" + plan.name() + "': "
                    + String.join("; ", errors));
        }
    }

    private static String describe(ValidationMessage message) {
        String text = message.getMessage();
        // networknt writes "$.field: ..." or "$: property 'x' is not defined ..."; say "parameters" instead.
        if (text.startsWith("$.")) {
            return "parameters." + text.substring(2);
        }
        if (text.startsWith("$:")) {
            return "parameters:" + text.substring(2);
        }
        return text;
    }

    /** Keeps user-supplied text in error descriptions short and free of control characters. */
    static String printable(String value) {
        String cleaned = value.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 80 ? cleaned.substring(0, 77) + "..." : cleaned;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
