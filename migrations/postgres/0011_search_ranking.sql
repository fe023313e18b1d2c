-- Ranking (search/top.h, search/bm25.h).
--
-- search_top: the best items for each term, so that a query of one word
-- reads its best matches in order. part is the term's BM25 part without
-- its idf, in billionths. Both keys begin with the term, so that a build
-- writes each term's rows together; an item's rows are found by its terms,
-- which the index holds. Derived data like the rest of the index: rebuilt
-- by `kring reindex`.
CREATE TABLE search_top (
	term TEXT NOT NULL,
	item_id BIGINT NOT NULL,
	part BIGINT NOT NULL,
	PRIMARY KEY (term, item_id)
);
CREATE INDEX search_top_best ON search_top(term, part, item_id);

-- The items and terms the entries were counted over: their average length.
-- No row: nothing counted yet. items is -1 while the lists are not built
-- (a database indexed before them): one-word queries then rank as the
-- others do, and kring builds them when it starts.
CREATE TABLE search_top_average (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	items BIGINT NOT NULL,
	terms BIGINT NOT NULL
);
INSERT INTO search_top_average (id, items, terms) SELECT 1, -1, 0 WHERE EXISTS (SELECT 1 FROM items);

-- BM25 of several words needs each item's length: how many terms its
-- title, tags and body have together, as SQLite FTS5 keeps it. Rows
-- indexed before this count their positions; `kring reindex` counts the
-- terms themselves.
ALTER TABLE search_docs ADD COLUMN length INTEGER NOT NULL DEFAULT 0;
UPDATE search_docs SET length = (SELECT COALESCE(SUM(array_length(u.positions, 1)), 0) FROM unnest(terms) u);
