-- Data in a migration, so a run that lost its transaction would show as a missing row.
INSERT INTO galera_test_broker (id, note) VALUES (1, 'migrated');
