/* text: small string helpers shared by the parsers and validators. */
#include "core/text.h"

#include "core/fold.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

size_t text_int(char *out, int64_t v)
{
	char digits[TEXT_INT_SIZE], *p = digits + sizeof digits;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	size_t n = (size_t)(digits + sizeof digits - p);
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

bool utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		unsigned cp;
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + len > n)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
			return false;
		i += len;
	}
	return true;
}

size_t utf8_repair(char *out, const char *s, size_t n)
{
	size_t o = 0, i = 0;
	while (i < n) {
		size_t len = 1;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0xC2 && c <= 0xDF)
			len = 2;
		else if (c >= 0xE0 && c <= 0xEF)
			len = 3;
		else if (c >= 0xF0 && c <= 0xF4)
			len = 4;
		if (c != 0 && i + len <= n && utf8_valid(s + i, len)) {
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
		} else {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		}
	}
	out[o] = '\0';
	return o;
}

size_t utf8_length(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

bool text_printable(const char *s, bool allow_newlines)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\t' || (allow_newlines && (c == '\n' || c == '\r')))
			continue;
		if (c < 0x20 || c == 0x7F)
			return false;
	}
	return true;
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

long url_decode(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			s[o++] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= n)
				return -1;
			int hi = hex_value((unsigned char)s[i + 1]);
			int lo = hex_value((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			s[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			s[o++] = s[i];
		}
	}
	s[o] = '\0';
	return (long)o;
}

void hex_encode(char *out, const unsigned char *in, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void token_random(char *out, size_t nbytes)
{
	unsigned char raw[64];
	if (nbytes > sizeof(raw))
		nbytes = sizeof(raw);
	randombytes_buf(raw, nbytes);
	sodium_bin2base64(out, sodium_base64_ENCODED_LEN(nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
			  raw, nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool token_shaped(const char *s, size_t nbytes)
{
	size_t n = 0;
	for (; s && s[n]; n++)
		if (!(s[n] >= 'A' && s[n] <= 'Z') && !(s[n] >= 'a' && s[n] <= 'z') && !(s[n] >= '0' && s[n] <= '9') &&
		    s[n] != '-' && s[n] != '_')
			return false;
	return s && n == sodium_base64_ENCODED_LEN(nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1;
}

void sha256_hex(char out[65], const char *s, size_t n)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)s, n);
	hex_encode(out, digest, sizeof(digest));
}

char *text_trim(char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

size_t text_bidi_control(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	if (s[0] == 0xD8 && s[1] == 0x9C)
		return 2; /* U+061C arabic letter mark */
	if (s[0] != 0xE2 || !s[1])
		return 0;
	if (s[1] == 0x80 && (s[2] == 0x8E || s[2] == 0x8F || (s[2] >= 0xAA && s[2] <= 0xAE)))
		return 3; /* U+200E, U+200F marks; U+202A–U+202E embeddings and overrides */
	if (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9)
		return 3; /* U+2066–U+2069 isolates */
	return 0;
}

char *text_clean_name(char *s)
{
	size_t o = 0;
	for (size_t i = 0; s[i];) {
		size_t n = text_bidi_control(s + i);
		if (n) {
			i += n;
			continue;
		}
		s[o++] = s[i++];
		/* In broken UTF-8 the bytes on both sides of a control taken
		 * out can meet as another: "\xE2" U+202D "\x81\xA7" is U+2067. */
		if (o >= 3 && text_bidi_control(s + o - 3) == 3)
			o -= 3;
		else if (o >= 2 && text_bidi_control(s + o - 2) == 2)
			o -= 2;
	}
	s[o] = '\0';
	return text_trim(s);
}

bool text_equal_ci(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

/* Appends the ASCII of the fold of the word s[0..n) to out, after a '-'
 * when out holds a word already; false when out filled up first. */
static bool slug_word(const char *s, size_t n, char *out, size_t outlen, size_t *o, size_t *last_break)
{
	bool started = false;
	for (size_t i = 0, clen; i < n; i += clen) {
		int32_t cp;
		char f[64];
		clen = fold_decode(s + i, n - i, &cp);
		size_t fn;
		if (cp >= 0 && cp < 0x80) {
			/* ASCII folds to itself in lower case: no table to ask */
			fn = fold_word_part(cp) ? 1 : 0;
			f[0] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		} else {
			fn = fold_word(s + i, clen, f, sizeof(f));
		}
		for (size_t k = 0; k < fn; k++) {
			if ((unsigned char)f[k] >= 0x80)
				continue; /* a letter of a script without ASCII spelling */
			if (!started && *o > 0) {
				if (*o + 2 >= outlen)
					return false;
				*last_break = *o;
				out[(*o)++] = '-';
			}
			started = true;
			if (*o + 1 >= outlen) {
				/* Cut back to the last whole word. */
				if (*last_break > 0)
					*o = *last_break;
				return false;
			}
			out[(*o)++] = f[k];
		}
	}
	return true;
}

void text_slug(const char *in, char *out, size_t outlen)
{
	size_t n = strlen(in), pos = 0, start, len, o = 0, last_break = 0;
	while ((len = fold_next_word(in, n, &pos, &start)) > 0)
		if (!slug_word(in + start, len, out, outlen, &o, &last_break))
			break;
	out[o] = '\0';
}

void text_excerpt(const char *s, size_t max, char *out, size_t outlen)
{
	size_t o = 0;
	bool space = false;
	if (max + 4 > outlen)
		max = outlen > 4 ? outlen - 4 : 0;
	for (; *s && o < max; s++) {
		if (isspace((unsigned char)*s)) {
			space = o > 0;
			continue;
		}
		if (space) {
			out[o++] = ' ';
			space = false;
			if (o >= max)
				break;
		}
		out[o++] = *s;
	}
	bool between_words = isspace((unsigned char)*s) || (o > 0 && out[o - 1] == ' ');
	while (isspace((unsigned char)*s))
		s++;
	if (*s) {
		/* Step back to a character boundary, then to the end of the
		 * last whole word when one ends in the last quarter, and leave
		 * no separator or comma dangling before the mark of the cut. */
		while (o > 0 && ((unsigned char)*s & 0xC0) == 0x80) {
			o--;
			s--;
		}
		if (!between_words) {
			size_t word = o;
			while (word > 0 && out[word - 1] != ' ')
				word--;
			if (word > 0 && word >= o - o / 4)
				o = word;
		}
		for (;;) {
			while (o > 0 && (out[o - 1] == ' ' || strchr(",;:-", out[o - 1])))
				o--;
			if (o < 2 || memcmp(out + o - 2, "\xC2\xB7", 2) != 0) /* U+00B7 · */
				break;
			o -= 2;
		}
		memcpy(out + o, "\xE2\x80\xA6", 3);
		o += 3;
	}
	out[o] = '\0';
}

int64_t text_parse_date(const char *s)
{
	/* Exactly YYYY-MM-DD, as a date input sends it: "2026-1-5" is not. */
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return -1;
	struct tm tm = {0};
	int used = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &used) != 3 || s[used])
		return -1;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_year < 2000 ||
	    tm.tm_year > 2200)
		return -1;
	int day = tm.tm_mday, month = tm.tm_mon - 1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm);
	/* timegm moves 31 February into March; such a date does not exist. */
	return tm.tm_mday == day && tm.tm_mon == month ? (int64_t)t : -1;
}
