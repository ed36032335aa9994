-- The audit log: one row per recorded action, chained by hash (see stedenband_domain::audit).
-- Rows are only ever appended; seq counts 1, 2, 3, ... without gaps, and each row's prev_hash is
-- the hash of the row before it (64 zeros for the first).
-- Same change as migrations/postgres/0003_audit.sql.

CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY CHECK (seq >= 1),
    at          TEXT NOT NULL,
    actor       TEXT,
    address     TEXT,
    action      TEXT NOT NULL,
    object_kind TEXT,
    object_id   TEXT,
    before_json TEXT,
    after_json  TEXT,
    outcome     TEXT NOT NULL CHECK (outcome IN ('success', 'refused')),
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_kind, object_id, seq);
