/* Unit tests of hash: the published FNV-1a test values, so every table and
 * every avatar version keeps its value across a change of the code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/hash.h"
#include "render/avatar.h"

static void test_known_values(void **state)
{
	(void)state;
	assert_int_equal(hash_str(""), 0x811c9dc5u);
	assert_int_equal(hash_str("a"), 0xe40c292cu);
	assert_int_equal(hash_str("foobar"), 0xbf9cf968u);
	assert_int_equal(hash_bytes("foobar!", 6), 0xbf9cf968u);
	/* Bytes after a NUL count when the length says so. */
	assert_int_not_equal(hash_bytes("a\0b", 3), hash_str("a"));
}

static void test_bytes_above_127(void **state)
{
	(void)state;
	/* Each byte counts as unsigned, whatever char is on the machine. */
	assert_int_equal(hash_str("\xc3\xa9"), hash_bytes((const unsigned char[]){0xc3, 0xa9}, 2));
	assert_int_not_equal(hash_str("\xc3\xa9"), hash_str("e"));
}

static void test_avatar_versions(void **state)
{
	(void)state;
	/* Avatar addresses (?v=) and their ETags are this hash of the name. */
	assert_int_equal(avatar_hash("foobar"), 0xbf9cf968u);
	assert_int_equal(avatar_hash(NULL), 0x811c9dc5u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_bytes_above_127),
		cmocka_unit_test(test_avatar_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
