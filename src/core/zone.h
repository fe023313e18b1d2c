/* zone: local times in IANA time zones ("Europe/Stockholm"), from the
 * system's time zone database (/usr/share/zoneinfo, or $TZDIR), through the
 * C library. The library knows one zone at a time (the TZ variable), so
 * every conversion takes a lock, points TZ at the zone and converts; nothing
 * else in kring reads local time (it keeps UTC everywhere), so the zone left
 * behind disturbs no one. zone_init sets TZ once before threads start, so
 * that later changes replace the value in place and never move the
 * environment under another thread's getenv. */
#ifndef KRING_ZONE_H
#define KRING_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A time of day on a calendar day, as a clock on the wall shows it. */
struct zone_local {
	int year, month, day, hour, minute; /* month 1-12 */
};

/* Call once at start, before threads. */
void zone_init(void);

/* Whether name is a zone the database has ("Area/City" and the like, or
 * "UTC"): a name of letters, digits, '_', '-', '+' and '/' that is a zone
 * file. */
bool zone_exists(const char *name);

/* Parses "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD HH:MM" (seconds ":SS" allowed
 * and dropped); false when it is not a real date and time. */
bool zone_parse_local(const char *text, struct zone_local *out);

/* The UTC seconds of the local time in the zone. false when the zone does
 * not exist or the time does not exist there (skipped when clocks go
 * forward); a time that happens twice (clocks going back) is the first. */
bool zone_to_utc(const char *zone, const struct zone_local *local, int64_t *utc);

/* The local time of t in the zone, and the zone's abbreviation then
 * ("CET", "CEST"; "+03" where it has none) into abbrev. false when the
 * zone does not exist. */
bool zone_from_utc(const char *zone, int64_t t, struct zone_local *out, char *abbrev, size_t abbrev_size);

/* How the zone's clocks stand at a moment: seconds east of UTC, whether
 * it is daylight saving time, and the abbreviation. */
struct zone_offset {
	int utc_offset;
	bool dst;
	char abbrev[16];
};

/* The zone's offset at t; false when the zone does not exist. */
bool zone_offset_at(const char *zone, int64_t t, struct zone_offset *out);

/* A change of the zone's clocks: at the UTC second `at` the offset
 * `before` gives way to `after`. */
struct zone_transition {
	int64_t at;
	struct zone_offset before, after;
};

/* The changes of the zone's clocks in (from, to], the earliest first, at
 * most max into out; returns how many (0 for a zone that does not exist).
 * Found by reading the clock a day apart and narrowing to the second where
 * it changes, so changes less than a day apart count as one. */
size_t zone_transitions(const char *zone, int64_t from, int64_t to, struct zone_transition *out, size_t max);

#endif
