/* Unit tests of auth/password: argon2id hashing and the password policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "auth/password.h"

static int setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static void test_hash_verify_roundtrip(void **state)
{
	(void)state;
	char hash[PASSWORD_HASH_MAX];
	assert_true(password_hash("correct horse battery staple", hash));
	assert_true(strlen(hash) < PASSWORD_HASH_MAX);
	assert_true(password_verify(hash, "correct horse battery staple"));
}

static void test_hash_format(void **state)
{
	(void)state;
	char hash[PASSWORD_HASH_MAX];
	assert_true(password_hash("a fine password", hash));
	assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
	assert_non_null(strstr(hash, "$v=19$"));
	assert_non_null(strstr(hash, "m="));
	/* The password itself never appears in the hash. */
	assert_null(strstr(hash, "a fine password"));
}

static void test_wrong_password(void **state)
{
	(void)state;
	char hash[PASSWORD_HASH_MAX];
	assert_true(password_hash("correct horse battery staple", hash));
	assert_false(password_verify(hash, "correct horse battery stapl"));
	assert_false(password_verify(hash, "correct horse battery staple "));
	assert_false(password_verify(hash, "Correct horse battery staple"));
	assert_false(password_verify(hash, ""));
}

static void test_verify_bad_hashes(void **state)
{
	(void)state;
	assert_false(password_verify(NULL, "whatever password"));
	assert_false(password_verify("", "whatever password"));
	assert_false(password_verify("not a hash at all", "whatever password"));
	assert_false(password_verify("$argon2id$v=19$m=19456,t=2,p=1$garbage", "whatever password"));
}

static void test_hashes_are_salted(void **state)
{
	(void)state;
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
	assert_true(password_hash("same password twice", h1));
	assert_true(password_hash("same password twice", h2));
	assert_string_not_equal(h1, h2);
	assert_true(password_verify(h1, "same password twice"));
	assert_true(password_verify(h2, "same password twice"));
}

static void test_unicode_password(void **state)
{
	(void)state;
	char hash[PASSWORD_HASH_MAX];
	assert_true(password_hash("lösenord med åäö ☃", hash));
	assert_true(password_verify(hash, "lösenord med åäö ☃"));
	/* A different normalisation is a different password. */
	assert_false(password_verify(hash, "lo\xcc\x88senord med åäö ☃"));
}

static void test_waste_time_runs(void **state)
{
	(void)state;
	password_waste_time("for an unknown account");
	password_waste_time("");
}

static void test_problem_too_short(void **state)
{
	(void)state;
	assert_non_null(password_problem(""));
	assert_non_null(password_problem("a"));
	assert_non_null(password_problem("123456789")); /* 9 */
	/* Length counts characters, not bytes: 9 two-byte characters are short. */
	assert_non_null(password_problem("åäöåäöåäö"));
	/* The message ids differ for empty and short. */
	assert_string_not_equal(password_problem("short"), "");
}

static void test_problem_fine(void **state)
{
	(void)state;
	assert_null(password_problem("1234567890")); /* exactly the minimum */
	assert_null(password_problem("correct horse battery staple"));
	assert_null(password_problem("åäöåäöåäöå"));
	char at_max[PASSWORD_MAX_BYTES + 1];
	memset(at_max, 'x', PASSWORD_MAX_BYTES);
	at_max[PASSWORD_MAX_BYTES] = '\0';
	assert_null(password_problem(at_max));
}

static void test_problem_too_long(void **state)
{
	(void)state;
	char over[PASSWORD_MAX_BYTES + 2];
	memset(over, 'x', PASSWORD_MAX_BYTES + 1);
	over[PASSWORD_MAX_BYTES + 1] = '\0';
	const char *why = password_problem(over);
	assert_non_null(why);
	/* Not the same complaint as a short one. */
	assert_string_not_equal(why, password_problem("short"));
	/* The limit is in bytes: 600 two-byte characters are too long. */
	char *wide = malloc(1201);
	for (int i = 0; i < 600; i++)
		memcpy(wide + 2 * i, "\xc3\xa5", 2);
	wide[1200] = '\0';
	assert_non_null(password_problem(wide));
	free(wide);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_verify_roundtrip),
		cmocka_unit_test(test_hash_format),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_verify_bad_hashes),
		cmocka_unit_test(test_hashes_are_salted),
		cmocka_unit_test(test_unicode_password),
		cmocka_unit_test(test_waste_time_runs),
		cmocka_unit_test(test_problem_too_short),
		cmocka_unit_test(test_problem_fine),
		cmocka_unit_test(test_problem_too_long),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
