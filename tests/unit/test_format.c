/* Unit tests of format: messages with values in each language, and sizes
 * in binary units at the edges of each unit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include "i18n/format.h"
#include "i18n/i18n.h"

static int setup(void **state)
{
	(void)state;
	return i18n_load() ? 0 : -1;
}

static void test_sizes(void **state)
{
	(void)state;
	struct arena a = {0};
	static const struct {
		int64_t bytes;
		const char *en, *sv;
	} cases[] = {
		{0, "0 bytes", "0 byte"},
		{1, "1 byte", "1 byte"},
		{930, "930 bytes", "930 byte"},
		{1023, "1023 bytes", "1023 byte"},
		{1024, "1 KiB", "1 KiB"},
		{1536, "1.5 KiB", "1,5 KiB"},
		{2000, "2 KiB", "2 KiB"},
		{10 * 1024 - 1, "10 KiB", "10 KiB"},
		{14 * 1024 + 100, "14 KiB", "14 KiB"},
		{1024 * 1024 - 1, "1 MiB", "1 MiB"},
		{5000001, "4.8 MiB", "4,8 MiB"},
		{20 * 1024 * 1024, "20 MiB", "20 MiB"},
		{20 * 1024 * 1024 + 1, "20 MiB", "20 MiB"},
		{21 * 1024 * 1024, "21 MiB", "21 MiB"},
		{1L << 30, "1 GiB", "1 GiB"},
		{(1L << 30) * 5 / 2, "2.5 GiB", "2,5 GiB"},
		{(1L << 30) * 3000, "3000 GiB", "3000 GiB"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(format_size(&a, LOCALE_EN, cases[i].bytes), cases[i].en);
		assert_string_equal(format_size(&a, LOCALE_SV, cases[i].bytes), cases[i].sv);
	}
	assert_string_equal(format_size(&a, LOCALE_NL, 1536), "1,5 KiB");
	assert_string_equal(format_size(&a, LOCALE_NL, 2), "2 bytes");
	arena_reset(&a);
}

static void test_messages(void **state)
{
	(void)state;
	struct arena a = {0};
	assert_string_equal(format_message(&a, LOCALE_EN, "{{name}} is empty.", "name", "a.pdf", NULL), "a.pdf is empty.");
	assert_string_equal(format_message(&a, LOCALE_SV, "{{name}} is empty.", "name", "a.pdf", NULL), "a.pdf är tom.");
	assert_string_equal(format_message(&a, LOCALE_NL, "{{name}} is empty.", "name", "a.pdf", NULL), "a.pdf is leeg.");
	/* every placeholder, in any order; a value is not read as a template */
	assert_string_equal(format_message(&a, LOCALE_EN,
					   "{{name}} is {{size}}, more than the {{limit}} this site takes at once.",
					   "limit", "2 KiB", "size", "{{limit}}", "name", "b.txt", NULL),
			    "b.txt is {{limit}}, more than the 2 KiB this site takes at once.");
	/* a placeholder without a value, an unclosed one, none at all */
	assert_string_equal(format_message(&a, LOCALE_EN, "{{a}} and {{b}}", "a", "x", NULL), "x and {{b}}");
	assert_string_equal(format_message(&a, LOCALE_EN, "open {{a", "a", "x", NULL), "open {{a");
	assert_string_equal(format_message(&a, LOCALE_EN, "", NULL), "");
	assert_string_equal(format_message(&a, LOCALE_SV, "Sign in", NULL), "Logga in");
	arena_reset(&a);
}

/* A message with a singular and a plural form takes the first for one. */
static void test_counts(void **state)
{
	(void)state;
	struct arena a = {0};
	const char *msgid = "{{count}} new answer on {{title}}|{{count}} new answers on {{title}}";
	assert_string_equal(format_count(&a, LOCALE_EN, msgid, 1, "count", "1", "title", "Fika", NULL),
			    "1 new answer on Fika");
	assert_string_equal(format_count(&a, LOCALE_EN, msgid, 3, "count", "3", "title", "Fika", NULL),
			    "3 new answers on Fika");
	assert_string_equal(format_count(&a, LOCALE_SV, msgid, 2, "count", "2", "title", "Fika", NULL),
			    "2 nya svar på Fika");
	assert_string_equal(format_count(&a, LOCALE_SV, msgid, 1, "count", "1", "title", "Fika", NULL),
			    "1 nytt svar på Fika");
	/* a message with one form only is that form */
	assert_string_equal(format_count(&a, LOCALE_EN, "{{count}} left", 2, "count", "2", NULL), "2 left");
	arena_reset(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_counts),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
