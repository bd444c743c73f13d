package org.paasta.servicepack.sdk.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated catalog a broker serves: the {@code GET /v2/catalog} body (rendered once) and the
 * resolved plans the SDK looks requests up in.
 */
public final class ServiceCatalog {
    private final JsonNode body;
    private final byte[] json;
    private final Map<String, CatalogPlan> plansById;

    ServiceCatalog(JsonNode body, List<CatalogPlan> plans, ObjectMapper mapper) {
        this.body = body;
        try {
            this.json = mapper.writeValueAsBytes(body);
        } catch (Exception e) {
            throw new IllegalStateException("catalog cannot be rendered as JSON", e);
        }
        Map<String, CatalogPlan> byId = new LinkedHashMap<>();
        plans.forEach(p -> byId.put(p.id(), p));
        this.plansById = Map.copyOf(byId);
    }

    /** The catalog as served: OSB fields only (the broker-internal {@code limits} are left out). */
    public JsonNode body() {
        return body;
    }

    /** {@link #body()} rendered to JSON once, so serving the catalog costs no serialization. */
    public byte[] json() {
        return json.clone();
    }

    public List<CatalogPlan> plans() {
        return List.copyOf(plansById.values());
    }

    public Optional<CatalogPlan> plan(String serviceId, String planId) {
        CatalogPlan plan = plansById.get(planId);
        return plan != null && plan.serviceId().equals(serviceId) ? Optional.of(plan) : Optional.empty();
    }

    public boolean hasService(String serviceId) {
        return plansById.values().stream().anyMatch(p -> p.serviceId().equals(serviceId));
    }

    static JsonNode withoutLimits(JsonNode services) {
        ArrayNode copy = (ArrayNode) services.deepCopy();
        for (JsonNode service : copy) {
            for (JsonNode plan : service.path("plans")) {
                ((ObjectNode) plan).remove("limits");
            }
        }
        return copy;
    }
}
