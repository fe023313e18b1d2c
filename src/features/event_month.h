/* event_month: the month view of /events (?month=YYYY-MM): which UTC span
 * a calendar month covers on the site's clock, and the weeks of that month
 * (Monday first) with each day's events, for the page's grid. A month is
 * read on one clock for every event, so that the grid and the list agree:
 * the site's zone, not each event's own. */
#ifndef KRING_FEATURES_EVENT_MONTH_H
#define KRING_FEATURES_EVENT_MONTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct req;

struct event_month {
	int year, month;     /* month 1-12 */
	int64_t from, until; /* UTC: its first moment, and the next month's */
};

/* Reads "YYYY-MM" (years 1970-9999) into m with its span in zone; false
 * when it is not a month. */
bool event_month_parse(const char *text, const char *zone, struct event_month *m);

/* The month that contains t in zone. */
bool event_month_of(int64_t t, const char *zone, struct event_month *m);

/* The model of the grid: {"label": "December 2026", "weeks": [{"days":
 * [{"day", "in_month", "today", "events": [{title, url, time}]}]}],
 * "previous", "next" ("YYYY-MM")}, from event summaries that have
 * "event": {"starts_at"} (UTC). */
json_t *event_month_grid(struct req *r, const struct event_month *m, const char *zone, json_t *events);

#endif
