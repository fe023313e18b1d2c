/* ical: writing iCalendar (see ical.h). */
#include "core/ical.h"

#include "core/buf.h"
#include "core/mem.h"
#include "core/zone.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The longest content line, CRLF not counted (RFC 5545 §3.1). */
#define LINE_OCTETS 75
/* How far around the calendar's times its VTIMEZONE looks for changes. */
#define YEAR_SECONDS (366 * 86400LL)
#define TRANSITIONS_MAX 32

/* Appends line[0..n) folded: a line break and a space before the octet
 * that would make a line longer than 75, moved back to the start of a
 * UTF-8 character. */
static void fold(struct buf *out, const char *line, size_t n)
{
	size_t used = 0; /* octets on the current line */
	size_t i = 0;
	while (i < n) {
		size_t room = LINE_OCTETS - used, take = n - i < room ? n - i : room;
		/* Never leave a character's continuation bytes for the next line. */
		if (i + take < n)
			while (take > 0 && ((unsigned char)line[i + take] & 0xC0) == 0x80)
				take--;
		buf_append(out, line + i, take);
		i += take;
		if (i < n) {
			buf_puts(out, "\r\n ");
			used = 1;
		}
	}
	buf_puts(out, "\r\n");
}

void ical_line(struct buf *out, const char *name, const char *value)
{
	struct buf line = {0};
	buf_puts(&line, name);
	buf_putc(&line, ':');
	buf_puts(&line, value);
	fold(out, line.data, line.len);
	buf_free(&line);
}

void ical_escape(struct buf *out, const char *text)
{
	for (const char *p = text; p && *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\\' || c == ';' || c == ',') {
			buf_putc(out, '\\');
			buf_putc(out, (char)c);
		} else if (c == '\n') {
			buf_puts(out, "\\n");
		} else if (c == '\r') {
			/* CRLF is one line break; a lone CR is one too. */
			if (p[1] != '\n')
				buf_puts(out, "\\n");
		} else if (c >= 0x20 && c != 0x7F) {
			buf_putc(out, (char)c);
		} else if (c == '\t') {
			buf_putc(out, (char)c);
		}
	}
}

void ical_text(struct buf *out, const char *name, const char *text)
{
	struct buf value = {0};
	ical_escape(&value, text);
	ical_line(out, name, value.data ? value.data : "");
	buf_free(&value);
}

void ical_utc(struct buf *out, const char *name, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char value[32];
	gmtime_r(&tt, &tm);
	strftime(value, sizeof(value), "%Y%m%dT%H%M%SZ", &tm);
	ical_line(out, name, value);
}

void ical_local(struct buf *out, const char *name, const char *zone, int64_t t)
{
	struct zone_local l;
	if (!zone_from_utc(zone, t, &l, NULL, 0))
		return;
	char full[128], value[32];
	snprintf(full, sizeof(full), "%s;TZID=%s", name, zone);
	snprintf(value, sizeof(value), "%04d%02d%02dT%02d%02d00", l.year, l.month, l.day, l.hour, l.minute);
	ical_line(out, full, value);
}

/* An offset as "+HHMM" (or "+HHMMSS" when it has seconds). */
static void offset_text(char *out, size_t size, int offset)
{
	char sign = offset < 0 ? '-' : '+';
	int a = offset < 0 ? -offset : offset;
	if (a % 60)
		snprintf(out, size, "%c%02d%02d%02d", sign, a / 3600, a / 60 % 60, a % 60);
	else
		snprintf(out, size, "%c%02d%02d", sign, a / 3600, a / 60 % 60);
}

/* One observance: from the UTC second `at` on, the clocks show `after`;
 * its DTSTART is the wall clock just before, in the offset `before`. */
static void observance(struct buf *out, int64_t at, const struct zone_offset *before,
		       const struct zone_offset *after)
{
	const char *kind = after->dst ? "DAYLIGHT" : "STANDARD";
	char from[16], to[16], start[32];
	time_t wall = (time_t)(at + before->utc_offset);
	struct tm tm;
	gmtime_r(&wall, &tm);
	strftime(start, sizeof(start), "%Y%m%dT%H%M%S", &tm);
	offset_text(from, sizeof(from), before->utc_offset);
	offset_text(to, sizeof(to), after->utc_offset);
	ical_line(out, "BEGIN", kind);
	ical_line(out, "DTSTART", start);
	ical_line(out, "TZOFFSETFROM", from);
	ical_line(out, "TZOFFSETTO", to);
	if (after->abbrev[0])
		ical_text(out, "TZNAME", after->abbrev);
	ical_line(out, "END", kind);
}

static int compare_times(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* What ical_timezone has written so far: the last observance's start and
 * offset. */
struct written {
	int64_t at;
	struct zone_offset offset;
	bool any;
};

static void add_observance(struct buf *out, struct written *w, const struct zone_transition *t)
{
	if (w->any && t->at <= w->at)
		return;
	observance(out, t->at, &t->before, &t->after);
	*w = (struct written){t->at, t->after, true};
}

/* The offset in force at t, as an observance unless the last one written
 * already says it: since the zone's last change in the year before, or
 * (a change further back, or none) from t itself, or from 1970 when
 * nothing is written yet. */
static void in_force_at(struct buf *out, struct written *w, const char *zone, int64_t t)
{
	struct zone_transition changes[TRANSITIONS_MAX];
	size_t n = zone_transitions(zone, t - YEAR_SECONDS, t, changes, TRANSITIONS_MAX);
	if (n > 0)
		add_observance(out, w, &changes[n - 1]);
	struct zone_offset now;
	if (!zone_offset_at(zone, t, &now) ||
	    (w->any && w->offset.utc_offset == now.utc_offset && w->offset.dst == now.dst &&
	     strcmp(w->offset.abbrev, now.abbrev) == 0))
		return;
	struct zone_transition since = {w->any ? t : 0 - now.utc_offset, w->any ? w->offset : now, now};
	add_observance(out, w, &since);
}

void ical_timezone(struct buf *out, const char *zone, const int64_t *times, size_t n)
{
	if (n == 0 || !zone_exists(zone))
		return;
	int64_t *sorted = xmalloc(n * sizeof(*sorted));
	memcpy(sorted, times, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), compare_times);
	ical_line(out, "BEGIN", "VTIMEZONE");
	ical_line(out, "TZID", zone);
	/* Each time needs the offset in force then and the changes of the
	 * year after it; times less than a year apart share their changes,
	 * and the years between times further apart are not searched. */
	struct written w = {0};
	struct zone_transition changes[TRANSITIONS_MAX];
	for (size_t i = 0; i < n;) {
		int64_t from = sorted[i], to = sorted[i] + YEAR_SECONDS;
		while (++i < n && sorted[i] <= to)
			to = sorted[i] + YEAR_SECONDS;
		in_force_at(out, &w, zone, from);
		/* A full batch may have more after its last change. */
		size_t k;
		do {
			k = zone_transitions(zone, from, to, changes, TRANSITIONS_MAX);
			for (size_t j = 0; j < k; j++)
				add_observance(out, &w, &changes[j]);
			if (k > 0)
				from = changes[k - 1].at;
		} while (k == TRANSITIONS_MAX);
	}
	ical_line(out, "END", "VTIMEZONE");
	free(sorted);
}
