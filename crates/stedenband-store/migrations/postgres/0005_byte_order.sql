-- Names sort the same on both databases: byte order of the folded name (SQLite's BINARY).
-- Same change as migrations/sqlite/0005_byte_order.sql.
ALTER TABLE municipalities ALTER COLUMN search_name TYPE TEXT COLLATE "C";
