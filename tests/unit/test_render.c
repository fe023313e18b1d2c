/* Unit tests of render: the readable times pages show. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "render/render.h"

/* What render_add_time sets for t, next to what gmtime_r and strftime make
 * of it. */
static void assert_time_as_libc(long long t)
{
	json_t *o = json_object();
	render_add_time(o, "at", t);
	time_t tt = (time_t)t;
	struct tm tm;
	assert_non_null(gmtime_r(&tt, &tm));
	char iso[48], text[48];
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strftime(text, sizeof(text), t % 86400 == 0 ? "%Y-%m-%d" : "%Y-%m-%d %H:%M UTC", &tm);
	if (strcmp(json_string_value(json_object_get(o, "at_iso")), iso) != 0 ||
	    strcmp(json_string_value(json_object_get(o, "at_text")), text) != 0)
		fail_msg("%lld: got %s / %s, libc says %s / %s", t, json_string_value(json_object_get(o, "at_iso")),
			 json_string_value(json_object_get(o, "at_text")), iso, text);
	json_decref(o);
}

static void test_known_times(void **state)
{
	(void)state;
	json_t *o = json_object();
	render_add_time(o, "created_at", 951782400); /* a leap day */
	assert_string_equal(json_string_value(json_object_get(o, "created_at_iso")), "2000-02-29T00:00:00Z");
	assert_string_equal(json_string_value(json_object_get(o, "created_at_text")), "2000-02-29");
	render_add_time(o, "created_at", 1796406219);
	assert_string_equal(json_string_value(json_object_get(o, "created_at_iso")), "2026-12-04T17:43:39Z");
	assert_string_equal(json_string_value(json_object_get(o, "created_at_text")), "2026-12-04 17:43 UTC");
	json_decref(o);
}

/* Edges of days, months, leap years and centuries, before and after 1970,
 * and a spread of times over four centuries. */
static void test_same_as_libc(void **state)
{
	(void)state;
	static const long long edges[] = {0, -1, 1, 86399, 86400, -86400, -86401, 68169600 /* 1972-02-29 */,
					  951868799, 951868800, 4107542400 /* 2100-03-01 */, 4107455999,
					  -2208988800 /* 1900-01-01 */, 253402300799 /* 9999-12-31 */};
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		assert_time_as_libc(edges[i]);
	unsigned long long x = 88172645463325252ull;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		assert_time_as_libc((long long)(x % 25246080000ull) - 12623040000ll);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_times),
		cmocka_unit_test(test_same_as_libc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
