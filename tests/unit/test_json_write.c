/* Unit tests of render/json_write: the API's JSON is byte for byte what
 * jansson writes with JSON_COMPACT | JSON_ENSURE_ASCII, for every kind of
 * value and every character. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "render/json_write.h"

/* Fails unless json_write and jansson agree on v (which it takes). */
static void agrees(json_t *v)
{
	char *want = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
	assert_non_null(want);
	struct buf got = {0};
	json_write(v, &got);
	buf_putc(&got, '\0');
	assert_string_equal(got.data, want);
	buf_free(&got);
	json_text_free(want);
	json_decref(v);
}

static void test_values_of_every_kind(void **state)
{
	(void)state;
	agrees(json_null());
	agrees(json_true());
	agrees(json_false());
	agrees(json_object());
	agrees(json_array());
	agrees(json_string(""));
	agrees(json_integer(0));
	agrees(json_integer(-1));
	agrees(json_integer(INT64_MAX));
	agrees(json_integer(INT64_MIN));
	agrees(json_real(0.5));
	agrees(json_real(3.0));
	agrees(json_real(-1e300));
	agrees(json_pack("{s:[i, s, {}, []], s:{s:n, s:b}, s:f}", "list", 7, "sju", "inner", "none", "yes", 1,
			 "ratio", 0.25));
}

/* Members come out in the order they were set, as jansson keeps them. */
static void test_members_in_the_order_set(void **state)
{
	(void)state;
	json_t *o = json_object();
	const char *keys[] = {"zeta", "alpha", "mitt", "b", "a", "Å", "key with \"quotes\""};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		json_object_set_new(o, keys[i], json_integer((json_int_t)i));
	json_object_del(o, "mitt");
	json_object_set_new(o, "mitt", json_string("again"));
	agrees(o);
}

static void test_every_ascii_character(void **state)
{
	(void)state;
	char all[128];
	for (int c = 1; c < 128; c++)
		all[c - 1] = (char)c;
	all[127] = '\0';
	agrees(json_string(all));
	agrees(json_pack("{s:s}", all, "key escaped the same way"));
}

static void test_characters_beyond_ascii(void **state)
{
	(void)state;
	agrees(json_string("Kunskapsdelning i Älvbacka: ÅÄÖ åäö ł ĳ é"));
	agrees(json_string("中文 русский עברית"));
	agrees(json_string("emoji 😀 and 𝄞, at the end: 🇸🇪"));
	agrees(json_string("\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"));
	agrees(json_stringn("a\0b", 3));
}

/* The UTF-8 of code point cp at p; its length. */
static size_t encode(uint32_t cp, char *p)
{
	if (cp < 0x80) {
		p[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (char)(0xC0 | cp >> 6);
		p[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		p[0] = (char)(0xE0 | cp >> 12);
		p[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		p[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	p[0] = (char)(0xF0 | cp >> 18);
	p[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	p[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	p[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static void test_random_text(void **state)
{
	(void)state;
	srand(15);
	for (int round = 0; round < 2000; round++) {
		char text[400];
		size_t n = 0;
		int chars = rand() % 80;
		for (int i = 0; i < chars; i++) {
			uint32_t cp;
			switch (rand() % 4) {
			case 0: cp = (uint32_t)(rand() % 0x80); break;
			case 1: cp = 0x80 + (uint32_t)(rand() % 0x780); break;
			case 2: cp = 0x800 + (uint32_t)(rand() % 0xF800); break;
			default: cp = 0x10000 + (uint32_t)(rand() % 0x100000); break;
			}
			if (cp == 0 || (cp >= 0xD800 && cp < 0xE000))
				cp = 'x';
			n += encode(cp, text + n);
		}
		agrees(json_pack("[s#, {s#:i}]", text, (int)n, text, (int)n, round));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_of_every_kind),
		cmocka_unit_test(test_members_in_the_order_set),
		cmocka_unit_test(test_every_ascii_character),
		cmocka_unit_test(test_characters_beyond_ascii),
		cmocka_unit_test(test_random_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
