package org.paasta.servicepack.mysql;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * Whether a failed statement means the server (or a cluster's node) went away, rather than that
 * it refused the statement: the one test behind every "unavailable, try again" of this broker.
 */
final class ConnectionLoss {
    private ConnectionLoss() {
    }

    /** A connection exception of either kind, or SQLState class 08 (connection exception). */
    static boolean isLost(SQLException e) {
        return e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || String.valueOf(e.getSQLState()).startsWith("08");
    }
}
