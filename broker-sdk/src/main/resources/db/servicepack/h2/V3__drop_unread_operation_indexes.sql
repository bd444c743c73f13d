-- No query looks operations up by instance or by binding (last_operation reads by operation id,
-- the sweeper by state and lease), yet every operation written paid for both indexes: each is one
-- more B-tree changed per commit. An operation history view would bring back the one it needs.
DROP INDEX IF EXISTS sp_operation_by_instance;
DROP INDEX IF EXISTS sp_operation_by_binding;
