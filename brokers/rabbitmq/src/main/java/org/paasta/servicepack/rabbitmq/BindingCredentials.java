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
        List<String> hosts = endpoints.hosts();
        String amqpKey = endpoints.ssl() ? "amqp+ssl" : "amqp";
        Integer amqpPort = ports.get(amqpKey);
        if (amqpPort == null) {
            throw new IllegalArgumentException("no " + amqpKey + " port");
        }
        String amqpScheme = endpoints.ssl() ? "amqps" : "amqp";
        List<String> uris = new ArrayList<>();
        for (Address address : endpoints.addresses()) {
            int port = address.port() == null ? amqpPort : address.port();
            boolean defaultPort = port == (endpoints.ssl() ? AMQPS_PORT : AMQP_PORT);
            // The old broker left the default port out of the top-level uri; keep that, but a
            // non-default port must be there or clients would dial the wrong one.
            uris.add(amqpScheme + "://" + user + ":" + password + "@" + address.host() + (defaultPort ? "" : ":" + port)
                    + "/" + vhost);
        }
        String httpApiUri = httpApiUri(endpoints.managementUrl(), user, password);

        Map<String, Object> protocols = new LinkedHashMap<>();
        ports.forEach((key, port) -> protocols.put(key, protocol(key, port,
                key.equals(amqpKey) ? endpoints.addresses() : endpoints.addresses().stream()
                        .map(a -> new Address(a.host(), null)).toList(), vhost, user, password)));

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

    /** One entry per address; an address's own port (the AMQP entry only) replaces the listener's. */
    private static Map<String, Object> protocol(String key, int listenerPort, List<Address> addresses, String vhost,
                                                String user, String password) {
        List<String> hosts = addresses.stream().map(Address::host).toList();
        int port = addresses.get(0).port() == null ? listenerPort : addresses.get(0).port();
        boolean ssl = key.endsWith("+ssl");
        String base = ssl ? key.substring(0, key.length() - "+ssl".length()) : key;
        // MQTT has no vhost field in CONNECT: RabbitMQ reads it from a "vhost:user" user name.
        String login = base.equals("mqtt") ? vhost + ":" + user : user;
        String userInfo = (base.equals("mqtt") ? vhost + "%3A" + user : user) + ":" + password;
        List<String> uris = new ArrayList<>();
        for (Address address : addresses) {
            String authority = userInfo + "@" + address.host() + ":" + (address.port() == null ? listenerPort
                    : address.port());
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
     * One place apps reach AMQP at: a host, with the port it listens on there when that is not the
     * cluster's AMQP listener port (a node on a port of its own, a proxy).
     */
    record Address(String host, Integer port) {
        /** {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}. */
        static Address parse(String entry) {
            String text = entry.trim();
            int colon = text.lastIndexOf(':');
            boolean bracketed = text.startsWith("[");
            boolean hasPort = colon > 0 && (bracketed ? text.lastIndexOf(']') < colon : text.indexOf(':') == colon);
            if (!hasPort) {
                return new Address(text, null);
            }
            String port = text.substring(colon + 1);
            try {
                int number = Integer.parseInt(port);
                if (number < 1 || number > 65_535) {
                    throw new NumberFormatException();
                }
                return new Address(text.substring(0, colon), number);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + entry + "' is not host or host:port (port 1-65535)");
            }
        }
    }

    /**
     * Where applications reach the cluster (which may differ from where the broker reaches its
     * management API, e.g. behind a router).
     *
     * @param hostnames     one per cluster node (or one load balancer), each {@code host} or
     *                      {@code host:port} (its AMQP port); the first is {@code hostname}
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
            hostnames.forEach(Address::parse);
        }

        List<Address> addresses() {
            return hostnames.stream().map(Address::parse).toList();
        }

        /** The hosts alone, in order, without ports: {@code hostname}, {@code hostnames}, {@code host(s)}. */
        List<String> hosts() {
            return addresses().stream().map(Address::host).toList();
        }
    }
}
