-- Activities of partnerships, their occurrences (recurring activities), participants and
-- receptions. Same change as migrations/sqlite/0007_activities.sql.
-- Dates are ISO text; times HH:MM in the activity's time zone; end_on is the last day.

CREATE TABLE activities (
    id                   TEXT PRIMARY KEY,
    partnership_id       TEXT NOT NULL REFERENCES partnerships (id),
    working_group_id     TEXT REFERENCES working_groups (id),
    title                TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description          TEXT,
    start_on             TEXT NOT NULL,
    start_time           TEXT,
    end_on               TEXT NOT NULL,
    end_time             TEXT,
    timezone             TEXT NOT NULL,
    place                TEXT,
    direction            TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing', 'both', 'online')),
    category             TEXT NOT NULL,
    participants_home    BIGINT NOT NULL CHECK (participants_home >= 0),
    participants_partner BIGINT NOT NULL CHECK (participants_partner >= 0),
    status               TEXT NOT NULL CHECK (status IN ('planned', 'confirmed', 'held', 'cancelled')),
    outcomes             TEXT,
    links                TEXT NOT NULL DEFAULT '',
    public               BIGINT NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    recurrence           TEXT CHECK (recurrence IN ('yearly', 'monthly')),
    recurrence_until     TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    CHECK (end_on >= start_on)
);
CREATE INDEX activities_partnership ON activities (partnership_id, start_on);
CREATE INDEX activities_group ON activities (working_group_id, start_on);
CREATE INDEX activities_start ON activities (start_on);

-- The figures of one occurrence of a recurring activity (by its start date). Costs are an
-- amount in euro cents (exact on both databases).
CREATE TABLE activity_occurrences (
    activity_id          TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    occurrence_on        TEXT NOT NULL,
    participants_home    BIGINT CHECK (participants_home >= 0),
    participants_partner BIGINT CHECK (participants_partner >= 0),
    costs_cents          BIGINT,
    notes                TEXT,
    PRIMARY KEY (activity_id, occurrence_on)
);

-- A reception by the mayor and aldermen for an incoming visit.
CREATE TABLE receptions (
    activity_id   TEXT PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
    status        TEXT NOT NULL CHECK (status IN ('requested', 'accepted', 'declined', 'scheduled', 'held')),
    scheduled_on  TEXT,
    scheduled_at  TEXT,
    received_by   TEXT,
    note          TEXT,
    requested_at  TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK (status NOT IN ('scheduled', 'held') OR scheduled_on IS NOT NULL)
);
