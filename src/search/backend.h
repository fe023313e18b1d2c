/*
 * backend: the search index's tables and match expressions, one
 * implementation per database: FTS5 tables on SQLite (search/fts5.c),
 * tsvector columns on PostgreSQL (search/pg.c). search_backend() picks one
 * from the database once; the rest of search/ and the search page ask it
 * and never which database they run on. Both rank alike (search/bm25.h).
 */
#ifndef KRING_SEARCH_BACKEND_H
#define KRING_SEARCH_BACKEND_H

#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "search/query.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The parts of the index that are searched alike: each holds terms (whole
 * words, stemmed) and words (folded, for matches inside longer words). */
enum search_table { SEARCH_ITEMS, SEARCH_PEOPLE, SEARCH_ORGS };

/* An item as the index stores it: terms per field (space-separated), and
 * its long words (search/analyze.h: analyze_compounds). */
struct search_doc {
	struct buf title, tags, body, words;
};

/* A derived table for the caller to join (as h, on h.id), with the
 * arguments its placeholders take. */
struct search_join {
	const char *sql;
	struct db_value args[2];
	size_t nargs;
};

struct search_backend {
	/* How a match expression is written (search/query.h). */
	const struct search_syntax *syntax;

	/* Writes the item's row, or takes it out when !live; inside the
	 * caller's transaction. */
	bool (*item_store)(struct db *db, int64_t id, const struct search_doc *d, bool live);
	/* The item's terms as the index holds them (space-separated,
	 * malloc'd), or NULL when it holds none. */
	char *(*item_terms)(struct db *db, int64_t id);
	/* Writes a profile's row (name terms, the rest's terms, long words),
	 * or takes it out when !live. */
	bool (*profile_store)(struct db *db, enum search_table t, int64_t id, const char *name, const char *rest,
			      const char *words, bool live);
	/* Empties one part of the index. */
	bool (*clear)(struct db *db, enum search_table t);

	/* How many items the index holds and their terms in all (0 when the
	 * index does not count them; false on a database error). */
	bool (*items_size)(struct db *db, int64_t *docs, int64_t *terms);
	/* How many items a match expression finds; -1 on a database error. */
	int64_t (*items_matching)(struct db *db, const char *match);
	/* The best `limit` items of a whole-word match (of query p), best
	 * first, as (id, rel): rel is 1 plus how well it matches. */
	struct db_stmt *(*items_best)(struct db *db, struct arena *a, const struct search_query *p, const char *match,
				      size_t limit);
	/* The same matches, as a derived table (id, rel) to join. */
	struct search_join (*items_matches)(struct arena *a, const struct search_query *p, const char *match);
	/* When the rel of items_best is not BM25 already: the BM25 score of
	 * each of ids[0..n) for the query, into scores[] (0 for an item no
	 * longer indexed). NULL when it is. False on a database error. */
	bool (*items_rescore)(struct db *db, struct arena *a, const struct search_query *p, const int64_t *ids, size_t n,
			      double *scores);
	/* Items whose title has a word that begins with prefix (a term) and
	 * that match before (a whole-word match, or NULL), as a derived table
	 * (id, rank): rank an integer, the higher the better. */
	struct search_join (*items_prefix)(struct arena *a, const char *before, const char *prefix);

	/* Rows of t (their ids, then `in_name` when the name matches and
	 * `elsewhere` when only the rest does) that match whole words, best
	 * first, at most limit. */
	struct db_stmt *(*whole_words)(struct db *db, struct arena *a, enum search_table t, const char *match, int in_name,
				       int elsewhere, size_t limit);
	/* The ids of rows of t that hold every positive word of the query
	 * inside longer words and match no negated group, at most limit. */
	struct db_stmt *(*parts)(struct db *db, struct arena *a, enum search_table t, const struct search_query *p,
				 size_t limit);
};

extern const struct search_backend search_fts5, search_pg;

/* The backend of the database's index. */
const struct search_backend *search_backend(struct db *db);

#endif
