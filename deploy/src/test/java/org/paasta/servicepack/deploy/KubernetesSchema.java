package org.paasta.servicepack.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonParser;
import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a Kubernetes object against the API's own schema, offline: the model classes of the
 * official Java client (io.kubernetes:client-java-api), which are generated from the API server's
 * OpenAPI document. Stricter than the client itself, as the API server is: a field the kind does
 * not define is refused (kubectl's default field validation), and so is a value of the wrong JSON
 * type (a number where the API wants a string, as in a ConfigMap's data), a quantity that does not
 * parse, or a missing required field.
 */
final class KubernetesSchema {
    /** The kinds these manifests use; any other kind is refused rather than passed unchecked. */
    private static final Map<String, Class<?>> KINDS = Map.of(
            "v1/ConfigMap", V1ConfigMap.class,
            "v1/Secret", V1Secret.class,
            "v1/Service", V1Service.class,
            "apps/v1/Deployment", V1Deployment.class,
            "apps/v1/StatefulSet", V1StatefulSet.class,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class);
    private static final String MODELS = "io.kubernetes.client.openapi.models";

    private KubernetesSchema() {
    }

    /** Every schema violation of one object, each naming its path; empty when it is valid. */
    static List<String> problems(JsonNode object, String where) {
        String key = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        Class<?> model = KINDS.get(key);
        if (model == null) {
            return List.of(where + ": kind " + key + " is not one this bundle may use " + KINDS.keySet());
        }
        List<String> problems = new ArrayList<>();
        check(object, model, where + " (" + key + ")", problems);
        if (problems.isEmpty()) {
            // A second opinion: the client's own generated validation and deserialisation.
            try {
                JSON.getGson().fromJson(JsonParser.parseString(object.toString()), model);
            } catch (RuntimeException e) {
                problems.add(where + ": refused by the Kubernetes client's model: " + e.getMessage());
            }
        }
        return problems;
    }

    private static void check(JsonNode value, Type type, String path, List<String> problems) {
        if (value.isNull()) {
            return;
        }
        Class<?> raw = rawClass(type);
        if (raw == String.class) {
            expect(value.isTextual(), path, "a string", value, problems);
        } else if (raw == Integer.class || raw == Long.class) {
            expect(value.isIntegralNumber(), path, "an integer", value, problems);
        } else if (raw == Double.class || raw == Float.class) {
            expect(value.isNumber(), path, "a number", value, problems);
        } else if (raw == Boolean.class) {
            expect(value.isBoolean(), path, "true or false", value, problems);
        } else if (raw == IntOrString.class) {
            expect(value.isTextual() || value.isIntegralNumber(), path, "an integer or a string", value, problems);
        } else if (raw == Quantity.class) {
            checkQuantity(value, path, problems);
        } else if (raw == OffsetDateTime.class) {
            expect(value.isTextual(), path, "a date-time string", value, problems);
        } else if (raw == byte[].class) {
            checkBase64(value, path, problems);
        } else if (raw == Object.class) {
            // free-form (e.g. a raw extension): anything goes
        } else if (List.class.isAssignableFrom(raw)) {
            if (expect(value.isArray(), path, "a list", value, problems)) {
                Type element = typeArgument(type, 0);
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), element, path + "[" + i + "]", problems);
                }
            }
        } else if (Map.class.isAssignableFrom(raw)) {
            if (expect(value.isObject(), path, "a map", value, problems)) {
                Type element = typeArgument(type, 1);
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    check(entry.getValue(), element, path + "." + entry.getKey(), problems);
                }
            }
        } else if (raw.getPackageName().equals(MODELS)) {
            if (expect(value.isObject(), path, "an object (" + raw.getSimpleName() + ")", value, problems)) {
                checkObject(value, raw, path, problems);
            }
        } else {
            problems.add(path + ": no rule for the model type " + raw.getName() + " (extend KubernetesSchema)");
        }
    }

    private static void checkObject(JsonNode value, Class<?> model, String path, List<String> problems) {
        Map<String, Type> fields = fields(model);
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Type fieldType = fields.get(entry.getKey());
            if (fieldType == null) {
                problems.add(path + "." + entry.getKey() + ": unknown field (" + model.getSimpleName()
                        + " has " + fields.keySet() + ")");
            } else {
                check(entry.getValue(), fieldType, path + "." + entry.getKey(), problems);
            }
        }
        for (String required : requiredFields(model)) {
            if (!value.hasNonNull(required)) {
                problems.add(path + "." + required + ": required by " + model.getSimpleName() + " but missing");
            }
        }
    }

    /** JSON name to Java type of every serialised field of a model class. */
    private static Map<String, Type> fields(Class<?> model) {
        Map<String, Type> fields = new LinkedHashMap<>();
        for (Class<?> c = model; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                SerializedName name = field.getAnnotation(SerializedName.class);
                if (name != null && !Modifier.isStatic(field.getModifiers())) {
                    fields.putIfAbsent(name.value(), field.getGenericType());
                }
            }
        }
        if (fields.isEmpty()) {
            throw new IllegalStateException(model + " has no @SerializedName fields: the client's model changed shape");
        }
        return fields;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> requiredFields(Class<?> model) {
        try {
            Field field = model.getField("openapiRequiredFields");
            return (Set<String>) field.get(null);
        } catch (NoSuchFieldException e) {
            return Set.of();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkQuantity(JsonNode value, String path, List<String> problems) {
        if (!expect(value.isTextual() || value.isNumber(), path, "a quantity", value, problems)) {
            return;
        }
        try {
            new Quantity(value.asText());
        } catch (RuntimeException e) {
            problems.add(path + ": '" + value.asText() + "' is not a Kubernetes quantity");
        }
    }

    private static void checkBase64(JsonNode value, String path, List<String> problems) {
        if (!expect(value.isTextual(), path, "a base64 string", value, problems)) {
            return;
        }
        try {
            Base64.getDecoder().decode(value.asText());
        } catch (IllegalArgumentException e) {
            problems.add(path + ": not base64 (use stringData for plain text)");
        }
    }

    private static boolean expect(boolean ok, String path, String what, JsonNode value, List<String> problems) {
        if (!ok) {
            problems.add(path + ": must be " + what + ", is " + value.getNodeType().toString().toLowerCase()
                    + " " + value);
        }
        return ok;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unexpected model type " + type);
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }
}
