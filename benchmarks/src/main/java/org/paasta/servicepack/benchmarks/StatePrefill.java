package org.paasta.servicepack.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills a broker's state store (the SDK's sp_instance, sp_binding and sp_operation tables) with
 * many READY instances, two bindings each, and the operation that created each of them, while
 * the broker is stopped. Rows are generated server-side (INSERT ... SELECT over a number range)
 * in chunks: a few statements instead of 600,000 round trips, so the fill takes seconds.
 *
 * <p>Ids are GUID-shaped and all distinct; rows look like what the SDK writes (JSON text in
 * parameters/context/request, a sealed-credentials-sized text in credentials, wire spelling of
 * operation states).
 */
final class StatePrefill {
    enum Dialect {
        H2("SYSTEM_RANGE(%d, %d)", "X", "CAST(%s AS VARCHAR)", "(%s) / %d"),
        MARIADB("seq_%d_to_%d", "seq", "CAST(%s AS CHAR)", "(%s) DIV %d");

        private final String range;
        private final String column;
        private final String text;
        private final String integerDivision;

        Dialect(String range, String column, String text, String integerDivision) {
            this.range = range;
            this.column = column;
            this.text = text;
            this.integerDivision = integerDivision;
        }

        String range(long from, long to) {
            return String.format(range, from, to);
        }

        /** 12 digits of n: with a fixed prefix, a valid GUID for each n. */
        String guid(String prefix, String n) {
            return "CONCAT('" + prefix + "-0000-4000-8000-', LPAD(" + String.format(text, n) + ", 12, '0'))";
        }
    }

    private static final int CHUNK = 20_000;
    private static final String SEALED = "v1:" + "A".repeat(420);

    private StatePrefill() {
    }

    static void fill(String url, String user, String password, Dialect dialect, int instances, int bindingsPerInstance)
            throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            long now = System.currentTimeMillis();
            String n = dialect.column;
            for (long from = 1; from <= instances; from += CHUNK) {
                long to = Math.min(instances, from + CHUNK - 1);
                String range = dialect.range(from, to);
                statement.executeUpdate("INSERT INTO sp_instance (instance_id, service_id, plan_id, parameters, "
                        + "maintenance_version, dashboard_url, context, state, operation_id, created_at, updated_at) "
                        + "SELECT " + dialect.guid("a0000000", n) + ", '" + Osb.SERVICE_ID + "', '" + Osb.PLAN_ID
                        + "', '{}', '1.0.0', NULL, '{\"platform\":\"cloudfoundry\",\"organization_guid\":\"o\"}', "
                        + "'READY', " + dialect.guid("c0000000", n) + ", " + now + " - " + n + ", " + now + " - " + n
                        + " FROM " + range);
                statement.executeUpdate(operationInsert(dialect, "c0000000", dialect.guid("a0000000", n), "NULL",
                        "PROVISION", now, range));
                connection.commit();
            }
            long bindings = (long) instances * bindingsPerInstance;
            // Binding b belongs to instance ceil(b / bindingsPerInstance).
            String owner = String.format(dialect.integerDivision, n + " - 1", bindingsPerInstance) + " + 1";
            for (long from = 1; from <= bindings; from += CHUNK) {
                long to = Math.min(bindings, from + CHUNK - 1);
                String range = dialect.range(from, to);
                statement.executeUpdate("INSERT INTO sp_binding (binding_id, instance_id, service_id, plan_id, "
                        + "parameters, app_guid, predecessor_id, credentials, state, operation_id, expires_at, "
                        + "created_at, updated_at) SELECT " + dialect.guid("b0000000", n) + ", "
                        + dialect.guid("a0000000", owner) + ", '" + Osb.SERVICE_ID + "', '" + Osb.PLAN_ID
                        + "', '{}', 'bench-app', NULL, '" + SEALED + "', 'READY', " + dialect.guid("d0000000", n)
                        + ", NULL, " + now + " - " + n + ", " + now + " - " + n + " FROM " + range);
                statement.executeUpdate(operationInsert(dialect, "d0000000", dialect.guid("a0000000", owner),
                        dialect.guid("b0000000", n), "BIND", now, range));
                connection.commit();
            }
        }
    }

    private static String operationInsert(Dialect dialect, String idPrefix, String instanceId, String bindingId,
            String type, long now, String range) {
        String n = dialect.column;
        return "INSERT INTO sp_operation (operation_id, instance_id, binding_id, type, state, description, request, "
                + "origin, owner, lease_until, created_at, updated_at) SELECT " + dialect.guid(idPrefix, n) + ", "
                + instanceId + ", " + bindingId + ", '" + type + "', 'succeeded', NULL, "
                + "'{\"service_id\":\"" + Osb.SERVICE_ID + "\",\"plan_id\":\"" + Osb.PLAN_ID + "\",\"parameters\":{}}', "
                + "'{\"platform\":\"cloudfoundry\",\"user_id\":\"bench\"}', NULL, 0, " + now + " - " + n + ", "
                + now + " - " + n + " FROM " + range;
    }

    static long count(String url, String user, String password, String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
