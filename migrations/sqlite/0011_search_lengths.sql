-- BM25 on PostgreSQL needs each item's length in search_docs (see the
-- PostgreSQL migration of this name). SQLite FTS5 keeps the lengths of
-- search_terms itself, so nothing changes here.
SELECT 1;
