package org.paasta.servicepack.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The durable bookkeeping no crash-safe broker can skip, with nothing around it: per operation,
 * the state-store rows the SDK writes in its two transactions (the intent, committed before the
 * backend is touched, so a crash leaves a record to resume or clean up; the outcome after it), on
 * an H2 file with the SDK's default settings, over one warm connection. The tables and indexes
 * are those of broker-sdk's {@code V1__state_store.sql} and {@code V3__instance_tenant.sql} (copied: this module must not have
 * broker-sdk on its class path, where it would turn the bare SCOSB baseline into a broker).
 */
final class StoreFloor implements AutoCloseable {
    private static final String[] SCHEMA = {
        "CREATE TABLE sp_instance (instance_id VARCHAR(255) NOT NULL PRIMARY KEY, service_id VARCHAR(255) NOT NULL, "
                + "plan_id VARCHAR(255) NOT NULL, parameters TEXT, maintenance_version VARCHAR(64), "
                + "dashboard_url VARCHAR(2000), context TEXT, organization_guid VARCHAR(255), space_guid VARCHAR(255), "
                + "state VARCHAR(16) NOT NULL, "
                + "operation_id VARCHAR(64) NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
        "CREATE TABLE sp_binding (binding_id VARCHAR(255) NOT NULL PRIMARY KEY, instance_id VARCHAR(255) NOT NULL, "
                + "service_id VARCHAR(255) NOT NULL, plan_id VARCHAR(255) NOT NULL, parameters TEXT, "
                + "app_guid VARCHAR(255), predecessor_id VARCHAR(255), credentials TEXT, state VARCHAR(16) NOT NULL, "
                + "operation_id VARCHAR(64) NOT NULL, expires_at BIGINT, created_at BIGINT NOT NULL, "
                + "updated_at BIGINT NOT NULL)",
        "CREATE INDEX sp_binding_by_instance ON sp_binding (instance_id)",
        "CREATE INDEX sp_binding_by_expiry ON sp_binding (expires_at)",
        "CREATE TABLE sp_operation (operation_id VARCHAR(64) NOT NULL PRIMARY KEY, instance_id VARCHAR(255) NOT NULL, "
                + "binding_id VARCHAR(255), type VARCHAR(16) NOT NULL, state VARCHAR(16) NOT NULL, "
                + "description VARCHAR(1000), request TEXT NOT NULL, origin TEXT, owner VARCHAR(64), "
                + "lease_until BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
        "CREATE INDEX sp_operation_by_instance ON sp_operation (instance_id, created_at)",
        "CREATE INDEX sp_operation_by_binding ON sp_operation (binding_id, created_at)",
        "CREATE INDEX sp_operation_by_lease ON sp_operation (state, lease_until)",
    };
    private static final String ORIGIN = "{\"platform\":\"cloudfoundry\",\"context\":{\"organization_guid\":\"o\","
            + "\"space_guid\":\"s\"},\"originating_identity\":{},\"request_identity\":null}";
    private static final String SEALED = "v1:" + "A".repeat(420);

    private final Connection db;

    /** A fresh store under {@code directory}, holding {@code seedInstances} instances as a broker that has run a while. */
    StoreFloor(Path directory, int seedInstances) throws SQLException {
        db = DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("store").toAbsolutePath()
                + ";WRITE_DELAY=0;QUERY_CACHE_SIZE=64;DB_CLOSE_ON_EXIT=FALSE", "sa", "");
        try (Statement statement = db.createStatement()) {
            for (String ddl : SCHEMA) {
                statement.execute(ddl);
            }
        }
        db.setAutoCommit(false);
        for (int i = 0; i < seedInstances; i++) {
            String instance = UUID.randomUUID().toString();
            insertInstance(instance, UUID.randomUUID().toString(), "READY");
        }
        db.commit();
    }

    /** One provision, bind, unbind, deprovision cycle; the four durations in nanoseconds. */
    long[] cycle() throws SQLException {
        String instance = UUID.randomUUID().toString();
        String binding = UUID.randomUUID().toString();
        long t0 = System.nanoTime();
        String provision = UUID.randomUUID().toString();
        insertInstance(instance, provision, "PROVISIONING");
        insertOperation(provision, instance, null, "PROVISION");
        db.commit();
        update("UPDATE sp_instance SET state = 'READY', updated_at = ? WHERE instance_id = ? AND operation_id = ?",
                instance, provision);
        succeed(provision);
        db.commit();
        long t1 = System.nanoTime();
        String bind = UUID.randomUUID().toString();
        lock(instance);
        insertBinding(binding, instance, bind);
        insertOperation(bind, instance, binding, "BIND");
        db.commit();
        try (PreparedStatement settle = db.prepareStatement("UPDATE sp_binding SET state = 'READY', credentials = ?, "
                + "updated_at = ? WHERE binding_id = ? AND operation_id = ?")) {
            settle.setString(1, SEALED);
            settle.setLong(2, System.currentTimeMillis());
            settle.setString(3, binding);
            settle.setString(4, bind);
            settle.executeUpdate();
        }
        succeed(bind);
        db.commit();
        long t2 = System.nanoTime();
        String unbind = UUID.randomUUID().toString();
        lock(instance);
        update("UPDATE sp_binding SET state = 'UNBINDING', updated_at = ?, operation_id = ? WHERE binding_id = ?",
                unbind, binding);
        insertOperation(unbind, instance, binding, "UNBIND");
        db.commit();
        update("DELETE FROM sp_binding WHERE binding_id = ? AND operation_id = ?", binding, unbind);
        succeed(unbind);
        db.commit();
        long t3 = System.nanoTime();
        String deprovision = UUID.randomUUID().toString();
        lock(instance);
        update("UPDATE sp_instance SET state = 'DEPROVISIONING', updated_at = ?, operation_id = ? WHERE instance_id = ?",
                deprovision, instance);
        insertOperation(deprovision, instance, null, "DEPROVISION");
        db.commit();
        update("DELETE FROM sp_instance WHERE instance_id = ? AND operation_id = ?", instance, deprovision);
        update("DELETE FROM sp_binding WHERE instance_id = ?", instance);
        succeed(deprovision);
        db.commit();
        long t4 = System.nanoTime();
        return new long[] {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
    }

    private void insertInstance(String instance, String operation, String state) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO sp_instance (instance_id, service_id, plan_id, "
                + "parameters, maintenance_version, dashboard_url, context, organization_guid, space_guid, state, "
                + "operation_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            long now = System.currentTimeMillis();
            insert.setString(1, instance);
            insert.setString(2, Osb.SERVICE_ID);
            insert.setString(3, Osb.PLAN_ID);
            insert.setString(4, "{}");
            insert.setString(5, null);
            insert.setString(6, null);
            insert.setString(7, "{\"platform\":\"cloudfoundry\"}");
            insert.setString(8, "o");
            insert.setString(9, "s");
            insert.setString(10, state);
            insert.setString(11, operation);
            insert.setLong(12, now);
            insert.setLong(13, now);
            insert.executeUpdate();
        }
    }

    private void insertBinding(String binding, String instance, String operation) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO sp_binding (binding_id, instance_id, service_id, "
                + "plan_id, parameters, app_guid, predecessor_id, credentials, state, operation_id, expires_at, "
                + "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            long now = System.currentTimeMillis();
            insert.setString(1, binding);
            insert.setString(2, instance);
            insert.setString(3, Osb.SERVICE_ID);
            insert.setString(4, Osb.PLAN_ID);
            insert.setString(5, "{}");
            insert.setString(6, "app-guid");
            insert.setString(7, null);
            insert.setString(8, null);
            insert.setString(9, "BINDING");
            insert.setString(10, operation);
            insert.setObject(11, null);
            insert.setLong(12, now);
            insert.setLong(13, now);
            insert.executeUpdate();
        }
    }

    private void insertOperation(String operation, String instance, String binding, String type) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO sp_operation (operation_id, instance_id, "
                + "binding_id, type, state, description, request, origin, owner, lease_until, created_at, updated_at) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
            long now = System.currentTimeMillis();
            insert.setString(1, operation);
            insert.setString(2, instance);
            insert.setString(3, binding);
            insert.setString(4, type);
            insert.setString(5, "in progress");
            insert.setString(6, null);
            insert.setString(7, "{}");
            insert.setString(8, ORIGIN);
            insert.setString(9, "replica-1");
            insert.setLong(10, now + 60_000);
            insert.setLong(11, now);
            insert.setLong(12, now);
            insert.executeUpdate();
        }
    }

    private void lock(String instance) throws SQLException {
        try (PreparedStatement select = db.prepareStatement("SELECT state, operation_id FROM sp_instance "
                + "WHERE instance_id = ? FOR UPDATE")) {
            select.setString(1, instance);
            select.executeQuery().close();
        }
    }

    private void succeed(String operation) throws SQLException {
        update("UPDATE sp_operation SET state = 'succeeded', description = NULL, owner = NULL, updated_at = ? "
                + "WHERE operation_id = ? AND state = 'in progress'", operation);
    }

    /** Runs an UPDATE or DELETE; a statement that sets {@code updated_at} gets the time as its first parameter. */
    private void update(String sql, String... params) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            int index = 1;
            if (sql.contains("updated_at = ?")) {
                statement.setLong(index++, System.currentTimeMillis());
            }
            for (String param : params) {
                statement.setString(index++, param);
            }
            statement.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
