-- The Redis broker's own tables in the state store, beside the SDK's. Portable DDL (H2 2.x,
-- MariaDB 10.11, PostgreSQL 15). IF NOT EXISTS: stores of earlier versions made them at start-up.

-- shared-vm: one redis-server process per instance on a host, on a port and slot of its own.
CREATE TABLE IF NOT EXISTS redis_shared_instance (
    instance_id     VARCHAR(255) NOT NULL PRIMARY KEY,
    host            VARCHAR(255) NOT NULL,
    slot            INT          NOT NULL,
    port            INT          NOT NULL,
    admin_password  VARCHAR(255) NOT NULL,
    maxmemory_bytes BIGINT       NOT NULL,
    maxclients      INT          NOT NULL,
    persistence     VARCHAR(16)  NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    created_at      TIMESTAMP    NOT NULL,
    CONSTRAINT redis_shared_instance_port UNIQUE (host, port),
    CONSTRAINT redis_shared_instance_slot UNIQUE (host, slot)
);

-- dedicated-vm: the operator's pool of nodes, each held by at most one instance.
CREATE TABLE IF NOT EXISTS redis_pool_node (
    node_id             VARCHAR(255) NOT NULL PRIMARY KEY,
    host                VARCHAR(255) NOT NULL,
    port                INT          NOT NULL,
    admin_user          VARCHAR(64)  NOT NULL,
    admin_password      VARCHAR(255) NOT NULL,
    next_admin_password VARCHAR(255),
    instance_id         VARCHAR(255),
    CONSTRAINT redis_pool_node_instance UNIQUE (instance_id)
);
