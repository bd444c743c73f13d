package org.paasta.servicepack.rabbitmq;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.paasta.servicepack.sdk.Credentials;

/**
 * Builds a binding's credentials in the shape of the multitenant RabbitMQ broker PaaS-TA shipped
 * (field names, URI formats and the per-protocol {@code protocols} entries), so apps, buildpacks
 * and java-cfenv that read those credentials keep working.
 *
 * <p>Protocol entries are named as that broker named them: {@code amqp}, {@code amqp+ssl},
 * {@code management}, {@code management+ssl}, {@code mqtt}, {@code mqtt+ssl}, {@code stomp},
 * {@code stomp+ssl}; one appears for each listener the cluster has (or the operator configured).
 * Every entry carries {@code vhost} too, which the old broker left out of some.
 */
final class BindingCredentials {
    private static final int AMQP_PORT = 5672;
    private static final int AMQPS_PORT = 5671;

    private BindingCredentials() {
    }

    /**
     * @param endpoints where applications reach the cluster
     * @param ports     protocol entry name to port, e.g. {@code amqp -> 5672}, in the order to list them
     */
    static Credentials build(Endpoints endpoints, Map<String, Integer> ports, String vhost, String user,
                             String password) {
        List<String> hosts = endpoints.hostnames();
        String amqpKey = endpoints.ssl() ? "amqp+ssl" : "amqp";
        Integer amqpPort = ports.get(amqpKey);
        if (amqpPort == null) {
            throw new IllegalArgumentException("no " + amqpKey + " port");
        }
        String amqpScheme = endpoints.ssl() ? "amqps" : "amqp";
        boolean defaultPort = amqpPort == (endpoints.ssl() ? AMQPS_PORT : AMQP_PORT);
        List<String> uris = new ArrayList<>();
        for (String host : hosts) {
            // The old broker left the default port out of the top-level uri; keep that, but a
            // non-default port must be there or clients would dial the wrong one.
            uris.add(amqpScheme + "://" + user + ":" + password + "@" + host + (defaultPort ? "" : ":" + amqpPort)
                    + "/" + vhost);
        }
        String httpApiUri = httpApiUri(endpoints.managementUrl(), user, password);

        Map<String, Object> protocols = new LinkedHashMap<>();
        ports.forEach((key, port) -> protocols.put(key, protocol(key, port, hosts, vhost, user, password)));

        return Credentials.builder()
                .put("dashboard_url", endpoints.dashboardUrl())
                .put("username", user)
                .put("password", password)
                .put("hostname", hosts.get(0))
                .put("hostnames", hosts)
                .put("http_api_uri", httpApiUri)
                .put("http_api_uris", List.of(httpApiUri))
                .put("uri", uris.get(0))
                .put("uris", uris)
                .put("vhost", vhost)
                .put("ssl", endpoints.ssl())
                .put("protocols", protocols)
                .build();
    }

    private static Map<String, Object> protocol(String key, int port, List<String> hosts, String vhost, String user,
                                                String password) {
        boolean ssl = key.endsWith("+ssl");
        String base = ssl ? key.substring(0, key.length() - "+ssl".length()) : key;
        // MQTT has no vhost field in CONNECT: RabbitMQ reads it from a "vhost:user" user name.
        String login = base.equals("mqtt") ? vhost + ":" + user : user;
        String userInfo = (base.equals("mqtt") ? vhost + "%3A" + user : user) + ":" + password;
        List<String> uris = new ArrayList<>();
        for (String host : hosts) {
            String authority = userInfo + "@" + host + ":" + port;
            uris.add(switch (base) {
                case "amqp" -> (ssl ? "amqps" : "amqp") + "://" + authority + "/" + vhost;
                case "management" -> (ssl ? "https" : "http") + "://" + authority + "/api/";
                default -> key + "://" + authority;
            });
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("host", hosts.get(0));
        entry.put("hosts", hosts);
        entry.put("port", port);
        entry.put("ssl", ssl);
        entry.put("uri", uris.get(0));
        entry.put("uris", uris);
        entry.put("username", login);
        entry.put("password", password);
        entry.put("vhost", vhost);
        if (base.equals("management")) {
            entry.put("path", "/api/");
        }
        return entry;
    }

    private static String httpApiUri(URI management, String user, String password) {
        String path = management.getRawPath() == null ? "" : management.getRawPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return management.getScheme() + "://" + user + ":" + password + "@" + management.getRawAuthority() + path
                + "/api/";
    }

    /**
     * Where applications reach the cluster (which may differ from where the broker reaches its
     * management API, e.g. behind a router).
     *
     * @param hostnames     one per cluster node (or one load balancer); the first is {@code hostname}
     * @param ssl           whether apps must use TLS for AMQP
     * @param managementUrl the management API/UI root apps use, for {@code http_api_uri}
     * @param dashboardUrl  the management UI for people, {@code dashboard_url}
     */
    record Endpoints(List<String> hostnames, boolean ssl, URI managementUrl, String dashboardUrl) {
        Endpoints {
            hostnames = List.copyOf(hostnames);
            if (hostnames.isEmpty()) {
                throw new IllegalArgumentException("at least one hostname is required");
            }
        }
    }
}
