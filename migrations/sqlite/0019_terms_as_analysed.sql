-- On PostgreSQL the index is rebuilt, its terms now held as analysed;
-- FTS5 always held them so, and SQLite's index stays as it is.
SELECT 1;
