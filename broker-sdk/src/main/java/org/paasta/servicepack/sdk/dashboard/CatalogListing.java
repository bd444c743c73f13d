package org.paasta.servicepack.sdk.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.paasta.servicepack.sdk.catalog.CatalogPlan;
import org.paasta.servicepack.sdk.catalog.ServiceCatalog;

/**
 * The catalog as a person reads it in a marketplace: display names, descriptions, bullets, costs,
 * free or paid, and the plan's limits (which {@code /v2/catalog} leaves out). Built once per
 * language at start; the catalog never changes while the broker runs.
 *
 * <p>Catalog texts are shown as written. A catalog may add Korean ones under {@code metadata.i18n.ko}
 * ({@code displayName}, {@code description}, {@code longDescription}, {@code bullets}) of a service
 * or plan; platforms ignore metadata they do not know.
 */
public final class CatalogListing {
    private final Map<Language, List<Service>> services = new EnumMap<>(Language.class);

    public record Service(String id, String name, String displayName, String description, String longDescription,
                          String provider, String documentationUrl, String supportUrl, List<String> tags,
                          boolean bindable, List<Plan> plans) {
    }

    /**
     * @param costs  e.g. "USD 10.00 / month"; empty for a plan that names none
     * @param limits the catalog's {@code limits}, name to value, in catalog order
     */
    public record Plan(String id, String name, String displayName, String description, boolean free,
                       boolean bindable, List<String> bullets, List<String> costs, List<Limit> limits) {
    }

    public record Limit(String name, String value) {
    }

    public CatalogListing(ServiceCatalog catalog, Texts texts) {
        Map<String, CatalogPlan> plans = new LinkedHashMap<>();
        catalog.plans().forEach(plan -> plans.put(plan.id(), plan));
        for (Language language : Language.values()) {
            List<Service> list = new ArrayList<>();
            for (JsonNode service : catalog.body().path("services")) {
                list.add(service(service, plans, language, texts));
            }
            services.put(language, List.copyOf(list));
        }
    }

    public List<Service> services(Language language) {
        return services.get(language);
    }

    /** The service and the one plan of an instance. */
    public Optional<Service> servicePlan(String serviceId, String planId, Language language) {
        return services(language).stream().filter(s -> s.id().equals(serviceId)).findFirst()
                .map(s -> new Service(s.id(), s.name(), s.displayName(), s.description(), s.longDescription(),
                        s.provider(), s.documentationUrl(), s.supportUrl(), s.tags(), s.bindable(),
                        s.plans().stream().filter(p -> p.id().equals(planId)).toList()))
                .filter(s -> !s.plans().isEmpty());
    }

    private static Service service(JsonNode service, Map<String, CatalogPlan> resolved, Language language,
                                   Texts texts) {
        JsonNode metadata = service.path("metadata");
        List<Plan> plans = new ArrayList<>();
        for (JsonNode plan : service.path("plans")) {
            plans.add(plan(plan, resolved.get(plan.path("id").asText()), language, texts));
        }
        return new Service(service.path("id").asText(), service.path("name").asText(),
                localized(metadata, "displayName", language, service.path("name").asText()),
                localized(metadata, "description", language, service.path("description").asText()),
                localized(metadata, "longDescription", language, null),
                text(metadata.path("providerDisplayName")), webLink(metadata.path("documentationUrl")),
                webLink(metadata.path("supportUrl")), strings(service.path("tags")),
                service.path("bindable").asBoolean(false), List.copyOf(plans));
    }

    private static Plan plan(JsonNode plan, CatalogPlan resolved, Language language, Texts texts) {
        JsonNode metadata = plan.path("metadata");
        JsonNode bullets = metadata.path("i18n").path(language.tag()).path("bullets");
        List<String> costs = new ArrayList<>();
        for (JsonNode cost : metadata.path("costs")) {
            costs.add(cost(cost, language, texts));
        }
        List<Limit> limits = new ArrayList<>();
        if (resolved != null) {
            // A limit written as null is one the plan does not set: nothing to show.
            resolved.limits().fields().forEachRemaining(limit -> {
                if (!limit.getValue().isNull()) {
                    limits.add(new Limit(limit.getKey(), limit.getValue().isValueNode() ? limit.getValue().asText()
                            : limit.getValue().toString()));
                }
            });
        }
        // OSB: a plan is free unless it says otherwise.
        boolean free = plan.path("free").asBoolean(true);
        return new Plan(plan.path("id").asText(), plan.path("name").asText(),
                localized(metadata, "displayName", language, plan.path("name").asText()),
                localized(metadata, "description", language, plan.path("description").asText()),
                free, resolved != null && resolved.bindable(),
                strings(bullets.isArray() ? bullets : metadata.path("bullets")), List.copyOf(costs), List.copyOf(limits));
    }

    /** "USD 10.00 / month": each currency of the amount, and the unit in the page's language where known. */
    private static String cost(JsonNode cost, Language language, Texts texts) {
        List<String> amounts = new ArrayList<>();
        NumberFormat format = NumberFormat.getNumberInstance(Locale.ENGLISH);
        format.setMinimumFractionDigits(2);
        format.setMaximumFractionDigits(2);
        cost.path("amount").fields().forEachRemaining(amount -> amounts.add(
                amount.getKey().toUpperCase(Locale.ROOT) + " " + format.format(new BigDecimal(amount.getValue().asText("0")))));
        String unit = cost.path("unit").asText("");
        String unitText = texts.optional("cost.unit." + unit.toUpperCase(Locale.ROOT), language).orElse(unit);
        return String.join(" + ", amounts) + (unit.isEmpty() ? "" : " / " + unitText);
    }

    private static String localized(JsonNode metadata, String field, Language language, String fallback) {
        String own = text(metadata.path("i18n").path(language.tag()).path(field));
        if (own != null) {
            return own;
        }
        String plain = text(metadata.path(field));
        return plain != null ? plain : fallback;
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.asText().isBlank() ? node.asText() : null;
    }

    /** Only http(s) links become links: a catalog's javascript: URL must not reach an href. */
    private static String webLink(JsonNode node) {
        String url = text(node);
        return url != null && (url.startsWith("https://") || url.startsWith("http://")) ? url : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> {
            if (item.isValueNode()) {
                out.add(item.asText());
            }
        });
        return List.copyOf(out);
    }
}
