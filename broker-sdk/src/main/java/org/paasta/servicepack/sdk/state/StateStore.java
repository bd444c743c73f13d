package org.paasta.servicepack.sdk.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.paasta.servicepack.sdk.OperationType;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The JDBC state store: instances, bindings and operations, shared by every broker replica that
 * points at the same database. Every decision that two replicas could race for (who creates an
 * instance, who may start an operation on it, who runs an interrupted operation) is one
 * conditional statement or one short transaction here, so the database decides.
 */
public class StateStore {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final String INSTANCE_COLUMNS = "instance_id, service_id, plan_id, parameters, "
            + "maintenance_version, dashboard_url, context, organization_guid, space_guid, state, operation_id, "
            + "created_at, updated_at";
    private static final String BINDING_COLUMNS = "binding_id, instance_id, service_id, plan_id, parameters, "
            + "app_guid, predecessor_id, credentials, state, operation_id, expires_at, created_at, updated_at";
    private static final String OPERATION_COLUMNS = "operation_id, instance_id, binding_id, type, state, "
            + "description, request, origin, owner, lease_until, created_at, updated_at";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    public StateStore(JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.tx = tx;
        this.json = json;
    }

    public <T> T inTransaction(Supplier<T> work) {
        return transaction(status -> work.get());
    }

    /**
     * Runs a transaction, again when the database broke a deadlock or a lock wait by aborting it:
     * InnoDB does so when replicas insert or lock the same keys at once, and a retry is then the
     * documented remedy. After a few attempts the conflict is reported (as 422 ConcurrencyError).
     */
    private <T> T transaction(org.springframework.transaction.support.TransactionCallback<T> work) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // Joins the caller's transaction: only the outermost one can be retried as a whole.
            return tx.execute(work);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(work);
            } catch (PessimisticLockingFailureException e) {
                if (attempt == 5) {
                    throw e;
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    // ---- instances ------------------------------------------------------------------------

    /** Inserts a new instance and its first operation together; false if the id is taken. */
    public boolean insertInstance(InstanceRecord instance, OperationRecord operation) {
        try {
            return Boolean.TRUE.equals(transaction(status -> {
                jdbc.update("INSERT INTO sp_instance (" + INSTANCE_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        instance.instanceId(), instance.serviceId(), instance.planId(), write(instance.parameters()),
                        instance.maintenanceVersion(), instance.dashboardUrl(), write(instance.context()),
                        instance.organizationGuid(), instance.spaceGuid(), instance.state().name(),
                        instance.operationId(), instance.createdAt(), instance.updatedAt());
                insertOperation(operation);
                return true;
            }));
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    public Optional<InstanceRecord> instance(String instanceId) {
        return jdbc.query("SELECT " + INSTANCE_COLUMNS + " FROM sp_instance WHERE instance_id = ?",
                this::instanceRow, instanceId).stream().findFirst();
    }

    /** Reads and row-locks an instance; only inside {@link #inTransaction}. */
    public Optional<InstanceRecord> lockInstance(String instanceId) {
        return jdbc.query("SELECT " + INSTANCE_COLUMNS + " FROM sp_instance WHERE instance_id = ? FOR UPDATE",
                this::instanceRow, instanceId).stream().findFirst();
    }

    /**
     * Moves an instance from {@code from} to {@code to} under a new operation, if and only if it is
     * still in {@code from} with operation {@code expectedOperationId}; records the operation too.
     */
    public boolean startInstanceOperation(String instanceId, InstanceState from, String expectedOperationId,
                                          InstanceState to, OperationRecord operation) {
        return Boolean.TRUE.equals(transaction(status -> {
            int changed = jdbc.update("UPDATE sp_instance SET state = ?, operation_id = ?, updated_at = ? "
                            + "WHERE instance_id = ? AND state = ? AND operation_id = ?",
                    to.name(), operation.operationId(), operation.createdAt(), instanceId, from.name(),
                    expectedOperationId);
            if (changed == 0) {
                // Nothing written yet, so nothing to undo; no rollback-only mark either, which
                // would break a caller's enclosing transaction.
                return false;
            }
            insertOperation(operation);
            return true;
        }));
    }

    /** Replaces a failed instance's attributes for a new provision attempt. */
    public boolean retryProvision(InstanceRecord instance, String failedOperationId, OperationRecord operation) {
        return Boolean.TRUE.equals(transaction(status -> {
            int changed = jdbc.update("UPDATE sp_instance SET service_id = ?, plan_id = ?, parameters = ?, "
                            + "maintenance_version = ?, dashboard_url = ?, context = ?, organization_guid = ?, "
                            + "space_guid = ?, state = ?, operation_id = ?, updated_at = ? "
                            + "WHERE instance_id = ? AND state = ? AND operation_id = ?",
                    instance.serviceId(), instance.planId(), write(instance.parameters()),
                    instance.maintenanceVersion(), instance.dashboardUrl(), write(instance.context()),
                    instance.organizationGuid(), instance.spaceGuid(), InstanceState.PROVISIONING.name(), operation.operationId(), operation.createdAt(),
                    instance.instanceId(), InstanceState.FAILED.name(), failedOperationId);
            if (changed == 0) {
                // Nothing written yet, so nothing to undo; no rollback-only mark either, which
                // would break a caller's enclosing transaction.
                return false;
            }
            insertOperation(operation);
            return true;
        }));
    }

    /** Sets the instance's state (and, for a finished update, its new plan and parameters) for its operation. */
    public boolean settleInstance(String instanceId, String operationId, InstanceState state, String planId,
                                  Map<String, Object> parameters, String maintenanceVersion, long now) {
        return jdbc.update("UPDATE sp_instance SET state = ?, plan_id = COALESCE(?, plan_id), "
                        + "parameters = COALESCE(?, parameters), maintenance_version = COALESCE(?, maintenance_version), "
                        + "updated_at = ? WHERE instance_id = ? AND operation_id = ?",
                state.name(), planId, parameters == null ? null : write(parameters), maintenanceVersion, now,
                instanceId, operationId) == 1;
    }

    /**
     * Ends a provision or update: the instance's new state and the operation's success in one
     * transaction (one commit: on the embedded store each commit writes to disk). False, and
     * nothing changed, when a later operation took the instance over.
     */
    public boolean completeInstanceOperation(String instanceId, String operationId, String planId,
                                             Map<String, Object> parameters, String maintenanceVersion, long now) {
        return transaction(status -> {
            if (!settleInstance(instanceId, operationId, InstanceState.READY, planId, parameters, maintenanceVersion,
                    now)) {
                return false;
            }
            finishOperation(operationId, OperationStatus.SUCCEEDED, null, now);
            return true;
        });
    }

    public void updateInstanceContext(String instanceId, Map<String, Object> context, long now) {
        jdbc.update("UPDATE sp_instance SET context = ?, updated_at = ? WHERE instance_id = ?",
                write(context), now, instanceId);
    }

    /** Removes a deprovisioned instance and its bindings; the operations stay as history. */
    public void deleteInstance(String instanceId, String operationId) {
        transaction(status -> {
            if (jdbc.update("DELETE FROM sp_instance WHERE instance_id = ? AND operation_id = ?",
                    instanceId, operationId) == 1) {
                jdbc.update("DELETE FROM sp_binding WHERE instance_id = ?", instanceId);
            }
            return null;
        });
    }

    /**
     * Ends a deprovision: the instance, its bindings and the operation's success in one
     * transaction, so a poll never sees the instance gone while its deletion is "in progress".
     */
    public void finishDeprovision(String instanceId, String operationId, long now) {
        transaction(status -> {
            if (jdbc.update("DELETE FROM sp_instance WHERE instance_id = ? AND operation_id = ?",
                    instanceId, operationId) == 1) {
                jdbc.update("DELETE FROM sp_binding WHERE instance_id = ?", instanceId);
            }
            finishOperation(operationId, OperationStatus.SUCCEEDED, null, now);
            return null;
        });
    }

    /** Ready instances after {@code afterId} in id order, at most {@code limit}: a page of a full scan. */
    public List<InstanceRecord> readyInstances(String afterId, int limit) {
        return jdbc.query("SELECT " + INSTANCE_COLUMNS + " FROM sp_instance WHERE instance_id > ? AND state = ? "
                + "ORDER BY instance_id", ps -> {
            ps.setString(1, afterId);
            ps.setString(2, InstanceState.READY.name());
            ps.setMaxRows(limit);
        }, this::instanceRow);
    }

    // ---- bindings -------------------------------------------------------------------------

    /** Inserts a binding row; only inside {@link #inTransaction}. Throws DuplicateKeyException if taken. */
    public void insertBinding(BindingRecord binding) {
        jdbc.update("INSERT INTO sp_binding (" + BINDING_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                binding.bindingId(), binding.instanceId(), binding.serviceId(), binding.planId(),
                write(binding.parameters()), binding.appGuid(), binding.predecessorId(),
                binding.sealedCredentials(), binding.state().name(), binding.operationId(), binding.expiresAt(),
                binding.createdAt(), binding.updatedAt());
    }

    public Optional<BindingRecord> binding(String bindingId) {
        return jdbc.query("SELECT " + BINDING_COLUMNS + " FROM sp_binding WHERE binding_id = ?",
                this::bindingRow, bindingId).stream().findFirst();
    }

    /**
     * Applies {@code reseal} to every stored binding credential, a page at a time, and stores what
     * changed (a rotation of the secrets key); returns how many were sealed again.
     */
    public int resealCredentials(java.util.function.UnaryOperator<String> reseal) {
        int changed = 0;
        String after = "";
        while (true) {
            String from = after;
            List<String[]> page = jdbc.query("SELECT binding_id, credentials FROM sp_binding "
                    + "WHERE binding_id > ? AND credentials IS NOT NULL ORDER BY binding_id", ps -> {
                ps.setString(1, from);
                ps.setMaxRows(500);
            }, (rs, i) -> new String[] {rs.getString(1), rs.getString(2)});
            for (String[] row : page) {
                String resealed = reseal.apply(row[1]);
                if (!resealed.equals(row[1])) {
                    changed += jdbc.update("UPDATE sp_binding SET credentials = ? WHERE binding_id = ?", resealed,
                            row[0]);
                }
            }
            if (page.size() < 500) {
                return changed;
            }
            after = page.get(page.size() - 1)[0];
        }
    }

    public List<BindingRecord> bindingsOf(String instanceId) {
        return jdbc.query("SELECT " + BINDING_COLUMNS + " FROM sp_binding WHERE instance_id = ? ORDER BY created_at",
                this::bindingRow, instanceId);
    }

    /** Bindings that are being created or deleted right now, which block instance operations. */
    public int busyBindings(String instanceId) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM sp_binding WHERE instance_id = ? AND state IN (?, ?)",
                Integer.class, instanceId, BindingState.BINDING.name(), BindingState.UNBINDING.name());
        return count == null ? 0 : count;
    }

    public boolean startBindingOperation(String bindingId, BindingState from, String expectedOperationId,
                                         BindingState to, OperationRecord operation) {
        return Boolean.TRUE.equals(transaction(status -> {
            int changed = jdbc.update("UPDATE sp_binding SET state = ?, operation_id = ?, updated_at = ? "
                            + "WHERE binding_id = ? AND state = ? AND operation_id = ?",
                    to.name(), operation.operationId(), operation.createdAt(), bindingId, from.name(),
                    expectedOperationId);
            if (changed == 0) {
                // Nothing written yet, so nothing to undo; no rollback-only mark either, which
                // would break a caller's enclosing transaction.
                return false;
            }
            insertOperation(operation);
            return true;
        }));
    }

    public boolean settleBinding(String bindingId, String operationId, BindingState state, String sealedCredentials,
                                 long now) {
        return jdbc.update("UPDATE sp_binding SET state = ?, credentials = COALESCE(?, credentials), updated_at = ? "
                        + "WHERE binding_id = ? AND operation_id = ?",
                state.name(), sealedCredentials, now, bindingId, operationId) == 1;
    }

    /** Ends a bind: the sealed credentials and the operation's success in one transaction. */
    public boolean completeBinding(String bindingId, String operationId, String sealedCredentials, long now) {
        return transaction(status -> {
            if (!settleBinding(bindingId, operationId, BindingState.READY, sealedCredentials, now)) {
                return false;
            }
            finishOperation(operationId, OperationStatus.SUCCEEDED, null, now);
            return true;
        });
    }

    public void deleteBinding(String bindingId, String operationId) {
        jdbc.update("DELETE FROM sp_binding WHERE binding_id = ? AND operation_id = ?", bindingId, operationId);
    }

    /** Ends an unbind: the binding row and the operation's success in one transaction. */
    public void finishUnbind(String bindingId, String operationId, long now) {
        transaction(status -> {
            deleteBinding(bindingId, operationId);
            finishOperation(operationId, OperationStatus.SUCCEEDED, null, now);
            return null;
        });
    }

    /** Ready bindings whose {@code expires_at} has passed, oldest first. */
    public List<BindingRecord> expiredBindings(long now, int limit) {
        return jdbc.query("SELECT " + BINDING_COLUMNS + " FROM sp_binding WHERE expires_at < ? AND state = ? "
                + "ORDER BY expires_at", ps -> {
            ps.setLong(1, now);
            ps.setString(2, BindingState.READY.name());
            ps.setMaxRows(limit);
        }, this::bindingRow);
    }

    // ---- operations -----------------------------------------------------------------------

    public void insertOperation(OperationRecord op) {
        jdbc.update("INSERT INTO sp_operation (" + OPERATION_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                op.operationId(), op.instanceId(), op.bindingId(), op.type().name(), op.status().wire(),
                truncate(op.description()), write(op.request()), write(op.origin()), op.owner(), op.leaseUntil(),
                op.createdAt(), op.updatedAt());
    }

    public Optional<OperationRecord> operation(String operationId) {
        return jdbc.query("SELECT " + OPERATION_COLUMNS + " FROM sp_operation WHERE operation_id = ?",
                this::operationRow, operationId).stream().findFirst();
    }

    /** What last_operation needs of an operation, without the JSON columns it does not. */
    public record OperationSummary(String operationId, String instanceId, String bindingId, OperationType type,
                                   OperationStatus status, String description) {
    }

    private OperationSummary summaryRow(ResultSet rs, int i) throws SQLException {
        return new OperationSummary(rs.getString("operation_id"), rs.getString("instance_id"),
                rs.getString("binding_id"), OperationType.valueOf(rs.getString("type")),
                OperationStatus.fromWire(rs.getString("state")), rs.getString("description"));
    }

    /** An operation as last_operation sees it, and whether the instance or binding it is on still exists. */
    public record OperationPoll(OperationSummary operation, boolean resourceExists) {
    }

    /**
     * The instance's newest operation (or the one named), with the instance's existence, in one
     * statement: one consistent snapshot, so a deprovision that deletes the row and finishes the
     * operation in one transaction is never seen half done, and one round trip on the endpoint
     * platforms poll most.
     */
    public Optional<OperationPoll> pollInstanceOperation(String instanceId, String operationId) {
        return poll("sp_instance r WHERE r.instance_id = o.instance_id", "o.instance_id = ? AND o.binding_id IS NULL",
                operationId, instanceId);
    }

    /** As {@link #pollInstanceOperation}, for a binding's operations. */
    public Optional<OperationPoll> pollBindingOperation(String instanceId, String bindingId, String operationId) {
        return poll("sp_binding r WHERE r.binding_id = o.binding_id", "o.binding_id = ? AND o.instance_id = ?",
                operationId, bindingId, instanceId);
    }

    /**
     * Without an operation id (a platform may poll without one) this reads the newest operation by
     * owner, which only sp_operation_by_instance and sp_operation_by_binding keep off a full scan:
     * dropping them made MariaDB's poll 143x slower in the benchmark's 300,000-operation store.
     */
    private Optional<OperationPoll> poll(String resource, String owner, String operationId, String... ownerIds) {
        String sql = "SELECT o.operation_id, o.instance_id, o.binding_id, o.type, o.state, o.description, "
                + "(SELECT COUNT(*) FROM " + resource + ") AS resource_rows FROM sp_operation o WHERE " + owner
                + (operationId == null ? " ORDER BY o.created_at DESC" : " AND o.operation_id = ?");
        return jdbc.query(sql, ps -> {
            for (int i = 0; i < ownerIds.length; i++) {
                ps.setString(i + 1, ownerIds[i]);
            }
            if (operationId != null) {
                ps.setString(ownerIds.length + 1, operationId);
            }
            ps.setMaxRows(1);
        }, (rs, i) -> new OperationPoll(summaryRow(rs, i), rs.getLong("resource_rows") > 0)).stream().findFirst();
    }

    public boolean finishOperation(String operationId, OperationStatus status, String description, long now) {
        return jdbc.update("UPDATE sp_operation SET state = ?, description = ?, owner = NULL, updated_at = ? "
                        + "WHERE operation_id = ? AND state = ?",
                status.wire(), truncate(description), now, operationId, OperationStatus.IN_PROGRESS.wire()) == 1;
    }

    /**
     * Takes an in-progress operation for {@code owner} if nobody holds a live lease on it. This
     * one statement is what keeps two replicas from running the same operation.
     */
    public boolean claim(String operationId, String owner, long leaseUntil, long now) {
        return jdbc.update("UPDATE sp_operation SET owner = ?, lease_until = ?, updated_at = ? "
                        + "WHERE operation_id = ? AND state = ? AND (owner IS NULL OR owner = ? OR lease_until < ?)",
                owner, leaseUntil, now, operationId, OperationStatus.IN_PROGRESS.wire(), owner, now) == 1;
    }

    public void renewLeases(String owner, Collection<String> operationIds, long leaseUntil) {
        if (operationIds.isEmpty()) {
            return;
        }
        named.update("UPDATE sp_operation SET lease_until = :lease WHERE owner = :owner AND state = :state "
                        + "AND operation_id IN (:ids)",
                new MapSqlParameterSource().addValue("lease", leaseUntil).addValue("owner", owner)
                        .addValue("state", OperationStatus.IN_PROGRESS.wire()).addValue("ids", operationIds));
    }

    /** In-progress operations whose lease ran out: their replica died or never picked them up. */
    public List<String> abandonedOperations(long now, int limit) {
        return jdbc.query("SELECT operation_id FROM sp_operation WHERE state = ? AND lease_until < ? "
                + "ORDER BY created_at", ps -> {
            ps.setString(1, OperationStatus.IN_PROGRESS.wire());
            ps.setLong(2, now);
            ps.setMaxRows(limit);
        }, (rs, i) -> rs.getString(1));
    }

    // ---- what operators watch ---------------------------------------------------------------

    /** Instances per plan id: one grouped scan, for gauges refreshed now and then (not per request). */
    public Map<String, Long> instancesByPlan() {
        return countByPlan("sp_instance");
    }

    /** Bindings per plan id, as {@link #instancesByPlan()}. */
    public Map<String, Long> bindingsByPlan() {
        return countByPlan("sp_binding");
    }

    private Map<String, Long> countByPlan(String table) {
        Map<String, Long> counts = new java.util.HashMap<>();
        jdbc.query("SELECT plan_id, COUNT(*) FROM " + table + " GROUP BY plan_id",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }

    /** Unfinished operations and when the oldest of them started (null if none), through sp_operation_by_lease. */
    public InProgress operationsInProgress() {
        return jdbc.queryForObject("SELECT COUNT(*), MIN(created_at) FROM sp_operation WHERE state = ?",
                (rs, i) -> {
                    long oldest = rs.getLong(2);
                    return new InProgress(rs.getLong(1), rs.wasNull() ? null : oldest);
                }, OperationStatus.IN_PROGRESS.wire());
    }

    public record InProgress(long count, Long oldestCreatedAt) {
    }

    /** One round trip to the store, for health checks. */
    public void ping() {
        jdbc.queryForObject("SELECT COUNT(*) FROM sp_instance WHERE instance_id = ?", Long.class, "");
    }

    // ---- mapping --------------------------------------------------------------------------

    private InstanceRecord instanceRow(ResultSet rs, int i) throws SQLException {
        return new InstanceRecord(rs.getString("instance_id"), rs.getString("service_id"), rs.getString("plan_id"),
                read(rs.getString("parameters")), rs.getString("maintenance_version"), rs.getString("dashboard_url"),
                read(rs.getString("context")), rs.getString("organization_guid"), rs.getString("space_guid"),
                InstanceState.valueOf(rs.getString("state")),
                rs.getString("operation_id"), rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    private BindingRecord bindingRow(ResultSet rs, int i) throws SQLException {
        long expires = rs.getLong("expires_at");
        Long expiresAt = rs.wasNull() ? null : expires;
        return new BindingRecord(rs.getString("binding_id"), rs.getString("instance_id"), rs.getString("service_id"),
                rs.getString("plan_id"), read(rs.getString("parameters")), rs.getString("app_guid"),
                rs.getString("predecessor_id"), rs.getString("credentials"), BindingState.valueOf(rs.getString("state")),
                rs.getString("operation_id"), expiresAt, rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    private final RowMapper<OperationRecord> operationMapper = (rs, i) -> new OperationRecord(
            rs.getString("operation_id"), rs.getString("instance_id"), rs.getString("binding_id"),
            OperationType.valueOf(rs.getString("type")), OperationStatus.fromWire(rs.getString("state")),
            rs.getString("description"), read(rs.getString("request")), read(rs.getString("origin")),
            rs.getString("owner"), rs.getLong("lease_until"), rs.getLong("created_at"), rs.getLong("updated_at"));

    private OperationRecord operationRow(ResultSet rs, int i) throws SQLException {
        return operationMapper.mapRow(rs, i);
    }

    private String write(Map<String, Object> map) {
        if (map == null) {
            return null;
        }
        try {
            return json.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not storable as JSON", e);
        }
    }

    private Map<String, Object> read(String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return json.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON in the state store", e);
        }
    }

    private static String truncate(String description) {
        return description == null || description.length() <= 1000 ? description : description.substring(0, 997) + "...";
    }
}
