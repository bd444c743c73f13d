import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Establishes, against the running rabbitmq-cluster.sh cluster, the facts docs/clusters-notes.md
 * records. Prints what it sent and what it saw; asserts nothing.
 *
 * java -cp amqp-client.jar:slf4j-api.jar scripts/clusters/probes/RabbitFacts.java [env file] [scripts/clusters/rabbitmq-cluster.sh]
 */
public class RabbitFacts {
    static Map<String, String> env = new HashMap<>();
    static String script;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    static final String VHOST = "f-vhost";
    static final String USER = "f-user";
    static final String PASSWORD = "f-pw-" + Long.toHexString(new java.security.SecureRandom().nextLong());

    public static void main(String[] args) throws Exception {
        Path envFile = Path.of(args.length > 0 ? args[0] : "/tmp/servicepack-rabbitmq/rabbitmq-cluster.env");
        script = args.length > 1 ? args[1] : "scripts/clusters/rabbitmq-cluster.sh";
        for (String line : Files.readAllLines(envFile)) {
            int eq = line.indexOf('=');
            if (eq > 0) env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        try {
            setUp();
            listing();
            deleteConnection();
            deleteUser();
            permissionsCleared();
            vhostLimit();
            vhostWithNodeStopped();
        } finally {
            api(1, "DELETE", "/api/vhosts/" + VHOST, null);
            api(1, "DELETE", "/api/vhosts/f-vhost-down", null);
            api(1, "DELETE", "/api/users/" + USER, null);
        }
    }

    static String mgmt(int node) {
        return env.get("RABBITMQ_CLUSTER_NODE" + node + "_MANAGEMENT_URL");
    }

    static HttpResponse<String> api(int node, String method, String path, String body) throws Exception {
        String auth = env.get("RABBITMQ_CLUSTER_ADMIN_USERNAME") + ":" + env.get("RABBITMQ_CLUSTER_ADMIN_PASSWORD");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mgmt(node) + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Connection open(int node, String name) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(Integer.parseInt(env.get("RABBITMQ_CLUSTER_NODE" + node + "_AMQP_PORT")));
        f.setUsername(USER);
        f.setPassword(PASSWORD);
        f.setVirtualHost(VHOST);
        f.setConnectionTimeout(5000);
        f.setAutomaticRecoveryEnabled(false);
        return f.newConnection(name);
    }

    static List<String> names(String json, String key) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(json);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    static long waitFor(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long t0 = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if ((System.nanoTime() - t0) / 1_000_000 > timeoutMs) return -1;
            Thread.sleep(100);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static void say(String s) {
        System.out.println(s);
    }

    static void head(String s) {
        System.out.println();
        System.out.println("=== " + s);
    }

    static void setUp() throws Exception {
        head("0. Set up through node 1: vhost " + VHOST + ", user " + USER + " with all permissions on it");
        say("PUT /api/vhosts/" + VHOST + " -> " + api(1, "PUT", "/api/vhosts/" + VHOST, "{}").statusCode());
        say("PUT /api/users/" + USER + " -> " + api(1, "PUT", "/api/users/" + USER, "{\"password\":\"" + PASSWORD + "\",\"tags\":\"\"}").statusCode());
        say("PUT /api/permissions/" + VHOST + "/" + USER + " -> " + api(1, "PUT", "/api/permissions/" + VHOST + "/" + USER,
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}").statusCode());
    }

    static List<String> connectionsSeen(int node, String path) {
        try {
            HttpResponse<String> r = api(node, "GET", path, null);
            return r.statusCode() == 200 ? names(r.body(), "name") : List.of("HTTP " + r.statusCode());
        } catch (Exception e) {
            return List.of(e.toString());
        }
    }

    static void listing() throws Exception {
        head("1. One connection per node; when each node's management API lists all three (ms after they opened)");
        List<Connection> conns = new ArrayList<>();
        for (int node = 1; node <= 3; node++) conns.add(open(node, "probe-on-node" + node));
        long t0 = System.nanoTime();
        List<String> paths = List.of("/api/connections?columns=name,node,user", "/api/connections/username/" + USER,
                "/api/vhosts/" + VHOST + "/connections");
        Map<String, Long> seenAt = new java.util.LinkedHashMap<>();
        while (seenAt.size() < 9 && (System.nanoTime() - t0) / 1_000_000 < 30000) {
            for (String path : paths) {
                for (int node = 1; node <= 3; node++) {
                    String key = "node" + node + " GET " + path;
                    if (!seenAt.containsKey(key) && connectionsSeen(node, path).stream().filter(x -> x.contains("->")).count() >= 3) {
                        seenAt.put(key, (System.nanoTime() - t0) / 1_000_000);
                    }
                }
            }
            Thread.sleep(50);
        }
        for (String path : paths) {
            for (int node = 1; node <= 3; node++) {
                String key = "node" + node + " GET " + path;
                say(key + " -> all 3 listed " + (seenAt.containsKey(key) ? "after " + seenAt.get(key) + " ms" : "NOT within 30 s"));
            }
        }
        HttpResponse<String> r = api(1, "GET", "/api/connections/username/" + USER + "?columns=name,node", null);
        say("node1 GET /api/connections/username/" + USER + "?columns=name,node -> " + r.body());
        for (Connection c : conns) c.close();
        long ms = waitFor(() -> connectionsSeen(1, "/api/connections/username/" + USER).isEmpty(), 30000);
        say("after the clients closed them, node1's list is empty " + (ms < 0 ? "NOT within 30 s" : "after " + ms + " ms"));
    }

    static void deleteConnection() throws Exception {
        head("2. DELETE /api/connections/{name} through node 1 of a connection on node 3 (twice), then on node 1; sent as soon as node 1 lists it, repeated until not 404");
        for (int on : new int[] {3, 3, 1}) {
            String who = "connection on node " + on + ",";
            Connection c3 = open(on, "probe-delete-me");
            long opened = System.nanoTime();
            waitFor(() -> connectionsSeen(1, "/api/connections/username/" + USER).size() >= 1, 30000);
            HttpResponse<String> r = api(1, "GET", "/api/connections/username/" + USER + "?columns=name,node", null);
            say(who + " try: node1 lists " + r.body() + " " + (System.nanoTime() - opened) / 1_000_000 + " ms after the open");
            String name = names(r.body(), "name").get(0);
            int notFound = 0;
            HttpResponse<String> d;
            while ((d = api(1, "DELETE", "/api/connections/" + enc(name), null)).statusCode() == 404 && notFound < 300) {
                notFound++;
                Thread.sleep(50);
            }
            long sent = System.nanoTime();
            say("node1 DELETE /api/connections/" + enc(name) + " -> " + d.statusCode() + " after " + notFound + " answers of 404, "
                    + (sent - opened) / 1_000_000 + " ms after the open");
            long ms = waitFor(() -> !c3.isOpen(), 10000);
            say("client: " + (ms < 0 ? "NOT closed within 10 s" : "closed " + (System.nanoTime() - sent) / 1_000_000 + " ms after the DELETE answered")
                    + "; cause: " + (c3.getCloseReason() == null ? "-" : c3.getCloseReason().getMessage()));
            if (c3.isOpen()) c3.close();
        }
    }

    static void deleteUser() throws Exception {
        head("3. DELETE /api/users/" + USER + " through node 1 with a connection on each node");
        List<Connection> conns = new ArrayList<>();
        for (int node = 1; node <= 3; node++) conns.add(open(node, "probe-user-on-node" + node));
        long t0 = System.nanoTime();
        say("node1 DELETE /api/users/" + USER + " -> " + api(1, "DELETE", "/api/users/" + USER, null).statusCode());
        for (int node = 1; node <= 3; node++) {
            Connection c = conns.get(node - 1);
            long ms = waitFor(() -> !c.isOpen(), 10000);
            say("client on node " + node + ": " + (ms < 0 ? "still open 10 s later" : "closed "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms after the DELETE; cause: " + c.getCloseReason().getMessage()));
        }
        for (Connection c : conns) if (c.isOpen()) c.close();
        say("PUT /api/users/" + USER + " again -> " + api(1, "PUT", "/api/users/" + USER, "{\"password\":\"" + PASSWORD + "\",\"tags\":\"\"}").statusCode()
                + ", permissions -> " + api(1, "PUT", "/api/permissions/" + VHOST + "/" + USER, "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}").statusCode());
    }

    static void permissionsCleared() throws Exception {
        head("4. DELETE /api/permissions/" + VHOST + "/" + USER + " through node 1 with a connection on node 2");
        Connection c = open(2, "probe-perm-on-node2");
        say("node1 DELETE /api/permissions -> " + api(1, "DELETE", "/api/permissions/" + VHOST + "/" + USER, null).statusCode());
        long ms = waitFor(() -> !c.isOpen(), 5000);
        say("client on node 2: " + (ms < 0 ? "still open 5 s later" : "closed after " + ms + " ms"));
        if (c.isOpen()) {
            try {
                var ch = c.createChannel();
                ch.queueDeclare("", false, true, true, null);
                say("client on node 2 declares a queue after the permissions went: OK");
                ch.close();
            } catch (Exception e) {
                say("client on node 2 declares a queue after the permissions went: " + e.getClass().getSimpleName() + " "
                        + String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
            }
            if (c.isOpen()) c.close();
        }
        api(1, "PUT", "/api/permissions/" + VHOST + "/" + USER, "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
    }

    static void vhostLimit() throws Exception {
        head("5. PUT /api/vhost-limits/" + VHOST + "/max-connections {value: 2}: connections opened on nodes 1, 2, 3");
        say("node1 PUT vhost-limits max-connections=2 -> " + api(1, "PUT", "/api/vhost-limits/" + VHOST + "/max-connections", "{\"value\":2}").statusCode());
        List<Connection> conns = new ArrayList<>();
        for (int node = 1; node <= 3; node++) {
            try {
                conns.add(open(node, "probe-limit-node" + node));
                say("node " + node + ": opened (" + conns.size() + " open)");
            } catch (Exception e) {
                Throwable t = e;
                while (t.getCause() != null) t = t.getCause();
                say("node " + node + ": refused: " + t.getClass().getSimpleName() + " " + t.getMessage());
            }
        }
        for (Connection c : conns) c.close();
        api(1, "DELETE", "/api/vhost-limits/" + VHOST + "/max-connections", null);
    }

    static String run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(script);
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(cmd + " failed: " + out);
        return out.replace("\n", " / ");
    }

    static void vhostWithNodeStopped() throws Exception {
        head("6. PUT /api/vhosts with node 3 stopped (rabbitmq-cluster.sh stop-node 3)");
        say(run("stop-node", "3"));
        say("node1 GET /api/nodes running: " + api(1, "GET", "/api/nodes?columns=name,running", null).body());
        long t0 = System.nanoTime();
        HttpResponse<String> r = api(1, "PUT", "/api/vhosts/f-vhost-down", "{}");
        say("node1 PUT /api/vhosts/f-vhost-down -> " + r.statusCode() + " " + r.body() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        say("node1 GET /api/vhosts/f-vhost-down -> " + api(1, "GET", "/api/vhosts/f-vhost-down?columns=name,cluster_state", null).body());
        say("node1 PUT /api/users/f-user-down -> " + api(1, "PUT", "/api/users/f-user-down", "{\"password\":\"x\",\"tags\":\"\"}").statusCode()
                + ", permissions -> " + api(1, "PUT", "/api/permissions/f-vhost-down/f-user-down", "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}").statusCode());
        t0 = System.nanoTime();
        say(run("start-node", "3"));
        say("start-node 3 took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        say("node3 GET /api/vhosts/f-vhost-down -> " + api(3, "GET", "/api/vhosts/f-vhost-down?columns=name,cluster_state", null).body());
        say("node3 GET /api/permissions/f-vhost-down/f-user-down -> " + api(3, "GET", "/api/permissions/f-vhost-down/f-user-down", null).statusCode());
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(Integer.parseInt(env.get("RABBITMQ_CLUSTER_NODE3_AMQP_PORT")));
        f.setUsername("f-user-down");
        f.setPassword("x");
        f.setVirtualHost("f-vhost-down");
        try (Connection c = f.newConnection("probe-after-restart")) {
            say("f-user-down connects to f-vhost-down on node 3 after its restart: OK");
        } catch (Exception e) {
            say("f-user-down connects to f-vhost-down on node 3 after its restart: " + e);
        }
        api(1, "DELETE", "/api/users/f-user-down", null);
    }
}
