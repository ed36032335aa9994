-- Evaluations of a municipality's twinnings: the question, the period looked at, the
-- partnerships covered, the criteria with their findings, the conclusions, and the
-- recommendations with what became of them. Same change as migrations/sqlite/0011_evaluations.sql.

CREATE TABLE evaluations (
    id                   TEXT PRIMARY KEY,
    municipality_id      TEXT NOT NULL REFERENCES municipalities (id),
    year                 BIGINT NOT NULL CHECK (year BETWEEN 1000 AND 2200),
    title                TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    commissioned_by      TEXT CHECK (length(commissioned_by) BETWEEN 1 AND 200),
    carried_out_by       TEXT CHECK (length(carried_out_by) BETWEEN 1 AND 200),
    occasion             TEXT CHECK (length(occasion) BETWEEN 1 AND 200),
    -- The decision that occasioned it, once decisions are recorded (no reference yet).
    occasion_decision_id TEXT,
    research_question    TEXT CHECK (length(research_question) BETWEEN 1 AND 4000),
    period_from          BIGINT,
    period_to            BIGINT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    CHECK ((period_from IS NULL AND period_to IS NULL)
        OR (period_from IS NOT NULL AND period_to IS NOT NULL AND period_to >= period_from
            AND period_to <= year))
);
CREATE INDEX evaluations_municipality ON evaluations (municipality_id, year);

-- The partnerships an evaluation covers, in the order given.
CREATE TABLE evaluation_partnerships (
    evaluation_id   TEXT NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    position        BIGINT NOT NULL CHECK (position >= 0),
    partnership_id  TEXT NOT NULL REFERENCES partnerships (id),
    PRIMARY KEY (evaluation_id, position),
    UNIQUE (evaluation_id, partnership_id)
);

CREATE TABLE evaluation_criteria (
    evaluation_id   TEXT NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    position        BIGINT NOT NULL CHECK (position >= 0),
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    aspect          TEXT NOT NULL CHECK (aspect IN ('effectiveness', 'efficiency', 'future-possibilities', 'usefulness', 'necessity', 'functionality', 'other')),
    finding         TEXT NOT NULL CHECK (length(finding) BETWEEN 1 AND 4000),
    PRIMARY KEY (evaluation_id, position)
);

CREATE TABLE evaluation_conclusions (
    evaluation_id   TEXT NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    position        BIGINT NOT NULL CHECK (position >= 0),
    text            TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
    PRIMARY KEY (evaluation_id, position)
);

-- A recommendation and its follow-up: open, or adopted or rejected on a date.
CREATE TABLE evaluation_recommendations (
    evaluation_id   TEXT NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    position        BIGINT NOT NULL CHECK (position >= 0),
    text            TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
    status          TEXT NOT NULL CHECK (status IN ('open', 'adopted', 'rejected')),
    status_on       TEXT,
    note            TEXT CHECK (length(note) BETWEEN 1 AND 4000),
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (evaluation_id, position),
    CHECK (status = 'open' OR status_on IS NOT NULL)
);
