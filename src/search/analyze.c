/* analyze: words and search terms of text (see analyze.h). */
#include "search/analyze.h"

#include "core/fold.h"
#include "core/mem.h"
#include "core/grow.h"

#include <libstemmer.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *code, *algorithm;
} languages[] = {{"en", "english"}, {"sv", "swedish"}, {"nl", "dutch"}};
#define LANGUAGES (sizeof(languages) / sizeof(languages[0]))

/* A stemmer is not thread-safe: each thread makes its own on first use,
 * and the key frees them when the thread ends. */
static _Thread_local struct sb_stemmer *stemmers[LANGUAGES];
static pthread_key_t stemmers_key;
static pthread_once_t stemmers_once = PTHREAD_ONCE_INIT;

/* The terms of words stemmed lately, per thread: a text repeats its
 * words (an import's texts the same few thousand), and looking a word up
 * costs a fraction of stemming it again. Short words only, which most
 * are; each slot holds the last word whose hash leads to it. */
#define CACHE_SLOTS 1024
#define CACHE_WORD 30
#define CACHE_TERM 24
static _Thread_local struct cached_term {
	const struct sb_stemmer *st; /* NULL: an empty slot */
	unsigned char wn, tn;
	char word[CACHE_WORD], term[CACHE_TERM];
} cached[CACHE_SLOTS];

/* Frees the stemmers of the thread whose stemmers these are. */
static void free_stemmers(void *list)
{
	struct sb_stemmer **s = list;
	for (size_t i = 0; i < LANGUAGES; i++) {
		sb_stemmer_delete(s[i]);
		s[i] = NULL;
	}
	/* A stemmer made later may have a freed one's address. */
	memset(cached, 0, sizeof(cached));
}

/* A thread that ends hands its key's value to free_stemmers. */
static void make_key(void)
{
	pthread_key_create(&stemmers_key, free_stemmers);
}

/* This thread's stemmer for a language code; NULL for codes without one
 * (and when it cannot be made, so the text goes unstemmed). */
static struct sb_stemmer *stemmer(const char *language)
{
	for (size_t i = 0; language && i < LANGUAGES; i++) {
		if (strcmp(language, languages[i].code) != 0)
			continue;
		if (!stemmers[i]) {
			pthread_once(&stemmers_once, make_key);
			stemmers[i] = sb_stemmer_new(languages[i].algorithm, "UTF_8");
			pthread_setspecific(stemmers_key, stemmers);
		}
		return stemmers[i];
	}
	return NULL;
}

void analyze_thread_done(void)
{
	free_stemmers(stemmers);
}

/* The next word of text[*pos..n), lower-cased with its diacritics (what
 * a stemmer expects), into word (at most ANALYZE_WORD_MAX bytes: a longer
 * run loses its tail); its length, 0 when no word is left. */
static size_t next_word(const char *text, size_t n, size_t *pos, char *word)
{
	size_t start, len;
	while ((len = fold_next_word(text, n, pos, &start)) > 0) {
		size_t lowered = fold_lower(text + start, len, word, ANALYZE_WORD_MAX);
		if (lowered)
			return lowered;
	}
	return 0;
}

/* Swedish Snowball keeps the definite -et of neuter nouns ("projektet",
 * "beslutet", "dataskyddet" stay as they are while "projekt" becomes
 * "projek"): a Swedish stem that still ends in -et loses it and is stemmed
 * again, until it does not. Index and queries do the same, so a base form
 * that ends in -et ("kvalitet") still meets its own inflections. */
static const sb_symbol *swedish_definite(struct sb_stemmer *st, const sb_symbol *stem, int *sn)
{
	char again[ANALYZE_WORD_MAX];
	while (*sn > 4 && stem[*sn - 2] == 'e' && stem[*sn - 1] == 't') {
		memcpy(again, stem, (size_t)*sn - 2);
		stem = sb_stemmer_stem(st, (const sb_symbol *)again, *sn - 2);
		*sn = stem ? sb_stemmer_length(st) : 0;
		if (!stem)
			return NULL;
	}
	return stem;
}

/* The longest term: the fold of a word may be longer than the word
 * ("ß" → "ss", "ﬃ" → "ffi"). */
#define TERM_MAX (ANALYZE_WORD_MAX * 2)

static struct cached_term *cache_slot(const struct sb_stemmer *st, const char *word, size_t n)
{
	uint32_t h = 2166136261u ^ (uint32_t)(uintptr_t)st;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)word[i]) * 16777619u;
	return &cached[h % CACHE_SLOTS];
}

static size_t stem_term(struct sb_stemmer *st, bool swedish, const char *word, size_t n, char *out);

/* The term of the lower-cased word[0..n) into out; its length. */
static size_t term(struct sb_stemmer *st, bool swedish, const char *word, size_t n, char *out)
{
	if (!st || n > CACHE_WORD)
		return stem_term(st, swedish, word, n, out);
	struct cached_term *c = cache_slot(st, word, n);
	if (c->st == st && c->wn == n && memcmp(c->word, word, n) == 0) {
		memcpy(out, c->term, c->tn);
		return c->tn;
	}
	size_t tn = stem_term(st, swedish, word, n, out);
	if (tn <= CACHE_TERM) {
		*c = (struct cached_term){.st = st, .wn = (unsigned char)n, .tn = (unsigned char)tn};
		memcpy(c->word, word, n);
		memcpy(c->term, out, tn);
	}
	return tn;
}

/* The term of the lower-cased word[0..n) as the stemmer makes it. A stem
 * that is empty or too long (never seen) leaves the word unstemmed. */
static size_t stem_term(struct sb_stemmer *st, bool swedish, const char *word, size_t n, char *out)
{
	const sb_symbol *stem = st ? sb_stemmer_stem(st, (const sb_symbol *)word, (int)n) : NULL;
	int sn = stem ? sb_stemmer_length(st) : 0;
	if (stem && swedish)
		stem = swedish_definite(st, stem, &sn);
	if (stem && sn > 0 && sn <= ANALYZE_WORD_MAX)
		return fold_word((const char *)stem, (size_t)sn, out, TERM_MAX);
	return fold_word(word, n, out, TERM_MAX);
}

static bool is_swedish(const char *language)
{
	return language && strcmp(language, "sv") == 0;
}

void analyze_terms(const char *text, size_t len, const char *language, struct buf *out)
{
	struct sb_stemmer *st = stemmer(language);
	char word[ANALYZE_WORD_MAX], t[TERM_MAX + 1];
	size_t pos = 0, n;
	while ((n = next_word(text, len, &pos, word)) > 0) {
		size_t tn = term(st, is_swedish(language), word, n, t);
		if (tn == 0)
			continue; /* a letter whose fold is empty */
		t[tn] = ' ';
		buf_append(out, t, tn + 1);
	}
}

void analyze_words(const char *text, size_t len, struct buf *out)
{
	char word[ANALYZE_WORD_MAX], w[TERM_MAX + 1];
	size_t pos = 0, n;
	while ((n = next_word(text, len, &pos, word)) > 0) {
		size_t wn = fold_word(word, n, w, TERM_MAX);
		if (wn == 0)
			continue;
		w[wn] = ' ';
		buf_append(out, w, wn + 1);
	}
}

void analyze_terms_all(const char *text, size_t len, struct buf *out)
{
	static const char *const all[] = {"en", "sv", "nl", ""};
	enum { N = sizeof(all) / sizeof(all[0]) };
	struct buf each[N] = {{0}};
	for (size_t l = 0; l < N; l++) {
		analyze_terms(text, len, all[l], &each[l]);
		/* An analysis the same as one before adds nothing but a false
		 * phrase across the copies ("anna svensson anna svensson"). */
		bool again = false;
		for (size_t k = 0; k < l && !again; k++)
			again = each[k].len == each[l].len && memcmp(each[k].data, each[l].data, each[l].len) == 0;
		if (!again && each[l].len)
			buf_append(out, each[l].data, each[l].len);
	}
	for (size_t l = 0; l < N; l++)
		buf_free(&each[l]);
}

/* Words this long or longer may be compounds, whose parts a query finds
 * through trigrams; shorter ones are whole words the terms already hold.
 * Indexing only those keeps the trigram index (the costliest part of the
 * index to write) small. */
#define COMPOUND_MIN 8

static int compare_words(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void analyze_compounds(const struct buf *words, struct buf *out)
{
	char *copy = xstrndup(words->data ? words->data : "", words->len);
	size_t n = 0, cap = 0;
	char **list = NULL;
	char *save = NULL;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (strlen(w) < COMPOUND_MIN)
			continue;
		GROW(list, n, cap);
		list[n++] = w;
	}
	if (n)
		qsort(list, n, sizeof(*list), compare_words);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(list[i], list[i - 1]) != 0)
			buf_printf(out, "%s%s", out->len ? " " : "", list[i]);
	free(list);
	free(copy);
}

bool analyze_term(const char *word, size_t len, const char *language, char *out)
{
	char lowered[ANALYZE_WORD_MAX];
	size_t pos = 0, n = next_word(word, len, &pos, lowered);
	if (n == 0) {
		out[0] = '\0';
		return false;
	}
	size_t tn = term(stemmer(language), is_swedish(language), lowered, n, out);
	out[tn] = '\0';
	return tn > 0;
}
