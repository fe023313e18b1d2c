/* event_month: the month view of /events (see event_month.h). */
#include "features/event_month.h"

#include "core/arena.h"
#include "core/zone.h"
#include "http/req.h"
#include "i18n/i18n.h"

#include <stdio.h>
#include <string.h>

static const char *const month_names[12] = {
	N_("January"), N_("February"), N_("March"),	N_("April"),   N_("May"),      N_("June"),
	N_("July"),    N_("August"),   N_("September"), N_("October"), N_("November"), N_("December"),
};

static const char *const weekday_names[7] = {
	N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"),
};

/* Days from 1970-01-01 to the date of the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil), with no time zone involved. */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday). */
static int weekday(int y, int m, int d)
{
	int64_t w = (days_from_civil(y, m, d) + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

static int days_in_month(int y, int m)
{
	int next_y = m == 12 ? y + 1 : y, next_m = m == 12 ? 1 : m + 1;
	return (int)(days_from_civil(next_y, next_m, 1) - days_from_civil(y, m, 1));
}

static bool month_span(const char *zone, struct event_month *m)
{
	struct zone_local first = {m->year, m->month, 1, 0, 0};
	struct zone_local next = {m->month == 12 ? m->year + 1 : m->year, m->month == 12 ? 1 : m->month + 1, 1, 0, 0};
	return zone_to_utc(zone, &first, &m->from) && zone_to_utc(zone, &next, &m->until);
}

bool event_month_parse(const char *text, const char *zone, struct event_month *m)
{
	int used = 0;
	if (!text || strlen(text) != 7 || sscanf(text, "%4d-%2d%n", &m->year, &m->month, &used) != 2 || used != 7)
		return false;
	if (m->year < 1970 || m->year > 9999 || m->month < 1 || m->month > 12)
		return false;
	return month_span(zone, m);
}

bool event_month_of(int64_t t, const char *zone, struct event_month *m)
{
	struct zone_local l;
	char abbrev[16];
	if (!zone_from_utc(zone, t, &l, abbrev, sizeof(abbrev)))
		return false;
	m->year = l.year;
	m->month = l.month;
	return month_span(zone, m);
}

static json_t *month_code(int y, int m)
{
	return json_sprintf("%04d-%02d", y, m);
}

/* The day's entries: an array per day of the month, filled from events. */
static void place_events(const char *zone, const struct event_month *m, json_t *events, json_t *by_day[31])
{
	size_t i;
	json_t *o;
	json_array_foreach(events, i, o) {
		json_t *e = json_object_get(o, "event");
		struct zone_local l;
		char abbrev[16];
		if (!zone_from_utc(zone, json_integer_value(json_object_get(e, "starts_at")), &l, abbrev,
				   sizeof(abbrev)) ||
		    l.year != m->year || l.month != m->month)
			continue;
		json_array_append_new(by_day[l.day - 1],
				      json_pack("{s:O?, s:O?, s:o}", "title", json_object_get(o, "title"), "url",
						json_object_get(o, "url"), "time",
						json_sprintf("%02d:%02d", l.hour, l.minute)));
	}
}

json_t *event_month_grid(struct req *r, const struct event_month *m, const char *zone, json_t *events)
{
	int ndays = days_in_month(m->year, m->month);
	json_t *by_day[31];
	for (int d = 0; d < ndays; d++)
		by_day[d] = json_array();
	place_events(zone, m, events, by_day);

	struct zone_local today = {0};
	char abbrev[16];
	zone_from_utc(zone, r->now, &today, abbrev, sizeof(abbrev));
	bool this_month = today.year == m->year && today.month == m->month;

	/* Blank cells before the 1st and after the last day fill whole weeks. */
	int lead = weekday(m->year, m->month, 1);
	int cells = (lead + ndays + 6) / 7 * 7;
	json_t *weeks = json_array(), *days = NULL;
	for (int c = 0; c < cells; c++) {
		if (c % 7 == 0) {
			days = json_array();
			json_array_append_new(weeks, json_pack("{s:o}", "days", days));
		}
		int d = c - lead + 1;
		if (d < 1 || d > ndays) {
			json_array_append_new(days, json_pack("{s:b}", "in_month", false));
			continue;
		}
		json_array_append_new(days, json_pack("{s:i, s:b, s:b, s:o, s:b}", "day", d, "in_month", true, "today",
						      this_month && today.day == d, "events", by_day[d - 1],
						      "busy", json_array_size(by_day[d - 1]) > 0));
	}
	json_t *names = json_array();
	for (int i = 0; i < 7; i++)
		json_array_append_new(names, json_string(tr(r, weekday_names[i])));
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "label",
			 arena_printf(&r->arena, "%s %d", tr(r, month_names[m->month - 1]), m->year), "code",
			 arena_printf(&r->arena, "%04d-%02d", m->year, m->month), "weekdays", names, "weeks", weeks,
			 "previous", month_code(m->month == 1 ? m->year - 1 : m->year, m->month == 1 ? 12 : m->month - 1),
			 "next", month_code(m->month == 12 ? m->year + 1 : m->year, m->month == 12 ? 1 : m->month + 1));
}
