/* analyze: words and search terms of text (see analyze.h). */
#include "search/analyze.h"

#include <libstemmer.h>
#include <pthread.h>
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

/* Frees the stemmers of the thread whose stemmers these are. */
static void free_stemmers(void *list)
{
	struct sb_stemmer **s = list;
	for (size_t i = 0; i < LANGUAGES; i++) {
		sb_stemmer_delete(s[i]);
		s[i] = NULL;
	}
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

static bool ascii_alnum(unsigned c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The length of the word character at s (1 or 2 bytes), its code point in
 * *cp; 0 when s[0] separates words. */
static size_t word_char(const unsigned char *s, size_t n, unsigned *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return ascii_alnum(s[0]) ? 1 : 0;
	}
	/* Lead bytes C3–C5 start U+00C0–U+017F, all letters but × and ÷. */
	if (s[0] < 0xC3 || s[0] > 0xC5 || n < 2 || (s[1] & 0xC0) != 0x80)
		return 0;
	*cp = (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	return *cp == 0xD7 || *cp == 0xF7 ? 0 : 2;
}

/* The lower case of a word character. Latin Extended-A pairs capital and
 * small letters as even and odd code points, but for two runs that pair
 * them odd and even, and a few letters that have no pair here. */
static unsigned lower(unsigned cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 0x20 : cp;
	if (cp < 0x100) /* and at least U+00C0 */
		return cp <= 0xDE && cp != 0xD7 ? cp + 0x20 : cp;
	if (cp == 0x130)
		return 'i'; /* İ */
	if (cp == 0x178)
		return 0xFF; /* Ÿ → ÿ */
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
		return cp % 2 ? cp + 1 : cp;
	if (cp < 0x138 || (cp >= 0x14A && cp <= 0x177))
		return cp % 2 ? cp : cp + 1;
	return cp; /* ĸ ŉ ſ */
}

/* The next word of s[*pos..n), lower-cased, into word (at most
 * ANALYZE_WORD_MAX bytes: a longer run loses its tail); its length, 0 when
 * no word is left. */
static size_t next_word(const char *text, size_t n, size_t *pos, char *word)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = *pos, len = 0, clen;
	unsigned cp;
	bool full = false;
	while (i < n && !word_char(s + i, n - i, &cp))
		i++;
	while (i < n && (clen = word_char(s + i, n - i, &cp))) {
		i += clen;
		cp = lower(cp);
		full |= len + (cp < 0x80 ? 1 : 2) > ANALYZE_WORD_MAX;
		if (full)
			continue;
		if (cp < 0x80) {
			word[len++] = (char)cp;
		} else {
			word[len++] = (char)(0xC0 | cp >> 6);
			word[len++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	*pos = i;
	return len;
}

/* The ASCII of a small letter U+00C0–U+017F into out; its length. The
 * table holds base letters, the switch the letters that become two. */
static size_t fold_char(unsigned cp, char *out)
{
	static const char base[] = "aaaaaaaceeeeiiii" "dnooooo*ouuuuyts" /* U+00C0, × */
				   "aaaaaaaceeeeiiii" "dnooooo*ouuuuyty" /* U+00E0, ÷ */
				   "aaaaaaccccccccdd" "ddeeeeeeeeeegggg" /* U+0100 */
				   "gggghhhhiiiiiiii" "iiiijjkkklllllll" /* U+0120 */
				   "lllnnnnnnnnnoooo" "oooorrrrrrssssss" /* U+0140 */
				   "ssttttttuuuuuuuu" "uuuuwwyyyzzzzzzs"; /* U+0160 */
	const char *two = NULL;
	switch (cp) {
	case 0xDF: two = "ss"; break;
	case 0xE6: two = "ae"; break;
	case 0xFE: two = "th"; break;
	case 0x133: two = "ij"; break;
	case 0x153: two = "oe"; break;
	}
	if (two) {
		memcpy(out, two, 2);
		return 2;
	}
	out[0] = base[cp - 0xC0];
	return 1;
}

/* The lower-cased word s[0..n) folded to ASCII into out (at most n bytes);
 * its length. What is neither a letter nor a digit is dropped, should a
 * stemmer ever give one. */
static size_t fold(const char *word, size_t n, char *out)
{
	const unsigned char *s = (const unsigned char *)word;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned cp;
		size_t clen = word_char(s + i, n - i, &cp);
		if (clen == 1)
			out[o++] = (char)lower(cp);
		else if (clen == 2)
			o += fold_char(lower(cp), out + o);
		i += clen > 1;
	}
	return o;
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

/* The term of the lower-cased word[0..n) into out; its length. A stem
 * that is empty or too long (never seen) leaves the word unstemmed. */
static size_t term(struct sb_stemmer *st, bool swedish, const char *word, size_t n, char *out)
{
	const sb_symbol *stem = st ? sb_stemmer_stem(st, (const sb_symbol *)word, (int)n) : NULL;
	int sn = stem ? sb_stemmer_length(st) : 0;
	if (stem && swedish)
		stem = swedish_definite(st, stem, &sn);
	if (stem && sn > 0 && sn <= ANALYZE_WORD_MAX)
		return fold((const char *)stem, (size_t)sn, out);
	return fold(word, n, out);
}

static bool is_swedish(const char *language)
{
	return language && strcmp(language, "sv") == 0;
}

void analyze_terms(const char *text, size_t len, const char *language, struct buf *out)
{
	struct sb_stemmer *st = stemmer(language);
	char word[ANALYZE_WORD_MAX], t[ANALYZE_WORD_MAX + 1];
	size_t pos = 0, n;
	while ((n = next_word(text, len, &pos, word)) > 0) {
		size_t tn = term(st, is_swedish(language), word, n, t);
		t[tn] = ' ';
		buf_append(out, t, tn + 1);
	}
}

void analyze_words(const char *text, size_t len, struct buf *out)
{
	char word[ANALYZE_WORD_MAX], w[ANALYZE_WORD_MAX + 1];
	size_t pos = 0, n;
	while ((n = next_word(text, len, &pos, word)) > 0) {
		size_t wn = fold(word, n, w);
		w[wn] = ' ';
		buf_append(out, w, wn + 1);
	}
}

void analyze_terms_all(const char *text, size_t len, struct buf *out)
{
	static const char *const all[] = {"en", "sv", "nl", ""};
	for (size_t l = 0; l < sizeof(all) / sizeof(all[0]); l++)
		analyze_terms(text, len, all[l], out);
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
	char *copy = strndup(words->data ? words->data : "", words->len);
	size_t n = 0, cap = 64;
	char **list = malloc(cap * sizeof(*list));
	char *save = NULL;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (strlen(w) < COMPOUND_MIN)
			continue;
		if (n == cap)
			list = realloc(list, (cap *= 2) * sizeof(*list));
		list[n++] = w;
	}
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
	out[term(stemmer(language), is_swedish(language), lowered, n, out)] = '\0';
	return true;
}
