/* Unit tests of search/bm25 and search/top: the formula gives FTS5's own
 * bm25() values, an item's terms are weighed by field, a whole build keeps
 * each term's best items, and an item leaves the lists of the terms it had. */
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
#include "search/bm25.h"
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
		cmocka_unit_test(test_item_terms_are_weighed_by_field),
		cmocka_unit_test_setup_teardown(test_build_keeps_each_terms_best, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lists_not_built, setup, db_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
