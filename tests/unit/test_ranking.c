/* Unit tests of search/bm25 and search/top: the formula gives FTS5's own
 * bm25() values, an item's terms are weighed by field, a whole build keeps
 * each term's best items, an item leaves the lists of the terms it had, and
 * kring_bm25 scores as bm25() does and finds the same best rows; profiles
 * found by name come first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "db/db.h"
#include "db/migrate.h"
#include "core/arena.h"
#include "search/backend.h"
#include "search/bm25.h"
#include "search/query.h"
#include "search/top.h"
#include "support.h"

static int setup(void **state)
{
	if (db_fixture_setup(state) != 0)
		return -1;
	return migrate_apply(DB, false) < 0 ? -1 : 0;
}

static struct buf text(const char *s)
{
	struct buf b = {0};
	buf_puts(&b, s);
	return b;
}

/* ---- bm25 ------------------------------------------------------------------------ */

/* Rows of the index's shape, with their terms per field. */
static const char *const rows[][3] = {
	{"fika med tema", "fika", "vi bjuder in till fika varje fredag"},
	{"workshop om fika", "workshop", "en workshop"},
	{"lean coffee", "metod", "fika fika fika och mer fika om lean coffee och annat som tar tid att lära sig"},
	{"standup", "metod", "korta moten varje dag"},
	{"fika", "", ""},
};
enum { NROWS = sizeof rows / sizeof *rows };

static int count_in(const char *field, const char *term)
{
	int n = 0;
	char *copy = strdup(field), *save = NULL;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		n += strcmp(w, term) == 0;
	free(copy);
	return n;
}

static int length_of(int row)
{
	int n = 0;
	for (int f = 0; f < 3; f++) {
		char *copy = strdup(rows[row][f]), *save = NULL;
		for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
			n++;
		free(copy);
	}
	return n;
}

/* The search index's FTS5 table scores each row with bm25(10, 4, 1); the
 * formula computed from the counts gives the very same doubles. */
static void test_bm25_is_fts5s(void **state)
{
	for (int r = 0; r < NROWS; r++)
		assert_int_equal(db_exec(DB, "INSERT INTO search_terms (rowid, title, tags, body) VALUES (?, ?, ?, ?)",
					 DB_ARGS(db_int(r + 1), db_text(rows[r][0]), db_text(rows[r][1]), db_text(rows[r][2]))),
				 1);
	double total = 0;
	for (int r = 0; r < NROWS; r++)
		total += length_of(r);
	static const char *const terms[] = {"fika", "workshop", "metod", "lean"};
	for (size_t t = 0; t < sizeof terms / sizeof *terms; t++) {
		int matching = 0;
		for (int r = 0; r < NROWS; r++)
			matching += count_in(rows[r][0], terms[t]) + count_in(rows[r][1], terms[t]) +
					    count_in(rows[r][2], terms[t]) > 0;
		double idf = bm25_idf(NROWS, matching);
		char match[64];
		snprintf(match, sizeof match, "\"%s\"", terms[t]);
		struct db_stmt *st = db_query(DB, "SELECT rowid, -rank FROM search_terms WHERE search_terms MATCH ?",
					      DB_ARGS(db_text(match)));
		int seen = 0;
		while (db_step(st) == DB_ROW) {
			int r = (int)db_int_col(st, 0) - 1;
			double tf = 10.0 * count_in(rows[r][0], terms[t]) + 4.0 * count_in(rows[r][1], terms[t]) +
				    count_in(rows[r][2], terms[t]);
			double want = bm25_term(idf, tf, length_of(r), total / NROWS);
			if (db_double_col(st, 1) != want)
				fail_msg("%s in row %d: FTS5 %.17g, formula %.17g", terms[t], r + 1, db_double_col(st, 1), want);
			seen++;
		}
		db_done(st);
		assert_int_equal(seen, matching);
	}
	/* a term in most rows still counts a little */
	assert_true(bm25_idf(5, 4) == 1e-6);
	assert_true(bm25_idf(100, 1) > bm25_idf(100, 10));
}

/* ---- kring_bm25 --------------------------------------------------------------------- */

/* Rows of words from a small vocabulary, of many lengths, some words in
 * the title or the tags: many scores, some of them equal. */
static void fill_index(void **state, int nrows)
{
	static const char *const words[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"};
	unsigned seed = 7;
	for (int r = 1; r <= nrows; r++) {
		struct buf field[3] = {{0}};
		static const int most[3] = {4, 2, 60};
		for (int f = 0; f < 3; f++) {
			seed = seed * 1103515245u + 12345u;
			int n = (int)((seed >> 16) % (unsigned)(most[f] + 1));
			for (int w = 0; w < n; w++) {
				seed = seed * 1103515245u + 12345u;
				buf_printf(&field[f], "%s%s", w ? " " : "", words[(seed >> 16) % 8]);
			}
		}
		assert_int_equal(db_exec(DB, "INSERT INTO search_terms (rowid, title, tags, body) VALUES (?, ?, ?, ?)",
					 DB_ARGS(db_int(r), db_text(field[0].data ? field[0].data : ""),
						 db_text(field[1].data ? field[1].data : ""),
						 db_text(field[2].data ? field[2].data : ""))),
				 1);
		for (int f = 0; f < 3; f++)
			buf_free(&field[f]);
	}
}

static const char *const matches[] = {
	"\"alpha\"", "\"beta\" AND \"gamma\"", "(\"alpha\" OR \"delta\") AND (\"zeta\")",
	"\"eta theta\"", "(\"beta gamma\" OR \"gamma beta\")", "\"alpha\" NOT \"beta\"",
};

/* How many rows hold each phrase of the match, as kring_bm25 takes them. */
static void counts_of(void **state, const char *match, struct buf *counts)
{
	buf_reset(counts);
	for (const char *s = strchr(match, '"'); s; s = strchr(s, '"')) {
		const char *end = strchr(s + 1, '"');
		char phrase[64];
		snprintf(phrase, sizeof phrase, "%.*s", (int)(end - s + 1), s);
		buf_printf(counts, "%s%lld", counts->len ? " " : "",
			   (long long)db_scalar_int(DB, -1, "SELECT COUNT(*) FROM search_terms WHERE search_terms MATCH ?",
						    DB_ARGS(db_text(phrase))));
		s = end + 1;
	}
}

/* Every row scores as bm25(10, 4, 1) scores it, to the double, whether
 * the counts are given or counted. */
static void test_kring_bm25_is_bm25(void **state)
{
	fill_index(state, 400);
	struct buf counts = {0};
	for (size_t m = 0; m < sizeof matches / sizeof *matches; m++) {
		counts_of(state, matches[m], &counts);
		for (int given = 0; given < 2; given++) {
			struct db_stmt *st = db_query(DB, "SELECT rowid, bm25(search_terms, 10.0, 4.0, 1.0),"
							  " kring_bm25(search_terms, ?, 0, 10.0, 4.0, 1.0) FROM search_terms"
							  " WHERE search_terms MATCH ?",
						      DB_ARGS(db_text(given ? counts.data : "-"), db_text(matches[m])));
			int seen = 0;
			while (db_step(st) == DB_ROW) {
				if (db_double_col(st, 1) != db_double_col(st, 2))
					fail_msg("%s, row %lld: bm25 %.17g, kring_bm25 %.17g", matches[m],
						 (long long)db_int_col(st, 0), db_double_col(st, 1), db_double_col(st, 2));
				seen++;
			}
			db_done(st);
			assert_true(seen > 0);
		}
	}
	buf_free(&counts);
}

/* Asked for the best few, it finds the rows ORDER BY rank finds, with
 * their scores, and leaves out rows without reading their lengths. */
static void test_kring_bm25_best(void **state)
{
	fill_index(state, 400);
	struct buf counts = {0};
	for (size_t m = 0; m < sizeof matches / sizeof *matches; m++) {
		counts_of(state, matches[m], &counts);
		for (int best = 1; best <= 64; best *= 4) {
			struct db_stmt *want = db_query(DB, "SELECT rowid, 1.0 - rank FROM search_terms WHERE search_terms MATCH ?"
							    " ORDER BY rank LIMIT ?",
							DB_ARGS(db_text(matches[m]), db_int(best)));
			struct db_stmt *got = db_query(DB, "SELECT rowid AS id, 1.0 - kring_bm25(search_terms, ?, ?, 10.0, 4.0, 1.0)"
							   " AS rel FROM search_terms WHERE search_terms MATCH ?"
							   " ORDER BY rel DESC, id LIMIT ?",
						       DB_ARGS(db_text(counts.data), db_int(best), db_text(matches[m]), db_int(best)));
			int rw, rg;
			while ((rw = db_step(want)) == DB_ROW && (rg = db_step(got)) == DB_ROW) {
				if (db_int_col(want, 0) != db_int_col(got, 0) || db_double_col(want, 1) != db_double_col(got, 1))
					fail_msg("%s, best %d: rank gives row %lld (%.17g), kring_bm25 row %lld (%.17g)",
						 matches[m], best, (long long)db_int_col(want, 0), db_double_col(want, 1),
						 (long long)db_int_col(got, 0), db_double_col(got, 1));
			}
			assert_int_equal(rw, DB_DONE);
			assert_int_equal(db_step(got), DB_DONE);
			db_done(want);
			db_done(got);
		}
	}
	/* of the rows of alpha, most cannot be among the best 4 */
	counts_of(state, "\"alpha\"", &counts);
	int64_t left_out = db_scalar_int(DB, -1, "SELECT COUNT(*) FROM (SELECT kring_bm25(search_terms, ?, 4, 10.0, 4.0, 1.0)"
						 " AS s FROM search_terms WHERE search_terms MATCH '\"alpha\"') WHERE s >= 1e300",
					 DB_ARGS(db_text(counts.data)));
	int64_t all = db_scalar_int(DB, -1, "SELECT COUNT(*) FROM search_terms WHERE search_terms MATCH '\"alpha\"'", DB_NOARGS);
	assert_true(left_out > all / 2);
	buf_free(&counts);
}

/* The backend's best items of a parsed query (its phrases' counts in the
 * order of its match) are those of ORDER BY rank, in that order. */
static void test_items_best_is_rank_order(void **state)
{
	fill_index(state, 400);
	bm25_forget();
	static const char *const queries[] = {"alpha", "beta gamma", "\"eta theta\" zeta", "alpha -beta"};
	for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
		struct arena a = {0};
		struct search_query p = {0};
		query_parse(&a, queries[q], &p);
		const char *match = query_terms_match(&a, &p, search_fts5.syntax);
		struct db_stmt *want = db_query(DB, "SELECT rowid, 1.0 - rank FROM search_terms WHERE search_terms MATCH ?"
						    " ORDER BY rank LIMIT 10", DB_ARGS(db_text(match)));
		struct db_stmt *got = search_fts5.items_best(DB, &a, &p, match, 10);
		int rw, n = 0;
		while ((rw = db_step(want)) == DB_ROW) {
			assert_int_equal(db_step(got), DB_ROW);
			assert_int_equal(db_int_col(got, 0), db_int_col(want, 0));
			assert_true(db_double_col(got, 1) == db_double_col(want, 1));
			n++;
		}
		assert_int_equal(rw, DB_DONE);
		assert_int_equal(db_step(got), DB_DONE);
		assert_int_equal(n, 10);
		db_done(want);
		db_done(got);
		buf_free(&p.rest);
		arena_reset(&a);
	}
}

/* Profiles whose name has the words come first, then those that have
 * them elsewhere, each in id order, at most the limit. */
static void test_whole_words_name_first(void **state)
{
	for (int id = 1; id <= 40; id++)
		assert_int_equal(db_exec(DB, "INSERT INTO search_people (rowid, name, profile) VALUES (?, ?, ?)",
					 DB_ARGS(db_int(id), db_text(id % 7 == 0 ? "fika person" : "person"),
						 db_text(id % 3 == 0 ? "fika" : "standup"))),
				 1);
	struct arena a = {0};
	for (size_t limit = 3; limit <= 30; limit += 9) {
		struct db_stmt *st = search_fts5.whole_words(DB, &a, SEARCH_PEOPLE, "(\"fika\")", 3, 2, limit);
		size_t n = 0;
		int64_t last = 0, last_match = 3;
		while (db_step(st) == DB_ROW) {
			int64_t id = db_int_col(st, 0), match = db_int_col(st, 1);
			assert_int_equal(match, id % 7 == 0 ? 3 : 2);
			assert_true(id % 7 == 0 || id % 3 == 0);
			assert_true(match < last_match || id > last);
			assert_true(match <= last_match);
			last = id;
			last_match = match;
			n++;
		}
		db_done(st);
		/* 5 names (7, 14, … 35) and 12 others (3, 6, … 39 but 21) */
		assert_int_equal(n, limit < 17 ? limit : 17);
	}
	arena_reset(&a);
}

/* ---- top -------------------------------------------------------------------------- */

static void test_item_terms_are_weighed_by_field(void **state)
{
	(void)state;
	struct buf title = text("fika med fika"), tags = text("fika metod"), body = text("fika och  kaka ");
	struct top_item it;
	top_item_read(&it, &title, &tags, &body);
	assert_true(it.length == 8);
	assert_int_equal(it.nterms, 5);
	static const struct {
		const char *term;
		double tf;
	} want[] = {{"fika", 10 + 10 + 4 + 1}, {"kaka", 1}, {"med", 10}, {"metod", 4}, {"och", 1}};
	for (size_t i = 0; i < it.nterms; i++) {
		assert_string_equal(it.terms[i].term, want[i].term);
		assert_true(it.terms[i].tf == want[i].tf);
	}
	top_item_free(&it);
	buf_free(&title);
	buf_free(&tags);
	buf_free(&body);
	struct buf empty = {0};
	top_item_read(&it, &empty, &empty, &empty);
	assert_int_equal(it.nterms, 0);
	top_item_free(&it);
}

/* Item i has "fika" (i % 37 + 1) times in a body of 40 terms: its entry
 * grows with the count. */
static void add_item(struct top_build *b, int64_t id, int times)
{
	struct buf title = text("titel"), tags = {0}, body = {0};
	for (int k = 0; k < 40; k++)
		buf_puts(&body, k < times ? "fika " : "ord ");
	struct top_item it;
	top_item_read(&it, &title, &tags, &body);
	top_build_add(b, id, &it);
	top_item_free(&it);
	buf_free(&title);
	buf_free(&body);
}

static void test_build_keeps_each_terms_best(void **state)
{
	enum { ITEMS = TOP_PER_TERM + 150 };
	assert_true(top_ready(DB)); /* no row: nothing counted, ready */
	struct top_build *b = top_build_new(DB, true);
	for (int64_t id = 1; id <= ITEMS; id++)
		add_item(b, id, (int)(id % 37) + 1);
	assert_true(top_build_store(b));
	top_build_free(b);

	int64_t *ids = malloc(ITEMS * sizeof(*ids));
	double *parts = malloc(ITEMS * sizeof(*parts));
	long n = top_read(DB, "fika", ITEMS, ids, parts);
	assert_int_equal(n, TOP_PER_TERM);
	/* best first; the 150 left out have the fewest "fika" */
	int least_kept = 99;
	for (long i = 0; i < n; i++) {
		if (i)
			assert_true(parts[i] <= parts[i - 1]);
		int times = (int)(ids[i] % 37) + 1;
		least_kept = times < least_kept ? times : least_kept;
	}
	int left_out_more = 0;
	for (int64_t id = 1; id <= ITEMS; id++) {
		bool kept = false;
		for (long i = 0; i < n && !kept; i++)
			kept = ids[i] == id;
		if (!kept && (int)(id % 37) + 1 > least_kept)
			left_out_more++;
	}
	assert_int_equal(left_out_more, 0);
	/* every item is in the title term's list, which is short */
	assert_int_equal(top_read(DB, "titel", ITEMS, ids, parts), TOP_PER_TERM);
	assert_int_equal(top_read(DB, "saknas", ITEMS, ids, parts), 0);
	assert_int_equal(db_scalar_int(DB, -1, "SELECT items FROM search_top_average", DB_NOARGS), ITEMS);

	/* an item leaves the lists of the terms it had, and comes back with
	 * what it has now */
	long before = top_read(DB, "fika", ITEMS, ids, parts);
	int64_t best = ids[0];
	assert_true(top_remove(DB, best, "titel fika ord"));
	assert_int_equal(top_read(DB, "fika", ITEMS, ids, parts), before - 1);
	for (long i = 0; i < before - 1; i++)
		assert_true(ids[i] != best);
	struct buf title = text("titel kaka"), none = {0};
	struct top_item it;
	top_item_read(&it, &title, &none, &none);
	assert_true(top_add(DB, best, &it));
	top_item_free(&it);
	buf_free(&title);
	assert_int_equal(top_read(DB, "kaka", ITEMS, ids, parts), 1);
	assert_int_equal(ids[0], best);
	assert_int_equal(db_scalar_int(DB, -1, "SELECT items FROM search_top_average", DB_NOARGS), ITEMS + 1);
	free(ids);
	free(parts);
}

/* A database indexed before the lists: not ready, and adding items does
 * not make it so; only a whole build does. */
static void test_lists_not_built(void **state)
{
	assert_int_equal(db_exec(DB, "INSERT INTO search_top_average (id, items, terms) VALUES (1, -1, 0)", DB_NOARGS), 1);
	assert_false(top_ready(DB));
	struct buf title = text("fika"), none = {0};
	struct top_item it;
	top_item_read(&it, &title, &none, &none);
	assert_true(top_add(DB, 7, &it));
	assert_false(top_ready(DB));
	/* a whole build starts from empty lists (search_reindex) */
	assert_true(db_exec(DB, "DELETE FROM search_top", DB_NOARGS) >= 0);
	struct top_build *b = top_build_new(DB, true);
	top_build_add(b, 7, &it);
	assert_true(top_build_store(b));
	top_build_free(b);
	top_item_free(&it);
	buf_free(&title);
	assert_true(top_ready(DB));
	assert_int_equal(db_scalar_int(DB, -1, "SELECT items FROM search_top_average", DB_NOARGS), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bm25_is_fts5s, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_kring_bm25_is_bm25, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_kring_bm25_best, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_items_best_is_rank_order, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_whole_words_name_first, setup, db_fixture_teardown),
		cmocka_unit_test(test_item_terms_are_weighed_by_field),
		cmocka_unit_test_setup_teardown(test_build_keeps_each_terms_best, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lists_not_built, setup, db_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
