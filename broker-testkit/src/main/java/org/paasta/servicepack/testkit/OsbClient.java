package org.paasta.servicepack.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A platform's side of the OSB API, as Cloud Foundry's Cloud Controller speaks it: basic auth,
 * {@code X-Broker-API-Version: 2.17}, JSON bodies, polling of last_operation.
 */
public final class OsbClient {
    public static final String API_VERSION = "2.17";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public OsbClient(URI base, String username, String password) {
        this.base = base;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Where the broker is. */
    public URI base() {
        return base;
    }

    /** The {@code Authorization} header this client sends (a secret: it carries the broker password). */
    public String authorization() {
        return authorization;
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public OsbResponse catalog() {
        return send("GET", "/v2/catalog", null);
    }

    public OsbResponse provision(String instanceId, String serviceId, String planId, Map<String, ?> parameters,
                                 boolean acceptsIncomplete) {
        return provision(instanceId, provisionBody(serviceId, planId, parameters), acceptsIncomplete);
    }

    public OsbResponse provision(String instanceId, Map<String, ?> body, boolean acceptsIncomplete) {
        return send("PUT", instancePath(instanceId) + async(acceptsIncomplete), body);
    }

    /**
     * The body Cloud Foundry sends to provision in organization {@code org-guid}, space
     * {@code space-guid}; mutable, so a test can change or drop a field.
     */
    public static Map<String, Object> provisionBody(String serviceId, String planId, Map<String, ?> parameters) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service_id", serviceId);
        body.put("plan_id", planId);
        body.put("organization_guid", "org-guid");
        body.put("space_guid", "space-guid");
        body.put("context", new LinkedHashMap<>(Map.of("platform", "cloudfoundry", "organization_guid", "org-guid",
                "space_guid", "space-guid", "instance_name", "contract-test")));
        if (parameters != null) {
            body.put("parameters", parameters);
        }
        return body;
    }

    public OsbResponse update(String instanceId, String serviceId, String planId, Map<String, ?> parameters,
                              boolean acceptsIncomplete) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service_id", serviceId);
        if (planId != null) {
            body.put("plan_id", planId);
        }
        if (parameters != null) {
            body.put("parameters", parameters);
        }
        return send("PATCH", instancePath(instanceId) + async(acceptsIncomplete), body);
    }

    public OsbResponse deprovision(String instanceId, String serviceId, String planId, boolean acceptsIncomplete) {
        return send("DELETE", instancePath(instanceId) + "?service_id=" + encode(serviceId) + "&plan_id="
                + encode(planId) + (acceptsIncomplete ? "&accepts_incomplete=true" : ""), null);
    }

    public OsbResponse fetchInstance(String instanceId) {
        return send("GET", instancePath(instanceId), null);
    }

    public OsbResponse lastOperation(String instanceId, String operation) {
        return send("GET", instancePath(instanceId) + "/last_operation"
                + (operation == null ? "" : "?operation=" + encode(operation)), null);
    }

    public OsbResponse bind(String instanceId, String bindingId, String serviceId, String planId,
                            Map<String, ?> parameters, boolean acceptsIncomplete) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service_id", serviceId);
        body.put("plan_id", planId);
        body.put("bind_resource", Map.of("app_guid", "app-guid"));
        if (parameters != null) {
            body.put("parameters", parameters);
        }
        return bind(instanceId, bindingId, body, acceptsIncomplete);
    }

    public OsbResponse bind(String instanceId, String bindingId, Map<String, ?> body, boolean acceptsIncomplete) {
        return send("PUT", bindingPath(instanceId, bindingId) + async(acceptsIncomplete), body);
    }

    public OsbResponse unbind(String instanceId, String bindingId, String serviceId, String planId,
                              boolean acceptsIncomplete) {
        return send("DELETE", bindingPath(instanceId, bindingId) + "?service_id=" + encode(serviceId) + "&plan_id="
                + encode(planId) + (acceptsIncomplete ? "&accepts_incomplete=true" : ""), null);
    }

    public OsbResponse fetchBinding(String instanceId, String bindingId) {
        return send("GET", bindingPath(instanceId, bindingId), null);
    }

    public OsbResponse bindingLastOperation(String instanceId, String bindingId, String operation) {
        return send("GET", bindingPath(instanceId, bindingId) + "/last_operation"
                + (operation == null ? "" : "?operation=" + encode(operation)), null);
    }

    /**
     * Polls an instance's last_operation until it leaves "in progress" (or answers 410 after an
     * async delete), as a platform does, within {@code timeout}.
     */
    public OsbResponse awaitInstance(String instanceId, String operation, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            OsbResponse last = lastOperation(instanceId, operation);
            if (last.status() != 200 || !"in progress".equals(last.text("state")) || System.nanoTime() > deadline) {
                return last;
            }
            pause();
        }
    }

    public OsbResponse awaitBinding(String instanceId, String bindingId, String operation, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            OsbResponse last = bindingLastOperation(instanceId, bindingId, operation);
            if (last.status() != 200 || !"in progress".equals(last.text("state")) || System.nanoTime() > deadline) {
                return last;
            }
            pause();
        }
    }

    /** Any request, with full control of headers (null values leave a default header out). */
    public OsbResponse send(String method, String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Authorization", authorization);
        all.put("X-Broker-API-Version", API_VERSION);
        all.put("Content-Type", "application/json");
        all.putAll(headers);
        all.forEach((name, value) -> {
            if (value != null) {
                request.header(name, value);
            }
        });
        byte[] payload;
        try {
            payload = body == null ? null : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                    : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        request.method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(payload));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new OsbResponse(response.statusCode(), parse(response.body()), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public OsbResponse send(String method, String path, Object body) {
        return send(method, path, body, Map.of());
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static String instancePath(String instanceId) {
        return "/v2/service_instances/" + encode(instanceId);
    }

    private static String bindingPath(String instanceId, String bindingId) {
        return instancePath(instanceId) + "/service_bindings/" + encode(bindingId);
    }

    private static String async(boolean acceptsIncomplete) {
        return acceptsIncomplete ? "?accepts_incomplete=true" : "";
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
