-- StoreMigrationsRetryTest: a broker table, made before the migration that loses a conflict.
CREATE TABLE conflict_once_table (id INT NOT NULL PRIMARY KEY);
