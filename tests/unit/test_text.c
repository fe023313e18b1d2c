/* Unit tests of core/text: UTF-8 validation, URL decoding, hex, hashing
 * and random tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

#define VALID(lit) assert_true(utf8_valid(lit, sizeof(lit) - 1))
#define INVALID(lit) assert_false(utf8_valid(lit, sizeof(lit) - 1))

static int setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

/* ---- utf8_valid ---------------------------------------------------- */

static void test_utf8_ascii(void **state)
{
	(void)state;
	VALID("");
	VALID("hello, world");
	VALID("tab\tand\nnewline");
	VALID("\x7f");
	assert_true(utf8_valid("abc", 0));
}

static void test_utf8_multibyte(void **state)
{
	(void)state;
	VALID("\xc2\x80");              /* U+0080, smallest 2-byte */
	VALID("\xdf\xbf");              /* U+07FF */
	VALID("\xe0\xa0\x80");          /* U+0800, smallest 3-byte */
	VALID("\xed\x9f\xbf");          /* U+D7FF, just below surrogates */
	VALID("\xee\x80\x80");          /* U+E000, just above surrogates */
	VALID("\xef\xbf\xbf");          /* U+FFFF */
	VALID("\xf0\x90\x80\x80");      /* U+10000, smallest 4-byte */
	VALID("\xf4\x8f\xbf\xbf");      /* U+10FFFF, the largest */
	VALID("Välkommen, Åsa! Ĳsselmeer ☃ 😀");
	VALID("日本語のテキスト");
}

static void test_utf8_overlong(void **state)
{
	(void)state;
	INVALID("\xc0\x80");            /* overlong NUL */
	INVALID("\xc0\xaf");            /* overlong '/' */
	INVALID("\xc1\xbf");            /* overlong U+007F */
	INVALID("\xe0\x80\x80");        /* overlong 3-byte NUL */
	INVALID("\xe0\x9f\xbf");        /* overlong U+07FF */
	INVALID("\xf0\x80\x80\x80");    /* overlong 4-byte NUL */
	INVALID("\xf0\x8f\xbf\xbf");    /* overlong U+FFFF */
}

static void test_utf8_surrogates(void **state)
{
	(void)state;
	INVALID("\xed\xa0\x80");        /* U+D800 */
	INVALID("\xed\xad\xbf");        /* U+DB7F */
	INVALID("\xed\xb0\x80");        /* U+DC00 */
	INVALID("\xed\xbf\xbf");        /* U+DFFF */
	INVALID("\xed\xa0\xbd\xed\xb8\x80"); /* CESU-8 pair for U+1F600 */
}

static void test_utf8_truncated(void **state)
{
	(void)state;
	INVALID("\xc3");
	INVALID("abc\xc3");
	INVALID("\xe2\x82");
	INVALID("\xf0\x9f\x98");
	INVALID("\xf0\x9f");
	/* A length that cuts a valid sequence short. */
	const char *euro = "\xe2\x82\xac";
	assert_true(utf8_valid(euro, 3));
	assert_false(utf8_valid(euro, 2));
	assert_false(utf8_valid(euro, 1));
	/* Continuation replaced by ASCII. */
	INVALID("\xc3" "a");
	INVALID("\xe2\x82" "a");
	INVALID("\xf0\x9f\x98" "a");
}

static void test_utf8_stray_bytes(void **state)
{
	(void)state;
	INVALID("\x80");                /* lone continuation */
	INVALID("a\xbf" "b");
	INVALID("\xfe");
	INVALID("\xff");
	INVALID("\xf8\x88\x80\x80\x80"); /* 5-byte form */
	INVALID("\xc3\xa9\xa9");        /* extra continuation */
}

static void test_utf8_nul(void **state)
{
	(void)state;
	INVALID("\0");
	INVALID("a\0b");
	INVALID("abc\0");
	/* Only the first n bytes count: the terminating NUL is outside. */
	assert_true(utf8_valid("abc", 3));
}

static void test_utf8_above_max(void **state)
{
	(void)state;
	INVALID("\xf4\x90\x80\x80");    /* U+110000 */
	INVALID("\xf5\x80\x80\x80");
	INVALID("\xf7\xbf\xbf\xbf");    /* U+1FFFFF */
}

static void test_utf8_length_and_printable(void **state)
{
	(void)state;
	assert_int_equal(utf8_length(""), 0);
	assert_int_equal(utf8_length("abc"), 3);
	assert_int_equal(utf8_length("Väl"), 3);
	assert_int_equal(utf8_length("☃😀"), 2);

	assert_true(text_printable("Hello\tthere", false));
	assert_false(text_printable("Hello\nthere", false));
	assert_true(text_printable("Hello\r\nthere", true));
	assert_false(text_printable("bell\a", true));
	assert_false(text_printable("del\x7f", true));
	assert_false(text_printable("esc\x1b[0m", true));
	assert_true(text_printable("Välkommen", false));
	assert_true(text_printable("", false));
}

/* ---- url_decode ---------------------------------------------------- */

static void decode_ok(const char *in, const char *want)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", in);
	long n = url_decode(buf, strlen(buf));
	assert_int_equal(n, (long)strlen(want));
	assert_memory_equal(buf, want, strlen(want));
}

static void decode_fails(const char *in)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", in);
	long n = url_decode(buf, strlen(buf));
	if (n != -1)
		fail_msg("url_decode(\"%s\") gave %ld, expected -1", in, n);
}

static void test_url_decode_plain_and_plus(void **state)
{
	(void)state;
	decode_ok("", "");
	decode_ok("hello", "hello");
	decode_ok("a+b", "a b");
	decode_ok("+++", "   ");
	decode_ok("%2B", "+"); /* an escaped plus stays a plus */
}

static void test_url_decode_percent(void **state)
{
	(void)state;
	decode_ok("%41", "A");
	decode_ok("%41%42c", "ABc");
	decode_ok("a%20b", "a b");
	decode_ok("%2f%2F", "//");
	decode_ok("%c3%a5", "\xc3\xa5");
	decode_ok("%C3%A5sa", "\xc3\xa5sa");
	decode_ok("100%25", "100%");
	decode_ok("%25%32%35", "%25"); /* decoded once, not twice */
}

static void test_url_decode_embedded_nul(void **state)
{
	(void)state;
	char buf[] = "a%00b";
	long n = url_decode(buf, strlen(buf));
	assert_int_equal(n, 3);
	assert_memory_equal(buf, "a\0b", 3);
}

static void test_url_decode_malformed(void **state)
{
	(void)state;
	decode_fails("%");
	decode_fails("%4");
	decode_fails("abc%");
	decode_fails("abc%4");
	decode_fails("%zz");
	decode_fails("%4g");
	decode_fails("%g4");
	decode_fails("%%41");
	decode_fails("%-1");
	decode_fails("% 1");
}

static void test_url_decode_respects_length(void **state)
{
	(void)state;
	/* Only n bytes are decoded; a % beyond n is not looked at. */
	char buf[] = "ab%41";
	long n = url_decode(buf, 2);
	assert_int_equal(n, 2);
	assert_memory_equal(buf, "ab", 2);
	/* A % escape that the length cuts short is malformed. */
	char buf2[] = "%41";
	assert_int_equal(url_decode(buf2, 2), -1);
}

/* ---- hex, sha256, tokens ------------------------------------------- */

static void test_hex_encode(void **state)
{
	(void)state;
	char out[64];
	hex_encode(out, (const unsigned char *)"", 0);
	assert_string_equal(out, "");
	const unsigned char bytes[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff};
	hex_encode(out, bytes, sizeof(bytes));
	assert_string_equal(out, "00017f80abcdefff");
	hex_encode(out, (const unsigned char *)"kring", 5);
	assert_string_equal(out, "6b72696e67");
}

static void test_sha256_known_vectors(void **state)
{
	(void)state;
	char out[65];
	sha256_hex(out, "", 0);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex(out, "abc", 3);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *long_msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha256_hex(out, long_msg, strlen(long_msg));
	assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* n is honoured: hashing a prefix. */
	sha256_hex(out, "abcdef", 3);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(strlen(out), 64);
}

static bool urlsafe_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

static void check_token(const char *tok, size_t nbytes)
{
	/* Unpadded URL-safe base64 of nbytes bytes: ceil(4n/3) characters. */
	size_t want = (4 * nbytes + 2) / 3;
	assert_int_equal(strlen(tok), want);
	for (const char *p = tok; *p; p++)
		if (!urlsafe_char(*p))
			fail_msg("token %s holds '%c', not URL-safe base64", tok, *p);
}

static void test_token_random_length_and_charset(void **state)
{
	(void)state;
	size_t sizes[] = {1, 2, 3, 16, 24, 32, 33};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char out[2 * 64 + 1];
		memset(out, 'Z', sizeof(out));
		token_random(out, sizes[i]);
		check_token(out, sizes[i]);
	}
	char out32[2 * 32 + 1];
	token_random(out32, 32);
	assert_int_equal(strlen(out32), 43);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void test_token_random_unique(void **state)
{
	(void)state;
	enum { N = 2000 };
	static char toks[N][65];
	for (int i = 0; i < N; i++) {
		token_random(toks[i], 16);
		check_token(toks[i], 16);
	}
	qsort(toks, N, sizeof(toks[0]), cmp_str);
	for (int i = 1; i < N; i++)
		assert_string_not_equal(toks[i - 1], toks[i]);
	/* Every URL-safe character class shows up somewhere in 2000 tokens. */
	bool upper = false, lower = false, digit = false;
	for (int i = 0; i < N; i++)
		for (const char *p = toks[i]; *p; p++) {
			upper |= *p >= 'A' && *p <= 'Z';
			lower |= *p >= 'a' && *p <= 'z';
			digit |= *p >= '0' && *p <= '9';
		}
	assert_true(upper && lower && digit);
}

/* ---- trim, equal_ci ------------------------------------------------ */

static void test_trim_and_equal_ci(void **state)
{
	(void)state;
	char a[] = "  padded \t\n";
	assert_string_equal(text_trim(a), "padded");
	char b[] = "none";
	assert_string_equal(text_trim(b), "none");
	char c[] = "   ";
	assert_string_equal(text_trim(c), "");
	char d[] = "";
	assert_string_equal(text_trim(d), "");
	char e[] = " inner space kept ";
	assert_string_equal(text_trim(e), "inner space kept");

	assert_true(text_equal_ci("GET", "get"));
	assert_true(text_equal_ci("Content-Type", "content-type"));
	assert_false(text_equal_ci("get", "gets"));
	assert_false(text_equal_ci(NULL, "x"));
	assert_false(text_equal_ci("x", NULL));
}

/* ---- bidirectional controls ------------------------------------------ */

static void test_bidi_control(void **state)
{
	(void)state;
	static const char *const controls[] = {
		"\xD8\x9C",                                     /* U+061C */
		"\xE2\x80\x8E", "\xE2\x80\x8F",                 /* U+200E, U+200F */
		"\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC", /* U+202A–U+202C */
		"\xE2\x80\xAD", "\xE2\x80\xAE",                 /* U+202D, U+202E */
		"\xE2\x81\xA6", "\xE2\x81\xA7", "\xE2\x81\xA8", /* U+2066–U+2068 */
		"\xE2\x81\xA9",                                 /* U+2069 */
	};
	for (size_t i = 0; i < sizeof controls / sizeof *controls; i++)
		assert_int_equal(text_bidi_control(controls[i]), strlen(controls[i]));
	/* their neighbours, and what they would be cut to, are not */
	static const char *const others[] = {
		"", "a", "\xD8\x9B", "\xD8\xA8", "\xE2\x80\x8D", "\xE2\x80\x90", "\xE2\x80\xA9",
		"\xE2\x80\xAF", "\xE2\x81\xA5", "\xE2\x81\xAA", "\xE2\x80", "\xE2", "\xD8",
	};
	for (size_t i = 0; i < sizeof others / sizeof *others; i++)
		assert_int_equal(text_bidi_control(others[i]), 0);
}

static void test_clean_name(void **state)
{
	(void)state;
	char a[] = "invoice\xE2\x80\xAE" "FDP.exe.txt";
	assert_string_equal(text_clean_name(a), "invoiceFDP.exe.txt");
	char b[] = " \xE2\x81\xA6 Anna \xD8\x9C" "Berg\xE2\x81\xA9 \xE2\x80\x8F";
	assert_string_equal(text_clean_name(b), "Anna Berg");
	char c[] = "\xE2\x80\xAA\xE2\x80\xAC";
	assert_string_equal(text_clean_name(c), "");
	/* broken UTF-8 around a control cannot meet as another one */
	char j[] = "a\xE2\xE2\x80\xAD\x81\xA7" "b\xD8\xE2\x80\xAE\x9C" "c";
	assert_string_equal(text_clean_name(j), "abc");
	/* other text, Arabic and Hebrew letters too, stays as it is */
	char d[] = "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xC3\xB6 \xE2\x80\x94";
	assert_string_equal(text_clean_name(d), "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xC3\xB6 \xE2\x80\x94");
}

static void test_parse_date(void **state)
{
	(void)state;
	assert_int_equal(text_parse_date("2026-12-04"), 1796342400);
	assert_int_equal(text_parse_date("2024-02-29"), 1709164800);
	static const char *const bad[] = {"2026-1-5", "2026-02-30", "2023-02-29", "2026-13-01", "2026-00-10",
					  "1999-12-31", "2201-01-01", "2026-12-04x", "2026/12/04", "", "2026-12-0",
					  " 2026-12-04", "+026-12-04"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (text_parse_date(bad[i]) != -1)
			fail_msg("\"%s\" was taken as a date", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_ascii),
		cmocka_unit_test(test_utf8_multibyte),
		cmocka_unit_test(test_utf8_overlong),
		cmocka_unit_test(test_utf8_surrogates),
		cmocka_unit_test(test_utf8_truncated),
		cmocka_unit_test(test_utf8_stray_bytes),
		cmocka_unit_test(test_utf8_nul),
		cmocka_unit_test(test_utf8_above_max),
		cmocka_unit_test(test_utf8_length_and_printable),
		cmocka_unit_test(test_url_decode_plain_and_plus),
		cmocka_unit_test(test_url_decode_percent),
		cmocka_unit_test(test_url_decode_embedded_nul),
		cmocka_unit_test(test_url_decode_malformed),
		cmocka_unit_test(test_url_decode_respects_length),
		cmocka_unit_test(test_hex_encode),
		cmocka_unit_test(test_sha256_known_vectors),
		cmocka_unit_test(test_token_random_length_and_charset),
		cmocka_unit_test(test_token_random_unique),
		cmocka_unit_test(test_trim_and_equal_ci),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_bidi_control),
		cmocka_unit_test(test_clean_name),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
