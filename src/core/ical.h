/* ical: writing iCalendar (RFC 5545), the calendar files that calendar
 * programs import and subscribe to.
 *
 * A calendar is content lines "NAME;PARAM=VALUE:VALUE" ending in CRLF,
 * each at most 75 octets: a longer one is folded, continued on the next
 * line after a space, and never inside a UTF-8 character (§3.1). Text
 * values escape backslash, semicolon, comma and line breaks (§3.3.11);
 * other control characters cannot be in them and are left out.
 *
 * Times are written in UTC ("…Z") or as the wall clock of an IANA zone
 * with TZID, which the calendar then describes in a VTIMEZONE: its changes
 * of the clocks, read from the system's time zone database (core/zone.h),
 * around the times the calendar uses, so that a program without the
 * database places them right on both sides of a daylight-saving change. */
#ifndef KRING_ICAL_H
#define KRING_ICAL_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* A content line "name:value", folded, with its CRLF; name may carry
 * parameters ("DTSTART;TZID=Europe/Stockholm"). The value is written as
 * it is (a URI, a number, a date): use ical_text for text. */
void ical_line(struct buf *out, const char *name, const char *value);

/* A content line whose value is text, escaped. */
void ical_text(struct buf *out, const char *name, const char *text);

/* Text escaped as a TEXT value (without folding), appended to out. */
void ical_escape(struct buf *out, const char *text);

/* A time in UTC: "name:20260314T173000Z". */
void ical_utc(struct buf *out, const char *name, int64_t t);

/* A time as the clock of the zone shows it:
 * "name;TZID=zone:20260314T183000". Nothing is written when the zone
 * does not exist. */
void ical_local(struct buf *out, const char *name, const char *zone, int64_t t);

/* The VTIMEZONE of the zone for the n times (UTC seconds, in any order)
 * that the calendar shows in it: for each, the offset in force then and
 * the changes of the clocks in the year after. The years between times
 * further apart are left out, so a calendar whose events lie years apart
 * costs no more than one with a few. Nothing when the zone does not exist
 * or n is 0. */
void ical_timezone(struct buf *out, const char *zone, const int64_t *times, size_t n);

#endif
