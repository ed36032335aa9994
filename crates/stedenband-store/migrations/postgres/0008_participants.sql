-- Participants of an activity listed by name: a person of the organisation (by id) or a named
-- guest, with the town (municipality) they come from. Same change as
-- migrations/sqlite/0008_participants.sql.
-- A guest's name is emptied when its retention period ends (anonymised_on is set then); the
-- row stays so the counts per town remain.

CREATE TABLE activity_participants (
    id            TEXT PRIMARY KEY,
    activity_id   TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    person_id     TEXT REFERENCES people (id),
    guest_name    TEXT CHECK (guest_name IS NULL OR length(guest_name) BETWEEN 1 AND 200),
    town_id       TEXT NOT NULL REFERENCES municipalities (id),
    recorded_on   TEXT NOT NULL,
    anonymised_on TEXT,
    CHECK (person_id IS NULL OR guest_name IS NULL),
    CHECK (person_id IS NOT NULL OR guest_name IS NOT NULL OR anonymised_on IS NOT NULL)
);
CREATE INDEX activity_participants_activity ON activity_participants (activity_id, town_id);
CREATE UNIQUE INDEX activity_participants_person ON activity_participants (activity_id, person_id);
CREATE UNIQUE INDEX activity_participants_guest ON activity_participants (activity_id, town_id, guest_name);
