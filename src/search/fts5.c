/* fts5: the search index on SQLite, in FTS5 tables (see backend.h and
 * migrations/sqlite/0010_search.sql, 0014_search_people.sql). Each part
 * has a table of terms ranked by FTS5's bm25() and a trigram table of long
 * words; rowid is the item's, member's or organisation's id. */
#include "core/mem.h"
#include "search/backend.h"
#include "search/bm25.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each part's tables: terms (ascii tokenizer), words (trigram). */
static const struct {
	const char *terms, *words;
} tables[] = {
	[SEARCH_ITEMS] = {"search_terms", "search_words"},
	[SEARCH_PEOPLE] = {"search_people", "search_people_words"},
	[SEARCH_ORGS] = {"search_orgs", "search_orgs_words"},
};

/* The FTS5 quoting rule: a string in double quotes, each double quote in
 * it doubled, is one phrase of whatever tokens the table's tokenizer finds
 * in it; nothing inside (AND, OR, NOT, NEAR, *, ^, :, parentheses) is
 * syntax. Every term and word goes into a match this way, so a match
 * never fails to parse, whatever the analyzer lets into a term
 * (tests/unit/test_query.c runs hostile words through it). */
static void fts5_phrase(struct buf *b, const char *text)
{
	buf_putc(b, '"');
	for (const char *s = text; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static const struct search_syntax fts5_syntax = {
	.and = " AND ", .and_not = " NOT ", .or = " OR ", .phrase = fts5_phrase,
};

static const char *text_of(const struct buf *b)
{
	return b->data ? b->data : "";
}

/* Deletes row id from the part's tables. */
static bool delete_row(struct db *db, enum search_table t, int64_t id)
{
	char sql[96];
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE rowid = ?", tables[t].terms);
	if (db_exec(db, sql, DB_ARGS(db_int(id))) < 0)
		return false;
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE rowid = ?", tables[t].words);
	return db_exec(db, sql, DB_ARGS(db_int(id))) >= 0;
}

static bool insert_words(struct db *db, enum search_table t, int64_t id, const char *words)
{
	char sql[96];
	snprintf(sql, sizeof(sql), "INSERT INTO %s (rowid, words) VALUES (?, ?)", tables[t].words);
	return db_exec(db, sql, DB_ARGS(db_int(id), db_text(words))) == 1;
}

static bool item_store(struct db *db, int64_t id, const struct search_doc *d, bool live)
{
	if (!delete_row(db, SEARCH_ITEMS, id))
		return false;
	if (!live)
		return true;
	return db_exec(db, "INSERT INTO search_terms (rowid, title, tags, body) VALUES (?, ?, ?, ?)",
		       DB_ARGS(db_int(id), db_text(text_of(&d->title)), db_text(text_of(&d->tags)),
			       db_text(text_of(&d->body)))) == 1 &&
	       insert_words(db, SEARCH_ITEMS, id, text_of(&d->words));
}

static char *item_terms(struct db *db, int64_t id)
{
	struct db_stmt *st = db_query(db, "SELECT title || ' ' || tags || ' ' || body FROM search_terms WHERE rowid = ?",
				      DB_ARGS(db_int(id)));
	char *terms = db_step(st) == DB_ROW && db_text_col(st, 0) ? xstrdup(db_text_col(st, 0)) : NULL;
	db_done(st);
	return terms;
}

static bool profile_store(struct db *db, enum search_table t, int64_t id, const char *name, const char *rest,
			  const char *words, bool live)
{
	if (!delete_row(db, t, id))
		return false;
	if (!live)
		return true;
	char sql[96];
	snprintf(sql, sizeof(sql), "INSERT INTO %s (rowid, name, profile) VALUES (?, ?, ?)", tables[t].terms);
	return db_exec(db, sql, DB_ARGS(db_int(id), db_text(name), db_text(rest))) == 1 &&
	       insert_words(db, t, id, words);
}

static bool clear(struct db *db, enum search_table t)
{
	char sql[64];
	snprintf(sql, sizeof(sql), "DELETE FROM %s", tables[t].terms);
	if (db_exec(db, sql, DB_NOARGS) < 0)
		return false;
	snprintf(sql, sizeof(sql), "DELETE FROM %s", tables[t].words);
	return db_exec(db, sql, DB_NOARGS) >= 0;
}

/* FTS5 ranks by bm25() itself, and needs no lengths. */
static bool items_size(struct db *db, int64_t *docs, int64_t *terms)
{
	struct db_stmt *st = db_query(db, "SELECT COUNT(*) FROM search_terms_docsize", DB_NOARGS);
	bool ok = db_step(st) == DB_ROW;
	*docs = ok ? db_int_col(st, 0) : 0;
	*terms = 0;
	db_done(st);
	return ok;
}

static int64_t items_matching(struct db *db, const char *match)
{
	return db_scalar_int(db, -1, "SELECT COUNT(*) FROM search_terms WHERE search_terms MATCH ?", DB_ARGS(db_text(match)));
}

/* rank is bm25() with the weights the migration gave the table, negated. */
#define ITEMS_MATCHES "SELECT rowid AS id, 1.0 - rank AS rel FROM search_terms WHERE search_terms MATCH ?"

/* How many items hold each phrase of the match, in its order, for
 * kring_bm25 (search/fts5_rank.h): remembered by search/bm25.h, where
 * bm25() would count them in the index for every statement. A negated
 * phrase is in no item found, and scores nothing whatever its count; "-"
 * where a count cannot be read has it counted in the index. */
static const char *phrase_counts(struct db *db, struct arena *a, const struct search_query *p)
{
	const char *phrases[SEARCH_GROUPS_MAX * SEARCH_LANGUAGES];
	bool negated[SEARCH_GROUPS_MAX * SEARCH_LANGUAGES];
	size_t n = query_match_phrases(p, phrases, negated, SEARCH_GROUPS_MAX * SEARCH_LANGUAGES);
	struct buf b = {0};
	for (size_t i = 0; i < n; i++) {
		double matching = negated[i] ? 0 : bm25_matching(db, phrases[i]);
		if (matching >= 0)
			buf_printf(&b, "%s%.0f", i ? " " : "", matching);
		else
			buf_printf(&b, "%s-", i ? " " : "");
	}
	const char *counts = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return counts;
}

/* Scored by kring_bm25, which is bm25() with the counts of phrase_counts
 * that scores only what may be among the best, and sorted by the score,
 * not by rank: FTS5 sorts by rank in a statement
 * of its own and then finds each row it returns again in the index, which
 * costs a query of several words more than scoring every match does.
 * Equal scores in id order, as FTS5's sort keeps them. */
static struct db_stmt *items_best(struct db *db, struct arena *a, const struct search_query *p, const char *match,
				  size_t limit)
{
	return db_query(db, arena_printf(a, "SELECT rowid AS id, 1.0 - kring_bm25(search_terms, ?, %zu, 10.0, 4.0, 1.0) AS rel"
					    " FROM search_terms WHERE search_terms MATCH ? ORDER BY rel DESC, id LIMIT %zu",
					 limit, limit),
			DB_ARGS(db_text(phrase_counts(db, a, p)), db_text(match)));
}

static struct search_join items_matches(struct arena *a, const struct search_query *p, const char *match)
{
	(void)a;
	(void)p;
	return (struct search_join){ITEMS_MATCHES, {db_text(match)}, 1};
}

static struct search_join items_prefix(struct arena *a, const char *before, const char *prefix)
{
	struct buf b = {0};
	if (before)
		buf_printf(&b, "%s AND ", before);
	buf_puts(&b, "title : ");
	fts5_phrase(&b, prefix);
	buf_puts(&b, " *");
	const char *match = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return (struct search_join){"SELECT rowid AS id, -1000000 * rank AS rank FROM search_terms WHERE search_terms MATCH ?",
				    {db_text(match)}, 1};
}

/* The rows whose name matches, then the others, each in id order: what
 * ORDER BY the match value would give (its sort keeps equal rows in the
 * index's id order), without scoring and sorting every row that matches
 * when only the first `limit` are read. */
static struct db_stmt *whole_words(struct db *db, struct arena *a, enum search_table t, const char *match, int in_name,
				   int elsewhere, size_t limit)
{
	const char *terms = tables[t].terms;
	const char *sql = arena_printf(a, "SELECT * FROM (SELECT rowid, %d FROM %s WHERE %s MATCH ?1 ORDER BY rowid)"
					  " UNION ALL SELECT * FROM (SELECT rowid, %d FROM %s WHERE %s MATCH ?2 AND rowid NOT IN"
					  " (SELECT rowid FROM %s WHERE %s MATCH ?1) ORDER BY rowid) LIMIT %zu",
				       in_name, terms, terms, elsewhere, terms, terms, terms, terms, limit);
	return db_query(db, sql, DB_ARGS(db_text(arena_printf(a, "name : (%s)", match)), db_text(match)));
}

/* The trigram match of every positive word (folded, not stemmed) inside
 * longer words, each word quoted by the FTS5 rule. */
static const char *parts_match(struct arena *a, const struct search_query *p)
{
	struct buf b = {0};
	for (int i = 0; i < p->ngroups; i++)
		if (!p->groups[i].negated) {
			if (b.len)
				buf_puts(&b, " AND ");
			fts5_phrase(&b, p->groups[i].words);
		}
	const char *match = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return match;
}

static struct db_stmt *parts(struct db *db, struct arena *a, enum search_table t, const struct search_query *p,
			     size_t limit)
{
	const char *negated = query_negated_match(a, p, &fts5_syntax);
	struct buf sql = {0};
	buf_printf(&sql, "SELECT rowid FROM %s WHERE %s MATCH ?", tables[t].words, tables[t].words);
	if (negated)
		buf_printf(&sql, " AND rowid NOT IN (SELECT rowid FROM %s WHERE %s MATCH ?)", tables[t].terms,
			   tables[t].terms);
	buf_printf(&sql, " LIMIT %zu", limit);
	const struct db_value args[] = {db_text(parts_match(a, p)), db_text(negated)};
	struct db_stmt *st = db_query(db, sql.data, args, negated ? 2 : 1);
	buf_free(&sql);
	return st;
}

const struct search_backend search_fts5 = {
	.syntax = &fts5_syntax,
	.item_store = item_store,
	.item_terms = item_terms,
	.profile_store = profile_store,
	.clear = clear,
	.items_size = items_size,
	.items_matching = items_matching,
	.items_best = items_best,
	.items_matches = items_matches,
	.items_rescore = NULL,
	.items_prefix = items_prefix,
	.whole_words = whole_words,
	.parts = parts,
};
