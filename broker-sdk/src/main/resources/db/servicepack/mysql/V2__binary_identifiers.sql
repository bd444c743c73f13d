-- OSB ids are case-sensitive: 'ABC' and 'abc' are two instances. MariaDB/MySQL compare case-
-- insensitively by default and may default to a 3-byte charset, so store everything as utf8mb4
-- with a binary collation.
ALTER TABLE sp_instance CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
ALTER TABLE sp_binding CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
ALTER TABLE sp_operation CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
