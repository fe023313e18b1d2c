/* bm25: BM25 as FTS5 computes it, and on PostgreSQL (see bm25.h). */
#include "search/bm25.h"

#include "core/buf.h"
#include "core/mem.h"
#include "db/db.h"
#include "search/backend.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define K1 1.2
#define B 0.75
#define REMEMBER_SECONDS 60
#define COUNTS_REMEMBERED 512

double bm25_idf(double docs, double matching)
{
	double idf = log((docs - matching + 0.5) / (matching + 0.5));
	return idf > 0 ? idf : 1e-6;
}

double bm25_term(double idf, double tf, double length, double avg_length)
{
	if (avg_length <= 0)
		avg_length = length > 0 ? length : 1.0;
	/* in FTS5's order of operations, for the very same doubles */
	return idf * ((tf * (K1 + 1.0)) / (tf + K1 * (1.0 - B + B * length / avg_length)));
}

/* ---- what the index holds, remembered a while ------------------------------- */

/* Counting items is a scan of the index: a server reads it once a minute,
 * and again after it rebuilds or bulk-loads the index. A write of one item
 * changes the counts by one at most, which a minute later is read. */
static struct {
	pthread_mutex_t lock;
	unsigned generation; /* one more at each forgetting: a count read
				before it is not remembered after it */
	double read_at; /* monotonic seconds; 0: nothing remembered */
	double docs, avg_length;
	struct {
		char *phrase;
		double matching;
	} counts[COUNTS_REMEMBERED];
	size_t ncounts;
} memo = {.lock = PTHREAD_MUTEX_INITIALIZER};

static double monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* With memo.lock held. */
static void forget_locked(void)
{
	for (size_t i = 0; i < memo.ncounts; i++)
		free(memo.counts[i].phrase);
	memo.ncounts = 0;
	memo.read_at = 0;
	memo.generation++;
}

void bm25_forget(void)
{
	pthread_mutex_lock(&memo.lock);
	forget_locked();
	pthread_mutex_unlock(&memo.lock);
}

bool bm25_index_size(struct db *db, double *docs, double *avg_length)
{
	pthread_mutex_lock(&memo.lock);
	if (memo.read_at && monotonic_seconds() - memo.read_at > REMEMBER_SECONDS)
		forget_locked();
	bool known = memo.read_at > 0;
	*docs = memo.docs;
	*avg_length = memo.avg_length;
	unsigned generation = memo.generation;
	pthread_mutex_unlock(&memo.lock);
	if (known)
		return true;
	int64_t items, terms;
	if (!search_backend(db)->items_size(db, &items, &terms))
		return false;
	*docs = (double)items;
	*avg_length = items > 0 ? (double)terms / (double)items : 0;
	pthread_mutex_lock(&memo.lock);
	if (memo.generation == generation) {
		memo.docs = *docs;
		memo.avg_length = *avg_length;
		memo.read_at = monotonic_seconds();
	}
	pthread_mutex_unlock(&memo.lock);
	return true;
}

/* How many items have the phrase (its terms space-separated); -1 on a
 * database error. */
static double items_with(struct db *db, const char *phrase)
{
	double matching = -1;
	pthread_mutex_lock(&memo.lock);
	for (size_t i = 0; i < memo.ncounts && matching < 0; i++)
		if (strcmp(memo.counts[i].phrase, phrase) == 0)
			matching = memo.counts[i].matching;
	unsigned generation = memo.generation;
	pthread_mutex_unlock(&memo.lock);
	if (matching >= 0)
		return matching;
	const struct search_backend *backend = search_backend(db);
	struct buf match = {0};
	backend->syntax->phrase(&match, phrase);
	int64_t n = backend->items_matching(db, match.data);
	buf_free(&match);
	if (n < 0)
		return -1;
	matching = (double)n;
	pthread_mutex_lock(&memo.lock);
	if (memo.generation == generation) {
		if (memo.ncounts == COUNTS_REMEMBERED) {
			for (size_t i = 0; i < memo.ncounts; i++)
				free(memo.counts[i].phrase);
			memo.ncounts = 0;
		}
		memo.counts[memo.ncounts].phrase = xstrdup(phrase);
		memo.counts[memo.ncounts++].matching = matching;
	}
	pthread_mutex_unlock(&memo.lock);
	return matching;
}

double bm25_matching(struct db *db, const char *phrase)
{
	return items_with(db, phrase);
}

bool bm25_idf_of(struct db *db, const char *phrase, double *idf, double *matching)
{
	double docs, avg_length, with;
	if (!bm25_index_size(db, &docs, &avg_length) || (with = items_with(db, phrase)) < 0)
		return false;
	*idf = bm25_idf(docs, with);
	if (matching)
		*matching = with;
	return true;
}
