/* fts5_rank: kring_bm25, bm25() with the phrases' counts given (see fts5_rank.h). */
#include "search/fts5_rank.h"

#include "core/mem.h"
#include "search/bm25.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* What a pruned row scores: below every real score. */
#define NOT_AMONG_BEST 1e300

/* What every row of a statement is scored with, found at its first row,
 * and the best scores so far. */
struct rank_data {
	int nphrases, ncols;
	double avg_length;
	double *idf, *freq;
	int *size;  /* each phrase's terms */
	int *reach; /* how many terms of each column the row's phrases show it has at least */
	double *heap; /* the best scores so far, a min-heap; NULL: every row scored */
	size_t best, nheap;
	/* the last row's result: SQLite may ask for it again (the ORDER BY
	 * of the column), which must not offer it to the heap twice */
	sqlite3_int64 last_rowid;
	double last_result;
	bool scored;
};

static void rank_data_free(void *p)
{
	struct rank_data *d = p;
	if (d) {
		free(d->idf);
		free(d->freq);
		free(d->size);
		free(d->reach);
		free(d->heap);
		free(d);
	}
}

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *user)
{
	(void)api;
	(void)fts;
	(*(sqlite3_int64 *)user)++;
	return SQLITE_OK;
}

static struct rank_data *rank_data_new(int nphrases, int ncols, size_t best)
{
	struct rank_data *d = xcalloc(1, sizeof(*d));
	d->nphrases = nphrases;
	d->ncols = ncols;
	d->best = best;
	d->idf = xcalloc((size_t)nphrases + 1, sizeof(*d->idf));
	d->freq = xcalloc((size_t)nphrases + 1, sizeof(*d->freq));
	d->size = xcalloc((size_t)nphrases + 1, sizeof(*d->size));
	d->reach = xcalloc((size_t)ncols + 1, sizeof(*d->reach));
	d->heap = best ? xcalloc(best, sizeof(*d->heap)) : NULL;
	return d;
}

/* The statement's data: the index's size and each phrase's idf, from the
 * counts given or, where none is, counted in the index. */
static int rank_data_get(const Fts5ExtensionApi *api, Fts5Context *fts, const char *counts, size_t best,
			 struct rank_data **out)
{
	struct rank_data *d = api->xGetAuxdata(fts, 0);
	if (d) {
		*out = d;
		return SQLITE_OK;
	}
	sqlite3_int64 rows = 0, tokens = 0;
	int rc = api->xRowCount(fts, &rows);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &tokens);
	if (rc != SQLITE_OK)
		return rc;
	int n = api->xPhraseCount(fts);
	d = rank_data_new(n, api->xColumnCount(fts), best);
	d->avg_length = (double)tokens / (double)rows;
	const char *s = counts ? counts : "";
	for (int i = 0; i < n && rc == SQLITE_OK; i++) {
		while (*s == ' ')
			s++;
		char *end;
		sqlite3_int64 hits = strtoll(s, &end, 10);
		if (end == s || hits < 0) {
			hits = 0;
			rc = api->xQueryPhrase(fts, i, &hits, count_row);
		}
		s = end == s ? s + strcspn(s, " ") : end;
		d->idf[i] = bm25_idf((double)rows, (double)hits);
		d->size[i] = api->xPhraseSize(fts, i);
	}
	if (rc == SQLITE_OK)
		rc = api->xSetAuxdata(fts, d, rank_data_free);
	else
		rank_data_free(d);
	if (rc == SQLITE_OK)
		*out = d;
	return rc;
}

/* The score at length, summed in the phrases' order as bm25() sums it. */
static double score_at(const struct rank_data *d, double length)
{
	double score = 0;
	for (int i = 0; i < d->nphrases; i++)
		score += bm25_term(d->idf[i], d->freq[i], length, d->avg_length);
	return score;
}

static void heap_down(double *heap, size_t n, size_t i)
{
	for (;;) {
		size_t least = i, l = 2 * i + 1, r = l + 1;
		if (l < n && heap[l] < heap[least])
			least = l;
		if (r < n && heap[r] < heap[least])
			least = r;
		if (least == i)
			return;
		double t = heap[i];
		heap[i] = heap[least];
		heap[least] = t;
		i = least;
	}
}

/* Keeps the score among the best when it is. */
static void heap_offer(struct rank_data *d, double score)
{
	if (d->nheap < d->best) {
		size_t i = d->nheap++;
		d->heap[i] = score;
		while (i > 0 && d->heap[i] < d->heap[(i - 1) / 2]) {
			double t = d->heap[i];
			d->heap[i] = d->heap[(i - 1) / 2];
			d->heap[(i - 1) / 2] = t;
			i = (i - 1) / 2;
		}
	} else if (score > d->heap[0]) {
		d->heap[0] = score;
		heap_down(d->heap, d->nheap, 0);
	}
}

static void result(struct rank_data *d, const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		   double value)
{
	d->scored = true;
	d->last_rowid = api->xRowid(fts);
	d->last_result = value;
	sqlite3_result_double(ctx, value);
}

/* kring_bm25(table, counts, best, weight, ...): the row's weighted count
 * of each phrase, and how many terms it shows each column has; then
 * bm25() of the row. When the best `best` rows are asked for and as many
 * scored better than the row can, whatever its length, it is not among
 * them: its length (a read of the index per row, most of the cost) is not
 * read, and it scores below every row that is. */
static void kring_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nargs,
		       sqlite3_value **args)
{
	enum { COUNTS, BEST, WEIGHTS };
	struct rank_data *d = NULL;
	sqlite3_int64 best = nargs > BEST ? sqlite3_value_int64(args[BEST]) : 0;
	int rc = rank_data_get(api, fts, nargs > COUNTS ? (const char *)sqlite3_value_text(args[COUNTS]) : NULL,
			       best > 0 ? (size_t)best : 0, &d);
	int ninst = 0, length = 0;
	if (rc == SQLITE_OK && d->scored && api->xRowid(fts) == d->last_rowid) {
		sqlite3_result_double(ctx, d->last_result);
		return;
	}
	if (rc == SQLITE_OK) {
		memset(d->freq, 0, (size_t)d->nphrases * sizeof(*d->freq));
		memset(d->reach, 0, (size_t)d->ncols * sizeof(*d->reach));
		rc = api->xInstCount(fts, &ninst);
	}
	for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
		int phrase, col, offset;
		rc = api->xInst(fts, i, &phrase, &col, &offset);
		if (rc != SQLITE_OK)
			break;
		d->freq[phrase] += nargs > WEIGHTS + col ? sqlite3_value_double(args[WEIGHTS + col]) : 1.0;
		if (col < d->ncols && offset + d->size[phrase] > d->reach[col])
			d->reach[col] = offset + d->size[phrase];
	}
	if (rc == SQLITE_OK && d->heap && d->nheap == d->best) {
		/* The score falls as the length grows: at the least length the
		 * row can have, the most it can score. */
		int least = 0;
		for (int c = 0; c < d->ncols; c++)
			least += d->reach[c];
		if (score_at(d, (double)least) < d->heap[0]) {
			result(d, api, fts, ctx, NOT_AMONG_BEST);
			return;
		}
	}
	if (rc == SQLITE_OK)
		rc = api->xColumnSize(fts, -1, &length);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	double score = score_at(d, (double)length);
	if (d->heap)
		heap_offer(d, score);
	result(d, api, fts, ctx, -1.0 * score);
}

/* Makes kring_bm25 known to a connection as it opens. */
static int register_on_open(sqlite3 *handle, char **err, const sqlite3_api_routines *api)
{
	(void)err;
	(void)api;
	fts5_api *fts = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(handle, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return SQLITE_OK;
	sqlite3_bind_pointer(st, 1, &fts, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (fts)
		fts->xCreateFunction(fts, "kring_bm25", NULL, kring_bm25, NULL);
	return SQLITE_OK;
}

void fts5_rank_install(void)
{
	/* The same entry again is a no-op. */
	sqlite3_auto_extension((void (*)(void))register_on_open);
}
