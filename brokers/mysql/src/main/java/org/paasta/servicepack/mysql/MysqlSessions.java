package org.paasta.servicepack.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The open sessions of one account on the server: counted, or ended. */
final class MysqlSessions {
    private MysqlSessions() {
    }

    static List<Long> of(Connection connection, String account) throws SQLException {
        List<Long> sessions = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?")) {
            query.setString(1, account);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    sessions.add(rows.getLong(1));
                }
            }
        }
        return sessions;
    }

    /** Sessions per user name, for users {@code LIKE pattern}. */
    static Map<String, Integer> countByUser(Connection connection, String pattern) throws SQLException {
        Map<String, Integer> sessions = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT USER, COUNT(*) FROM information_schema.PROCESSLIST WHERE USER LIKE ? GROUP BY USER")) {
            query.setString(1, pattern);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    sessions.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return sessions;
    }

    static void end(Connection connection, String account) throws SQLException {
        for (long session : of(connection, account)) {
            try (Statement kill = connection.createStatement()) {
                kill.execute("KILL CONNECTION " + session);
            } catch (SQLException alreadyGone) {
                // The session ended between the listing and the kill: that is the goal anyway.
            }
        }
    }
}
