/*
 * query: what a member types in the search box. Words (each tried with the
 * English, Swedish and Dutch stemmers and unstemmed, as the query does not
 * know the language of what it finds), "phrases", -words to leave out and
 * filters typed in the box (tag:, org:, community:, kind:). Turned into
 * the match expressions of the index (search/index.h): FTS5 for SQLite,
 * tsquery for PostgreSQL. Terms and words are letters, digits and marks
 * (search/analyze.h), so they go into those expressions without quoting.
 */
#ifndef KRING_SEARCH_QUERY_H
#define KRING_SEARCH_QUERY_H

#include "core/arena.h"
#include "core/buf.h"

#include <stdbool.h>
#include <stddef.h>

#define SEARCH_GROUPS_MAX 16 /* words and phrases read from one query */
#define SEARCH_LANGUAGES 4   /* English, Swedish, Dutch and unstemmed */

/* A word or a "phrase": its terms per stemmer (space-separated, "" when
 * nothing is left), and its words folded but not stemmed. */
struct search_group {
	char *terms[SEARCH_LANGUAGES];
	char *words;
	bool negated;
};

struct search_query {
	struct search_group groups[SEARCH_GROUPS_MAX];
	int ngroups, npositive;
	const char *tag, *org, *community, *kind; /* typed in the box, or NULL */
	struct buf rest; /* the query without them, for links that change filters */
	struct query_marks *marks; /* what query_highlight found of each word so far */
};

/* How a backend writes a match expression: its connectives, and a phrase
 * (terms space-separated; one term is a phrase of one) quoted so that
 * nothing in a term is read as syntax. */
struct search_syntax {
	const char *and, *and_not, *or;
	void (*phrase)(struct buf *b, const char *terms);
};

/* Whether the group's analysis l is one to look for: not empty and not the
 * same as an earlier one (the stemmers often agree). */
bool query_analysis_distinct(const struct search_group *g, size_t l);
/* Parses q (its first 500 bytes) into p, strings in a; the caller frees
 * p->rest. An unclosed quote runs to the end; a lone "-" is nothing. */
void query_parse(struct arena *a, const char *q, struct search_query *p);
/* The whole-word match of every positive group and none of the negated:
 * FTS5 ("a b" OR "c") AND … NOT …, or tsquery ('a' <-> 'b' | 'c') & … & !…. */
char *query_terms_match(struct arena *a, const struct search_query *p, const struct search_syntax *s);
/* The phrases of query_terms_match (terms space-separated), in the order
 * it writes them, which is the order FTS5 numbers them in: at most max
 * into phrases[], each with whether its group is negated; how many. */
size_t query_match_phrases(const struct search_query *p, const char **phrases, bool *negated, size_t max);
/* Whether the query may also be looked for inside longer words (parts of
 * compounds): every positive group one word of at least 4 letters. */
bool query_parts_searchable(const struct search_query *p);
/* The negated groups as one whole-word match of any of them; NULL for none. */
char *query_negated_match(struct arena *a, const struct search_query *p, const struct search_syntax *s);
/* text[0..len) (in the language of the item it is from) as escaped HTML
 * with the words the query looks for in <mark>. whole: all of it; else
 * about 200 bytes from a little before the first match, "…" where cut. */
char *query_highlight(struct arena *a, const struct search_query *p, const char *text, size_t len,
		      const char *language, bool whole);

#endif
