package org.paasta.servicepack.rabbitmq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.paasta.servicepack.sdk.BackendUnavailableException;

/**
 * The parts of the RabbitMQ management HTTP API the broker uses, over the JDK's HttpURLConnection.
 *
 * <p>Not final only so a test can make one call fail against the real server.
 *
 * <p>Every failure to reach the API, or an answer other than the expected ones, becomes a
 * {@link BackendUnavailableException} (503, retryable) whose description names the operation and
 * what RabbitMQ answered, never a password: request bodies that carry one are not echoed.
 */
class ManagementApi {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final List<URI> bases;
    /** The node whose API answered last: calls start there and move on when it cannot be reached. */
    private volatile int current;
    private final String authorization;
    private final Duration requestTimeout;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param base           the management API's root, e.g. {@code http://127.0.0.1:15672}
     * @param username       an administrator of the cluster
     * @param requestTimeout how long one call may take before the broker gives up on it
     */
    private static final SecureRandom SALTS = new SecureRandom();

    ManagementApi(URI base, String username, String password, Duration requestTimeout) {
        this(List.of(base), username, password, requestTimeout);
    }

    /**
     * @param bases the management API of each node of one cluster (any node answers for all of
     *              them): a call that cannot reach one, or that it answers 502/503, goes to the
     *              next. Every call of the broker is idempotent, so repeating one elsewhere is safe.
     */
    ManagementApi(List<URI> bases, String username, String password, Duration requestTimeout) {
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("at least one management API URL is required");
        }
        this.bases = bases.stream().map(base -> {
            String root = withoutUserInfo(base).toString();
            return URI.create(root.endsWith("/") ? root : root + "/");
        }).toList();
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.requestTimeout = requestTimeout;
    }

    /** A listener of a cluster node, from {@code GET /api/overview}. */
    record Listener(String protocol, int port) {
    }

    /** An open client connection and the node it is on, from {@code GET /api/connections/...}. */
    record Connection(String name, String user, String vhost, String node) {
    }

    /**
     * What {@code GET /api/overview} says about the cluster, for the health check.
     *
     * @param nodes the nodes that list a listener (every running node of the cluster has one)
     */
    record Overview(String clusterName, String version, int nodes) {
    }

    /**
     * Where the management API is (the node that answered last), without any user info an operator
     * may have written into the URL.
     */
    URI base() {
        return bases.get(current);
    }

    /** Every node's management API, in the configured order. */
    List<URI> bases() {
        return bases;
    }

    Overview overview() {
        JsonNode overview = send("read the cluster overview", "GET", "api/overview", null, false, 200);
        Set<String> nodes = new TreeSet<>();
        overview.path("listeners").forEach(node -> nodes.add(node.path("node").asText()));
        if (nodes.isEmpty() && overview.hasNonNull("node")) {
            nodes.add(overview.path("node").asText());
        }
        return new Overview(overview.path("cluster_name").asText(null), overview.path("rabbitmq_version").asText(null),
                nodes.size());
    }

    List<Listener> listeners() {
        JsonNode overview = send("read the cluster overview", "GET", "api/overview", null, false, 200);
        List<Listener> listeners = new ArrayList<>();
        overview.path("listeners").forEach(node -> listeners.add(
                new Listener(node.path("protocol").asText(), node.path("port").asInt())));
        return listeners;
    }

    /** {@code PUT /api/vhosts/{vhost}}; creating an existing vhost changes nothing. */
    void putVhost(String vhost, String description) {
        send("create vhost " + vhost, "PUT", "api/vhosts/" + segment(vhost),
                Map.of("description", description), false, 201, 204);
    }

    boolean vhostExists(String vhost) {
        return send("read vhost " + vhost, "GET", "api/vhosts/" + segment(vhost), null, false, 200, 404) != null;
    }

    /** {@code DELETE /api/vhosts/{vhost}}: also closes its connections; an absent vhost is fine. */
    void deleteVhost(String vhost) {
        send("delete vhost " + vhost, "DELETE", "api/vhosts/" + segment(vhost), null, false, 204, 404);
    }

    void putOperatorPolicy(String vhost, String name, Map<String, Object> definition) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("pattern", ".*");
        policy.put("apply-to", "queues");
        policy.put("priority", 0);
        policy.put("definition", definition);
        send("set operator policy " + name + " on vhost " + vhost, "PUT",
                "api/operator-policies/" + segment(vhost) + "/" + segment(name), policy, false, 201, 204);
    }

    /** The operator policy's definition, or null when there is none. */
    JsonNode operatorPolicy(String vhost, String name) {
        JsonNode policy = send("read operator policy " + name + " of vhost " + vhost, "GET",
                "api/operator-policies/" + segment(vhost) + "/" + segment(name), null, false, 200, 404);
        return policy == null ? null : policy.path("definition");
    }

    void putVhostLimit(String vhost, String limit, int value) {
        send("set limit " + limit + " on vhost " + vhost, "PUT",
                "api/vhost-limits/" + segment(vhost) + "/" + segment(limit), Map.of("value", value), false, 201, 204);
    }

    /**
     * {@code PUT /api/users/{user}}: creates the user or replaces its password and tags. The password
     * goes as RabbitMQ's own salted SHA-256 hash, so it is in no request body a proxy or log could keep.
     */
    void putUser(String user, String password, List<String> tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("password_hash", passwordHash(password));
        body.put("hashing_algorithm", "rabbit_password_hashing_sha256");
        body.put("tags", String.join(",", tags));
        send("create user " + user, "PUT", "api/users/" + segment(user), body, true, 201, 204);
    }

    /** {@code base64(salt + sha256(salt + password))} with a 4-byte random salt, as rabbitmqctl computes it. */
    static String passwordHash(String password) {
        byte[] salt = new byte[4];
        SALTS.nextBytes(salt);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            byte[] digest = sha256.digest(password.getBytes(StandardCharsets.UTF_8));
            byte[] salted = new byte[salt.length + digest.length];
            System.arraycopy(salt, 0, salted, 0, salt.length);
            System.arraycopy(digest, 0, salted, salt.length, digest.length);
            return Base64.getEncoder().encodeToString(salted);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean userExists(String user) {
        return send("read user " + user, "GET", "api/users/" + segment(user), null, false, 200, 404) != null;
    }

    void deleteUser(String user) {
        send("delete user " + user, "DELETE", "api/users/" + segment(user), null, false, 204, 404);
    }

    /** Full configure/write/read permissions of {@code user} on {@code vhost}, and nowhere else. */
    void putPermissions(String vhost, String user) {
        send("grant user " + user + " permissions on vhost " + vhost, "PUT",
                "api/permissions/" + segment(vhost) + "/" + segment(user),
                Map.of("configure", ".*", "write", ".*", "read", ".*"), false, 201, 204);
    }

    /** Users with permissions on the vhost; empty when the vhost does not exist. */
    List<String> usersPermittedOn(String vhost) {
        JsonNode permissions = send("list permissions of vhost " + vhost, "GET",
                "api/vhosts/" + segment(vhost) + "/permissions", null, false, 200, 404);
        List<String> users = new ArrayList<>();
        if (permissions != null) {
            permissions.forEach(node -> users.add(node.path("user").asText()));
        }
        return users;
    }

    /**
     * The user's open connections as the management plugin's statistics know them: a connection
     * shows up only after the next statistics emission (every 5 s by default).
     */
    List<Connection> connectionsOf(String user) {
        JsonNode connections = send("list connections of user " + user, "GET",
                "api/connections/username/" + segment(user), null, false, 200, 404);
        return connections == null ? new ArrayList<>() : connections(connections);
    }

    private static List<Connection> connections(JsonNode listed) {
        List<Connection> result = new ArrayList<>();
        listed.forEach(node -> result.add(new Connection(node.path("name").asText(), node.path("user").asText(),
                node.path("vhost").asText(), node.path("node").asText())));
        return result;
    }

    /** A queue's message counts, from the statistics (refreshed every {@code collect_statistics_interval}, 5 s). */
    record QueueStats(String name, long ready, long unacknowledged) {
    }

    /**
     * The vhost's queues with their message counts, or null when the vhost does not exist.
     * Read-only and bounded by {@code timeout}, for dashboards.
     */
    List<QueueStats> queuesOf(String vhost, Duration timeout) {
        JsonNode queues = read("list queues of vhost " + vhost,
                "api/queues/" + segment(vhost) + "?columns=name,messages_ready,messages_unacknowledged", timeout);
        if (queues == null) {
            return null;
        }
        List<QueueStats> result = new ArrayList<>();
        queues.forEach(node -> result.add(new QueueStats(node.path("name").asText(),
                node.path("messages_ready").asLong(0), node.path("messages_unacknowledged").asLong(0))));
        return result;
    }

    /**
     * The vhost's client connections from the statistics (a new one shows up within 5 s), or null
     * when the vhost does not exist. Read-only and bounded by {@code timeout}.
     */
    List<Connection> connectionsOn(String vhost, Duration timeout) {
        JsonNode connections = read("list connections of vhost " + vhost,
                "api/vhosts/" + segment(vhost) + "/connections?columns=name,user,vhost,node", timeout);
        return connections == null ? null : connections(connections);
    }

    /** The limits set on the vhost ({@code max-queues}, {@code max-connections}); empty if none or no vhost. */
    Map<String, Long> vhostLimits(String vhost, Duration timeout) {
        JsonNode limits = read("read the limits of vhost " + vhost, "api/vhost-limits/" + segment(vhost), timeout);
        Map<String, Long> result = new LinkedHashMap<>();
        if (limits != null) {
            limits.forEach(entry -> entry.path("value").fields()
                    .forEachRemaining(field -> result.put(field.getKey(), field.getValue().asLong())));
        }
        return result;
    }

    private JsonNode read(String operation, String path, Duration timeout) {
        Duration bounded = timeout.compareTo(requestTimeout) < 0 ? timeout : requestTimeout;
        return exchange(operation, "GET", path, null, null, false, bounded, 200, 404);
    }

    /** {@code DELETE /api/connections/{name}} with a reason the client sees; a gone connection is fine. */
    void closeConnection(String name, String reason) {
        exchange("close connection " + name, "DELETE", "api/connections/" + segment(name), null, reason, false,
                requestTimeout, 204, 404);
    }

    private JsonNode send(String operation, String method, String path, Object body, boolean bodyIsSecret,
                          int... expected) {
        byte[] content = null;
        if (body != null) {
            try {
                content = json.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot render the request to " + operation, e);
            }
        }
        return exchange(operation, method, path, content, null, bodyIsSecret, requestTimeout, expected);
    }

    /**
     * One call, to the node that answered last or, when it cannot be reached (or answers 502/503),
     * to the next ones in turn. Returns the parsed body of a 200, an empty node for other expected
     * answers, null for an expected 404.
     */
    private JsonNode exchange(String operation, String method, String path, byte[] content, String reason,
                              boolean bodyIsSecret, Duration readTimeout, int... expected) {
        int start = current;
        IOException unreachable = null;
        for (int attempt = 0; attempt < bases.size(); attempt++) {
            int index = (start + attempt) % bases.size();
            URI base = bases.get(index);
            Answer answer;
            try {
                answer = call(base, method, path, content, reason, readTimeout);
            } catch (IOException e) {
                unreachable = e;
                continue;
            }
            boolean last = attempt == bases.size() - 1;
            if ((answer.status() == 502 || answer.status() == 503) && !last && !isExpected(answer.status(), expected)) {
                continue;
            }
            current = index;
            for (int ok : expected) {
                if (answer.status() == ok) {
                    if (ok == 404) {
                        return null;
                    }
                    return ok == 200 ? parse(base, operation, answer.body()) : json.createObjectNode();
                }
            }
            throw new BackendUnavailableException(refusal(base, operation, answer.status(),
                    bodyIsSecret ? null : answer.body()), null);
        }
        String where = String.join(", ", bases.stream().map(URI::toString).toList());
        throw new BackendUnavailableException("RabbitMQ management API at " + where + " cannot be reached to "
                + operation + " (" + unreachable.getClass().getSimpleName() + "); try again later", unreachable);
    }

    private record Answer(int status, String body) {
    }

    private static boolean isExpected(int status, int... expected) {
        for (int ok : expected) {
            if (ok == status) {
                return true;
            }
        }
        return false;
    }

    /**
     * One call to one node, on the calling thread. HttpURLConnection, not the JDK's HttpClient: the
     * latter hands every call to its selector and executor threads and back, which measured 0.5-1 ms
     * more per call on two cores, and a bind makes three calls. Keep-alive connections are reused
     * once a response body has been read to its end, which this method always does.
     */
    private Answer call(URI base, String method, String path, byte[] content, String reason, Duration readTimeout)
            throws IOException {
        // Direct, as before: a JVM-wide http.proxyHost must not divert calls to the cluster's own API.
        HttpURLConnection call = (HttpURLConnection) base.resolve(path).toURL().openConnection(Proxy.NO_PROXY);
        call.setConnectTimeout((int) Math.min(CONNECT_TIMEOUT.toMillis(), Math.max(1, readTimeout.toMillis())));
        // Bounds every wait for the server's bytes; a server that stalls mid-answer fails the call.
        call.setReadTimeout((int) Math.max(1, readTimeout.toMillis()));
        call.setUseCaches(false);
        call.setInstanceFollowRedirects(false);
        call.setRequestMethod(method);
        // No Accept header: some resources (vhost limits) answer 406 to application/json.
        call.setRequestProperty("Authorization", authorization);
        if (reason != null) {
            call.setRequestProperty("X-Reason", reason);
        }
        if (content != null) {
            call.setRequestProperty("Content-Type", "application/json");
            call.setDoOutput(true);
            try (OutputStream out = call.getOutputStream()) {
                out.write(content);
            }
        }
        int status = call.getResponseCode();
        try (InputStream in = status >= 400 ? call.getErrorStream() : call.getInputStream()) {
            return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private JsonNode parse(URI base, String operation, String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BackendUnavailableException("RabbitMQ management API at " + base
                    + " answered something other than JSON to " + operation, e);
        }
    }

    private String refusal(URI base, String operation, int status, String body) {
        String what = switch (status) {
            case 401 -> "refused the broker's admin credentials";
            case 403 -> "refused: the broker's admin user is not an administrator";
            case 503, 502, 500 -> "is not serving requests";
            default -> "refused";
        };
        String reason = body == null ? "" : reasonOf(body);
        return "RabbitMQ management API at " + base + " " + what + " (HTTP " + status + ") when asked to "
                + operation + (reason.isEmpty() ? "" : ": " + reason);
    }

    private String reasonOf(String body) {
        try {
            String reason = json.readTree(body).path("reason").asText("").replaceAll("\\s+", " ").trim();
            return reason.length() > 300 ? reason.substring(0, 300) + "..." : reason;
        } catch (JsonProcessingException e) {
            return "";
        }
    }

    /** Credentials belong in the Authorization header only, never in URLs that messages repeat. */
    private static URI withoutUserInfo(URI uri) {
        if (uri.getUserInfo() == null) {
            return uri;
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
                    uri.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the RabbitMQ management URL is not a valid URL", e);
        }
    }

    /** Percent-encodes one path segment: RabbitMQ names may hold '/', spaces and '>' (connection names). */
    static String segment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
