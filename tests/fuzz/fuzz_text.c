/* fuzz_text: the UTF-8 helpers, url_decode, slugs, excerpts and clean
 * names of core/text, and the folds of core/fold, on arbitrary bytes. */
#include "fuzz.h"

#include "core/fold.h"
#include "core/text.h"

#include <string.h>

static bool slug_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static bool word_characters(const char *s, size_t n)
{
	for (size_t i = 0, clen; i < n; i += clen) {
		int32_t cp;
		clen = fold_decode(s + i, n - i, &cp);
		if (!fold_word_part(cp))
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	bool valid = utf8_valid(s, size);

	char *repaired = malloc(3 * size + 1);
	size_t n = utf8_repair(repaired, s, size);
	FUZZ_CHECK(n <= 3 * size && repaired[n] == '\0' && utf8_valid(repaired, n));
	FUZZ_CHECK(!valid || (n == size && memcmp(repaired, s, size) == 0));
	FUZZ_CHECK(utf8_length(repaired) <= n);

	/* The rest take NUL-terminated text. */
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	size_t len = strlen(text);
	text_printable(text, true);
	text_equal_ci(text, repaired);

	char *decoded = strdup(text);
	long dn = url_decode(decoded, len);
	FUZZ_CHECK(dn < 0 || ((size_t)dn <= len && decoded[dn] == '\0'));

	/* Slugs: lower-case ASCII words joined by single dashes. */
	char slug[65];
	text_slug(text, slug, sizeof(slug));
	size_t sn = strlen(slug);
	FUZZ_CHECK(sn < sizeof(slug));
	for (size_t i = 0; i < sn; i++)
		FUZZ_CHECK(slug_char(slug[i]) && !(slug[i] == '-' && (i == 0 || i + 1 == sn || slug[i + 1] == '-')));

	/* The fold and the lower case: whole characters within the bounds,
	 * word characters only. */
	char folded[40], lowered[40];
	size_t fn = fold_word(s, size, folded, sizeof(folded));
	size_t ln = fold_lower(s, size, lowered, sizeof(lowered));
	FUZZ_CHECK(fn <= sizeof(folded) && utf8_valid(folded, fn) && word_characters(folded, fn));
	FUZZ_CHECK(ln <= sizeof(lowered) && utf8_valid(lowered, ln) && word_characters(lowered, ln));

	/* Excerpts fit and keep valid text valid. */
	char excerpt[48];
	text_excerpt(text, len % 40, excerpt, sizeof(excerpt));
	FUZZ_CHECK(strlen(excerpt) < sizeof(excerpt));
	FUZZ_CHECK(!utf8_valid(text, len) || utf8_valid(excerpt, strlen(excerpt)));

	/* Clean names hold no bidirectional control anywhere. */
	char *name = strdup(text);
	const char *clean = text_clean_name(name);
	FUZZ_CHECK(strlen(clean) <= len);
	for (const char *p = clean; *p; p++)
		FUZZ_CHECK(!text_bidi_control(p));
	free(name);

	FUZZ_CHECK(strlen(text_trim(text)) <= len);
	free(decoded);
	free(text);
	free(repaired);
	return 0;
}
