/* fold: words, lower case and the fold of text, with utf8proc (see fold.h). */
#include "core/fold.h"

#include "core/mem.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t fold_decode_utf8(const char *s, size_t n, int32_t *cp)
{
	utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)(n < 4 ? n : 4), cp);
	if (len > 0)
		return (size_t)len;
	*cp = -1;
	return 1;
}

bool fold_unicode_word_start(int32_t cp)
{
	if (cp < 0)
		return false;
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) || c == UTF8PROC_CATEGORY_ND;
}

bool fold_unicode_word_part(int32_t cp)
{
	if (cp < 0)
		return false;
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) || c == UTF8PROC_CATEGORY_ND;
}

bool fold_space_or_dash(int32_t cp)
{
	if (cp < 0)
		return false;
	if (cp < 0x80)
		return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == '-';
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP ||
	       c == UTF8PROC_CATEGORY_PD;
}

size_t fold_next_word(const char *s, size_t n, size_t *pos, size_t *start)
{
	size_t i = *pos, len;
	int32_t cp = -1;
	while (i < n && (len = fold_decode(s + i, n - i, &cp)) && !fold_word_start(cp))
		i += len;
	*start = i;
	while (i < n && (len = fold_decode(s + i, n - i, &cp)) && fold_word_part(cp))
		i += len;
	*pos = i;
	return i - *start;
}

/* Appends cp as UTF-8 to out[*o..cap) when it fits whole; false when not. */
static bool put(char *out, size_t *o, size_t cap, int32_t cp)
{
	utf8proc_uint8_t enc[4];
	utf8proc_ssize_t len = utf8proc_encode_char(cp, enc);
	if (*o + (size_t)len > cap)
		return false;
	memcpy(out + *o, enc, (size_t)len);
	*o += (size_t)len;
	return true;
}

/* The word characters of s[0..n) as valid UTF-8, malloc'd, its length in
 * *len: utf8proc's whole-string calls refuse anything else. */
static char *word_chars(const char *s, size_t n, size_t *len)
{
	char *w = xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0, clen; i < n; i += clen) {
		int32_t cp;
		clen = fold_decode(s + i, n - i, &cp);
		if (cp >= 0 && fold_word_part(cp)) {
			memcpy(w + o, s + i, clen);
			o += clen;
		}
	}
	w[o] = '\0';
	*len = o;
	return w;
}

/* The lower case of ASCII s[0..n) into out; its length. */
static size_t ascii_lower(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o < cap; i++)
		if (fold_word_start((unsigned char)s[i]))
			out[o++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	return o;
}

/* The lower case of the word characters of the valid UTF-8 s[0..n),
 * composed already, into out; its length. */
static size_t composed_lower(const utf8proc_uint8_t *s, utf8proc_ssize_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (utf8proc_ssize_t i = 0, clen; i < n; i += clen) {
		int32_t cp, next = -1;
		clen = utf8proc_iterate(s + i, n - i, &cp);
		if (clen <= 0)
			break;
		if (!fold_word_part(cp))
			continue;
		if (i + clen < n)
			utf8proc_iterate(s + i + clen, n - i - clen, &next);
		/* A capital sigma that ends a word is the final sigma. */
		int32_t lower = cp == 0x3A3 && (next < 0 || !fold_word_part(next)) ? 0x3C2 : utf8proc_tolower(cp);
		if (!put(out, &o, cap, lower))
			break;
	}
	return o;
}

size_t fold_lower(const char *s, size_t n, char *out, size_t cap)
{
	/* Most words are ASCII, and most others have no combining mark to
	 * compose (å, ö, ł as one code point each): no allocation for them. */
	bool ascii = true, composed = true;
	for (size_t i = 0; i < n && ascii; i++)
		ascii = (unsigned char)s[i] < 0x80;
	if (ascii)
		return ascii_lower(s, n, out, cap);
	for (size_t i = 0, clen; i < n && composed; i += clen) {
		int32_t cp;
		clen = fold_decode(s + i, n - i, &cp);
		composed = cp >= 0 && (cp < 0x300 || utf8proc_get_property(cp)->combining_class == 0);
	}
	if (composed)
		return composed_lower((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, out, cap);
	size_t wn;
	char *w = word_chars(s, n, &wn);
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t nn = utf8proc_map((const utf8proc_uint8_t *)w, (utf8proc_ssize_t)wn, &nfc,
					   UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	size_t o = nn > 0 ? composed_lower(nfc, nn, out, cap) : 0;
	free(nfc);
	free(w);
	return o;
}

/* Whether a code point is a combining mark of the Latin, Greek and
 * Cyrillic letters (the diacritics the fold drops). */
static bool diacritic(int32_t cp)
{
	return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
	       (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* The letters that keep a stroke or a ligature after decomposition, as
 * their readers spell them without it. */
static const char *undecomposed(int32_t cp)
{
	switch (cp) {
	case 0xE6: return "ae";  /* æ */
	case 0xF0: return "d";   /* ð */
	case 0xF8: return "o";   /* ø */
	case 0xFE: return "th";  /* þ */
	case 0x111: return "d";  /* đ */
	case 0x127: return "h";  /* ħ */
	case 0x131: return "i";  /* ı */
	case 0x138: return "k";  /* ĸ */
	case 0x142: return "l";  /* ł */
	case 0x14B: return "n";  /* ŋ */
	case 0x153: return "oe"; /* œ */
	case 0x167: return "t";  /* ŧ */
	case 0x2BC: return "";   /* the apostrophe of ŉ and of Ukrainian пʼять */
	}
	return NULL;
}

/* Appends the fold of one code point whole; false when out is full. */
static bool fold_char(int32_t cp, char *out, size_t *o, size_t cap)
{
	int32_t parts[32];
	int boundclass = 0;
	utf8proc_ssize_t n = utf8proc_decompose_char(cp, parts, 32,
						     UTF8PROC_CASEFOLD | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE,
						     &boundclass);
	if (n < 0 || n > 32)
		return true; /* unassigned, or longer than any decomposition: dropped */
	char folded[32 * 4];
	size_t len = 0;
	for (utf8proc_ssize_t i = 0; i < n; i++) {
		const char *spelled = undecomposed(parts[i]);
		if (spelled) {
			memcpy(folded + len, spelled, strlen(spelled));
			len += strlen(spelled);
		} else if (!diacritic(parts[i]) &&
			   (fold_word_start(parts[i]) || (fold_word_part(parts[i]) && *o + len > 0))) {
			/* a mark only after a letter: a fold starts as a word does */
			put(folded, &len, sizeof(folded), parts[i]);
		}
	}
	if (*o + len > cap)
		return false;
	memcpy(out + *o, folded, len);
	*o += len;
	return true;
}

size_t fold_word(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0, clen; i < n; i += clen) {
		int32_t cp;
		clen = fold_decode(s + i, n - i, &cp);
		if (cp < 0)
			continue;
		if (cp < 0x80) {
			if (!fold_word_start(cp))
				continue;
			if (o == cap)
				break;
			out[o++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		} else if (fold_word_part(cp) && !fold_char(cp, out, &o, cap)) {
			break;
		}
	}
	return o;
}
