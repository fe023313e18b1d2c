/* calendars: events as iCalendar files (RFC 5545, core/ical.h), for
 * calendar programs to import or subscribe to, as text/calendar.
 *
 * One event, a community's events and a member's own events each make a
 * calendar. Each event is a VEVENT whose UID (event-{id}@{host of
 * --base-url}) stays the same across edits and whose SEQUENCE is the
 * number of times it was changed (each edit, and its cancelling), so a
 * program that subscribed replaces its copy; DTSTART and DTEND are the
 * event's wall clock in its zone, described by a VTIMEZONE from the time
 * zone database; a cancelled event (features/event_cancel.h) is
 * STATUS:CANCELLED. The description is the event's text as its author
 * wrote it (Markdown reads as plain text). What the asker may not read is
 * not in it, and a deleted event leaves it.
 *
 * A member's calendar lists the events they are going to or waitlisted
 * for, at a secret address (features/feeds.h, the feed "calendar") shown
 * in the settings, read with their rights as they are when it is read; a
 * new address ends the old one, and revoking it ends it without a new
 * one. */
#ifndef KRING_FEATURES_CALENDARS_H
#define KRING_FEATURES_CALENDARS_H

#include <jansson.h>

struct req;

/* GET /items/{id}/event.ics: the event, for whoever may read it. */
json_t *calendars_event(struct req *r);

/* GET /c/{slug}/events.ics: the community's events that have not ended
 * or ended in the last 90 days, for whoever may read the community. */
json_t *calendars_community(struct req *r);

/* GET /calendar/{secret}/events.ics: the member's events (going or
 * waitlisted) that have not ended or ended in the last 90 days. */
json_t *calendars_personal(struct req *r);

/* POST /settings/calendar: a new secret address for the member's
 * calendar, {"url": …}; POST /settings/calendar/revoke: none,
 * {"url": null}. */
json_t *calendars_renew(struct req *r);
json_t *calendars_revoke(struct req *r);

#endif
