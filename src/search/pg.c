/* pg: the search index on PostgreSQL, in tsvector columns (see backend.h
 * and migrations/postgres/0010_search.sql, 0014_search_people.sql). Each
 * part is one table: terms (a tsvector: the title weighed A, tags B, the
 * body D), words (the long words, matched inside with LIKE). Matches rank
 * by ts_rank first; the best are ranked again by BM25 as FTS5 ranks them
 * on SQLite, from the positions and weights of their tsvectors, so that
 * both backends rank alike (search/bm25.h). ts_rank, which weighs how
 * often the words occur against the item's length as BM25 does, chooses
 * nearly the items BM25 would (446 of the best 500 of three words on the
 * large benchmark set, where ts_rank_cd, which weighs how near they are to
 * each other, chose 242), at a quarter of the cost.
 *
 * Vectors and queries are written here as tsvector and tsquery literals of
 * kring's own terms (search/analyze.h) and cast, never made by to_tsvector
 * or to_tsquery: PostgreSQL's parser would split and lower-case the terms
 * again by the database's locale (a virama of Javanese or Sharada is a
 * separator to it, Cherokee has another lower case), so that the index
 * would hold other terms than FTS5 holds and than the queries look for. */
#include "core/mem.h"
#include "search/backend.h"

#include "search/bm25.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PHRASE_WORDS_MAX 32

static const struct {
	const char *table, *id;
} tables[] = {
	[SEARCH_ITEMS] = {"search_docs", "item_id"},
	[SEARCH_PEOPLE] = {"search_people", "user_id"},
	[SEARCH_ORGS] = {"search_orgs", "org_id"},
};

/* s[0..n) between quote characters, each quote and escape in it escaped. */
static void put_quoted(struct buf *b, const char *s, size_t n, char quote, char escape)
{
	buf_putc(b, quote);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == quote || s[i] == escape)
			buf_putc(b, escape);
		buf_putc(b, s[i]);
	}
	buf_putc(b, quote);
}

/* A lexeme of a tsvector or tsquery literal: quoted, so that PostgreSQL
 * takes it whole whatever it holds. */
static void put_lexeme(struct buf *b, const char *s, size_t n)
{
	put_quoted(b, s, n, '\'', '\\');
}

/* A tsquery phrase: each term a quoted lexeme ('a' <-> 'b'), so that no
 * character of a term is read as an operator. */
static void pg_phrase(struct buf *b, const char *terms)
{
	buf_putc(b, '(');
	char *copy = xstrdup(terms), *save = NULL;
	bool first = true;
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (!first)
			buf_puts(b, " <-> ");
		put_lexeme(b, t, strlen(t));
		first = false;
	}
	free(copy);
	buf_putc(b, ')');
}

static const struct search_syntax pg_syntax = {
	.and = " & ", .and_not = " & !", .or = " | ", .phrase = pg_phrase,
};

static const char *text_of(const struct buf *b)
{
	return b->data ? b->data : "";
}

/* Appends a field's terms (space-separated) to a tsvector literal, each
 * at the next position (*position counts them, from 1) with the field's
 * weight ("" for D): 'term':1A 'other':2A … PostgreSQL merges a lexeme's
 * positions, and keeps the positions past its last one (16383) at it, as
 * to_tsvector did. */
static void put_terms(struct buf *vector, const char *terms, const char *weight, int64_t *position)
{
	for (const char *t = terms; *t;) {
		size_t len = strcspn(t, " ");
		if (len) {
			if (vector->len)
				buf_putc(vector, ' ');
			put_lexeme(vector, t, len);
			buf_printf(vector, ":%lld%s", (long long)++*position, weight);
		}
		t += len + (t[len] == ' ');
	}
}

static bool delete_row(struct db *db, enum search_table t, int64_t id)
{
	char sql[96];
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s = ?", tables[t].table, tables[t].id);
	return db_exec(db, sql, DB_ARGS(db_int(id))) >= 0;
}

static bool item_store(struct db *db, int64_t id, const struct search_doc *d, bool live)
{
	if (!live)
		return delete_row(db, SEARCH_ITEMS, id);
	/* length: the terms of the three fields, as FTS5 counts them */
	struct buf terms = {0};
	int64_t length = 0;
	put_terms(&terms, text_of(&d->title), "A", &length);
	put_terms(&terms, text_of(&d->tags), "B", &length);
	put_terms(&terms, text_of(&d->body), "", &length);
	bool ok = db_exec(db, "INSERT INTO search_docs (item_id, terms, words, length) VALUES (?, CAST(? AS tsvector), ?, ?)"
			      " ON CONFLICT (item_id) DO UPDATE SET terms = excluded.terms, words = excluded.words,"
			      " length = excluded.length",
			  DB_ARGS(db_int(id), db_text(text_of(&terms)), db_text(text_of(&d->words)), db_int(length))) == 1;
	buf_free(&terms);
	return ok;
}

static char *item_terms(struct db *db, int64_t id)
{
	struct db_stmt *st = db_query(db, "SELECT array_to_string(tsvector_to_array(terms), ' ') FROM search_docs"
					  " WHERE item_id = ?", DB_ARGS(db_int(id)));
	char *terms = db_step(st) == DB_ROW && db_text_col(st, 0) ? xstrdup(db_text_col(st, 0)) : NULL;
	db_done(st);
	return terms;
}

static bool profile_store(struct db *db, enum search_table t, int64_t id, const char *name, const char *rest,
			  const char *words, bool live)
{
	if (!live)
		return delete_row(db, t, id);
	/* name_terms: the name's terms; terms: the name's, then the rest's */
	struct buf in_name = {0}, all = {0};
	int64_t name_positions = 0, positions = 0;
	put_terms(&in_name, name, "", &name_positions);
	put_terms(&all, name, "", &positions);
	put_terms(&all, rest, "", &positions);
	/* An upsert: two searches catching up on the same member at once
	 * both write the row rather than one failing. */
	struct buf sql = {0};
	buf_printf(&sql, "INSERT INTO %s (%s, name_terms, terms, words) VALUES (?, CAST(? AS tsvector),"
			 " CAST(? AS tsvector), ?) ON CONFLICT (%s) DO UPDATE SET"
			 " name_terms = excluded.name_terms, terms = excluded.terms, words = excluded.words",
		   tables[t].table, tables[t].id, tables[t].id);
	bool ok = db_exec(db, sql.data, DB_ARGS(db_int(id), db_text(text_of(&in_name)), db_text(text_of(&all)),
						db_text(words))) == 1;
	buf_free(&sql);
	buf_free(&in_name);
	buf_free(&all);
	return ok;
}

static bool clear(struct db *db, enum search_table t)
{
	char sql[64];
	snprintf(sql, sizeof(sql), "DELETE FROM %s", tables[t].table);
	return db_exec(db, sql, DB_NOARGS) >= 0;
}

static bool items_size(struct db *db, int64_t *docs, int64_t *terms)
{
	struct db_stmt *st = db_query(db, "SELECT COUNT(*), COALESCE(SUM(length), 0) FROM search_docs", DB_NOARGS);
	bool ok = db_step(st) == DB_ROW;
	*docs = ok ? db_int_col(st, 0) : 0;
	*terms = ok ? db_int_col(st, 1) : 0;
	db_done(st);
	return ok;
}

static int64_t items_matching(struct db *db, const char *match)
{
	return db_scalar_int(db, -1, "SELECT COUNT(*) FROM search_docs WHERE terms @@ CAST(? AS tsquery)", DB_ARGS(db_text(match)));
}

/* Binds what ranks (ranking_match) and the match. */
#define ITEMS_MATCHES \
	"SELECT d.item_id AS id, CAST(1.0 + 10.0 * ts_rank('{0.1, 0.0, 0.4, 1.0}', d.terms," \
	" CAST(? AS tsquery), 1) AS DOUBLE PRECISION) AS rel FROM search_docs d" \
	" WHERE d.terms @@ CAST(? AS tsquery)"

/* What the matches are ranked by: the query's positive groups. With the
 * words it leaves out, ts_rank gives every item next to nothing ("workshop
 * -buddy" 3e-21), and the items chosen are as good as any. */
static const char *ranking_match(struct arena *a, const struct search_query *p, const char *match)
{
	if (p->npositive == p->ngroups)
		return match;
	struct search_query positive = {0};
	for (int i = 0; i < p->ngroups; i++)
		if (!p->groups[i].negated)
			positive.groups[positive.ngroups++] = p->groups[i];
	positive.npositive = positive.ngroups;
	return query_terms_match(a, &positive, &pg_syntax);
}

static struct db_stmt *items_best(struct db *db, struct arena *a, const struct search_query *p, const char *match,
				  size_t limit)
{
	return db_query(db, arena_printf(a, ITEMS_MATCHES " ORDER BY 2 DESC LIMIT %zu", limit),
			DB_ARGS(db_text(ranking_match(a, p, match)), db_text(match)));
}

static struct search_join items_matches(struct arena *a, const struct search_query *p, const char *match)
{
	return (struct search_join){ITEMS_MATCHES, {db_text(ranking_match(a, p, match)), db_text(match)}, 2};
}

static struct search_join items_prefix(struct arena *a, const char *before, const char *prefix)
{
	struct buf b = {0};
	if (before)
		buf_printf(&b, "%s & ", before);
	put_lexeme(&b, prefix, strlen(prefix));
	buf_puts(&b, ":*A");
	const char *match = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return (struct search_join){"SELECT item_id AS id, CAST(1000000 * ts_rank_cd(terms, CAST(? AS tsquery))"
				    " AS BIGINT) AS rank FROM search_docs WHERE terms @@ CAST(? AS tsquery)",
				    {db_text(match), db_text(match)}, 2};
}

static struct db_stmt *whole_words(struct db *db, struct arena *a, enum search_table t, const char *match, int in_name,
				   int elsewhere, size_t limit)
{
	const char *sql = arena_printf(a, "SELECT %s, CASE WHEN name_terms @@ CAST(? AS tsquery) THEN %d ELSE %d END"
					  " FROM %s WHERE terms @@ CAST(? AS tsquery) ORDER BY 2 DESC LIMIT %zu",
				       tables[t].id, in_name, elsewhere, tables[t].table, limit);
	return db_query(db, sql, DB_ARGS(db_text(match), db_text(match)));
}

/* Each positive word inside the row's long words, by LIKE, its wildcards
 * and escape escaped. */
static struct db_stmt *parts(struct db *db, struct arena *a, enum search_table t, const struct search_query *p,
			     size_t limit)
{
	const char *negated = query_negated_match(a, p, &pg_syntax);
	struct db_value args[SEARCH_GROUPS_MAX + 1];
	size_t nargs = 0;
	struct buf sql = {0}, like = {0};
	buf_printf(&sql, "SELECT %s FROM %s WHERE true", tables[t].id, tables[t].table);
	for (int i = 0; i < p->ngroups; i++)
		if (!p->groups[i].negated) {
			buf_puts(&sql, " AND words LIKE ?");
			buf_reset(&like);
			buf_putc(&like, '%');
			for (const char *s = p->groups[i].words; *s; s++) {
				if (*s == '%' || *s == '_' || *s == '\\')
					buf_putc(&like, '\\');
				buf_putc(&like, *s);
			}
			buf_putc(&like, '%');
			args[nargs++] = db_text(arena_strndup(a, like.data, like.len));
		}
	if (negated) {
		buf_puts(&sql, " AND NOT terms @@ CAST(? AS tsquery)");
		args[nargs++] = db_text(negated);
	}
	buf_printf(&sql, " LIMIT %zu", limit);
	struct db_stmt *st = db_query(db, sql.data, args, nargs);
	buf_free(&sql);
	buf_free(&like);
	return st;
}

/* ---- BM25 from the tsvector ---------------------------------------------------- */

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

static bool items_rescore(struct db *db, struct arena *a, const struct search_query *p, const int64_t *ids, size_t n,
			  double *scores)
{
	for (size_t i = 0; i < n; i++)
		scores[i] = 0;
	struct phrase phrases[SEARCH_GROUPS_MAX * SEARCH_LANGUAGES];
	int nphrases = query_phrases(a, p, phrases, SEARCH_GROUPS_MAX * SEARCH_LANGUAGES);
	double docs, avg_length;
	if (!n || !nphrases)
		return true;
	if (!bm25_index_size(db, &docs, &avg_length))
		return false;
	/* The lexemes of the phrases, as a text[] literal, each quoted (an
	 * unquoted null is NULL). */
	struct buf lexemes = {0};
	buf_putc(&lexemes, '{');
	for (int i = 0; i < nphrases; i++) {
		for (int w = 0; w < phrases[i].nwords; w++) {
			if (lexemes.len > 1)
				buf_putc(&lexemes, ',');
			put_quoted(&lexemes, phrases[i].words[w], strlen(phrases[i].words[w]), '"', '\\');
		}
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

const struct search_backend search_pg = {
	.syntax = &pg_syntax,
	.item_store = item_store,
	.item_terms = item_terms,
	.profile_store = profile_store,
	.clear = clear,
	.items_size = items_size,
	.items_matching = items_matching,
	.items_best = items_best,
	.items_matches = items_matches,
	.items_rescore = items_rescore,
	.items_prefix = items_prefix,
	.whole_words = whole_words,
	.parts = parts,
};
