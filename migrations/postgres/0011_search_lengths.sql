-- BM25 on PostgreSQL (search/bm25.h) needs each item's length: how many
-- terms its title, tags and body have together, as SQLite FTS5 keeps it.
-- Rows indexed before this count their positions; `kring reindex` counts
-- the terms themselves.
ALTER TABLE search_docs ADD COLUMN length INTEGER NOT NULL DEFAULT 0;
UPDATE search_docs SET length = (SELECT COALESCE(SUM(array_length(u.positions, 1)), 0) FROM unnest(terms) u);
