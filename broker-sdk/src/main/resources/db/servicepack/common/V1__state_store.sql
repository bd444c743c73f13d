-- Durable broker state: instances, bindings and every operation on them.
-- Portable SQL (H2 2.x, MariaDB/MySQL, PostgreSQL): times are epoch milliseconds in BIGINT so no
-- dialect's TIMESTAMP quirks (time zones, implicit ON UPDATE) touch them.

CREATE TABLE sp_instance (
    instance_id         VARCHAR(255)  NOT NULL PRIMARY KEY,
    service_id          VARCHAR(255)  NOT NULL,
    plan_id             VARCHAR(255)  NOT NULL,
    parameters          TEXT,
    maintenance_version VARCHAR(64),
    dashboard_url       VARCHAR(2000),
    context             TEXT,
    state               VARCHAR(16)   NOT NULL,
    operation_id        VARCHAR(64)   NOT NULL,
    created_at          BIGINT        NOT NULL,
    updated_at          BIGINT        NOT NULL
);

CREATE TABLE sp_binding (
    binding_id          VARCHAR(255)  NOT NULL PRIMARY KEY,
    instance_id         VARCHAR(255)  NOT NULL,
    service_id          VARCHAR(255)  NOT NULL,
    plan_id             VARCHAR(255)  NOT NULL,
    parameters          TEXT,
    app_guid            VARCHAR(255),
    predecessor_id      VARCHAR(255),
    credentials         TEXT,
    state               VARCHAR(16)   NOT NULL,
    operation_id        VARCHAR(64)   NOT NULL,
    expires_at          BIGINT,
    created_at          BIGINT        NOT NULL,
    updated_at          BIGINT        NOT NULL
);
CREATE INDEX sp_binding_by_instance ON sp_binding (instance_id);
CREATE INDEX sp_binding_by_expiry ON sp_binding (expires_at);

CREATE TABLE sp_operation (
    operation_id        VARCHAR(64)   NOT NULL PRIMARY KEY,
    instance_id         VARCHAR(255)  NOT NULL,
    binding_id          VARCHAR(255),
    type                VARCHAR(16)   NOT NULL,
    state               VARCHAR(16)   NOT NULL,
    description         VARCHAR(1000),
    request             TEXT          NOT NULL,
    origin              TEXT,
    owner               VARCHAR(64),
    lease_until         BIGINT        NOT NULL,
    created_at          BIGINT        NOT NULL,
    updated_at          BIGINT        NOT NULL
);
CREATE INDEX sp_operation_by_instance ON sp_operation (instance_id, created_at);
CREATE INDEX sp_operation_by_binding ON sp_operation (binding_id, created_at);
CREATE INDEX sp_operation_by_lease ON sp_operation (state, lease_until);
