/* fuzz_query: the search box's text to query_parse (src/search/query.c),
 * its match expressions in both backends' syntax, the FTS5 ones run on the
 * real index tables of an in-memory SQLite database, and query_highlight
 * over the input as an item's text. */
#include "fuzz.h"

#include "core/arena.h"
#include "db/db.h"
#include "db/migrate.h"
#include "search/backend.h"
#include "search/fts5_rank.h"
#include "search/query.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define QUERY_MAX 500 /* bytes of a query that are read (query.c) */

static struct db *db;

/* A word or term: letters, digits (ASCII, or any byte of a multi-byte
 * character) and single spaces between them. */
static void check_words(const char *s)
{
	FUZZ_CHECK(*s && *s != ' ');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		FUZZ_CHECK(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == ' ' && s[1] && s[1] != ' '));
	}
}

/* A statement runs to its end. */
static void check_runs(struct db_stmt *st)
{
	FUZZ_CHECK(st);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		;
	db_done(st);
	FUZZ_CHECK(rc == DB_DONE);
}

/* The FTS5 matches parse and run on the index tables. */
static void check_fts5(struct arena *a, const struct search_query *p)
{
	const char *match = query_terms_match(a, p, search_fts5.syntax);
	check_runs(search_fts5.items_best(db, a, p, match, 10));
	check_runs(search_fts5.whole_words(db, a, SEARCH_PEOPLE, match, 3, 2, 10));
	if (query_parts_searchable(p))
		check_runs(search_fts5.parts(db, a, SEARCH_ITEMS, p, 10));
}

/* The tsquery's parentheses balance outside its quoted lexemes. */
static void check_tsquery(const char *match)
{
	int depth = 0;
	bool quoted = false;
	for (const char *s = match; *s; s++) {
		if (quoted && *s == '\\' && s[1])
			s++;
		else if (*s == '\'')
			quoted = !quoted;
		else if (!quoted)
			depth += (*s == '(') - (*s == ')');
		FUZZ_CHECK(depth >= 0);
	}
	FUZZ_CHECK(!quoted && depth == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db) {
		char *err = NULL;
		fts5_rank_install();
		db = db_open(":memory:", &err);
		FUZZ_CHECK(db && migrate_apply(db, false) >= 0);
	}
	char *q = malloc(size + 1);
	memcpy(q, data, size);
	q[size] = '\0';
	struct arena a = {0};
	struct search_query p = {0};
	query_parse(&a, q, &p);

	FUZZ_CHECK(p.ngroups >= 0 && p.ngroups <= SEARCH_GROUPS_MAX);
	FUZZ_CHECK(p.npositive >= 0 && p.npositive <= p.ngroups);
	FUZZ_CHECK(p.rest.len <= QUERY_MAX);
	int positive = 0;
	for (int i = 0; i < p.ngroups; i++) {
		const struct search_group *g = &p.groups[i];
		check_words(g->words);
		positive += !g->negated;
		for (size_t l = 0; l < SEARCH_LANGUAGES; l++)
			if (*g->terms[l])
				check_words(g->terms[l]);
	}
	FUZZ_CHECK(positive == p.npositive);
	const char *filters[] = {p.tag, p.org, p.community, p.kind};
	for (size_t k = 0; k < 4; k++)
		FUZZ_CHECK(!filters[k] || (*filters[k] && !strchr(filters[k], ' ')));

	if (p.npositive > 0) {
		check_fts5(&a, &p);
		check_tsquery(query_terms_match(&a, &p, search_pg.syntax));
		const char *negated = query_negated_match(&a, &p, search_pg.syntax);
		FUZZ_CHECK(!negated == (p.npositive == p.ngroups));
		if (negated)
			check_tsquery(negated);
	}

	/* The text highlighted: escaped, with only <mark> added. */
	const char *html = query_highlight(&a, &p, q, strlen(q), "en", size % 2 == 0);
	for (const char *s = strchr(html, '<'); s; s = strchr(s + 1, '<'))
		FUZZ_CHECK(strncmp(s, "<mark>", 6) == 0 || strncmp(s, "</mark>", 7) == 0);
	FUZZ_CHECK(!strchr(html, '"') && !strchr(html, '\''));

	buf_free(&p.rest);
	arena_reset(&a);
	free(q);
	return 0;
}
