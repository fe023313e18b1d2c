-- The search index (features/search.h, search/index.h): derived from the
-- items, rebuilt by `kring reindex`, kept up to date in the transaction of
-- every write. rowid is the item's id.
--
-- search_terms holds each item's terms (stemmed by its language and folded
-- to ASCII by search/analyze.h), ranked with BM25; tags are a field of
-- their own so that they weigh between title and body.
CREATE VIRTUAL TABLE search_terms USING fts5(title, tags, body, tokenize = 'ascii');
-- Its rank, which ORDER BY rank reads fastest: BM25 with the title worth
-- ten times the body and the tags four.
INSERT INTO search_terms (search_terms, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');

-- search_words holds the item's words, folded but not stemmed, indexed by
-- trigrams: a query word found inside a longer word (a part of a compound).
CREATE VIRTUAL TABLE search_words USING fts5(words, tokenize = 'trigram');
