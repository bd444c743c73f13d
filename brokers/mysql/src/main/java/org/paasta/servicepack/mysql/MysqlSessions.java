package org.paasta.servicepack.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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
