/* Unit tests of search/query: words, "phrases", -words and the filters
 * typed in the box (tag:, org:, community:, kind:), quotes left open,
 * empty and hostile input, the limits on what is read; the match
 * expressions in each backend's syntax, and the quoting rules they rely
 * on, run with hostile words against a real FTS5 table and (with
 * KRING_TEST_PG) PostgreSQL's tsquery; the phrases of a match in the
 * order FTS5 numbers them; highlighting by each item's language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "search/backend.h"
#include "search/query.h"
#include "support.h"

static struct arena arena;

static struct search_query parse(const char *q)
{
	struct search_query p = {0};
	query_parse(&arena, q, &p);
	return p;
}

static const char *rest_of(struct search_query *p)
{
	const char *rest = arena_strndup(&arena, p->rest.data ? p->rest.data : "", p->rest.len);
	buf_free(&p->rest);
	return rest;
}

static int teardown(void **state)
{
	(void)state;
	arena_reset(&arena);
	return 0;
}

/* ---- parsing ------------------------------------------------------------------------ */

static void words_are_groups(void **state)
{
	(void)state;
	struct search_query p = parse("Fika  WORKSHOP\tstandup");
	assert_int_equal(p.ngroups, 3);
	assert_int_equal(p.npositive, 3);
	assert_string_equal(p.groups[0].words, "fika");
	assert_string_equal(p.groups[1].words, "workshop");
	assert_string_equal(p.groups[2].words, "standup");
	/* unstemmed analysis last; the English stemmer takes the plural off */
	assert_string_equal(p.groups[1].terms[SEARCH_LANGUAGES - 1], "workshop");
	struct search_query plural = parse("workshops");
	assert_string_equal(plural.groups[0].terms[0], "workshop");
	buf_free(&plural.rest);
	assert_false(p.groups[0].negated);
	assert_string_equal(rest_of(&p), "Fika WORKSHOP\tstandup");
}

static void phrases_keep_their_words_together(void **state)
{
	(void)state;
	struct search_query p = parse("\"lean coffee\" fika");
	assert_int_equal(p.ngroups, 2);
	assert_string_equal(p.groups[0].words, "lean coffee");
	assert_string_equal(p.groups[0].terms[SEARCH_LANGUAGES - 1], "lean coffee");
	assert_string_equal(p.groups[1].words, "fika");
	buf_free(&p.rest);
	/* an unclosed quote runs to the end; an empty one is nothing */
	p = parse("fika \"lean coffee");
	assert_int_equal(p.ngroups, 2);
	assert_string_equal(p.groups[1].words, "lean coffee");
	buf_free(&p.rest);
	p = parse("\"\" \"   \" fika");
	assert_int_equal(p.ngroups, 1);
	buf_free(&p.rest);
	/* a quote ends a word */
	p = parse("fika\"lean\"");
	assert_int_equal(p.ngroups, 2);
	assert_string_equal(p.groups[0].words, "fika");
	assert_string_equal(p.groups[1].words, "lean");
	buf_free(&p.rest);
}

static void minus_leaves_out(void **state)
{
	(void)state;
	struct search_query p = parse("fika -standup -\"lean coffee\"");
	assert_int_equal(p.ngroups, 3);
	assert_int_equal(p.npositive, 1);
	assert_true(p.groups[1].negated);
	assert_string_equal(p.groups[1].words, "standup");
	assert_true(p.groups[2].negated);
	assert_string_equal(p.groups[2].words, "lean coffee");
	buf_free(&p.rest);
	/* a lone "-" is nothing; a hyphen inside a word is not a negation */
	p = parse("- fika e-arkiv");
	assert_int_equal(p.ngroups, 2);
	assert_int_equal(p.npositive, 2);
	assert_string_equal(p.groups[1].words, "e arkiv");
	buf_free(&p.rest);
	/* only words to leave out: nothing to look for */
	p = parse("-fika");
	assert_int_equal(p.ngroups, 1);
	assert_int_equal(p.npositive, 0);
	buf_free(&p.rest);
}

static void filters_typed_in_the_box(void **state)
{
	(void)state;
	struct search_query p = parse("tag:onboarding fika org:acme community:lund kind:method");
	assert_string_equal(p.tag, "onboarding");
	assert_string_equal(p.org, "acme");
	assert_string_equal(p.community, "lund");
	assert_string_equal(p.kind, "method");
	assert_int_equal(p.ngroups, 1);
	assert_string_equal(p.groups[0].words, "fika");
	assert_string_equal(rest_of(&p), "fika");

	/* a key without a value, another key, or a negated filter are words */
	p = parse("tag: colour:red -tag:fika");
	assert_null(p.tag);
	assert_int_equal(p.ngroups, 3);
	assert_string_equal(p.groups[0].words, "tag");
	assert_string_equal(p.groups[1].words, "colour red");
	assert_true(p.groups[2].negated);
	assert_string_equal(p.groups[2].words, "tag fika");
	assert_string_equal(rest_of(&p), "tag: colour:red -tag:fika");

	/* the last of a key typed twice wins; inside quotes it is a phrase */
	p = parse("tag:a tag:b \"tag:c\"");
	assert_string_equal(p.tag, "b");
	assert_int_equal(p.ngroups, 1);
	assert_string_equal(p.groups[0].words, "tag c");
	buf_free(&p.rest);
}

static void empty_and_hostile_input(void **state)
{
	(void)state;
	static const char *const nothing[] = {"", " ", "\t\r\n", "-", "--", "- -", "\"", "\"\"", "-\"\"", "!!! ??? ...",
					      "* ^ : ( ) { } + / &&", "\xff\xfe\x80", "\xc3"};
	for (size_t i = 0; i < sizeof(nothing) / sizeof(nothing[0]); i++) {
		struct search_query p = parse(nothing[i]);
		assert_int_equal(p.ngroups, 0);
		assert_int_equal(p.npositive, 0);
		buf_free(&p.rest);
	}
	/* syntax of either backend is only separators to the analyzer */
	struct search_query p = parse("a\"b NEAR(x y) title:z ^fika * 'or' !& <-> \\");
	for (int i = 0; i < p.ngroups; i++)
		for (const char *s = p.groups[i].words; *s; s++)
			assert_true(*s == ' ' || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
				    (unsigned char)*s >= 0x80);
	/* the quote opens a phrase that runs to the end */
	assert_int_equal(p.ngroups, 2);
	assert_string_equal(p.groups[0].words, "a");
	assert_string_equal(p.groups[1].words, "b near x y title z fika or");
	buf_free(&p.rest);
}

static void limits(void **state)
{
	(void)state;
	/* at most SEARCH_GROUPS_MAX groups */
	struct buf q = {0};
	for (int i = 0; i < 40; i++)
		buf_printf(&q, "w%d ", i);
	struct search_query p = parse(q.data);
	assert_int_equal(p.ngroups, SEARCH_GROUPS_MAX);
	assert_string_equal(p.groups[SEARCH_GROUPS_MAX - 1].words, "w15");
	buf_free(&p.rest);

	/* the first 500 bytes, cut at a character: 499 bytes of "x" then an
	 * "ä" across the limit leaves one word of 64 bytes at most */
	buf_reset(&q);
	for (int i = 0; i < 499; i++)
		buf_putc(&q, i % 100 == 99 ? ' ' : 'x');
	buf_puts(&q, "ä tail");
	p = parse(q.data);
	assert_int_equal(p.ngroups, 5);
	assert_true(p.rest.len <= 500);
	assert_false(strstr(rest_of(&p), "tail"));
	/* a run longer than a word is cut */
	buf_reset(&q);
	for (int i = 0; i < 300; i++)
		buf_putc(&q, 'y');
	p = parse(q.data);
	assert_int_equal(p.ngroups, 1);
	assert_true(strlen(p.groups[0].words) <= 2 * 64);
	buf_free(&p.rest);
	buf_free(&q);
}

/* ---- match expressions -------------------------------------------------------------- */

static void matches_in_each_syntax(void **state)
{
	(void)state;
	struct search_query p = parse("fika \"lean coffee\" -standup -meeting");
	assert_string_equal(query_terms_match(&arena, &p, search_fts5.syntax),
			    "(\"fika\" OR \"fik\") AND (\"lean coffe\" OR \"lean coffee\") NOT (\"standup\")"
			    " NOT (\"meet\" OR \"meeting\")");
	assert_string_equal(query_terms_match(&arena, &p, search_pg.syntax),
			    "(('fika') | ('fik')) & (('lean' <-> 'coffe') | ('lean' <-> 'coffee')) & !(('standup'))"
			    " & !(('meet') | ('meeting'))");
	assert_string_equal(query_negated_match(&arena, &p, search_fts5.syntax),
			    "(\"standup\") OR (\"meet\" OR \"meeting\")");
	buf_free(&p.rest);
	p = parse("fika");
	assert_null(query_negated_match(&arena, &p, search_pg.syntax));
	buf_free(&p.rest);
	/* parts of longer words: single words of 4 letters or more only */
	assert_true(query_parts_searchable(&(struct search_query){0}));
	p = parse("fika -x");
	assert_true(query_parts_searchable(&p));
	buf_free(&p.rest);
	p = parse("fik");
	assert_false(query_parts_searchable(&p));
	buf_free(&p.rest);
	p = parse("\"lean coffee\"");
	assert_false(query_parts_searchable(&p));
	buf_free(&p.rest);
}

/* The phrases of the FTS5 match, in the order they are written in it. */
static void phrases_in_match_order(void **state)
{
	(void)state;
	struct search_query p = parse("-standup fika \"lean coffee\" -meeting");
	const char *phrases[16];
	bool negated[16];
	size_t n = query_match_phrases(&p, phrases, negated, 16);
	const char *match = query_terms_match(&arena, &p, search_fts5.syntax);
	size_t i = 0;
	for (const char *s = strchr(match, '"'); s; s = strchr(s, '"'), i++) {
		const char *end = strchr(s + 1, '"');
		assert_true(i < n);
		assert_int_equal(strlen(phrases[i]), (size_t)(end - s - 1));
		assert_memory_equal(phrases[i], s + 1, (size_t)(end - s - 1));
		assert_int_equal(negated[i], strstr(match, " NOT ") && s > strstr(match, " NOT "));
		s = end + 1;
	}
	assert_int_equal(i, n);
	assert_int_equal(n, 7);
	/* at most max */
	assert_int_equal(query_match_phrases(&p, phrases, negated, 2), 2);
	buf_free(&p.rest);
}

/* A word is marked by the stemmer of its item's language: the same word
 * in an item of another language, highlighted later on the same page, is
 * marked by that one. */
static void highlight_by_each_items_language(void **state)
{
	(void)state;
	struct search_query p = parse("cats");
	for (int round = 0; round < 2; round++) {
		assert_string_equal(query_highlight(&arena, &p, "catting", 7, "en", true), "<mark>catting</mark>");
		assert_string_equal(query_highlight(&arena, &p, "catting", 7, "sv", true), "catting");
	}
	/* many words, more than the first table of what was found holds */
	struct buf text = {0};
	for (int i = 0; i < 600; i++)
		buf_printf(&text, "w%d cats ", i);
	const char *marked = query_highlight(&arena, &p, text.data, text.len, "sv", true);
	const char *s = marked;
	int marks = 0;
	while ((s = strstr(s, "<mark>cats</mark>")))
		marks++, s++;
	assert_int_equal(marks, 600);
	assert_null(strstr(marked, "<mark>w"));
	buf_free(&text);
	buf_free(&p.rest);
}

/* Words no analyzer would let through: each backend's syntax, a quote
 * of either kind, the escape. */
static const char *const hostile[] = {
	"\"", "a\"b", "\"\"", "NEAR", "NEAR(a b)", "NEAR/2", "AND", "OR", "NOT", "a OR b", "*", "fika*", "^fika",
	"title:fika", "title : fika", "{title body}: fika", "- fika", "+", "(", ")", "'", "it's", "\\", "a\\'b", "&", "|",
	"!", "<->", ":*", "fika:*A",
};

/* The FTS5 quoting rule (search/fts5.c): any word, quoted, is a phrase of
 * the tokens it holds; nothing in it is syntax. Run on a real FTS5 table. */
static void fts5_quoting_holds_hostile_words(void **state)
{
	struct db *db = DB;
	assert_true(db_exec(db, "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize = 'ascii')", DB_NOARGS) >= 0);
	assert_true(db_exec(db, "INSERT INTO t (rowid, title, body) VALUES (1, 'fika near', 'a b and or not title')",
			    DB_NOARGS) == 1);
	/* unquoted, such words are syntax, and break the match */
	assert_true(db_exec(db, "SELECT rowid FROM t WHERE t MATCH 'NEAR(a b'", DB_NOARGS) < 0);
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		struct buf match = {0};
		search_fts5.syntax->phrase(&match, hostile[i]);
		struct db_stmt *st = db_query(db, "SELECT rowid FROM t WHERE t MATCH ?", DB_ARGS(db_text(match.data)));
		int rc;
		while ((rc = db_step(st)) == DB_ROW)
			;
		db_done(st);
		if (rc != DB_DONE)
			fail_msg("%s as %s: %s", hostile[i], match.data, db_errmsg(db));
		buf_free(&match);
	}
	/* and they match as words: a column's name or an operator is a word
	 * like any other, found where the row has it */
	static const struct {
		const char *word;
		bool found;
	} words[] = {{"NEAR", true}, {"title:fika", false}, {"^fika", true}, {"fika*", true}, {"a OR b", false},
		     {"b AND", true}, {"and or not title", true}, {"a\"b", true}, {"fikan", false}};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		struct buf match = {0};
		search_fts5.syntax->phrase(&match, words[i].word);
		bool found = db_exists(db, "SELECT 1 FROM t WHERE t MATCH ?", DB_ARGS(db_text(match.data)));
		if (found != words[i].found)
			fail_msg("%s as %s: found %d", words[i].word, match.data, found);
		buf_free(&match);
	}
}

/* PostgreSQL's phrase quotes each lexeme and escapes quote and backslash;
 * with KRING_TEST_PG, every hostile word makes a tsquery that parses, and
 * one without spaces is one lexeme, the word itself, which a vector of it
 * alone matches. */
static void pg_quoting(void **state)
{
	(void)state;
	struct buf b = {0};
	search_pg.syntax->phrase(&b, "it's a\\b c");
	assert_string_equal(b.data, "('it\\'s' <-> 'a\\\\b' <-> 'c')");
	buf_free(&b);
	const char *url = getenv("KRING_TEST_PG");
	if (!url)
		return;
	char *err = NULL;
	struct db *db = db_open(url, &err);
	assert_non_null(db);
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		buf_reset(&b);
		search_pg.syntax->phrase(&b, hostile[i]);
		if (db_scalar_int(db, -1, "SELECT 1 FROM (SELECT CAST(? AS tsquery)) q", DB_ARGS(db_text(b.data))) != 1)
			fail_msg("%s as %s: %s", hostile[i], b.data, db_errmsg(db));
		if (!strchr(hostile[i], ' ') &&
		    !db_exists(db, "SELECT 1 WHERE array_to_tsvector(ARRAY[CAST(? AS TEXT)]) @@ CAST(? AS tsquery)",
			       DB_ARGS(db_text(hostile[i]), db_text(b.data))))
			fail_msg("%s as %s is not the word", hostile[i], b.data);
	}
	buf_free(&b);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(words_are_groups, teardown),
		cmocka_unit_test_teardown(phrases_keep_their_words_together, teardown),
		cmocka_unit_test_teardown(minus_leaves_out, teardown),
		cmocka_unit_test_teardown(filters_typed_in_the_box, teardown),
		cmocka_unit_test_teardown(empty_and_hostile_input, teardown),
		cmocka_unit_test_teardown(limits, teardown),
		cmocka_unit_test_teardown(matches_in_each_syntax, teardown),
		cmocka_unit_test_teardown(phrases_in_match_order, teardown),
		cmocka_unit_test_teardown(highlight_by_each_items_language, teardown),
		cmocka_unit_test_setup_teardown(fts5_quoting_holds_hostile_words, db_fixture_setup, db_fixture_teardown),
		cmocka_unit_test_teardown(pg_quoting, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
