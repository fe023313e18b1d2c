/* Unit tests of core/zone: which names are zones, local times parsed,
 * converted to UTC and back across the changes of the clocks (a time
 * skipped is refused, a time shown twice is the first), and the zone's
 * abbreviation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "core/zone.h"

static int64_t utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
	return (int64_t)timegm(&tm);
}

static void test_names(void **state)
{
	(void)state;
	const char *zones[] = {"Europe/Stockholm", "Europe/Amsterdam", "America/New_York", "UTC", "Asia/Kolkata"};
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		assert_true(zone_exists(zones[i]));
	const char *not_zones[] = {"", "Mars/Olympus_Mons", "Europe", "Europe/", "/etc/passwd", "../../etc/passwd",
				   "Europe/../Europe/Stockholm", "zone.tab", "Europe/Stockholm ", "Europe//Stockholm",
				   "-Europe"};
	for (size_t i = 0; i < sizeof(not_zones) / sizeof(not_zones[0]); i++)
		if (zone_exists(not_zones[i]))
			fail_msg("\"%s\" is taken for a zone", not_zones[i]);
	assert_false(zone_exists(NULL));
}

static void test_parse(void **state)
{
	(void)state;
	struct zone_local l;
	assert_true(zone_parse_local("2030-03-14T18:30", &l));
	assert_int_equal(l.year, 2030);
	assert_int_equal(l.month, 3);
	assert_int_equal(l.day, 14);
	assert_int_equal(l.hour, 18);
	assert_int_equal(l.minute, 30);
	assert_true(zone_parse_local("2030-03-14 18:30", &l));
	assert_true(zone_parse_local("2030-03-14T18:30:59", &l));
	assert_int_equal(l.minute, 30);
	assert_true(zone_parse_local("2028-02-29T00:00", &l));
	const char *bad[] = {"", "2030-03-14", "2030-03-14T18", "2030-02-29T10:00", "2030-13-01T10:00",
			     "2030-03-14T24:00", "2030-03-14T18:60", "2030-03-14X18:30", "2030-03-14T18:30Z",
			     "2030-03-14T18:30:60", "tomorrow", "1969-12-31T23:59"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (zone_parse_local(bad[i], &l))
			fail_msg("\"%s\" is taken for a local time", bad[i]);
	assert_false(zone_parse_local(NULL, &l));
}

static void test_to_utc_and_back(void **state)
{
	(void)state;
	int64_t t;
	char abbrev[16];
	struct zone_local back;
	/* Winter and summer in Stockholm; summer in New York. */
	assert_true(zone_to_utc("Europe/Stockholm", &(struct zone_local){2030, 3, 14, 18, 30}, &t));
	assert_int_equal(t, utc(2030, 3, 14, 17, 30));
	assert_true(zone_from_utc("Europe/Stockholm", t, &back, abbrev, sizeof(abbrev)));
	assert_int_equal(back.hour, 18);
	assert_string_equal(abbrev, "CET");
	assert_true(zone_to_utc("Europe/Stockholm", &(struct zone_local){2030, 6, 14, 18, 30}, &t));
	assert_int_equal(t, utc(2030, 6, 14, 16, 30));
	assert_true(zone_from_utc("Europe/Stockholm", t, &back, abbrev, sizeof(abbrev)));
	assert_string_equal(abbrev, "CEST");
	assert_true(zone_to_utc("America/New_York", &(struct zone_local){2030, 7, 1, 9, 0}, &t));
	assert_int_equal(t, utc(2030, 7, 1, 13, 0));
	/* 02:30 on the last Sunday of March is skipped in Stockholm. */
	assert_false(zone_to_utc("Europe/Stockholm", &(struct zone_local){2030, 3, 31, 2, 30}, &t));
	/* 02:30 on the last Sunday of October happens twice: the first, in
	 * summer time, is 00:30 UTC. */
	assert_true(zone_to_utc("Europe/Stockholm", &(struct zone_local){2030, 10, 27, 2, 30}, &t));
	assert_int_equal(t, utc(2030, 10, 27, 0, 30));
	/* UTC itself, and no zone. */
	assert_true(zone_to_utc("UTC", &(struct zone_local){2030, 1, 1, 0, 0}, &t));
	assert_int_equal(t, utc(2030, 1, 1, 0, 0));
	assert_false(zone_to_utc("Mars/Olympus_Mons", &(struct zone_local){2030, 1, 1, 0, 0}, &t));
	assert_false(zone_from_utc("Mars/Olympus_Mons", t, &back, abbrev, sizeof(abbrev)));
}

int main(void)
{
	zone_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_to_utc_and_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
