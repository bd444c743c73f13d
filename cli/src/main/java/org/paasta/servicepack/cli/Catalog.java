package org.paasta.servicepack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A broker's {@code GET /v2/catalog}, read leniently: only what the CLI uses must be there
 * (service and plan {@code id} and {@code name}); everything else falls back to the spec's defaults.
 */
final class Catalog {
    private final String broker;
    private final List<Offering> services;

    private Catalog(String broker, List<Offering> services) {
        this.broker = broker;
        this.services = services;
    }

    static Catalog fetch(OsbClient client) {
        OsbResponse response = client.get("the catalog request", "/v2/catalog", Map.of());
        if (!response.successful()) {
            throw response.failure();
        }
        return parse(client.name(), response.object());
    }

    static Catalog parse(String broker, JsonNode body) {
        JsonNode services = body.get("services");
        if (services == null || !services.isArray()) {
            throw notOsb(broker, "it has no 'services' array");
        }
        List<Offering> offerings = new ArrayList<>();
        for (int i = 0; i < services.size(); i++) {
            JsonNode service = services.get(i);
            requireText(broker, service, "services[" + i + "]", "id", "name");
            JsonNode plans = service.get("plans");
            if (plans == null || !plans.isArray()) {
                throw notOsb(broker, "services[" + i + "] has no 'plans' array");
            }
            for (int j = 0; j < plans.size(); j++) {
                requireText(broker, plans.get(j), "services[" + i + "].plans[" + j + "]", "id", "name");
            }
            offerings.add(new Offering(service));
        }
        return new Catalog(broker, offerings);
    }

    List<Offering> services() {
        return services;
    }

    /** The service offering called {@code name}, or a usage failure that lists the ones there are. */
    Offering service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> CliFailure.usage("broker '" + broker + "' has no service '" + name + "'; it offers: "
                        + services.stream().map(Offering::name).collect(Collectors.joining(", "))));
    }

    private static void requireText(String broker, JsonNode node, String at, String... fields) {
        for (String field : fields) {
            if (node == null || !node.path(field).isTextual() || node.path(field).asText().isEmpty()) {
                throw notOsb(broker, at + "." + field + " is missing");
            }
        }
    }

    private static CliFailure notOsb(String broker, String problem) {
        return CliFailure.failed("the catalog of broker '" + broker + "' is not an OSB catalog: " + problem);
    }

    /** A service offering of the catalog. */
    record Offering(JsonNode node) {
        String id() {
            return node.path("id").asText();
        }

        String name() {
            return node.path("name").asText();
        }

        String description() {
            return node.path("description").asText("");
        }

        List<String> tags() {
            return texts(node.path("tags"));
        }

        boolean planUpdateable() {
            return node.path("plan_updateable").asBoolean(false);
        }

        List<Plan> plans() {
            List<Plan> plans = new ArrayList<>();
            node.path("plans").forEach(plan -> plans.add(new Plan(plan, this)));
            return plans;
        }

        Plan plan(String planName) {
            return plans().stream().filter(p -> p.name().equals(planName)).findFirst()
                    .orElseThrow(() -> CliFailure.usage("service '" + name() + "' has no plan '" + planName
                            + "'; its plans are: " + plans().stream().map(Plan::name).collect(Collectors.joining(", "))));
        }
    }

    /** A plan of a service offering. */
    record Plan(JsonNode node, Offering service) {
        String id() {
            return node.path("id").asText();
        }

        String name() {
            return node.path("name").asText();
        }

        String description() {
            return node.path("description").asText("");
        }

        /** The spec's default is free. */
        boolean free() {
            return node.path("free").asBoolean(true);
        }

        /** A plan's {@code plan_updateable} overrides its service's. */
        boolean planUpdateable() {
            JsonNode own = node.get("plan_updateable");
            return own != null && own.isBoolean() ? own.asBoolean() : service.planUpdateable();
        }

        /** {@code maximum_polling_duration} in seconds, or null. */
        Integer maximumPollingDuration() {
            JsonNode value = node.get("maximum_polling_duration");
            return value != null && value.canConvertToInt() && value.asInt() > 0 ? value.asInt() : null;
        }

        String maintenanceVersion() {
            JsonNode version = node.path("maintenance_info").get("version");
            return version != null && version.isTextual() ? version.asText() : null;
        }

        List<String> bullets() {
            return texts(node.path("metadata").path("bullets"));
        }

        /**
         * {@code metadata.costs} of the CF convention ({@code [{amount: {usd: 10.0}, unit: MONTHLY}]})
         * as text: {@code USD 10.00/MONTHLY}; several amounts or costs are joined with commas.
         */
        String costs() {
            List<String> costs = new ArrayList<>();
            for (JsonNode cost : node.path("metadata").path("costs")) {
                String unit = cost.path("unit").asText("");
                Iterator<Map.Entry<String, JsonNode>> amounts = cost.path("amount").fields();
                while (amounts.hasNext()) {
                    Map.Entry<String, JsonNode> amount = amounts.next();
                    String value = amount.getValue().isNumber()
                            ? String.format(Locale.ROOT, "%.2f", amount.getValue().asDouble())
                            : amount.getValue().asText();
                    costs.add(amount.getKey().toUpperCase(Locale.ROOT) + " " + value + (unit.isEmpty() ? "" : "/" + unit));
                }
            }
            return String.join(", ", costs);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(item -> texts.add(item.asText()));
        }
        return texts;
    }
}
