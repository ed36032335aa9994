-- Decisions and motions with what they affect, the rules they impose and lift, policy scenarios,
-- the municipality's plan that an adopted scenario writes, and the endings of partnerships.
-- Same change as migrations/sqlite/0012_decisions.sql.

CREATE TABLE decisions (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities (id),
    decided_on      TEXT NOT NULL,
    body            TEXT NOT NULL CHECK (body IN ('council', 'mayor-and-aldermen', 'mayor')),
    kind            TEXT NOT NULL CHECK (kind IN ('decision', 'motion', 'amendment', 'letter-to-council')),
    reference       TEXT,
    title           TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    text            TEXT,
    outcome         TEXT NOT NULL CHECK (outcome IN ('proposed', 'adopted', 'rejected', 'withdrawn')),
    votes_for       BIGINT CHECK (votes_for >= 0),
    votes_against   BIGINT CHECK (votes_against >= 0),
    source_url      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX decisions_municipality ON decisions (municipality_id, decided_on);

CREATE TABLE decision_affects (
    decision_id TEXT NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    position    BIGINT NOT NULL CHECK (position >= 0),
    object_kind TEXT NOT NULL CHECK (object_kind IN ('partnership', 'subsidy', 'schedule', 'evaluation', 'working-group')),
    object_id   TEXT NOT NULL,
    PRIMARY KEY (decision_id, position)
);
CREATE INDEX decision_affects_object ON decision_affects (object_kind, object_id);

CREATE TABLE rules (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities (id),
    decision_id     TEXT NOT NULL REFERENCES decisions (id),
    kind            TEXT NOT NULL CHECK (kind IN ('no-new-twinnings', 'subsidy-ends', 'no-budget-line', 'no-staff-capacity')),
    from_date       TEXT NOT NULL,
    schedule_id     TEXT REFERENCES phase_out_schedules (id),
    lifted_by       TEXT REFERENCES decisions (id),
    created_at      TEXT NOT NULL,
    CHECK ((kind = 'subsidy-ends') = (schedule_id IS NOT NULL))
);
CREATE INDEX rules_municipality ON rules (municipality_id, kind);

CREATE TABLE scenarios (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities (id),
    code            TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 10),
    title           TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description     TEXT,
    proposed        BIGINT NOT NULL CHECK (proposed IN (0, 1)),
    horizon_from    BIGINT NOT NULL,
    horizon_to      BIGINT NOT NULL,
    changes_json    TEXT NOT NULL,
    adopted_by      TEXT REFERENCES decisions (id),
    created_at      TEXT NOT NULL,
    UNIQUE (municipality_id, code)
);

-- The municipality's plan per year, as an adopted scenario wrote it.
CREATE TABLE municipal_plan_lines (
    municipality_id  TEXT NOT NULL REFERENCES municipalities (id),
    year             BIGINT NOT NULL,
    line             TEXT NOT NULL,
    line_kind        TEXT NOT NULL CHECK (line_kind IN ('budget', 'subsidy', 'contribution')),
    working_group_id TEXT NOT NULL DEFAULT '',
    in_kind          BIGINT NOT NULL CHECK (in_kind IN (0, 1)),
    amount_cents     BIGINT NOT NULL CHECK (amount_cents >= 0),
    decision_id      TEXT NOT NULL REFERENCES decisions (id),
    PRIMARY KEY (municipality_id, year, line, line_kind, working_group_id, in_kind)
);

CREATE TABLE municipal_plan_staff (
    municipality_id TEXT NOT NULL REFERENCES municipalities (id),
    year            BIGINT NOT NULL,
    hours           BIGINT NOT NULL CHECK (hours >= 0),
    decision_id     TEXT NOT NULL REFERENCES decisions (id),
    PRIMARY KEY (municipality_id, year)
);

CREATE TABLE partnership_endings (
    partnership_id TEXT PRIMARY KEY REFERENCES partnerships (id),
    decision_id    TEXT NOT NULL REFERENCES decisions (id),
    reason         TEXT NOT NULL,
    letter_nl      TEXT NOT NULL,
    letter_en      TEXT NOT NULL,
    letter_sent_on TEXT,
    notified_on    TEXT,
    notified_how   TEXT,
    end_on         TEXT,
    final_status   TEXT CHECK (final_status IN ('ended', 'civil-society-only')),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
