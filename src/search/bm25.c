/* bm25: BM25 as FTS5 computes it, and on PostgreSQL (see bm25.h). */
#include "search/bm25.h"

#include "core/buf.h"
#include "db/db.h"
#include "search/index.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define K1 1.2
#define B 0.75
#define REMEMBER_SECONDS 60
#define COUNTS_REMEMBERED 512
#define PHRASE_WORDS_MAX 32

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

/* How many items the index holds and (on PostgreSQL) their average
 * length; false on a database error. */
static bool index_size(struct db *db, double *docs, double *avg_length)
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
	struct db_stmt *st = db_query(db, search_on_postgres(db) ? "SELECT COUNT(*), COALESCE(SUM(length), 0) FROM search_docs"
							  : "SELECT COUNT(*), 0 FROM search_terms_docsize", DB_NOARGS);
	bool ok = db_step(st) == DB_ROW;
	if (ok) {
		*docs = (double)db_int_col(st, 0);
		*avg_length = *docs > 0 ? (double)db_int_col(st, 1) / *docs : 0;
	}
	db_done(st);
	if (!ok)
		return false;
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
	/* Terms are letters, digits and marks (search/analyze.h): nothing to quote. */
	struct buf match = {0};
	bool postgres = search_on_postgres(db);
	query_phrase_match(&match, phrase, postgres);
	struct db_stmt *st = db_query(db, postgres ? "SELECT COUNT(*) FROM search_docs WHERE terms @@ to_tsquery('simple', ?)"
						   : "SELECT COUNT(*) FROM search_terms WHERE search_terms MATCH ?",
				      DB_ARGS(db_text(match.data)));
	if (db_step(st) == DB_ROW)
		matching = (double)db_int_col(st, 0);
	db_done(st);
	buf_free(&match);
	if (matching < 0)
		return -1;
	pthread_mutex_lock(&memo.lock);
	if (memo.generation == generation) {
		if (memo.ncounts == COUNTS_REMEMBERED) {
			for (size_t i = 0; i < memo.ncounts; i++)
				free(memo.counts[i].phrase);
			memo.ncounts = 0;
		}
		memo.counts[memo.ncounts].phrase = strdup(phrase);
		memo.counts[memo.ncounts++].matching = matching;
	}
	pthread_mutex_unlock(&memo.lock);
	return matching;
}

bool bm25_idf_of(struct db *db, const char *phrase, double *idf, double *matching)
{
	double docs, avg_length, with;
	if (!index_size(db, &docs, &avg_length) || (with = items_with(db, phrase)) < 0)
		return false;
	*idf = bm25_idf(docs, with);
	if (matching)
		*matching = with;
	return true;
}

/* ---- scoring from the tsvector ------------------------------------------------ */

/* One of the query's phrases (a single term is a phrase of one word): its
 * words and its weight in the index. */
struct phrase {
	const char *text;
	const char *words[PHRASE_WORDS_MAX];
	int nwords;
	double idf;
};

/* A term of an item as unnest(tsvector) gives it: "{3,17}" and "{A,D}". */
struct occurrences {
	const char *lexeme;
	int *positions;
	char *weights;
	int n;
};

/* The occurrences' positions and weights from PostgreSQL's array text. */
static void occurrences_read(struct arena *a, struct occurrences *o, const char *positions, const char *weights)
{
	size_t cap = 1;
	for (const char *s = positions; *s; s++)
		cap += *s == ',';
	o->positions = arena_alloc(a, cap * sizeof(*o->positions));
	o->weights = arena_alloc(a, cap);
	o->n = 0;
	for (const char *s = positions; *s && (size_t)o->n < cap;) {
		char *end;
		long v = strtol(s + (*s == '{' || *s == ','), &end, 10);
		if (end == s + (*s == '{' || *s == ','))
			break;
		o->positions[o->n] = (int)v;
		o->weights[o->n++] = 'D';
		s = end;
	}
	int k = 0;
	for (const char *s = weights; *s && k < o->n; s++)
		if (*s >= 'A' && *s <= 'D')
			o->weights[k++] = *s;
}

static const struct occurrences *find_lexeme(const struct occurrences *terms, int n, const char *lexeme)
{
	for (int i = 0; i < n; i++)
		if (strcmp(terms[i].lexeme, lexeme) == 0)
			return &terms[i];
	return NULL;
}

static bool has_position(const struct occurrences *o, int position)
{
	int lo = 0, hi = o->n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (o->positions[mid] < position)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < o->n && o->positions[lo] == position;
}

/* The phrase's occurrences in the item, each weighed by the field it
 * starts in: title (A) 10, tags (B) 4, body 1. */
static double weighted_count(const struct phrase *ph, const struct occurrences *terms, int nterms)
{
	const struct occurrences *first = find_lexeme(terms, nterms, ph->words[0]);
	if (!first)
		return 0;
	const struct occurrences *rest[PHRASE_WORDS_MAX];
	for (int w = 1; w < ph->nwords; w++)
		if (!(rest[w] = find_lexeme(terms, nterms, ph->words[w])))
			return 0;
	double tf = 0;
	for (int i = 0; i < first->n; i++) {
		bool whole = true;
		for (int w = 1; w < ph->nwords && whole; w++)
			whole = has_position(rest[w], first->positions[i] + w);
		if (whole)
			tf += first->weights[i] == 'A' ? 10 : first->weights[i] == 'B' ? 4 : 1;
	}
	return tf;
}

/* The query's phrases: each positive group's distinct analyses. */
static int query_phrases(struct arena *a, const struct search_query *p, struct phrase *out, int max)
{
	int n = 0;
	for (int g = 0; g < p->ngroups; g++) {
		const struct search_group *grp = &p->groups[g];
		if (grp->negated)
			continue;
		for (size_t l = 0; l < SEARCH_LANGUAGES && n < max; l++) {
			if (!query_analysis_distinct(grp, l))
				continue;
			struct phrase *ph = &out[n++];
			ph->text = grp->terms[l];
			ph->nwords = 0;
			char *copy = arena_strdup(a, grp->terms[l]), *save = NULL;
			for (char *w = strtok_r(copy, " ", &save); w && ph->nwords < PHRASE_WORDS_MAX;
			     w = strtok_r(NULL, " ", &save))
				ph->words[ph->nwords++] = w;
		}
	}
	return n;
}

static int compare_ids(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void score_item(const int64_t *ids, size_t n, double *scores, int64_t id, double length, double avg_length,
		       const struct phrase *phrases, int nphrases, const struct occurrences *terms, int nterms)
{
	const int64_t *at = bsearch(&id, ids, n, sizeof(*ids), compare_ids);
	if (!at)
		return;
	double score = 0;
	for (int i = 0; i < nphrases; i++) {
		double tf = weighted_count(&phrases[i], terms, nterms);
		if (tf > 0)
			score += bm25_term(phrases[i].idf, tf, length, avg_length);
	}
	scores[at - ids] = score;
}

bool bm25_postgres(struct db *db, struct arena *a, const struct search_query *p, const int64_t *ids, size_t n,
		   double *scores)
{
	for (size_t i = 0; i < n; i++)
		scores[i] = 0;
	struct phrase phrases[SEARCH_GROUPS_MAX * SEARCH_LANGUAGES];
	int nphrases = query_phrases(a, p, phrases, SEARCH_GROUPS_MAX * SEARCH_LANGUAGES);
	double docs, avg_length;
	if (!n || !nphrases)
		return true;
	if (!index_size(db, &docs, &avg_length))
		return false;
	/* The lexemes of the phrases, as a text[] literal, each quoted (an
	 * unquoted null is NULL): terms are letters, digits and marks
	 * (search/analyze.h). */
	struct buf lexemes = {0};
	buf_putc(&lexemes, '{');
	for (int i = 0; i < nphrases; i++) {
		for (int w = 0; w < phrases[i].nwords; w++)
			buf_printf(&lexemes, "%s\"%s\"", lexemes.len > 1 ? "," : "", phrases[i].words[w]);
		if (!bm25_idf_of(db, phrases[i].text, &phrases[i].idf, NULL)) {
			buf_free(&lexemes);
			return false;
		}
	}
	buf_putc(&lexemes, '}');
	struct db_stmt *st = db_query_in(db,
		"SELECT d.item_id, d.length, u.lexeme, u.positions, u.weights FROM search_docs d"
		" CROSS JOIN LATERAL unnest(d.terms) u WHERE u.lexeme = ANY (CAST(? AS TEXT[])) AND d.item_id IN ",
		" ORDER BY d.item_id", DB_ARGS(db_text(lexemes.data)), ids, n);
	buf_free(&lexemes);
	/* Rows come item by item: score each when the next begins. */
	int64_t current = 0;
	double length = 0;
	int nterms = 0, rc;
	struct occurrences terms[SEARCH_GROUPS_MAX * PHRASE_WORDS_MAX];
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_int_col(st, 0);
		if (id != current) {
			if (current)
				score_item(ids, n, scores, current, length, avg_length, phrases, nphrases, terms, nterms);
			current = id;
			length = (double)db_int_col(st, 1);
			nterms = 0;
		}
		if (nterms == (int)(sizeof(terms) / sizeof(terms[0])))
			continue;
		struct occurrences *o = &terms[nterms++];
		o->lexeme = arena_strdup(a, db_text_col(st, 2));
		occurrences_read(a, o, db_text_col(st, 3), db_text_col(st, 4));
	}
	if (current)
		score_item(ids, n, scores, current, length, avg_length, phrases, nphrases, terms, nterms);
	db_done(st);
	return rc == DB_DONE;
}
