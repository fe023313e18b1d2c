/* fold: the one Unicode fold of kring, behind search, tags and slugs alike
 * (built on utf8proc).
 *
 * A word is a run of letters and digits of any script (Unicode categories
 * L* and Nd), with the combining marks that follow them (M*); everything
 * else separates words, and so do bytes that are not valid UTF-8.
 *
 * Two folds of a word:
 * - fold_lower: its lower case in composed form (NFC), diacritics kept:
 *   "ÅSA" → "åsa", "ΑΘΗΝΑΣ" → "αθηνας" (a capital sigma at a word's end
 *   becomes the final ς), "İzmir" → "izmir". What tags and the stemmers
 *   see.
 * - fold_word: its case fold without diacritics: compatibility
 *   decomposition (NFKD), the Latin, Greek and Cyrillic combining marks
 *   dropped (those of other scripts, such as Devanagari's vowel signs,
 *   stay: they are part of the letter), and the letters that have no
 *   decomposition spelled out from a small table (ł→l, ø→o, đ→d, ð→d,
 *   þ→th, æ→ae, œ→oe, ı→i, ħ→h, ŧ→t, ŋ→n, ĸ→k; ß→ss comes with the case
 *   fold). "Fråga" → "fraga", "Łódź" → "lodz", "Ελληνικά" → "ελληνικα",
 *   "Ёлка" → "елка", "ştiinţă" and "știință" → "stiinta", "Straße" →
 *   "strasse", "ĳs" → "ijs". What the search index stores and queries
 *   look for, and what slugs are made of. */
#ifndef KRING_FOLD_H
#define KRING_FOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The code point at s[0..n) (n > 0) into *cp and its length in bytes; an
 * invalid byte is one byte long with *cp = -1. */
size_t fold_decode_utf8(const char *s, size_t n, int32_t *cp);
/* Whether a code point may start a word (a letter or a digit), and whether
 * it continues one (also a combining mark), beyond ASCII. */
bool fold_unicode_word_start(int32_t cp);
bool fold_unicode_word_part(int32_t cp);

/* The same, with ASCII, which most text is, answered here: these run once
 * per character of everything indexed, searched, tagged or linked. */
static inline size_t fold_decode(const char *s, size_t n, int32_t *cp)
{
	if (n > 0 && (unsigned char)s[0] < 0x80) {
		*cp = (unsigned char)s[0];
		return 1;
	}
	return fold_decode_utf8(s, n, cp);
}

static inline bool fold_word_start(int32_t cp)
{
	if (cp >= 0 && cp < 0x80)
		return (cp >= '0' && cp <= '9') || ((cp | 32) >= 'a' && (cp | 32) <= 'z');
	return fold_unicode_word_start(cp);
}

static inline bool fold_word_part(int32_t cp)
{
	if (cp >= 0 && cp < 0x80)
		return (cp >= '0' && cp <= '9') || ((cp | 32) >= 'a' && (cp | 32) <= 'z');
	return fold_unicode_word_part(cp);
}

/* Whether a code point is white space or a dash, of any script. */
bool fold_space_or_dash(int32_t cp);
/* The next word of s[*pos..n): its start in *start, its length in bytes
 * (0 when no word is left); *pos moves past it. */
size_t fold_next_word(const char *s, size_t n, size_t *pos, size_t *start);
/* The lower case (NFC, diacritics kept) of the word s[0..n) into out (at
 * most cap bytes, cut at a character boundary, not terminated); its
 * length. What is not a word character is dropped. */
size_t fold_lower(const char *s, size_t n, char *out, size_t cap);
/* The fold (case fold, no diacritics) of s[0..n) into out (at most cap
 * bytes, cut at a character boundary, not terminated); its length. What
 * is not a word character is dropped. */
size_t fold_word(const char *s, size_t n, char *out, size_t cap);

#endif
