package org.paasta.servicepack.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLException;
import org.paasta.servicepack.cli.CliConfig.RegisteredBroker;

/**
 * HTTP to one broker, with what every OSB request carries: basic auth, {@code X-Broker-API-Version: 2.17},
 * the originating identity and a fresh request identity. It turns transport failures into
 * {@link CliFailure}s; what an HTTP status means is left to the command that sent it.
 */
final class OsbClient {
    static final String API_VERSION = "2.17";

    private final String name;
    private final RegisteredBroker broker;
    private final PlatformIdentity identity;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration requestTimeout;

    OsbClient(String name, RegisteredBroker broker, PlatformIdentity identity, HttpClient http, ObjectMapper json,
              Duration requestTimeout) {
        this.name = name;
        this.broker = broker;
        this.identity = identity;
        this.http = http;
        this.json = json;
        this.requestTimeout = requestTimeout;
    }

    String name() {
        return name;
    }

    PlatformIdentity identity() {
        return identity;
    }

    /** {@code /v2/service_instances/{id}} with the id percent-encoded. */
    static String instancePath(String instanceId) {
        return "/v2/service_instances/" + encode(instanceId);
    }

    static String bindingPath(String instanceId, String bindingId) {
        return instancePath(instanceId) + "/service_bindings/" + encode(bindingId);
    }

    /** Query parameters in order, skipping null values. */
    static Map<String, String> query(String... keysAndValues) {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                query.put(keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return query;
    }

    /** RFC 3986 percent-encoding (a space is %20, not +). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    OsbResponse get(String action, String path, Map<String, String> query) {
        return send(action, "GET", path, query, null);
    }

    /**
     * Sends one request and reads the whole answer.
     *
     * @param action what the request does, in words, for messages ("create-service", "last_operation")
     */
    OsbResponse send(String action, String method, String path, Map<String, String> query, JsonNode body) {
        String requestIdentity = UUID.randomUUID().toString();
        URI uri = uri(path, query);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (broker.username() + ":" + broker.password()).getBytes(StandardCharsets.UTF_8)))
                .header("X-Broker-API-Version", API_VERSION)
                .header("X-Broker-API-Originating-Identity", identity.originatingIdentity())
                .header("X-Broker-API-Request-Identity", requestIdentity)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw CliFailure.unreachable("cannot reach broker '" + name + "' at " + broker.url()
                    + ": the connection timed out", e);
        } catch (HttpTimeoutException e) {
            throw CliFailure.timedOut("broker '" + name + "' did not answer " + action + " within "
                    + Durations.format(requestTimeout) + " (" + method + " " + uri.getPath() + ")");
        } catch (ConnectException e) {
            throw CliFailure.unreachable("cannot reach broker '" + name + "' at " + broker.url()
                    + ": connection refused", e);
        } catch (SSLException e) {
            throw CliFailure.unreachable("cannot reach broker '" + name + "' at " + broker.url()
                    + ": TLS failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw CliFailure.unreachable("cannot reach broker '" + name + "' at " + broker.url() + ": "
                    + describe(e), e);
        } catch (UnresolvedAddressException e) {
            throw CliFailure.unreachable("cannot reach broker '" + name + "' at " + broker.url()
                    + ": unknown host", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.timedOut("interrupted while waiting for broker '" + name + "'");
        }
        String text = response.body();
        JsonNode parsed = null;
        if (text != null && !text.isBlank()) {
            try {
                parsed = json.readTree(text);
            } catch (JsonProcessingException e) {
                parsed = null;
            }
        } else {
            parsed = json.createObjectNode();
        }
        return new OsbResponse(name, action, response.statusCode(), parsed, text,
                response.headers().firstValue("Retry-After").orElse(null), requestIdentity);
    }

    private URI uri(String path, Map<String, String> query) {
        String base = broker.url().endsWith("/") ? broker.url().substring(0, broker.url().length() - 1) : broker.url();
        StringBuilder uri = new StringBuilder(base).append(path);
        char separator = '?';
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            uri.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
            separator = '&';
        }
        try {
            return URI.create(uri.toString());
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("the URL of broker '" + name + "' is not a valid URL: " + broker.url());
        }
    }

    private static String describe(IOException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : OsbResponse.oneLine(message);
    }
}
