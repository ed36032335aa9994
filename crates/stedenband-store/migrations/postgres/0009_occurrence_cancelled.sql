-- An occurrence of a recurring activity can be cancelled on its own while the series runs on:
-- it then counts neither in the numbers per year nor against dormancy. Same change as
-- migrations/sqlite/0009_occurrence_cancelled.sql.

ALTER TABLE activity_occurrences
    ADD COLUMN cancelled BIGINT NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1));
