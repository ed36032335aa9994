-- Names sort the same on both databases: byte order of the folded name. SQLite compares text
-- as bytes (BINARY) already; this version exists so that both databases count the same.
-- Same change as migrations/postgres/0005_byte_order.sql.
SELECT 1;
