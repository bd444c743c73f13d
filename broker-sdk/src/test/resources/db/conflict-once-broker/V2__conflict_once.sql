-- StoreMigrationsRetryTest: fails once with the error a Galera certification conflict gives (1213),
-- counted in a database of the test's own, then succeeds.
INSERT INTO sp_conflict_probe.attempts VALUES (NULL);
BEGIN NOT ATOMIC
  IF (SELECT COUNT(*) FROM sp_conflict_probe.attempts) = 1 THEN
    SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'Deadlock found when trying to get lock (simulated)';
  END IF;
END;
INSERT INTO conflict_once_table VALUES (1);
