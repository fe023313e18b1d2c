/* query: the search box's text, parsed and turned into matches (see query.h). */
#include "search/query.h"

#include "core/hash.h"
#include "search/analyze.h"

#include <stdio.h>
#include <string.h>

#define QUERY_MAX 500     /* bytes of a query that are read */
#define PART_MIN 4        /* bytes a word needs to be found inside longer words */
#define SNIPPET_CHARS 200

/* Whether each word highlighted so far (in the language of its item) is
 * one the query looks for: a page highlights tens of texts, of words that
 * repeat, and stemming each again costs most of the highlighting. */
struct query_marks {
	struct mark {
		const char *word, *language;
		size_t len;
		bool matches;
	} *slots;
	size_t nslots, used;
};

/* The stemmers a query word is tried with: an item is stemmed by its own
 * language, which the query does not know. */
static const char *const query_languages[SEARCH_LANGUAGES] = {"en", "sv", "nl", ""};

static char *analyzed(struct arena *a, const char *text, size_t len, const char *language, bool terms)
{
	struct buf b = {0};
	if (terms)
		analyze_terms(text, len, language, &b);
	else
		analyze_words(text, len, &b);
	while (b.len && b.data[b.len - 1] == ' ')
		b.len--;
	char *s = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

static void add_group(struct arena *a, struct search_query *p, const char *text, size_t len, bool negated)
{
	if (p->ngroups == SEARCH_GROUPS_MAX)
		return;
	struct search_group g = {.negated = negated, .words = analyzed(a, text, len, "", false)};
	if (!*g.words)
		return;
	for (size_t l = 0; l < SEARCH_LANGUAGES; l++)
		g.terms[l] = analyzed(a, text, len, query_languages[l], true);
	p->groups[p->ngroups++] = g;
	p->npositive += !negated;
}

/* "key:value" typed in the box; true when it was one. */
static bool box_filter(struct arena *a, struct search_query *p, const char *tok, size_t len)
{
	static const char *const keys[] = {"tag:", "org:", "community:", "kind:"};
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		size_t kl = strlen(keys[k]);
		if (len <= kl || strncmp(tok, keys[k], kl) != 0)
			continue;
		const char *v = arena_strndup(a, tok + kl, len - kl);
		const char **slot[] = {&p->tag, &p->org, &p->community, &p->kind};
		*slot[k] = v;
		return true;
	}
	return false;
}

/* Sets p->rest to q[0..n) without the filters typed in it. */
static void rest_of_query(struct search_query *p, const char *q, size_t n)
{
	static const char *const keys[] = {"tag:", "org:", "community:", "kind:"};
	const char *s = q, *end = q + n;
	while (s < end) {
		const char *t = s;
		while (s < end && *s != ' ')
			s++;
		bool filter = false;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			filter |= (size_t)(s - t) > strlen(keys[k]) && strncmp(t, keys[k], strlen(keys[k])) == 0;
		if (!filter && s > t)
			buf_printf(&p->rest, "%s%.*s", p->rest.len ? " " : "", (int)(s - t), t);
		while (s < end && *s == ' ')
			s++;
	}
}

/* Splits the query into words, "phrases", -negations and filters. An
 * unclosed quote runs to the end; a lone "-" is nothing. */
void query_parse(struct arena *a, const char *q, struct search_query *p)
{
	size_t n = strlen(q);
	if (n > QUERY_MAX) {
		n = QUERY_MAX;
		while (n > 0 && ((unsigned char)q[n] & 0xC0) == 0x80)
			n--;
	}
	const char *s = q, *end = q + n;
	while (s < end) {
		while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
			s++;
		bool negated = s < end && *s == '-';
		if (negated)
			s++;
		if (s < end && *s == '"') {
			const char *close = memchr(s + 1, '"', (size_t)(end - s - 1));
			const char *stop = close ? close : end;
			add_group(a, p, s + 1, (size_t)(stop - s - 1), negated);
			s = close ? close + 1 : end;
			continue;
		}
		const char *t = s;
		while (s < end && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' && *s != '"')
			s++;
		if (s > t && (negated || !box_filter(a, p, t, (size_t)(s - t))))
			add_group(a, p, t, (size_t)(s - t), negated);
	}
	rest_of_query(p, q, n);
	p->marks = arena_zalloc(a, sizeof(*p->marks));
}

/* ---- the statements ------------------------------------------------------ */

bool query_analysis_distinct(const struct search_group *g, size_t l)
{
	if (!*g->terms[l])
		return false;
	for (size_t k = 0; k < l; k++)
		if (strcmp(g->terms[k], g->terms[l]) == 0)
			return false;
	return true;
}

/* A group's alternatives, one per distinct analysis, each a phrase:
 * FTS5 ("a b" OR "c d") or tsquery (('a' <-> 'b') | ('c' <-> 'd')). */
static void group_match(struct buf *b, const struct search_group *g, const struct search_syntax *s)
{
	buf_putc(b, '(');
	for (size_t l = 0; l < SEARCH_LANGUAGES; l++) {
		if (!query_analysis_distinct(g, l))
			continue;
		if (b->data[b->len - 1] != '(')
			buf_puts(b, s->or);
		s->phrase(b, g->terms[l]);
	}
	buf_putc(b, ')');
}

/* The whole-word match: every positive group, none of the negated ones. */
char *query_terms_match(struct arena *a, const struct search_query *p, const struct search_syntax *s)
{
	struct buf b = {0};
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < p->ngroups; i++) {
			const struct search_group *g = &p->groups[i];
			if (g->negated != (pass == 1))
				continue;
			if (b.len)
				buf_puts(&b, g->negated ? s->and_not : s->and);
			group_match(&b, g, s);
		}
	char *match = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return match;
}

size_t query_match_phrases(const struct search_query *p, const char **phrases, bool *negated, size_t max)
{
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < p->ngroups; i++) {
			const struct search_group *g = &p->groups[i];
			if (g->negated != (pass == 1))
				continue;
			for (size_t l = 0; l < SEARCH_LANGUAGES && n < max; l++)
				if (query_analysis_distinct(g, l)) {
					phrases[n] = g->terms[l];
					negated[n++] = g->negated;
				}
		}
	return n;
}

/* Whether the query's words may be looked for inside longer words: every
 * positive group a single word long enough to be a part of a compound
 * (phrases are matched as whole words only). */
bool query_parts_searchable(const struct search_query *p)
{
	for (int i = 0; i < p->ngroups; i++)
		if (!p->groups[i].negated && (strlen(p->groups[i].words) < PART_MIN || strchr(p->groups[i].words, ' ')))
			return false;
	return true;
}

/* The negated groups as one whole-word match (any of them); NULL for none. */
char *query_negated_match(struct arena *a, const struct search_query *p, const struct search_syntax *s)
{
	struct buf b = {0};
	for (int i = 0; i < p->ngroups; i++)
		if (p->groups[i].negated) {
			if (b.len)
				buf_puts(&b, s->or);
			group_match(&b, &p->groups[i], s);
		}
	char *match = b.len ? arena_strndup(a, b.data, b.len) : NULL;
	buf_free(&b);
	return match;
}

static size_t mark_slot(const struct query_marks *m, const char *word, size_t len, const char *language)
{
	size_t k = (hash_bytes(word, len) ^ hash_str(language)) & (m->nslots - 1);
	while (m->slots[k].word && !(m->slots[k].len == len && memcmp(m->slots[k].word, word, len) == 0 &&
				      strcmp(m->slots[k].language, language) == 0))
		k = (k + 1) & (m->nslots - 1);
	return k;
}

/* The slot of the word, empty when it is not known yet; NULL when there
 * is no room (the table grows in a). */
static struct mark *mark_of(struct arena *a, struct query_marks *m, const char *word, size_t len, const char *language)
{
	if (2 * (m->used + 1) > m->nslots) {
		struct query_marks grown = {.nslots = m->nslots ? 2 * m->nslots : 256, .used = m->used};
		grown.slots = arena_zalloc(a, grown.nslots * sizeof(*grown.slots));
		for (size_t i = 0; i < m->nslots; i++)
			if (m->slots[i].word)
				grown.slots[mark_slot(&grown, m->slots[i].word, m->slots[i].len, m->slots[i].language)] =
					m->slots[i];
		*m = grown;
	}
	return &m->slots[mark_slot(m, word, len, language)];
}

/* Whether a word of an item (in its language) is one the query looks
 * for: the same term, or a query word inside it. */
static bool word_matches_now(const struct search_query *p, const char *word, size_t len, const char *language)
{
	char term[ANALYZE_WORD_MAX * 2 + 1], folded[ANALYZE_WORD_MAX * 2 + 1];
	if (!analyze_term(word, len, language, term) || !analyze_term(word, len, "", folded))
		return false;
	for (int i = 0; i < p->ngroups; i++) {
		const struct search_group *g = &p->groups[i];
		if (g->negated)
			continue;
		for (size_t l = 0; l < SEARCH_LANGUAGES; l++) {
			/* any term of the group: phrases highlight word by word */
			for (const char *t = g->terms[l]; *t;) {
				size_t tl = strcspn(t, " ");
				if (tl == strlen(term) && strncmp(t, term, tl) == 0)
					return true;
				t += tl + (t[tl] == ' ');
			}
		}
		if (strlen(g->words) >= PART_MIN && !strchr(g->words, ' ') && strstr(folded, g->words))
			return true;
	}
	return false;
}

/* word_matches_now, remembered for the query (words and languages are
 * kept in a, as long as the query). */
static bool word_matches(struct arena *a, const struct search_query *p, const char *word, size_t len,
			 const char *language)
{
	if (!p->marks)
		return word_matches_now(p, word, len, language);
	struct mark *m = mark_of(a, p->marks, word, len, language);
	if (!m->word) {
		*m = (struct mark){arena_strndup(a, word, len), arena_strdup(a, language), len,
				   word_matches_now(p, word, len, language)};
		p->marks->used++;
	}
	return m->matches;
}

static bool word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

static void put_escaped(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, s[i]);
		}
	}
}

/* text[0..len) as escaped HTML with the words the query looks for in
 * <mark>: from a little before the first of them, at most about
 * SNIPPET_CHARS bytes, "…" where it is cut. */
char *query_highlight(struct arena *a, const struct search_query *p, const char *text, size_t len, const char *language,
			 bool whole)
{
	size_t from = 0, to = len;
	if (!whole) {
		for (size_t i = 0; i < len;) {
			size_t j = i;
			while (j < len && word_byte((unsigned char)text[j]))
				j++;
			if (j > i && word_matches(a, p, text + i, j - i, language)) {
				from = i > SNIPPET_CHARS / 4 ? i - SNIPPET_CHARS / 4 : 0;
				break;
			}
			i = j > i ? j : i + 1;
		}
		while (from > 0 && ((unsigned char)text[from] & 0xC0) == 0x80)
			from--;
		to = from + SNIPPET_CHARS < len ? from + SNIPPET_CHARS : len;
		while (to < len && ((unsigned char)text[to] & 0xC0) == 0x80)
			to++;
	}
	struct buf b = {0};
	if (from > 0)
		buf_puts(&b, "…");
	for (size_t i = from; i < to;) {
		size_t j = i;
		while (j < to && word_byte((unsigned char)text[j]))
			j++;
		if (j > i) {
			bool mark = word_matches(a, p, text + i, j - i, language);
			if (mark)
				buf_puts(&b, "<mark>");
			put_escaped(&b, text + i, j - i);
			if (mark)
				buf_puts(&b, "</mark>");
			i = j;
		} else {
			put_escaped(&b, text + i, 1);
			i++;
		}
	}
	if (to < len)
		buf_puts(&b, "…");
	char *s = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

