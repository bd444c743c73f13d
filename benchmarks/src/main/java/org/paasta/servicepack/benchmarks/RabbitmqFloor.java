package org.paasta.servicepack.benchmarks;

import java.net.URI;
import java.util.UUID;

/**
 * The unavoidable cost of the RabbitMQ broker's operations: the management HTTP API calls its
 * RabbitmqBackend and ManagementApi issue (as of this commit), over one warm keep-alive
 * connection:
 * <ul>
 *   <li>provision: PUT vhost, PUT operator policy, PUT the two vhost limits;</li>
 *   <li>bind: GET vhost (exists?), PUT user, PUT permissions (the listeners, from GET overview,
 *       are read at most once a minute by the broker, so not per bind);</li>
 *   <li>unbind: DELETE user (RabbitMQ closes the user's connections itself), GET the user's
 *       connections once; the broker closes whatever that lists and looks again, which with no
 *       live connection (as here) is never;</li>
 *   <li>deprovision: GET the vhost's permissions (users to delete: none left after unbind),
 *       DELETE vhost.</li>
 * </ul>
 */
final class RabbitmqFloor implements BackendFloor {
    static final String URL = env("RABBITMQ_MANAGEMENT_URL", "http://127.0.0.1:15672");
    static final String USER = env("RABBITMQ_ADMIN_USERNAME", "guest");
    static final String PASSWORD = env("RABBITMQ_ADMIN_PASSWORD", "guest");

    private final HttpConnection http;

    RabbitmqFloor() {
        http = new HttpConnection(port(), USER, PASSWORD, false);
    }

    static int port() {
        int port = URI.create(URL).getPort();
        return port < 0 ? 80 : port;
    }

    @Override
    public String describe() {
        String overview = expect(http.get("/api/overview"), 200).body();
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("\"rabbitmq_version\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(overview);
        return "RabbitMQ " + (version.find() ? version.group(1) : "?") + " (management API)";
    }

    @Override
    public long[] cycle() {
        String vhost = "si-" + UUID.randomUUID();
        String user = "sb-" + UUID.randomUUID();
        long t0 = System.nanoTime();
        expect(http.put("/api/vhosts/" + vhost, "{\"description\":\"PaaS-TA service instance bench\"}"), 201, 204);
        expect(http.put("/api/operator-policies/" + vhost + "/servicepack-plan-limits",
                "{\"pattern\":\".*\",\"apply-to\":\"queues\",\"priority\":0,\"definition\":{\"max-length\":100000,"
                        + "\"max-length-bytes\":104857600,\"message-ttl\":86400000}}"), 201, 204);
        expect(http.put("/api/vhost-limits/" + vhost + "/max-queues", "{\"value\":100}"), 201, 204);
        expect(http.put("/api/vhost-limits/" + vhost + "/max-connections", "{\"value\":100}"), 201, 204);
        long t1 = System.nanoTime();
        expect(http.get("/api/vhosts/" + vhost), 200);
        expect(http.put("/api/users/" + user, "{\"password\":\"" + UUID.randomUUID().toString().replace("-", "")
                + "\",\"tags\":\"\"}"), 201, 204);
        expect(http.put("/api/permissions/" + vhost + "/" + user,
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}"), 201, 204);
        long t2 = System.nanoTime();
        expect(http.delete("/api/users/" + user), 204, 404);
        expect(http.get("/api/connections/username/" + user), 200, 404);
        long t3 = System.nanoTime();
        expect(http.get("/api/vhosts/" + vhost + "/permissions"), 200, 404);
        expect(http.delete("/api/vhosts/" + vhost), 204, 404);
        long t4 = System.nanoTime();
        return new long[] {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
    }

    private static HttpConnection.Response expect(HttpConnection.Response response, int... statuses) {
        for (int status : statuses) {
            if (response.status() == status) {
                return response;
            }
        }
        throw new IllegalStateException("RabbitMQ management API answered " + response.status() + ": "
                + response.body());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    @Override
    public void close() {
        http.close();
    }
}
