package org.paasta.servicepack.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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

    /** Every account the server has under this user name. */
    static List<Account> of(Connection connection, String user) throws SQLException {
        List<Account> accounts = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT Host FROM mysql.user WHERE User = ?")) {
            query.setString(1, user);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    accounts.add(new Account(user, rows.getString(1)));
                }
            }
        }
        return accounts;
    }
}
