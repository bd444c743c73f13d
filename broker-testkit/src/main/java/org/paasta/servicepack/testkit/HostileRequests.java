package org.paasta.servicepack.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Hostile requests over every OSB endpoint, from a seeded generator: each starts as a valid request
 * of a random endpoint and gets one to three mutations (malformed or truncated JSON, wrong types,
 * missing and duplicated fields, unicode and invalid UTF-8, huge bodies, deep nesting, bad ids and
 * percent-encodings, odd or oversized headers, wrong content types, odd methods and HTTP versions,
 * broken chunked encoding). The same seed gives the same requests; only the ids carry the run's
 * nonce, so a run never meets what an earlier one left behind. {@link #problem} says what a
 * platform may expect of every answer: no 5xx, and every 4xx an OSB error body.
 */
public final class HostileRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One generated request: what it is (for a failure message) and its bytes on the wire. */
    public record Request(int index, String label, String method, byte[] bytes) {
    }

    private enum Endpoint {
        CATALOG("GET", false), PROVISION("PUT", true), UPDATE("PATCH", true), DEPROVISION("DELETE", false),
        FETCH_INSTANCE("GET", false), INSTANCE_LAST_OPERATION("GET", false), BIND("PUT", true),
        FETCH_BINDING("GET", false), UNBIND("DELETE", false), BINDING_LAST_OPERATION("GET", false);

        final String method;
        final boolean hasBody;

        Endpoint(String method, boolean hasBody) {
            this.method = method;
            this.hasBody = hasBody;
        }
    }

    private final Random random;
    private final String nonce;
    private final String authorization;
    private final String serviceId;
    private final String planId;
    private final String otherPlanId;
    private final JsonNode provisionParameters;
    private final JsonNode bindParameters;
    private final List<String> instanceIds = new ArrayList<>();
    private final List<String> bindingIds = new ArrayList<>();
    /** Valid but unusual ids (255 characters, only punctuation around the nonce, upper case). */
    private final List<String> oddIds;
    private final Set<String> usedInstanceIds = new LinkedHashSet<>();
    private final int instanceLimit;
    private final Set<String> usedBindingIds = new LinkedHashSet<>();

    /**
     * @param existingInstance an instance that exists when the requests are sent, so binds, updates
     *                         and fetches reach past "instance does not exist"
     * @param instanceLimit    how many valid instance ids the requests may use, the existing one
     *                         included: each may be created, so no more than the backend can hold
     */
    public HostileRequests(long seed, String nonce, OsbClient client, String serviceId, String planId,
                           String otherPlanId, Map<String, Object> provisionParameters,
                           Map<String, Object> bindParameters, String existingInstance, int instanceLimit) {
        this.random = new Random(seed);
        this.nonce = nonce;
        this.authorization = client.authorization();
        this.serviceId = serviceId;
        this.planId = planId;
        this.otherPlanId = otherPlanId == null ? planId : otherPlanId;
        this.provisionParameters = provisionParameters == null ? null : JSON.valueToTree(provisionParameters);
        this.bindParameters = bindParameters == null ? null : JSON.valueToTree(bindParameters);
        instanceIds.add(existingInstance);
        this.instanceLimit = Math.max(1, instanceLimit);
        for (int i = 0; i < Math.min(4, this.instanceLimit - 1); i++) {
            instanceIds.add("hostile-" + nonce + "-i" + i);
        }
        for (int i = 0; i < 8; i++) {
            bindingIds.add("hostile-" + nonce + "-b" + i);
        }
        oddIds = List.of("A".repeat(255 - nonce.length()) + nonce, "UPPER-" + nonce.toUpperCase(Locale.ROOT),
                "~" + nonce + "~", "-" + nonce, "_" + nonce + "_", "." + nonce, nonce + "..", nonce + ".-_~");
        usedInstanceIds.addAll(instanceIds);
        usedBindingIds.addAll(bindingIds);
    }

    /** The valid instance ids the generated requests use: anything left under them was left by them. */
    public List<String> instanceIds() {
        return List.copyOf(usedInstanceIds);
    }

    /** The valid binding ids the generated requests use. */
    public List<String> bindingIds() {
        return List.copyOf(usedBindingIds);
    }

    public List<Request> generate(int count) {
        List<Request> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(next(i));
        }
        return requests;
    }

    /**
     * What is wrong with the broker's answer to a hostile request, or null: an answer must come, must
     * not be a 5xx, and a 4xx must be {@code application/json} with a non-blank {@code error} and
     * {@code description} (the spec's 410 of a delete is its {@code {}}); no answer may carry an
     * HTML page, a stack trace or the server's name.
     */
    public static String problem(Request request, RawHttp.Response response) {
        int status = response.status();
        if (status < 0) {
            return "no HTTP response";
        }
        if (status >= 500) {
            return "answered " + status;
        }
        String raw = response.raw();
        for (String leak : List.of("<html", "Tomcat", "Apache", "Exception", "\tat ")) {
            if (raw.contains(leak)) {
                return "answer contains '" + leak + "'";
            }
        }
        if (status < 400) {
            return null;
        }
        String type = response.header("Content-Type").orElse("");
        if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return "answered " + status + " with Content-Type '" + type + "'";
        }
        if (request.method().equals("HEAD")) {
            return null;
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            return "answered " + status + " with a body that is not JSON";
        }
        if (body == null || !body.isObject()) {
            return "answered " + status + " with a body that is no JSON object";
        }
        if (status == 410) {
            return null;
        }
        if (!body.path("error").isTextual() || body.path("error").asText().isBlank()
                || !body.path("description").isTextual() || body.path("description").asText().isBlank()) {
            return "answered " + status + " without an OSB error body (error, description)";
        }
        return null;
    }

    // ---------------------------------------------------------------- the generator

    /** A request being built: a valid one first, then mutated. */
    private final class Draft {
        final Endpoint endpoint;
        final List<String> labels = new ArrayList<>();
        String method;
        String version = "HTTP/1.1";
        String prefix = "";
        String instanceId;
        String bindingId;
        String path;
        final List<String> query = new ArrayList<>();
        final List<String> headers = new ArrayList<>();
        JsonNode tree;
        byte[] rawBody;
        String contentLength;
        boolean chunked;
        byte[] chunkedOverride;

        Draft(Endpoint endpoint) {
            this.endpoint = endpoint;
            this.method = endpoint.method;
        }

        void header(String name, String value) {
            headers.removeIf(h -> h.regionMatches(true, 0, name + ":", 0, name.length() + 1));
            if (value != null) {
                headers.add(name + ": " + value);
            }
        }

        String bodyText() {
            if (rawBody != null) {
                return new String(rawBody, StandardCharsets.UTF_8);
            }
            return tree == null ? "" : write(tree);
        }

        byte[] bodyBytes() {
            if (rawBody != null) {
                return rawBody;
            }
            return tree == null ? null : write(tree).getBytes(StandardCharsets.UTF_8);
        }

        String target() {
            String p = path != null ? path : switch (endpoint) {
                case CATALOG -> "/v2/catalog";
                case PROVISION, UPDATE, DEPROVISION, FETCH_INSTANCE -> "/v2/service_instances/" + instanceId;
                case INSTANCE_LAST_OPERATION -> "/v2/service_instances/" + instanceId + "/last_operation";
                case BIND, UNBIND, FETCH_BINDING ->
                        "/v2/service_instances/" + instanceId + "/service_bindings/" + bindingId;
                case BINDING_LAST_OPERATION ->
                        "/v2/service_instances/" + instanceId + "/service_bindings/" + bindingId + "/last_operation";
            };
            return prefix + p + (query.isEmpty() ? "" : "?" + String.join("&", query));
        }

        byte[] render() {
            byte[] body = bodyBytes();
            List<String> lines = new ArrayList<>(headers);
            byte[] payload = body;
            if (chunked) {
                lines.add("Transfer-Encoding: chunked");
                payload = chunkedOverride != null ? chunkedOverride : chunk(body == null ? new byte[0] : body);
            } else if (contentLength != null) {
                lines.add("Content-Length: " + contentLength);
            } else if (body != null) {
                lines.add("Content-Length: " + body.length);
            }
            lines.add("Connection: close");
            StringBuilder head = new StringBuilder(method).append(' ').append(target());
            if (!version.isEmpty()) {
                head.append(' ').append(version);
            }
            head.append("\r\n");
            for (String line : lines) {
                head.append(line).append("\r\n");
            }
            head.append("\r\n");
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            if (payload != null) {
                all.writeBytes(payload);
            }
            return all.toByteArray();
        }
    }

    /** A mutation, applied in phase order: the JSON tree first, then its text, then everything else. */
    private record Mutation(String name, int phase, boolean bodyOnly, Consumer<Draft> apply) {
    }

    private Request next(int index) {
        Endpoint endpoint = pick(Endpoint.values());
        Draft draft = valid(endpoint);
        List<Mutation> applicable = mutations.stream().filter(m -> endpoint.hasBody || !m.bodyOnly()).toList();
        int count = 1 + random.nextInt(3);
        List<Mutation> chosen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chosen.add(applicable.get(random.nextInt(applicable.size())));
        }
        chosen.sort(Comparator.comparingInt(Mutation::phase));
        for (Mutation mutation : chosen) {
            draft.labels.add(mutation.name());
            mutation.apply().accept(draft);
        }
        byte[] bytes = draft.render();
        String label = "#" + index + " " + endpoint + " [" + String.join(", ", draft.labels) + "] " + head(bytes);
        return new Request(index, label, draft.method, bytes);
    }

    private Draft valid(Endpoint endpoint) {
        Draft d = new Draft(endpoint);
        d.instanceId = pick(instanceIds);
        d.bindingId = pick(bindingIds);
        d.headers.add("Host: 127.0.0.1");
        d.headers.add("Authorization: " + authorization);
        d.headers.add("X-Broker-API-Version: " + OsbClient.API_VERSION);
        if (random.nextBoolean()) {
            d.headers.add("X-Broker-API-Request-Identity: hostile-" + random.nextInt(1_000_000));
        }
        ObjectNode context = NODES.objectNode().put("platform", "cloudfoundry")
                .put("organization_guid", "org-" + nonce).put("space_guid", "space-" + nonce)
                .put("instance_name", "hostile");
        switch (endpoint) {
            case PROVISION -> {
                ObjectNode body = NODES.objectNode().put("service_id", serviceId).put("plan_id", planId)
                        .put("organization_guid", "org-" + nonce).put("space_guid", "space-" + nonce);
                body.set("context", context);
                if (provisionParameters != null) {
                    body.set("parameters", provisionParameters.deepCopy());
                }
                d.tree = body;
                asyncQuery(d);
            }
            case UPDATE -> {
                ObjectNode body = NODES.objectNode().put("service_id", serviceId)
                        .put("plan_id", random.nextBoolean() ? planId : otherPlanId);
                body.putObject("previous_values").put("plan_id", planId);
                d.tree = body;
                asyncQuery(d);
            }
            case BIND -> {
                ObjectNode body = NODES.objectNode().put("service_id", serviceId).put("plan_id", planId);
                body.putObject("bind_resource").put("app_guid", "app-" + nonce);
                body.set("context", context);
                if (bindParameters != null) {
                    body.set("parameters", bindParameters.deepCopy());
                }
                d.tree = body;
                asyncQuery(d);
            }
            case DEPROVISION, UNBIND -> {
                d.query.add("service_id=" + OsbClient.encode(serviceId));
                d.query.add("plan_id=" + OsbClient.encode(planId));
                asyncQuery(d);
            }
            case INSTANCE_LAST_OPERATION, BINDING_LAST_OPERATION -> {
                if (random.nextBoolean()) {
                    d.query.add("operation=" + OsbClient.encode(pick(List.of("x", "0", nonce, "op-" + random.nextInt(99)))));
                }
            }
            default -> {
            }
        }
        if (d.tree != null) {
            d.headers.add("Content-Type: application/json");
        }
        return d;
    }

    private void asyncQuery(Draft d) {
        if (random.nextBoolean()) {
            d.query.add("accepts_incomplete=" + random.nextBoolean());
        }
    }

    // ---------------------------------------------------------------- the mutations

    private static final List<String> NASTY_STRINGS = List.of("", " ", "\u202Eevil", "\u200B", "e\u0301\u0301\u0301",
            "\uD83D\uDE00", "\u0000", "a\u0000b", "\uFFFF", "\uFEFF", "\u0085\u2028\u2029", "\u00e9\u00e8",
            "<script>alert(1)</script>", "'; DROP TABLE users; --", "${jndi:ldap://127.0.0.1/x}", "%s%n%x",
            "../../etc/passwd", "\\", "\"", "a\r\nb", "\t", "null", "0", "-1", "{}", "[]", "\u4e2d\u6587",
            "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "x".repeat(300));

    /** Ids no broker should accept (malformed, dot segments, too long, badly encoded). */
    private static final List<String> INVALID_IDS = List.of(".", "..", "...", "%2e", "%2e%2e", ".%2E", "", "a%2Fb",
            "a%2fb", "a%5Cb", "a%00b", "%00", "%zz", "%", "a%", "%e9", "%ff%fe", "%c0%af", "%F0%9F%98%80",
            "%E2%80%AE", "a+b", "a;b=c", "a%3Bb", "a%3Fb", "a%23b", "a%20b", "a%22b", "a%27b", "%3Cscript%3E",
            "a".repeat(256), "a".repeat(9000), "x%252Fy", "\u00e9", "\u4e2d", "a{b}", "a|b", "a\"b", "a<b", "a^b",
            "a`b", "a\\b");

    private final List<Mutation> mutations = catalogue();

    private List<Mutation> catalogue() {
        return List.of(
            // The JSON tree (phase 0)
            new Mutation("wrong type", 0, true, d -> {
                ObjectNode body = object(d);
                String field = pick(List.of("service_id", "plan_id", "organization_guid", "space_guid",
                        "parameters", "context", "maintenance_info", "bind_resource", "previous_values",
                        "predecessor_binding_id", "app_guid"));
                body.set(field, oddValue());
                d.labels.add(field);
            }),
            new Mutation("wrong nested type", 0, true, d -> {
                ObjectNode body = object(d);
                String field = pick(List.of("context", "bind_resource", "previous_values", "maintenance_info"));
                ObjectNode inner = body.putObject(field);
                inner.set(pick(List.of("platform", "organization_guid", "space_guid", "app_guid", "plan_id",
                        "version", "route", "instance_name")), oddValue());
            }),
            new Mutation("missing fields", 0, true, d -> {
                ObjectNode body = object(d);
                List<String> names = new ArrayList<>();
                body.fieldNames().forEachRemaining(names::add);
                int drop = 1 + random.nextInt(Math.max(1, names.size()));
                for (int i = 0; i < drop && !names.isEmpty(); i++) {
                    body.remove(names.remove(random.nextInt(names.size())));
                }
            }),
            new Mutation("unicode values", 0, true, d -> {
                ObjectNode body = object(d);
                String field = pick(List.of("service_id", "plan_id", "organization_guid", "space_guid"));
                body.put(field, pick(NASTY_STRINGS));
                ObjectNode context = body.get("context") instanceof ObjectNode given ? given : body.putObject("context");
                context.put(pick(List.of("organization_guid", "instance_name", "platform")), pick(NASTY_STRINGS));
            }),
            new Mutation("unicode parameters", 0, true, d -> {
                ObjectNode parameters = object(d).putObject("parameters");
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    parameters.put(pick(NASTY_STRINGS), pick(NASTY_STRINGS));
                }
                parameters.put(pick(List.of("__proto__", "constructor", "$ref", "a.b", "")), pick(NASTY_STRINGS));
            }),
            new Mutation("huge string", 0, true, d -> {
                int size = pick(List.of(70_000, 300_000, 1_200_000));
                String field = pick(List.of("service_id", "organization_guid", "context", "parameters", "extra"));
                String value = "x".repeat(size);
                if (field.equals("context") || field.equals("parameters")) {
                    object(d).putObject(field).put("big", value);
                } else {
                    object(d).put(field, value);
                }
                d.labels.add(size + " chars in " + field);
            }),
            new Mutation("many keys", 0, true, d -> {
                ObjectNode parameters = object(d).putObject(pick(List.of("parameters", "context")));
                int keys = pick(List.of(500, 5_000));
                for (int i = 0; i < keys; i++) {
                    parameters.put("k" + i, i);
                }
                d.labels.add(keys + " keys");
            }),
            new Mutation("huge array", 0, true, d -> {
                ArrayNode array = object(d).putArray(pick(List.of("parameters", "context", "extra")));
                for (int i = 0; i < 10_000; i++) {
                    array.add(i);
                }
            }),
            new Mutation("long field name", 0, true, d -> object(d).put("f".repeat(pick(List.of(1_000, 100_000))), 1)),
            // The body's text (phase 1)
            new Mutation("deep nesting", 1, true, d -> {
                int depth = pick(List.of(50, 500, 999, 1_001, 5_000, 50_000));
                boolean arrays = random.nextBoolean();
                String field = pick(List.of("parameters", "context", "maintenance_info", "bind_resource", "extra"));
                String nested = (arrays ? "[" : "{\"a\":").repeat(depth) + "1" + (arrays ? "]" : "}").repeat(depth);
                String text = d.bodyText();
                d.rawBody = insertField(text.isEmpty() ? "{}" : text, "\"" + field + "\":" + nested)
                        .getBytes(StandardCharsets.UTF_8);
                d.labels.add(depth + (arrays ? " arrays in " : " objects in ") + field);
            }),
            new Mutation("truncated JSON", 1, true, d -> {
                String text = d.bodyText();
                d.rawBody = text.substring(0, random.nextInt(Math.max(1, text.length()))).getBytes(StandardCharsets.UTF_8);
            }),
            new Mutation("trailing garbage", 1, true, d -> d.rawBody = (d.bodyText()
                    + pick(List.of("x", "}", "{}", " {\"a\":1}", "\u0000", "]]]", "// c"))).getBytes(StandardCharsets.UTF_8)),
            new Mutation("duplicated field", 1, true, d -> {
                String field = pick(List.of("service_id", "plan_id", "organization_guid", "parameters", "context"));
                String value = pick(List.of("\"other\"", "1", "null", "{}", "[]", "\"" + serviceId + "\""));
                String text = d.bodyText();
                d.rawBody = (random.nextBoolean() ? insertField(text, "\"" + field + "\":" + value)
                        : appendField(text, "\"" + field + "\":" + value)).getBytes(StandardCharsets.UTF_8);
            }),
            new Mutation("not an object", 1, true, d -> d.rawBody = pick(List.of("", "[]", "[{}]", "\"s\"", "1", "null",
                    "true", " ", "\n", "{", "}", "{}", "{\"\":\"\"}")).getBytes(StandardCharsets.UTF_8)),
            new Mutation("lenient JSON", 1, true, d -> d.rawBody = pick(List.of(
                    "{'service_id':'x'}", "{service_id:\"x\"}", "{\"a\":1,}", "{\"a\":NaN}", "{\"a\":Infinity}",
                    "{\"a\":0x10}", "{\"a\":01}", "/* c */{}", "{\"a\":1}//", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}",
                    "{\"a\":\"\\ud800\"}", "{\"service_id\":\"\\u0000\"}", "{\"a\":\"\t\"}"))
                    .getBytes(StandardCharsets.UTF_8)),
            new Mutation("big number", 1, true, d -> {
                String number = pick(List.of("1e999999", "-1e-999999", "9".repeat(2_000), "1." + "0".repeat(5_000),
                        "-0", "1E+2147483648", "123456789012345678901234567890"));
                String field = pick(List.of("parameters", "service_id", "extra", "maintenance_info"));
                d.rawBody = insertField(d.bodyText(), "\"" + field + "\":" + number).getBytes(StandardCharsets.UTF_8);
            }),
            new Mutation("escaped surrogate", 1, true, d -> {
                String field = pick(List.of("organization_guid", "space_guid", "service_id", "extra"));
                d.rawBody = insertField(d.bodyText(), "\"" + field + "\":\"" + pick(List.of("\\ud800", "\\udfff",
                        "\\ud83d", "\\u0000", "\\u0000\\u0000", "a\\ud800b")) + "\"").getBytes(StandardCharsets.UTF_8);
            }),
            // Bytes, headers, path, method (phase 2)
            new Mutation("invalid UTF-8", 2, true, d -> {
                byte[] text = d.bodyText().getBytes(StandardCharsets.UTF_8);
                byte[][] bad = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xC3}};
                byte[] insert = bad[random.nextInt(bad.length)];
                int at = text.length == 0 ? 0 : random.nextInt(text.length);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(text, 0, at);
                out.writeBytes(insert);
                out.write(text, at, text.length - at);
                d.rawBody = out.toByteArray();
            }),
            new Mutation("byte order mark", 2, true, d -> {
                byte[] text = d.bodyText().getBytes(StandardCharsets.UTF_8);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(random.nextBoolean() ? new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}
                        : new byte[] {(byte) 0xFE, (byte) 0xFF});
                out.writeBytes(text);
                d.rawBody = out.toByteArray();
            }),
            new Mutation("random bytes", 2, true, d -> {
                byte[] garbage = new byte[1 + random.nextInt(2_000)];
                random.nextBytes(garbage);
                d.rawBody = garbage;
            }),
            new Mutation("UTF-16 body", 2, true, d -> {
                d.rawBody = d.bodyText().getBytes(StandardCharsets.UTF_16);
                if (random.nextBoolean()) {
                    d.header("Content-Type", "application/json; charset=UTF-16");
                }
            }),
            new Mutation("content type", 2, false, d -> d.header("Content-Type", pick(List.of("*/*", "application/*",
                    "application/*+json", "text/plain", "foo", "", "application/json; charset=nonsense",
                    "application/json; charset=UTF-16", "application/json;;;", "application/json; charset=",
                    "multipart/form-data; boundary=x", "multipart/form-data", "application/x-www-form-urlencoded",
                    "application/vnd.osb+json", "APPLICATION/JSON", "application/json\t", "application/json; q=0.1",
                    "text/html; charset=utf-8", "application/xml", "application/json, text/plain")))),
            new Mutation("no content type", 2, false, d -> d.header("Content-Type", null)),
            new Mutation("two content types", 2, false, d -> d.headers.add("Content-Type: text/plain")),
            new Mutation("unexpected body", 2, false, d -> {
                if (d.tree == null && d.rawBody == null) {
                    d.rawBody = pick(List.of("{\"a\":1}", "{", "x".repeat(5_000), "[]")).getBytes(StandardCharsets.UTF_8);
                    if (random.nextBoolean()) {
                        d.header("Content-Type", "application/json");
                    }
                }
            }),
            new Mutation("api version", 2, false, d -> d.header("X-Broker-API-Version", pick(Arrays.asList(
                    null, "", "3.0", "2", "1.0", "2.999999", "2.17; drop", "\u0662.\u0661\u0667", "2.17 ", "v2.17",
                    "2.17, 2.16", "-2.17", "2." + "1".repeat(500))))),
            new Mutation("authorization", 2, false, d -> d.header("Authorization", pick(Arrays.asList(null, "",
                    "Basic", "Basic ###", "Bearer x", "Basic " + base64("no-colon"), "Basic " + base64("broker:wrong"),
                    "Basic " + base64(":"), "basic " + authorization.substring(6), "Basic  " + authorization.substring(6),
                    "Basic " + base64("\u00e9:\u00e9"), "Digest username=\"x\"", "Basic " + "A".repeat(6_000))))),
            new Mutation("originating identity", 2, false, d -> d.header("X-Broker-API-Originating-Identity", pick(List.of(
                    "cloudfoundry", "cloudfoundry ###", "cloudfoundry " + base64("not json"), "cloudfoundry " + base64("[]"),
                    "cloudfoundry " + base64("{\"user_id\":" + "[".repeat(2_000) + "]".repeat(2_000) + "}"),
                    "kubernetes " + base64("{\"username\":\"" + "u".repeat(4_000) + "\"}"), " " + base64("{}"),
                    "\u00e9 " + base64("{}"), "cloudfoundry " + base64("{\"user_id\":\"\\u0000\"}"), "cloudfoundry ")))),
            new Mutation("request identity", 2, false, d -> d.header("X-Broker-API-Request-Identity", pick(List.of(
                    "\u00e9\u00e8", "x".repeat(4_000), "a\u0001b", "<script>", "", "${jndi:x}")))),
            new Mutation("accept", 2, false, d -> d.header("Accept", pick(List.of("application/xml", "text/html",
                    "///", "*/*;q=foo", "application/json;q=0", "image/png", "application/*", ", ,", "text/event-stream")))),
            new Mutation("content length", 2, false, d -> d.contentLength = pick(List.of("-1", "abc",
                    "99999999999999999999", "1", "0", "+5", " 5", "5, 5", "1000000"))),
            new Mutation("two content lengths", 2, false, d -> d.headers.add("Content-Length: 3")),
            new Mutation("chunked", 2, false, d -> {
                d.chunked = true;
                if (random.nextBoolean()) {
                    d.chunkedOverride = pick(List.of("zz\r\nabc\r\n0\r\n\r\n", "10\r\n{\"a\":", "5\r\n{}\r\n0\r\n\r\n",
                            "2\r\n{}\r\n0\r\nX-T: " + "a".repeat(10_000) + "\r\n\r\n", "-1\r\n\r\n",
                            "ffffffffffffffff\r\n{}\r\n0\r\n\r\n", "2;ext=" + "e".repeat(9_000) + "\r\n{}\r\n0\r\n\r\n"))
                            .getBytes(StandardCharsets.UTF_8);
                }
            }),
            new Mutation("transfer encoding", 2, false, d -> d.headers.add("Transfer-Encoding: "
                    + pick(List.of("gzip", "gzip, chunked", "chunked, chunked", "identity", "x", "chunked;q=1")))),
            new Mutation("expect", 2, false, d -> d.headers.add("Expect: " + pick(List.of("100-continue", "200-ok",
                    "x")))),
            new Mutation("long header", 2, false, d -> d.headers.add("X-Long: " + "h".repeat(pick(List.of(7_000, 9_000,
                    60_000))))),
            new Mutation("many headers", 2, false, d -> {
                for (int i = 0; i < pick(List.of(90, 150)); i++) {
                    d.headers.add("X-H" + i + ": " + i);
                }
            }),
            new Mutation("malformed header", 2, false, d -> d.headers.add(pick(List.of("X A: b", "NoColon",
                    ": empty-name", "X-Ctl: a\u0001b", "X-Del: a\u007fb", "X-Fold: a\r\n folded", "X-\u00e9: b",
                    "Host: second", "X-Lf: a\nb")))),
            new Mutation("no host", 2, false, d -> d.header("Host", null)),
            new Mutation("instance id", 2, false, d -> d.instanceId = pick(INVALID_IDS)),
            new Mutation("binding id", 2, false, d -> d.bindingId = pick(INVALID_IDS)),
            new Mutation("odd valid instance id", 2, false, d -> {
                String odd = pick(oddIds);
                if (usedInstanceIds.contains(odd) || usedInstanceIds.size() < instanceLimit) {
                    d.instanceId = odd;
                    usedInstanceIds.add(odd);
                }
            }),
            new Mutation("odd valid binding id", 2, false, d -> {
                d.bindingId = pick(oddIds);
                usedBindingIds.add(d.bindingId);
            }),
            new Mutation("path", 2, false, d -> d.path = pick(List.of("/v2//service_instances/x", "/v2/service_instances/",
                    "/v2/service_instances", "/v2/service_instances/x/", "/V2/CATALOG", "/v2/catalog/", "/v2/catalog;x",
                    "/v2/%63atalog", "/v2/service_instances/x/service_bindings", "/v2/service_instances/x/y/z",
                    "/v2/service_instances/x/last_operation/extra", "/v2", "/v2/", "/", "*", "/error",
                    "/v2/service_instances/x/service_bindings/y/z", "/v2/../v2/catalog", "/v2/./catalog",
                    "/v2/%2e%2e/catalog", "/%2e/v2/catalog", "/v2/catalog%00", "/actuator", "/favicon.ico",
                    "//v2/catalog", "/v2/catalog?", "/v2/catalog#x", "http://other.example/v2/catalog"))),
            new Mutation("platform prefix", 2, false, d -> d.prefix = pick(List.of("/platform-1", "/%2e", "/a%2Fb",
                    "/" + "p".repeat(300), "/\u00e9"))),
            new Mutation("query", 2, false, d -> d.query.add(pick(List.of("accepts_incomplete=maybe",
                    "accepts_incomplete=TRUE", "accepts_incomplete=", "accepts_incomplete=true&accepts_incomplete=false",
                    "service_id=" + OsbClient.encode("\u00e9"), "service_id=", "plan_id=no-such-plan", "plan_id",
                    "operation=" + "o".repeat(9_000), "operation=" + "o".repeat(3_000), "operation=a{b}|c",
                    "operation=a\"b", "operation=%zz", "operation=%", "operation=%00", "&&&", "=", "a==b",
                    "operation=\u00e9", "x=" + "&y=1".repeat(1_500), "operation=%2e%2e")))),
            new Mutation("drop query", 2, false, d -> d.query.clear()),
            new Mutation("method", 2, false, d -> d.method = pick(List.of("POST", "HEAD", "OPTIONS", "TRACE", "CONNECT",
                    "FOO", "get", "PROPFIND", "DELETE", "PATCH", "PUT", "GET", "M".repeat(300), "G\u0001T", "PRI"))),
            new Mutation("HTTP version", 2, false, d -> d.version = pick(List.of("HTTP/1.0", "HTTP/2.0", "HTTP/1.2",
                    "HTTP/1.1 extra", "http/1.1", "HTTP/1.1\t", "HTTP/9.9"))));
    }

    // ---------------------------------------------------------------- helpers

    private ObjectNode object(Draft d) {
        if (!(d.tree instanceof ObjectNode)) {
            d.tree = NODES.objectNode();
        }
        return (ObjectNode) d.tree;
    }

    private JsonNode oddValue() {
        return switch (random.nextInt(11)) {
            case 0 -> NODES.numberNode(123);
            case 1 -> NODES.numberNode(-1.5e308);
            case 2 -> NODES.booleanNode(true);
            case 3 -> NODES.nullNode();
            case 4 -> NODES.arrayNode();
            case 5 -> NODES.objectNode();
            case 6 -> NODES.textNode(pick(NASTY_STRINGS));
            case 7 -> NODES.arrayNode().add(1).add("a").add(NODES.objectNode());
            case 8 -> NODES.objectNode().set("a", NODES.objectNode().put("b", "c"));
            case 9 -> NODES.numberNode(new java.math.BigInteger("9".repeat(50)));
            default -> NODES.textNode(" ");
        };
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }

    private static String insertField(String json, String field) {
        int brace = json.indexOf('{');
        if (brace < 0) {
            return "{" + field + "}";
        }
        String rest = json.substring(brace + 1).trim();
        return json.substring(0, brace + 1) + field + (rest.startsWith("}") ? "" : ",") + rest;
    }

    private static String appendField(String json, String field) {
        int brace = json.lastIndexOf('}');
        if (brace < 0) {
            return "{" + field + "}";
        }
        String head = json.substring(0, brace).trim();
        return head + (head.endsWith("{") ? "" : ",") + field + json.substring(brace);
    }

    /** The request head, shortened, with its control characters visible: enough to reproduce it. */
    private static String head(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 4_000), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        head = head.replaceAll("Authorization: Basic [^\r]*", "Authorization: <as configured>")
                .replaceAll("(.)\\1{40,}", "$1$1$1...")
                .replace("\r\n", " | ");
        StringBuilder visible = new StringBuilder();
        head.chars().limit(400).forEach(c -> visible.append(c < 0x20 || c == 0x7f
                ? String.format("\\x%02x", c) : String.valueOf((char) c)));
        return visible.toString();
    }

    private static String write(JsonNode tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] chunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (body.length > 0) {
            out.writeBytes((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
