-- Foundations, their working groups, people and the roles they hold with terms.
-- Same change as migrations/sqlite/0006_organisation.sql.
-- Dates are ISO text (YYYY-MM-DD); a role's end is its last day.

CREATE TABLE foundations (
    id              TEXT PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    municipality_id TEXT NOT NULL REFERENCES municipalities (id),
    kvk_number      TEXT CHECK (length(kvk_number) = 8),
    founded_on      TEXT,
    purpose         TEXT,
    website         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX foundations_municipality ON foundations (municipality_id);

CREATE TABLE working_groups (
    id            TEXT PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    foundation_id TEXT NOT NULL REFERENCES foundations (id),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    founded_on    TEXT NOT NULL,
    ended_on      TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK (ended_on IS NULL OR ended_on >= founded_on)
);
CREATE INDEX working_groups_foundation ON working_groups (foundation_id);

-- The partnerships a working group carries (at least one, checked by the application).
CREATE TABLE working_group_partnerships (
    working_group_id TEXT NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    partnership_id   TEXT NOT NULL REFERENCES partnerships (id),
    PRIMARY KEY (working_group_id, partnership_id)
);
CREATE INDEX working_group_partnerships_partnership ON working_group_partnerships (partnership_id);

-- A person as the foundation (the controller) records them: only a name, optional e-mail and
-- phone, and the lawful basis. Anonymisation empties every personal column and sets
-- anonymised_on; the row stays so that roles and records that must be kept refer to someone.
CREATE TABLE people (
    id                    TEXT PRIMARY KEY,
    foundation_id         TEXT NOT NULL REFERENCES foundations (id),
    name                  TEXT CHECK (length(name) BETWEEN 1 AND 200),
    email                 TEXT,
    phone                 TEXT,
    basis                 TEXT CHECK (basis IN ('membership', 'consent', 'public-task')),
    consent_text_version  TEXT,
    consent_given_on      TEXT,
    consent_recorded_by   TEXT,
    consent_withdrawn_on  TEXT,
    demo                  BIGINT NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    created_on            TEXT NOT NULL,
    anonymised_on         TEXT,
    updated_at            TEXT NOT NULL,
    CHECK ((anonymised_on IS NULL) = (name IS NOT NULL)),
    CHECK (anonymised_on IS NULL OR (email IS NULL AND phone IS NULL AND basis IS NULL)),
    CHECK ((basis = 'consent') = (consent_given_on IS NOT NULL AND consent_text_version IS NOT NULL))
);
CREATE INDEX people_foundation ON people (foundation_id);

-- Exactly one of foundation_id and working_group_id names where the role is held.
CREATE TABLE roles (
    id               TEXT PRIMARY KEY,
    person_id        TEXT NOT NULL REFERENCES people (id),
    foundation_id    TEXT REFERENCES foundations (id),
    working_group_id TEXT REFERENCES working_groups (id),
    role             TEXT NOT NULL CHECK (role IN ('chair', 'vice-chair', 'secretary', 'treasurer',
                                                   'board-member', 'member', 'partner-contact')),
    start_on         TEXT NOT NULL,
    end_on           TEXT,
    created_at       TEXT NOT NULL,
    CHECK ((foundation_id IS NULL) <> (working_group_id IS NULL)),
    CHECK (end_on IS NULL OR end_on >= start_on)
);
CREATE INDEX roles_person ON roles (person_id);
CREATE INDEX roles_foundation ON roles (foundation_id);
CREATE INDEX roles_working_group ON roles (working_group_id);
