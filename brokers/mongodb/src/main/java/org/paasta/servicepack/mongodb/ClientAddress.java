package org.paasta.servicepack.mongodb;

import com.mongodb.ConnectionString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Where applications reach MongoDB, and how a binding's connection URI is written.
 *
 * <p>Taken from the broker's admin URI (hosts, replica set, TLS, {@code mongodb+srv}) unless the
 * operator names other hosts for applications (e.g. when the broker reaches MongoDB through an
 * internal address). The admin URI's user, password, database and other options are never copied.
 *
 * @param hosts      {@code host:port} seeds, or the single SRV host name for {@code mongodb+srv}
 * @param replicaSet the replica set name, or null
 * @param tls        whether clients must use TLS
 * @param srv        whether the URI uses the {@code mongodb+srv} scheme (TLS is then implied)
 */
record ClientAddress(List<String> hosts, String replicaSet, boolean tls, boolean srv) {
    static final int DEFAULT_PORT = 27017;

    ClientAddress {
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("at least one MongoDB host is required");
        }
        if (srv && hosts.size() != 1) {
            throw new IllegalArgumentException("a mongodb+srv address names exactly one host");
        }
    }

    /**
     * @param admin       the broker's admin connection string
     * @param publicHosts {@code host[:port]} entries applications use instead of the admin URI's
     *                    hosts, or empty to use those
     */
    static ClientAddress of(ConnectionString admin, List<String> publicHosts) {
        boolean srv = admin.isSrvProtocol();
        List<String> hosts = publicHosts == null || publicHosts.isEmpty() ? admin.getHosts() : publicHosts;
        if (!srv) {
            hosts = hosts.stream().map(ClientAddress::withPort).toList();
        }
        return new ClientAddress(hosts, admin.getRequiredReplicaSetName(),
                srv || Boolean.TRUE.equals(admin.getSslEnabled()), srv);
    }

    /** The hosts without their ports (and an IPv6 literal without its brackets), as an address check reads them. */
    List<String> hostNames() {
        return hosts.stream().map(ClientAddress::hostName).toList();
    }

    private static String hostName(String host) {
        if (host.startsWith("[")) {
            return host.substring(1, host.indexOf(']'));
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** The port of the first host: MongoDB deployments normally use one port on every member. */
    Integer port() {
        if (srv) {
            return null;
        }
        String first = hosts.get(0);
        return Integer.valueOf(first.substring(first.lastIndexOf(':') + 1));
    }

    /**
     * A URI that alone is enough to connect (java-cfenv reads only this): credentials
     * percent-encoded, the database as path and as {@code authSource}, since the user is defined there.
     */
    String uri(String username, String password, String database) {
        StringBuilder uri = new StringBuilder(srv ? "mongodb+srv://" : "mongodb://")
                .append(percentEncode(username)).append(':').append(percentEncode(password)).append('@')
                .append(String.join(",", hosts))
                .append('/').append(percentEncode(database))
                .append("?authSource=").append(percentEncode(database));
        if (replicaSet != null) {
            uri.append("&replicaSet=").append(percentEncode(replicaSet));
        }
        if (tls && !srv) {
            uri.append("&tls=true");
        }
        return uri.toString();
    }

    private static String withPort(String host) {
        Objects.requireNonNull(host, "host");
        // An IPv6 literal is bracketed, so a port is present only if a colon follows the bracket.
        int bracket = host.lastIndexOf(']');
        return host.indexOf(':', bracket + 1) >= 0 ? host : host + ":" + DEFAULT_PORT;
    }

    /**
     * RFC 3986 percent-encoding of everything but unreserved characters. Not URLEncoder: it writes
     * a space as '+', which a URI's user part does not decode back to a space.
     */
    static String percentEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
