package org.paasta.servicepack.mysql;

import java.util.regex.Pattern;

/**
 * One server account, {@code 'user'@'host'}. A binding's user may exist under a host other than
 * today's {@code servicepack.mysql.user-host} (the setting changed since it was bound), so revocation, limits
 * and quota act on the hosts the server has, never on the setting alone.
 */
record Account(String user, String host) {
    /** Host patterns: names, addresses, {@code %}/{@code _} wildcards and {@code addr/netmask}. */
    static final Pattern HOST = Pattern.compile("[A-Za-z0-9.%_:/-]+");

    Account {
        ResourceNames.safe(user);
        if (!HOST.matcher(host).matches()) {
            throw new IllegalStateException("account host has characters a host pattern cannot have");
        }
    }

    /** {@code 'user'@'host'} for SQL, from checked text only. */
    String sql() {
        return "'" + user + "'@'" + host + "'";
    }
}
