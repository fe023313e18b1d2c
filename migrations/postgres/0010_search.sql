-- The search index (features/search.h, search/index.h): derived from the
-- items, rebuilt by `kring reindex`, kept up to date in the transaction of
-- every write.
--
-- terms: each item's terms (stemmed by its language and folded to ASCII by
-- search/analyze.h; the 'simple' configuration keeps them as they are),
-- weighted A for the title, B for the tags and D for the body. words: the
-- item's words, folded but not stemmed, with a trigram index for a query
-- word found inside a longer word (a part of a compound).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE search_docs (
	item_id BIGINT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE DEFERRABLE,
	terms TSVECTOR NOT NULL,
	words TEXT NOT NULL
);
CREATE INDEX search_docs_terms ON search_docs USING gin (terms);
CREATE INDEX search_docs_words ON search_docs USING gin (words gin_trgm_ops);
