-- The register: municipalities, their lineage, partnerships and their history.
-- Same change as migrations/sqlite/0001_register.sql.

CREATE TABLE municipalities (
    id            TEXT PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    search_name   TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('municipality', 'region')),
    country       TEXT NOT NULL CHECK (length(country) = 2),
    region        TEXT,
    official_code TEXT,
    wikidata_id   TEXT,
    latitude      DOUBLE PRECISION CHECK (latitude BETWEEN -90 AND 90),
    longitude     DOUBLE PRECISION CHECK (longitude BETWEEN -180 AND 180),
    population    BIGINT CHECK (population >= 0),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX municipalities_search ON municipalities (search_name);
CREATE INDEX municipalities_country ON municipalities (country, search_name);

-- A predecessor merges once, into one successor.
CREATE TABLE municipality_lineage (
    predecessor_id TEXT PRIMARY KEY REFERENCES municipalities (id),
    successor_id   TEXT NOT NULL REFERENCES municipalities (id),
    effective_on   TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    CHECK (predecessor_id <> successor_id)
);
CREATE INDEX municipality_lineage_successor ON municipality_lineage (successor_id);

-- home_id is the municipality that entered the partnership; who holds it now follows from the
-- lineage. Dates are a year, optionally with the full date in that year.
CREATE TABLE partnerships (
    id          TEXT PRIMARY KEY,
    home_id     TEXT NOT NULL REFERENCES municipalities (id),
    partner_id  TEXT NOT NULL REFERENCES municipalities (id),
    kind        TEXT NOT NULL CHECK (kind IN ('formalised', 'friendship', 'project-based')),
    initiator   TEXT NOT NULL CHECK (initiator IN ('local-government', 'private-initiative')),
    start_year  BIGINT NOT NULL,
    start_date  TEXT,
    end_year    BIGINT,
    end_date    TEXT,
    description TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (home_id <> partner_id),
    CHECK (end_year IS NULL OR end_year >= start_year),
    CHECK (end_date IS NULL OR end_year IS NOT NULL)
);
CREATE INDEX partnerships_home ON partnerships (home_id);
CREATE INDEX partnerships_partner ON partnerships (partner_id);

-- The dated history. A status change carries the status; nothing else does.
CREATE TABLE partnership_events (
    id             TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    seq            BIGINT NOT NULL,
    year           BIGINT NOT NULL,
    date           TEXT,
    kind           TEXT NOT NULL CHECK (kind IN ('first-contact', 'signing', 'mayoral-visit', 'visit',
                                                 'status-change', 'anniversary', 'other')),
    status         TEXT CHECK (status IN ('active', 'civil-society-only', 'dormant', 'ended')),
    text           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (partnership_id, seq),
    CHECK ((kind = 'status-change') = (status IS NOT NULL))
);
