-- A broker's own table in the store, as servicepack.store.broker-migrations adds them (StoreMigrationsGaleraTest).
CREATE TABLE galera_test_broker (id INT NOT NULL PRIMARY KEY, note VARCHAR(64) NOT NULL);
