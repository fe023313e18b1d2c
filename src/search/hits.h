/*
 * hits: the items that match a query, with how well they match, read from
 * the database's index (search/backend.h). A query of one word reads its
 * best items from the lists of search/top.h; others are ranked by BM25
 * (search/bm25.h) over their whole words; the query's words found inside
 * longer words follow at a fixed low score. The search page (features/
 * search.h) describes, filters and pages what it gets from here.
 */
#ifndef KRING_SEARCH_HITS_H
#define KRING_SEARCH_HITS_H

#include "core/arena.h"
#include "search/backend.h"
#include "search/query.h"
#include "search/top.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The best this many matches are ranked: beyond them lie pages nobody
 * reads. One word's best are the lists'. */
#define SEARCH_HITS_MAX TOP_PER_TERM
/* How a match of the query's words inside longer words only scores: below
 * every whole-word match (whose rel is 1 plus their BM25 score). */
#define SEARCH_PART_REL 0.2

struct search_hit {
	int64_t id;
	double rel;
};

/* The best matches of the query (which has positive words), at most
 * SEARCH_HITS_MAX into hits[], in id order; how many, or -1 when the index
 * cannot be read. *more is set when more items match than hits[] holds
 * (private ones too: not for showing). */
long search_hits(struct db *db, struct arena *a, const struct search_query *p, struct search_hit *hits, bool *more);
/* The whole-word matches as a derived table (id, rel), for a caller to
 * join its own filters to: read the best SEARCH_HITS_MAX of the join with
 * search_hits_read. */
struct search_join search_hits_join(struct db *db, struct arena *a, const struct search_query *p);
/* search_hits from the (id, rel) rows of st (a statement over that join,
 * best first; done here), and the parts of longer words. */
long search_hits_read(struct db *db, struct arena *a, const struct search_query *p, struct db_stmt *st,
		      struct search_hit *hits, bool *more);
/* Items whose title has a word that begins with prefix (a term) and that
 * have the query's positive words, as a derived table (id, rank): what a
 * member is typing, for suggestions. */
struct search_join search_prefix_join(struct db *db, struct arena *a, const struct search_query *p, const char *prefix);

#endif
