/* Unit tests of auth/csrf: tokens and the verdict on state-changing
 * requests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth/csrf.h"

#define GOOD "tokentokentokentokentokentokentokentokentok"

static int setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static bool urlsafe(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

static void test_new_token_shape(void **state)
{
	(void)state;
	for (int i = 0; i < 50; i++) {
		char tok[CSRF_TOKEN_CHARS + 1];
		memset(tok, '=', sizeof(tok));
		csrf_new_token(tok);
		assert_int_equal(strlen(tok), CSRF_TOKEN_CHARS);
		for (int k = 0; k < CSRF_TOKEN_CHARS; k++)
			if (!urlsafe(tok[k]))
				fail_msg("token %s holds '%c'", tok, tok[k]);
	}
}

static int cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_new_token_unique(void **state)
{
	(void)state;
	enum { N = 1000 };
	static char toks[N][CSRF_TOKEN_CHARS + 1];
	for (int i = 0; i < N; i++)
		csrf_new_token(toks[i]);
	qsort(toks, N, sizeof(toks[0]), cmp);
	for (int i = 1; i < N; i++)
		assert_string_not_equal(toks[i - 1], toks[i]);
}

static void test_tokens_equal(void **state)
{
	(void)state;
	char a[CSRF_TOKEN_CHARS + 1], b[CSRF_TOKEN_CHARS + 1];
	csrf_new_token(a);
	memcpy(b, a, sizeof(a));
	assert_true(csrf_tokens_equal(a, b));
	assert_true(csrf_tokens_equal(a, a));
	b[CSRF_TOKEN_CHARS - 1] = b[CSRF_TOKEN_CHARS - 1] == 'A' ? 'B' : 'A';
	assert_false(csrf_tokens_equal(a, b));
	b[CSRF_TOKEN_CHARS - 1] = a[CSRF_TOKEN_CHARS - 1];
	b[0] = b[0] == 'A' ? 'B' : 'A';
	assert_false(csrf_tokens_equal(a, b));
	assert_true(csrf_tokens_equal("abc", "abc"));
	assert_false(csrf_tokens_equal("abc", "abd"));
}

static void test_tokens_equal_null_and_lengths(void **state)
{
	(void)state;
	assert_false(csrf_tokens_equal(NULL, GOOD));
	assert_false(csrf_tokens_equal(GOOD, NULL));
	assert_false(csrf_tokens_equal(NULL, NULL));
	assert_false(csrf_tokens_equal(GOOD, GOOD "x"));
	assert_false(csrf_tokens_equal(GOOD "x", GOOD));
	assert_false(csrf_tokens_equal("abc", "ab"));
	assert_false(csrf_tokens_equal("ab", "abc"));
	assert_false(csrf_tokens_equal("", GOOD));
	assert_false(csrf_tokens_equal(GOOD, ""));
	/* Two empty tokens are no proof of anything. */
	assert_false(csrf_tokens_equal("", ""));
}

static enum csrf_verdict check(bool bearer, const char *expected, const char *given, bool json,
			       const char *origin, const char *host)
{
	struct csrf_request c = {bearer, expected, given, json, origin, host};
	return csrf_check(&c);
}

static void test_check_bearer(void **state)
{
	(void)state;
	assert_int_equal(check(true, NULL, NULL, false, NULL, "kring.example"), CSRF_OK);
	assert_int_equal(check(true, NULL, NULL, true, NULL, "kring.example"), CSRF_OK);
	assert_int_equal(check(true, GOOD, NULL, false, NULL, "kring.example"), CSRF_OK);
}

static void test_check_matching_token(void **state)
{
	(void)state;
	char tok[CSRF_TOKEN_CHARS + 1], copy[CSRF_TOKEN_CHARS + 1];
	csrf_new_token(tok);
	memcpy(copy, tok, sizeof(tok));
	assert_int_equal(check(false, tok, copy, false, NULL, "kring.example"), CSRF_OK);
	assert_int_equal(check(false, tok, copy, true, NULL, "kring.example"), CSRF_OK);
}

static void test_check_missing(void **state)
{
	(void)state;
	/* A session (or the anonymous cookie) expects a token the form lacks. */
	assert_int_equal(check(false, GOOD, NULL, false, NULL, "kring.example"), CSRF_MISSING);
	assert_int_equal(check(false, GOOD, "", false, NULL, "kring.example"), CSRF_MISSING);
	/* Anonymous form without any token. */
	assert_int_equal(check(false, NULL, NULL, false, NULL, "kring.example"), CSRF_MISSING);
	assert_int_equal(check(false, NULL, "", false, NULL, "kring.example"), CSRF_MISSING);
}

static void test_check_mismatch(void **state)
{
	(void)state;
	char tok[CSRF_TOKEN_CHARS + 1], other[CSRF_TOKEN_CHARS + 1];
	csrf_new_token(tok);
	csrf_new_token(other);
	assert_int_equal(check(false, tok, other, false, NULL, "kring.example"), CSRF_MISMATCH);
	assert_int_equal(check(false, tok, "short", false, NULL, "kring.example"), CSRF_MISMATCH);
	/* A token given when none is expected proves nothing. */
	assert_int_equal(check(false, NULL, other, false, NULL, "kring.example"), CSRF_MISMATCH);
	/* A wrong token in a JSON body is still wrong. */
	assert_int_equal(check(false, tok, other, true, NULL, "kring.example"), CSRF_MISMATCH);
}

static void test_check_anonymous_json(void **state)
{
	(void)state;
	assert_int_equal(check(false, NULL, NULL, true, NULL, "kring.example"), CSRF_OK);
	assert_int_equal(check(false, NULL, NULL, true, "https://kring.example", "kring.example"),
			 CSRF_OK);
	/* The same request as a form is refused. */
	assert_int_equal(check(false, NULL, NULL, false, NULL, "kring.example"), CSRF_MISSING);
}

static void test_check_bad_origin(void **state)
{
	(void)state;
	char tok[CSRF_TOKEN_CHARS + 1], copy[CSRF_TOKEN_CHARS + 1];
	csrf_new_token(tok);
	memcpy(copy, tok, sizeof(tok));
	const char *host = "kring.example";
	assert_int_equal(check(false, tok, copy, false, "https://evil.example", host), CSRF_BAD_ORIGIN);
	assert_int_equal(check(false, tok, copy, false, "http://evil.example", host), CSRF_BAD_ORIGIN);
	/* Look-alikes. */
	assert_int_equal(check(false, tok, copy, false, "https://kring.example.evil.example", host),
			 CSRF_BAD_ORIGIN);
	assert_int_equal(check(false, tok, copy, false, "https://evilkring.example", host), CSRF_BAD_ORIGIN);
	assert_int_equal(check(false, tok, copy, false, "https://kring.example:8443", host),
			 CSRF_BAD_ORIGIN);
	assert_int_equal(check(false, tok, copy, false, "kring.example", host), CSRF_BAD_ORIGIN);
	/* In every case: bearer and JSON too. */
	assert_int_equal(check(true, NULL, NULL, false, "https://evil.example", host), CSRF_BAD_ORIGIN);
	assert_int_equal(check(false, NULL, NULL, true, "https://evil.example", host), CSRF_BAD_ORIGIN);
	assert_int_equal(check(false, tok, NULL, false, "https://evil.example", host), CSRF_BAD_ORIGIN);
}

static void test_check_same_origin(void **state)
{
	(void)state;
	char tok[CSRF_TOKEN_CHARS + 1], copy[CSRF_TOKEN_CHARS + 1];
	csrf_new_token(tok);
	memcpy(copy, tok, sizeof(tok));
	assert_int_equal(check(false, tok, copy, false, "http://kring.example", "kring.example"), CSRF_OK);
	assert_int_equal(check(false, tok, copy, false, "https://kring.example", "kring.example"), CSRF_OK);
	assert_int_equal(check(false, tok, copy, false, "http://localhost:8080", "localhost:8080"), CSRF_OK);
	/* A same origin does not replace the token. */
	assert_int_equal(check(false, tok, NULL, false, "https://kring.example", "kring.example"),
			 CSRF_MISSING);
	char other[CSRF_TOKEN_CHARS + 1];
	csrf_new_token(other);
	assert_int_equal(check(false, tok, other, false, "https://kring.example", "kring.example"),
			 CSRF_MISMATCH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_token_shape),
		cmocka_unit_test(test_new_token_unique),
		cmocka_unit_test(test_tokens_equal),
		cmocka_unit_test(test_tokens_equal_null_and_lengths),
		cmocka_unit_test(test_check_bearer),
		cmocka_unit_test(test_check_matching_token),
		cmocka_unit_test(test_check_missing),
		cmocka_unit_test(test_check_mismatch),
		cmocka_unit_test(test_check_anonymous_json),
		cmocka_unit_test(test_check_bad_origin),
		cmocka_unit_test(test_check_same_origin),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
