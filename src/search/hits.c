/* hits: the items that match a query (see hits.h). */
#include "search/hits.h"

#include "core/mem.h"
#include "search/bm25.h"

#include <stdlib.h>
#include <string.h>

static int by_id(const void *a, const void *b)
{
	const struct search_hit *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static int by_rel(const void *a, const void *b)
{
	const struct search_hit *x = a, *y = b;
	return x->rel > y->rel ? -1 : x->rel < y->rel ? 1 : (x->id > y->id) - (x->id < y->id);
}

/* Where the backend's rel is not BM25 already, the best matches ranked
 * again by BM25, so that both backends rank alike. Keeps the rel it has
 * when that cannot be read. */
static void rescore(struct db *db, struct arena *a, const struct search_query *p, struct search_hit *hits, size_t n)
{
	const struct search_backend *backend = search_backend(db);
	if (!backend->items_rescore)
		return;
	int64_t *ids = arena_alloc(a, (n + 1) * sizeof(*ids));
	double *scores = arena_alloc(a, (n + 1) * sizeof(*scores));
	for (size_t i = 0; i < n; i++)
		ids[i] = hits[i].id;
	if (backend->items_rescore(db, a, p, ids, n, scores))
		for (size_t i = 0; i < n; i++)
			hits[i].rel = 1.0 + scores[i];
}

/* Reads (id, rel) rows into hits[] and puts them in id order; how many,
 * or -1 when the statement failed. */
static long read_hits(struct db *db, struct arena *a, const struct search_query *p, struct db_stmt *st,
		      struct search_hit *hits)
{
	size_t n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && n < SEARCH_HITS_MAX) {
		hits[n].id = db_int_col(st, 0);
		hits[n++].rel = db_double_col(st, 1);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	qsort(hits, n, sizeof(*hits), by_id);
	rescore(db, a, p, hits, n);
	return (long)n;
}

/* The best whole-word matches, in id order, into hits[]; how many, or -1. */
static long whole_word_hits(struct db *db, struct arena *a, const struct search_query *p, struct search_hit *hits)
{
	const struct search_backend *backend = search_backend(db);
	const char *match = query_terms_match(a, p, backend->syntax);
	return read_hits(db, a, p, backend->items_best(db, a, p, match, SEARCH_HITS_MAX), hits);
}

/* A query of one word: its best matches read in order from the lists of
 * the best items per term (search/top.h), each of its analyses with its
 * idf, rather than scoring every item that has the word. In id order into
 * hits[]; how many, or -1 when the lists cannot be read. *more is set when
 * more items have the word than its lists gave. */
static long one_word_hits(struct db *db, const struct search_group *g, struct search_hit *hits, bool *more)
{
	struct search_hit *all = xmalloc(SEARCH_LANGUAGES * SEARCH_HITS_MAX * sizeof(*all));
	int64_t *ids = xmalloc(SEARCH_HITS_MAX * sizeof(*ids));
	double *parts = xmalloc(SEARCH_HITS_MAX * sizeof(*parts));
	size_t n = 0;
	bool ok = true;
	for (size_t l = 0; l < SEARCH_LANGUAGES && ok; l++) {
		double idf, matching;
		long got = 0;
		if (!query_analysis_distinct(g, l))
			continue;
		ok = bm25_idf_of(db, g->terms[l], &idf, &matching) &&
		     (got = top_read(db, g->terms[l], SEARCH_HITS_MAX, ids, parts)) >= 0;
		*more |= matching > (double)got;
		for (long i = 0; ok && i < got; i++)
			all[n++] = (struct search_hit){.id = ids[i], .rel = idf * parts[i]};
	}
	/* An item in several analyses' lists scores their sum, as in FTS5. */
	qsort(all, n, sizeof(*all), by_id);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m && all[m - 1].id == all[i].id)
			all[m - 1].rel += all[i].rel;
		else
			all[m++] = all[i];
	}
	for (size_t i = 0; i < m; i++)
		all[i].rel += 1.0;
	if (m > SEARCH_HITS_MAX) {
		qsort(all, m, sizeof(*all), by_rel);
		m = SEARCH_HITS_MAX;
		qsort(all, m, sizeof(*all), by_id);
	}
	memcpy(hits, all, m * sizeof(*all));
	free(all);
	free(ids);
	free(parts);
	return ok ? (long)m : -1;
}

/* Adds the matches of the query's words inside longer words that are not
 * whole-word hits already, keeping hits[0..n) in id order; the new count,
 * or -1 when they cannot be read. They rank below every whole-word hit,
 * so they fill only what room the whole words leave. */
static long part_hits(struct db *db, struct arena *a, const struct search_query *p, struct search_hit *hits, size_t n)
{
	if (n == SEARCH_HITS_MAX)
		return (long)n;
	size_t whole = n;
	int rc = DB_ERROR;
	struct db_stmt *st = search_backend(db)->parts(db, a, SEARCH_ITEMS, p, SEARCH_HITS_MAX);
	while (st && (rc = db_step(st)) == DB_ROW && n < SEARCH_HITS_MAX) {
		int64_t id = db_int_col(st, 0);
		if (!bsearch(&(struct search_hit){.id = id}, hits, whole, sizeof(*hits), by_id))
			hits[n++] = (struct search_hit){.id = id, .rel = SEARCH_PART_REL};
	}
	if (st)
		db_done(st);
	if (rc == DB_ERROR)
		return -1;
	qsort(hits, n, sizeof(*hits), by_id);
	return (long)n;
}

/* The parts of longer words after the whole words, and whether there may
 * be more. */
static long finish(struct db *db, struct arena *a, const struct search_query *p, struct search_hit *hits, long n,
		   bool *more)
{
	if (n >= 0 && query_parts_searchable(p))
		n = part_hits(db, a, p, hits, (size_t)n);
	*more |= n == SEARCH_HITS_MAX;
	return n;
}

long search_hits(struct db *db, struct arena *a, const struct search_query *p, struct search_hit *hits, bool *more)
{
	const struct search_group *g = &p->groups[0];
	long n = -1;
	*more = false;
	if (p->ngroups == 1 && !g->negated && !strchr(g->words, ' ') && top_ready(db))
		n = one_word_hits(db, g, hits, more);
	if (n < 0)
		n = whole_word_hits(db, a, p, hits);
	return finish(db, a, p, hits, n, more);
}

struct search_join search_hits_join(struct db *db, struct arena *a, const struct search_query *p)
{
	const struct search_backend *backend = search_backend(db);
	return backend->items_matches(a, p, query_terms_match(a, p, backend->syntax));
}

long search_hits_read(struct db *db, struct arena *a, const struct search_query *p, struct db_stmt *st,
		      struct search_hit *hits, bool *more)
{
	*more = false;
	return finish(db, a, p, hits, read_hits(db, a, p, st, hits), more);
}

struct search_join search_prefix_join(struct db *db, struct arena *a, const struct search_query *p, const char *prefix)
{
	const struct search_backend *backend = search_backend(db);
	const char *before = p->npositive ? query_terms_match(a, p, backend->syntax) : NULL;
	return backend->items_prefix(a, before, prefix);
}
