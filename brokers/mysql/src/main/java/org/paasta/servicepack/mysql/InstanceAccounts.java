package org.paasta.servicepack.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An instance's binding accounts, every host of each, with their connection limits, found by the
 * user-name prefix derived from the instance id (so even accounts whose grants were lost): read in one
 * query at the start of an operation, under the instance's lock, which keeps every other broker
 * replica's changes of these accounts out until the operation ends. One query, not one per user:
 * on MariaDB {@code mysql.user} is a view that decodes every account's JSON privileges row on each
 * read (about 0.5 ms here, three times a query on {@code mysql.global_priv}), and a bind or an
 * unbind read it two to three times.
 */
final class InstanceAccounts {
    private final Map<String, List<Account>> byUser = new LinkedHashMap<>();
    private final Map<String, Integer> limits = new LinkedHashMap<>();

    private InstanceAccounts() {
    }

    static InstanceAccounts read(Connection connection, String instanceId) throws SQLException {
        InstanceAccounts accounts = new InstanceAccounts();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT User, Host, max_user_connections FROM mysql.user WHERE User LIKE ? ORDER BY User, Host")) {
            query.setString(1, ResourceNames.userPrefix(instanceId).replace("_", "\\_") + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String user = rows.getString(1);
                    accounts.byUser.computeIfAbsent(user, u -> new ArrayList<>()).add(new Account(user, rows.getString(2)));
                    accounts.limits.merge(user, rows.getInt(3), Math::max);
                }
            }
        }
        return accounts;
    }

    /** The binding users, each once, in name order. */
    List<String> users() {
        return List.copyOf(byUser.keySet());
    }

    /** The binding users but {@code user}. */
    List<String> usersBut(String user) {
        return byUser.keySet().stream().filter(u -> !u.equals(user)).toList();
    }

    /** Every account (one per host) the server has under {@code user}; none for an unknown user. */
    List<Account> of(String user) {
        return byUser.getOrDefault(user, List.of());
    }

    /** The user's MAX_USER_CONNECTIONS (the highest over its hosts); 0 for an unknown user. */
    int limitOf(String user) {
        return limits.getOrDefault(user, 0);
    }
}
