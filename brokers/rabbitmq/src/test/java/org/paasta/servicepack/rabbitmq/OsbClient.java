package org.paasta.servicepack.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** A platform calling the broker over real HTTP, as Cloud Foundry would. */
final class OsbClient {
    static final String USERNAME = "broker";
    static final String PASSWORD = "test-broker-password";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;

    OsbClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    record Answer(int status, JsonNode body) {
    }

    Answer catalog() throws Exception {
        return send("GET", "/v2/catalog", null);
    }

    Answer provision(String instanceId) throws Exception {
        return send("PUT", "/v2/service_instances/" + instanceId, Map.of(
                "service_id", LocalRabbitmq.SERVICE_ID, "plan_id", LocalRabbitmq.PLAN_ID,
                "organization_guid", "org-guid", "space_guid", "space-guid",
                "context", Map.of("platform", "cloudfoundry", "organization_guid", "org-guid",
                        "space_guid", "space-guid", "instance_name", "my-rabbit")));
    }

    Answer bind(String instanceId, String bindingId) throws Exception {
        return send("PUT", "/v2/service_instances/" + instanceId + "/service_bindings/" + bindingId, Map.of(
                "service_id", LocalRabbitmq.SERVICE_ID, "plan_id", LocalRabbitmq.PLAN_ID,
                "bind_resource", Map.of("app_guid", "app-guid")));
    }

    Answer getBinding(String instanceId, String bindingId) throws Exception {
        return send("GET", "/v2/service_instances/" + instanceId + "/service_bindings/" + bindingId, null);
    }

    Answer unbind(String instanceId, String bindingId) throws Exception {
        return send("DELETE", "/v2/service_instances/" + instanceId + "/service_bindings/" + bindingId + ids(), null);
    }

    Answer deprovision(String instanceId) throws Exception {
        return send("DELETE", "/v2/service_instances/" + instanceId + ids(), null);
    }

    private static String ids() {
        return "?service_id=" + LocalRabbitmq.SERVICE_ID + "&plan_id=" + LocalRabbitmq.PLAN_ID;
    }

    private Answer send(String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("X-Broker-API-Version", "2.17")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((USERNAME + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        return new Answer(response.statusCode(), text == null || text.isBlank()
                ? json.createObjectNode() : json.readTree(text));
    }
}
