package org.paasta.servicepack.sdk.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads catalog files (one YAML document per service family, OSB catalog fields plus typed
 * {@code limits}) and validates them. Every problem is reported with the file and the field path,
 * all at once, so one build run shows everything that is wrong.
 */
public final class CatalogLoader {
    /** CLI-friendly names, as the spec recommends: no spaces, nothing a shell would trip over. */
    private static final Pattern CLI_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
    private static final int MAX_SCHEMA_BYTES = 64 * 1024;
    private static final Set<String> SERVICE_FIELDS = Set.of("id", "name", "description", "bindable", "plans", "tags",
            "requires", "metadata", "plan_updateable", "instances_retrievable", "bindings_retrievable",
            "allow_context_updates", "dashboard_client");
    private static final Set<String> PLAN_FIELDS = Set.of("id", "name", "description", "metadata", "free", "bindable",
            "plan_updateable", "schemas", "maximum_polling_duration", "maintenance_info", "binding_rotatable",
            "limits");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final ObjectMapper json = new ObjectMapper();

    /** A named catalog source: {@code name} appears in every error message. */
    public record Source(String name, InputStream content) {
    }

    public ServiceCatalog load(List<Source> sources) {
        List<String> problems = new ArrayList<>();
        ArrayNode services = JsonNodeFactory.instance.arrayNode();
        List<CatalogPlan> plans = new ArrayList<>();
        Map<String, String> seenIds = new HashMap<>();
        Set<String> serviceNames = new HashSet<>();
        for (Source source : sources) {
            JsonNode root;
            try (InputStream in = source.content()) {
                root = yaml.readTree(in);
            } catch (IOException e) {
                problems.add(source.name() + ": not readable YAML: " + firstLine(e.getMessage()));
                continue;
            }
            if (root == null || !root.path("services").isArray()) {
                problems.add(source.name() + ": services: a list of service offerings is required");
                continue;
            }
            int i = 0;
            for (JsonNode service : root.get("services")) {
                String at = source.name() + ": services[" + i++ + "]";
                checkService(source.name(), at, service, seenIds, serviceNames, plans, problems);
                services.add(service);
            }
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("services", ServiceCatalog.withoutLimits(services));
        return new ServiceCatalog(body, plans, json);
    }

    private void checkService(String file, String at, JsonNode service, Map<String, String> seenIds,
                              Set<String> serviceNames, List<CatalogPlan> plans, List<String> problems) {
        if (!service.isObject()) {
            problems.add(at + ": must be a mapping");
            return;
        }
        unknownFields(at, service, SERVICE_FIELDS, problems);
        String id = requiredText(at, service, "id", problems);
        String name = requiredText(at, service, "name", problems);
        requiredText(at, service, "description", problems);
        uniqueId(at, id, seenIds, problems);
        if (name != null) {
            cliName(at + ".name", name, problems);
            if (!serviceNames.add(name)) {
                problems.add(at + ".name: '" + name + "' is used by another service");
            }
        }
        if (!service.path("bindable").isBoolean()) {
            problems.add(at + ".bindable: required, true or false");
        }
        for (String flag : List.of("plan_updateable", "instances_retrievable", "bindings_retrievable",
                "allow_context_updates")) {
            if (service.has(flag) && !service.get(flag).isBoolean()) {
                problems.add(at + "." + flag + ": must be true or false");
            }
        }
        if (service.has("tags") && !service.get("tags").isArray()) {
            problems.add(at + ".tags: must be a list");
        }
        JsonNode planNodes = service.path("plans");
        if (!planNodes.isArray() || planNodes.isEmpty()) {
            problems.add(at + ".plans: at least one plan is required");
            return;
        }
        Set<String> planNames = new HashSet<>();
        int j = 0;
        for (JsonNode plan : planNodes) {
            String planAt = at + ".plans[" + j++ + "]";
            CatalogPlan resolved = checkPlan(file, planAt, service, plan, id, name, seenIds, planNames, problems);
            if (resolved != null) {
                plans.add(resolved);
            }
        }
    }

    private CatalogPlan checkPlan(String file, String at, JsonNode service, JsonNode plan, String serviceId,
                                  String serviceName, Map<String, String> seenIds, Set<String> planNames,
                                  List<String> problems) {
        if (!plan.isObject()) {
            problems.add(at + ": must be a mapping");
            return null;
        }
        int before = problems.size();
        unknownFields(at, plan, PLAN_FIELDS, problems);
        String id = requiredText(at, plan, "id", problems);
        String name = requiredText(at, plan, "name", problems);
        requiredText(at, plan, "description", problems);
        uniqueId(at, id, seenIds, problems);
        if (name != null) {
            cliName(at + ".name", name, problems);
            if (!planNames.add(name)) {
                problems.add(at + ".name: '" + name + "' is used by another plan of this service");
            }
        }
        for (String flag : List.of("free", "bindable", "plan_updateable", "binding_rotatable")) {
            if (plan.has(flag) && !plan.get(flag).isBoolean()) {
                problems.add(at + "." + flag + ": must be true or false");
            }
        }
        if (plan.has("maximum_polling_duration") && !plan.get("maximum_polling_duration").canConvertToInt()) {
            problems.add(at + ".maximum_polling_duration: must be a number of seconds");
        }
        String maintenanceVersion = null;
        String maintenanceDescription = null;
        if (plan.has("maintenance_info")) {
            JsonNode info = plan.get("maintenance_info");
            maintenanceVersion = info.path("version").asText(null);
            maintenanceDescription = info.path("description").asText(null);
            if (maintenanceVersion == null || !SEMVER.matcher(maintenanceVersion).matches()) {
                problems.add(at + ".maintenance_info.version: must be a SemVer 2.0 version such as 1.0.0");
            }
        }
        if (plan.has("limits") && !plan.get("limits").isObject()) {
            problems.add(at + ".limits: must be a mapping of limit names to values");
        }
        JsonSchema instanceCreate = schema(at, plan, "service_instance", "create", problems);
        JsonSchema instanceUpdate = schema(at, plan, "service_instance", "update", problems);
        JsonSchema bindingCreate = schema(at, plan, "service_binding", "create", problems);
        if (problems.size() > before) {
            return null;
        }
        boolean bindable = plan.has("bindable") ? plan.get("bindable").asBoolean()
                : service.path("bindable").asBoolean(false);
        boolean updateable = plan.has("plan_updateable") ? plan.get("plan_updateable").asBoolean()
                : service.path("plan_updateable").asBoolean(false);
        return new CatalogPlan(file, serviceId, serviceName, id, name, bindable, updateable,
                plan.path("binding_rotatable").asBoolean(false),
                service.path("instances_retrievable").asBoolean(false),
                service.path("bindings_retrievable").asBoolean(false),
                service.path("allow_context_updates").asBoolean(false),
                maintenanceVersion, maintenanceDescription,
                plan.has("limits") ? plan.get("limits") : JsonNodeFactory.instance.objectNode(),
                instanceCreate, instanceUpdate, bindingCreate);
    }

    private JsonSchema schema(String at, JsonNode plan, String kind, String method, List<String> problems) {
        JsonNode node = plan.path("schemas").path(kind).path(method).path("parameters");
        if (node.isMissingNode()) {
            return null;
        }
        String path = at + ".schemas." + kind + "." + method + ".parameters";
        if (!node.isObject()) {
            problems.add(path + ": must be a JSON Schema object");
            return null;
        }
        if (!node.path("$schema").isTextual()) {
            problems.add(path + ".$schema: required by the OSB spec (e.g. http://json-schema.org/draft-04/schema#)");
            return null;
        }
        try {
            if (json.writeValueAsBytes(node).length > MAX_SCHEMA_BYTES) {
                problems.add(path + ": larger than the 64 kB the OSB spec allows");
            }
        } catch (IOException e) {
            problems.add(path + ": cannot be rendered as JSON");
        }
        List<String> refs = new ArrayList<>();
        externalRefs(node, path, refs);
        problems.addAll(refs);
        try {
            SpecVersion.VersionFlag version = SpecVersionDetector.detect(node);
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(version);
            JsonSchema meta = factory.getSchema(com.networknt.schema.SchemaLocation.of(version.getId()));
            Set<ValidationMessage> errors = meta.validate(node);
            for (ValidationMessage error : errors) {
                problems.add(path + ": not a valid JSON Schema: " + error.getMessage());
            }
            return errors.isEmpty() ? factory.getSchema(node) : null;
        } catch (RuntimeException e) {
            problems.add(path + ": not a usable JSON Schema: " + firstLine(e.getMessage()));
            return null;
        }
    }

    private static void externalRefs(JsonNode node, String path, List<String> problems) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().equals("$ref") && !field.getValue().asText().startsWith("#")) {
                    problems.add(path + ": external $ref '" + field.getValue().asText()
                            + "' is not allowed by the OSB spec");
                }
                externalRefs(field.getValue(), path, problems);
            }
        } else if (node.isArray()) {
            node.forEach(child -> externalRefs(child, path, problems));
        }
    }

    private static void unknownFields(String at, JsonNode node, Set<String> known, List<String> problems) {
        node.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                problems.add(at + "." + field + ": unknown field (a typo? known: " + new java.util.TreeSet<>(known) + ")");
            }
        });
    }

    private static String requiredText(String at, JsonNode node, String field, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || !value.isValueNode() || value.asText().isBlank()) {
            problems.add(at + "." + field + ": required, a non-empty string");
            return null;
        }
        String text = value.asText();
        if (text.length() > 255 && !field.equals("description")) {
            problems.add(at + "." + field + ": longer than 255 characters");
        }
        return text;
    }

    private static void uniqueId(String at, String id, Map<String, String> seenIds, List<String> problems) {
        if (id == null) {
            return;
        }
        String previous = seenIds.putIfAbsent(id, at);
        if (previous != null) {
            problems.add(at + ".id: '" + id + "' is already the id of " + previous + "; ids must be globally unique");
        }
    }

    private static void cliName(String at, String name, List<String> problems) {
        if (!CLI_NAME.matcher(name).matches()) {
            problems.add(at + ": '" + name + "' is not CLI-friendly (letters, digits, '.', '_' and '-' only)");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
