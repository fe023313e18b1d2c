/* fuzz_analyze: the search analyzer of search/analyze on arbitrary bytes;
 * the first byte picks the language (modulo 5: en, sv, nl, de, none; the
 * seeds use 'A' to 'E'), the rest is the text. */
#include "fuzz.h"

#include "core/fold.h"
#include "core/text.h"
#include "search/analyze.h"

#include <stdbool.h>
#include <string.h>

/* A term or word: 1 to 2 * ANALYZE_WORD_MAX bytes of valid UTF-8, a
 * letter or digit and then letters, digits and marks (core/fold.h):
 * nothing FTS5 or tsquery would need quoted. */
static void check_token(const char *s, size_t n)
{
	FUZZ_CHECK(n > 0 && n <= 2 * ANALYZE_WORD_MAX && utf8_valid(s, n));
	for (size_t i = 0, clen; i < n; i += clen) {
		int32_t cp;
		clen = fold_decode(s + i, n - i, &cp);
		FUZZ_CHECK(i == 0 ? fold_word_start(cp) : fold_word_part(cp));
	}
}

/* Checks that s[0..len) is tokens, each followed by one space; their
 * number. */
static size_t tokens(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; n++) {
		size_t tn = strcspn(s + i, " ");
		check_token(s + i, tn);
		FUZZ_CHECK(i + tn < len);
		i += tn + 1;
	}
	return n;
}

static bool ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const languages[] = {"en", "sv", "nl", "de", ""};
	if (size == 0)
		return 0;
	const char *language = languages[data[0] % 5];
	const char *text = (const char *)data + 1;
	size_t len = size - 1;

	struct buf terms = {0}, words = {0};
	analyze_terms(text, len, language, &terms);
	analyze_words(text, len, &words);
	FUZZ_CHECK(tokens(terms.data, terms.len) == tokens(words.data, words.len));

	/* Each word analyzed again as a query word gives a term; for ASCII
	 * text, lower-cased already is folded, so that term is the text's. */
	char term[ANALYZE_WORD_MAX * 2 + 1], again[ANALYZE_WORD_MAX * 2 + 1];
	const char *w = words.data, *t = terms.data;
	for (; w && *w; w = strchr(w, ' ') + 1, t = strchr(t, ' ') + 1) {
		size_t wn = strcspn(w, " "), tn = strcspn(t, " ");
		FUZZ_CHECK(analyze_term(w, wn, language, term));
		check_token(term, strlen(term));
		FUZZ_CHECK(!ascii(text, len) || (strlen(term) == tn && memcmp(term, t, tn) == 0));
		FUZZ_CHECK(analyze_term(term, strlen(term), language, again));
		check_token(again, strlen(again));
	}
	buf_free(&terms);
	buf_free(&words);
	return 0;
}
