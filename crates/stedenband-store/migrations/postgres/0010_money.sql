-- Money: phase-out schedules, subsidies with the steps of their Awb life cycle, and the
-- working groups' ledgers. Same change as migrations/sqlite/0010_money.sql.
-- Amounts are integer euro cents (exact on both databases); dates ISO text.

CREATE TABLE phase_out_schedules (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities (id),
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    base_cents      BIGINT NOT NULL CHECK (base_cents >= 0),
    base_year       BIGINT NOT NULL,
    years           BIGINT NOT NULL CHECK (years BETWEEN 1 AND 50),
    method          TEXT NOT NULL CHECK (method IN ('linear', 'fractions')),
    fractions       TEXT NOT NULL DEFAULT '',
    rounding        TEXT NOT NULL,
    decided_by      TEXT,
    created_at      TEXT NOT NULL
);

-- The partnerships a schedule is split over, in order, with their weights.
CREATE TABLE phase_out_schedule_partnerships (
    schedule_id     TEXT NOT NULL REFERENCES phase_out_schedules (id) ON DELETE CASCADE,
    position        BIGINT NOT NULL,
    partnership_id  TEXT NOT NULL REFERENCES partnerships (id),
    weight          BIGINT NOT NULL CHECK (weight >= 1),
    PRIMARY KEY (schedule_id, position)
);

CREATE TABLE subsidies (
    id               TEXT PRIMARY KEY,
    municipality_id  TEXT NOT NULL REFERENCES municipalities (id),
    grantor          TEXT NOT NULL CHECK (grantor IN ('municipality', 'eu', 'other')),
    foundation_id    TEXT NOT NULL REFERENCES foundations (id),
    working_group_id TEXT REFERENCES working_groups (id),
    kind             TEXT NOT NULL CHECK (kind IN ('yearly-budget', 'one-off-grant', 'incidental-activity', 'eu-grant', 'in-kind')),
    purpose          TEXT NOT NULL CHECK (length(purpose) BETWEEN 1 AND 200),
    year             BIGINT NOT NULL,
    schedule_id      TEXT REFERENCES phase_out_schedules (id),
    activity_id      TEXT REFERENCES activities (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX subsidies_municipality ON subsidies (municipality_id, year);

CREATE TABLE subsidy_partnerships (
    subsidy_id      TEXT NOT NULL REFERENCES subsidies (id) ON DELETE CASCADE,
    partnership_id  TEXT NOT NULL REFERENCES partnerships (id),
    PRIMARY KEY (subsidy_id, partnership_id)
);

-- The steps of a subsidy's life cycle in order (seq 1, 2, ...); the life cycle is replayed
-- from them, so a stored subsidy can only hold a valid path.
CREATE TABLE subsidy_steps (
    subsidy_id    TEXT NOT NULL REFERENCES subsidies (id) ON DELETE CASCADE,
    seq           BIGINT NOT NULL CHECK (seq >= 1),
    step          TEXT NOT NULL CHECK (step IN ('application', 'refusal', 'grant-decision', 'advance-payment', 'report-due', 'report-received', 'settlement', 'closing')),
    on_date       TEXT NOT NULL,
    document      TEXT NOT NULL,
    amount_cents  BIGINT CHECK (amount_cents >= 0),
    conditions    TEXT NOT NULL DEFAULT '',
    due_on        TEXT,
    allowed_by    TEXT,
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (subsidy_id, seq)
);

-- A working group's ledger: income from a source or an expense for a category, never both.
CREATE TABLE transactions (
    id               TEXT PRIMARY KEY,
    working_group_id TEXT NOT NULL REFERENCES working_groups (id),
    on_date          TEXT NOT NULL,
    direction        TEXT NOT NULL CHECK (direction IN ('income', 'expense')),
    source           TEXT,
    category         TEXT,
    amount_cents     BIGINT NOT NULL CHECK (amount_cents > 0),
    activity_id      TEXT REFERENCES activities (id),
    subsidy_id       TEXT REFERENCES subsidies (id),
    description      TEXT,
    document         TEXT,
    illustrative     BIGINT NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
    created_at       TEXT NOT NULL,
    CHECK ((direction = 'income' AND source IS NOT NULL AND category IS NULL)
        OR (direction = 'expense' AND category IS NOT NULL AND source IS NULL))
);
CREATE INDEX transactions_group ON transactions (working_group_id, on_date);
