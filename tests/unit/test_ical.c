/* Unit tests of core/ical: text escaped (backslash, semicolon, comma, line
 * breaks; other controls left out), lines folded at 75 octets without
 * splitting a UTF-8 character, CRLF after every line, times in UTC and in
 * a zone, and a VTIMEZONE whose changes of the clocks are those of the
 * time zone database (Stockholm and New York, which change on different
 * days), plus the changes core/zone finds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/ical.h"
#include "core/zone.h"

static int64_t utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
	return (int64_t)timegm(&tm);
}

static void test_escape(void **state)
{
	(void)state;
	struct buf b = {0};
	ical_text(&b, "SUMMARY", "Fika; coffee, cake \\ talk\nline two\r\nthree\rfour\x01\x7f\tend");
	assert_string_equal(b.data, "SUMMARY:Fika\\; coffee\\, cake \\\\ talk\\nline two\\nthree\\nfour\tend\r\n");
	buf_reset(&b);
	ical_text(&b, "DESCRIPTION", "");
	assert_string_equal(b.data, "DESCRIPTION:\r\n");
	buf_free(&b);
}

/* Every line of b: at most 75 octets before its CRLF, each continuation
 * starts with one space, no line starts inside a UTF-8 character, and
 * unfolding gives back want. */
static void assert_folded(const struct buf *b, const char *want)
{
	struct buf unfolded = {0};
	const char *p = b->data;
	bool first = true;
	while (*p) {
		const char *eol = strstr(p, "\r\n");
		assert_non_null(eol);
		size_t n = (size_t)(eol - p);
		if (n > 75)
			fail_msg("a line of %zu octets: %.*s", n, (int)n, p);
		if (!first) {
			assert_int_equal(p[0], ' ');
			p++;
			n--;
		}
		if (n > 0 && ((unsigned char)p[0] & 0xC0) == 0x80)
			fail_msg("a line starts inside a character: %.*s", (int)n, p);
		buf_append(&unfolded, p, n);
		p = eol + 2;
		first = false;
	}
	assert_string_equal(unfolded.data, want);
	buf_free(&unfolded);
}

static void test_fold(void **state)
{
	(void)state;
	struct buf b = {0}, want = {0};
	/* Exactly 75 octets stays one line. */
	char line[80];
	memset(line, 'a', 67);
	line[67] = '\0';
	ical_line(&b, "SUMMARY", line); /* "SUMMARY:" is 8 */
	assert_int_equal(b.len, 77);
	assert_folded(&b, "SUMMARY:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	/* One more folds. */
	buf_reset(&b);
	line[67] = 'b';
	line[68] = '\0';
	ical_line(&b, "SUMMARY", line);
	assert_non_null(strstr(b.data, "a\r\n b\r\n"));
	/* Swedish and emoji, at every alignment against the fold. */
	for (int pad = 0; pad < 6; pad++) {
		buf_reset(&b);
		buf_reset(&want);
		struct buf text = {0};
		for (int i = 0; i < pad; i++)
			buf_putc(&text, 'x');
		for (int i = 0; i < 40; i++)
			buf_puts(&text, i % 3 ? "åäö" : "☕😀");
		ical_text(&b, "DESCRIPTION", text.data);
		buf_puts(&want, "DESCRIPTION:");
		buf_puts(&want, text.data);
		assert_folded(&b, want.data);
		buf_free(&text);
	}
	buf_free(&b);
	buf_free(&want);
}

static void test_times(void **state)
{
	(void)state;
	struct buf b = {0};
	ical_utc(&b, "DTSTAMP", utc(2026, 3, 14, 17, 30));
	assert_string_equal(b.data, "DTSTAMP:20260314T173000Z\r\n");
	buf_reset(&b);
	ical_local(&b, "DTSTART", "Europe/Stockholm", utc(2026, 1, 15, 17, 30));
	ical_local(&b, "DTEND", "Europe/Stockholm", utc(2026, 7, 15, 16, 30));
	ical_local(&b, "DTSTART", "America/New_York", utc(2026, 1, 15, 17, 30));
	assert_string_equal(b.data, "DTSTART;TZID=Europe/Stockholm:20260115T183000\r\n"
				    "DTEND;TZID=Europe/Stockholm:20260715T183000\r\n"
				    "DTSTART;TZID=America/New_York:20260115T123000\r\n");
	buf_reset(&b);
	ical_local(&b, "DTSTART", "Mars/Olympus_Mons", 0);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void test_transitions(void **state)
{
	(void)state;
	struct zone_transition t[8];
	/* 2026 in Stockholm: CET to CEST on 29 March at 01:00 UTC, back on 25
	 * October at 01:00 UTC. */
	size_t n = zone_transitions("Europe/Stockholm", utc(2026, 1, 1, 0, 0), utc(2027, 1, 1, 0, 0), t, 8);
	assert_int_equal(n, 2);
	assert_int_equal(t[0].at, utc(2026, 3, 29, 1, 0));
	assert_int_equal(t[0].before.utc_offset, 3600);
	assert_int_equal(t[0].after.utc_offset, 7200);
	assert_true(t[0].after.dst);
	assert_string_equal(t[0].after.abbrev, "CEST");
	assert_int_equal(t[1].at, utc(2026, 10, 25, 1, 0));
	assert_false(t[1].after.dst);
	/* New York: 8 March at 07:00 UTC, 1 November at 06:00 UTC. */
	n = zone_transitions("America/New_York", utc(2026, 1, 1, 0, 0), utc(2027, 1, 1, 0, 0), t, 8);
	assert_int_equal(n, 2);
	assert_int_equal(t[0].at, utc(2026, 3, 8, 7, 0));
	assert_int_equal(t[0].after.utc_offset, -4 * 3600);
	assert_int_equal(t[1].at, utc(2026, 11, 1, 6, 0));
	assert_int_equal(t[1].after.utc_offset, -5 * 3600);
	/* No changes in Kolkata; none for no zone; at most max. */
	assert_int_equal(zone_transitions("Asia/Kolkata", utc(2026, 1, 1, 0, 0), utc(2027, 1, 1, 0, 0), t, 8), 0);
	assert_int_equal(zone_transitions("Mars/Olympus_Mons", 0, utc(2027, 1, 1, 0, 0), t, 8), 0);
	assert_int_equal(zone_transitions("Europe/Stockholm", utc(2020, 1, 1, 0, 0), utc(2030, 1, 1, 0, 0), t, 3), 3);
	struct zone_offset o;
	assert_true(zone_offset_at("America/New_York", utc(2026, 7, 1, 0, 0), &o));
	assert_int_equal(o.utc_offset, -4 * 3600);
	assert_true(o.dst);
	assert_string_equal(o.abbrev, "EDT");
}

static void test_timezone(void **state)
{
	(void)state;
	struct buf b = {0};
	/* A winter evening and a summer one in 2026. */
	int64_t stockholm[] = {utc(2026, 7, 15, 18, 0), utc(2026, 1, 15, 17, 0)};
	ical_timezone(&b, "Europe/Stockholm", stockholm, 2);
	const char *want_start = "BEGIN:VTIMEZONE\r\nTZID:Europe/Stockholm\r\n"
				 /* in force in January: since October 2025 */
				 "BEGIN:STANDARD\r\nDTSTART:20251026T030000\r\nTZOFFSETFROM:+0200\r\n"
				 "TZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\n"
				 "BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\n"
				 "TZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\n"
				 "BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\n"
				 "TZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\n";
	assert_memory_equal(b.data, want_start, strlen(want_start));
	/* … and on to a year after the last time; then the end. */
	assert_non_null(strstr(b.data, "DTSTART:20270328T020000\r\n"));
	assert_null(strstr(b.data, "DTSTART:2028"));
	assert_int_equal(strcmp(b.data + b.len - strlen("END:VTIMEZONE\r\n"), "END:VTIMEZONE\r\n"), 0);
	buf_reset(&b);
	int64_t york[] = {utc(2026, 7, 1, 0, 0), utc(2026, 12, 1, 0, 0)};
	ical_timezone(&b, "America/New_York", york, 2);
	assert_non_null(strstr(b.data, "BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0500\r\n"
					"TZOFFSETTO:-0400\r\nTZNAME:EDT\r\nEND:DAYLIGHT\r\n"));
	assert_non_null(strstr(b.data, "BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\n"
					"TZOFFSETTO:-0500\r\nTZNAME:EST\r\nEND:STANDARD\r\n"));
	/* Times years apart: the changes around each, none of the years
	 * between. */
	buf_reset(&b);
	int64_t apart[] = {utc(2026, 1, 15, 17, 0), utc(2040, 1, 15, 17, 0)};
	ical_timezone(&b, "Europe/Stockholm", apart, 2);
	assert_non_null(strstr(b.data, "DTSTART:20251026T030000\r\n"));
	assert_non_null(strstr(b.data, "DTSTART:20261025T030000\r\n"));
	assert_non_null(strstr(b.data, "DTSTART:20391030T030000\r\n"));
	assert_non_null(strstr(b.data, "DTSTART:20400325T020000\r\n"));
	assert_null(strstr(b.data, "DTSTART:2033"));
	/* Times close together for thirty years: every change between. */
	buf_reset(&b);
	int64_t close[80];
	for (int i = 0; i < 80; i++)
		close[i] = utc(2026, 1, 15, 17, 0) + (int64_t)i * 140 * 86400;
	ical_timezone(&b, "Europe/Stockholm", close, 80);
	assert_non_null(strstr(b.data, "DTSTART:20390327T020000\r\n"));
	assert_non_null(strstr(b.data, "DTSTART:20550328T020000\r\n"));
	assert_non_null(strstr(b.data, "DTSTART:20551031T030000\r\n"));
	/* A zone that does not change: one observance since 1970. */
	buf_reset(&b);
	ical_timezone(&b, "Asia/Kolkata", york, 2);
	assert_string_equal(b.data, "BEGIN:VTIMEZONE\r\nTZID:Asia/Kolkata\r\nBEGIN:STANDARD\r\n"
				    "DTSTART:19700101T000000\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\n"
				    "TZNAME:IST\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n");
	buf_reset(&b);
	ical_timezone(&b, "Mars/Olympus_Mons", york, 2);
	assert_int_equal(b.len, 0);
	ical_timezone(&b, "Europe/Stockholm", york, 0);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

int main(void)
{
	zone_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_timezone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
