-- The world register: towns and twin pairs from public lists, reconciled with the register's own
-- municipalities. Same change as migrations/postgres/0013_world.sql.

-- A list imported from (a file, Wikidata): every town and pair it brought names it.
CREATE TABLE world_sources (
    id          INTEGER PRIMARY KEY,
    label       TEXT NOT NULL UNIQUE CHECK (length(label) BETWEEN 1 AND 200),
    attribution TEXT,
    file_sha256 TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    rows_total  INTEGER NOT NULL CHECK (rows_total >= 0),
    imported    INTEGER NOT NULL CHECK (imported >= 0),
    merged      INTEGER NOT NULL CHECK (merged >= 0),
    rejected    INTEGER NOT NULL CHECK (rejected >= 0)
);

-- One place. A town that is a municipality of the register points at it (and takes its name,
-- country and position from there); every municipality has exactly one such town: a new
-- municipality takes over a list's town of the same folded name and country (within half a
-- degree of latitude and longitude when both positions are known), or gets a town of its own.
CREATE TABLE world_towns (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- The name folded as the program folds it for search (accents, case and punctuation aside),
    -- as municipalities.search_name: what the trigger below matches on.
    search_name     TEXT NOT NULL,
    country         TEXT NOT NULL CHECK (length(country) = 2),
    region          TEXT,
    latitude        REAL CHECK (latitude BETWEEN -90 AND 90),
    longitude       REAL CHECK (longitude BETWEEN -180 AND 180),
    wikidata_id     TEXT,
    municipality_id TEXT UNIQUE REFERENCES municipalities (id),
    source_id       INTEGER REFERENCES world_sources (id),
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CHECK (municipality_id IS NOT NULL OR source_id IS NOT NULL)
);

-- A pair, stored once: the lower town id first.
CREATE TABLE world_pairs (
    town_a     INTEGER NOT NULL REFERENCES world_towns (id),
    town_b     INTEGER NOT NULL REFERENCES world_towns (id),
    start_year INTEGER,
    end_year   INTEGER,
    source_id  INTEGER NOT NULL REFERENCES world_sources (id),
    source_row INTEGER NOT NULL,
    PRIMARY KEY (town_a, town_b),
    CHECK (town_a < town_b),
    CHECK (end_year IS NULL OR start_year IS NULL OR end_year >= start_year)
);
CREATE INDEX world_pairs_b ON world_pairs (town_b);
CREATE INDEX world_towns_country ON world_towns (country, search_name);

INSERT INTO world_towns (id, name, search_name, country, region, latitude, longitude, wikidata_id,
                         municipality_id)
SELECT ROW_NUMBER() OVER (ORDER BY created_at, id), name, search_name, country, region, latitude,
       longitude, wikidata_id, id
FROM municipalities;

CREATE TRIGGER municipalities_world_town AFTER INSERT ON municipalities
BEGIN
    UPDATE world_towns SET municipality_id = NEW.id
    WHERE id = (SELECT id FROM world_towns
                WHERE municipality_id IS NULL AND country = NEW.country
                  AND search_name = NEW.search_name
                  AND (NEW.latitude IS NULL OR latitude IS NULL
                       OR (abs(latitude - NEW.latitude) < 0.5 AND abs(longitude - NEW.longitude) < 0.5))
                ORDER BY id LIMIT 1);
    INSERT INTO world_towns (id, name, search_name, country, region, latitude, longitude, wikidata_id,
                             municipality_id)
    SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM world_towns), NEW.name, NEW.search_name, NEW.country, NEW.region,
           NEW.latitude, NEW.longitude, NEW.wikidata_id, NEW.id
    WHERE NOT EXISTS (SELECT 1 FROM world_towns WHERE municipality_id = NEW.id);
END;
