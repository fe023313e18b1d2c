/* test_calendars: events as iCalendar, read with Debian's python3-icalendar
 * (ical_parse.py) — every calendar valid (CRLF, lines of at most 75 octets
 * not split inside a character, the fields escaped); one event's file with
 * its fields; Stockholm in winter and in summer, an evening across the
 * change of the clocks and New York giving the right UTC instants both by
 * the zone's name and through the calendar's own VTIMEZONE; the UID kept
 * and SEQUENCE raised by an edit; a community's calendar with its events
 * and none of a private community's for who may not read it; a member's
 * calendar at a secret address with their rights as they are when it is
 * read, a new address ending the old and revoking it; and cancelling an
 * event: who may, STATUS:CANCELLED, sign-up refused, "Cancelled" on the
 * pages, the domain event, those going or waitlisted notified and mailed
 * as their settings say. */
#include "meetings.h"
#include "smtp_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The public community fika (admin hosts it; asa, bo and cai are members),
 * the members-only club (asa) and the private board (admin and asa); vic
 * is in none. */
struct place {
	const struct server *srv;
	struct actor *admin, *asa, *bo, *cai, *vic, *visitor;
};

static struct place *place_build(void **state)
{
	static struct place p;
	memset(&p, 0, sizeof p);
	p.srv = *state;
	p.admin = staff(p.srv, "root", "--admin");
	unlimited_posting(p.admin);
	make_community(p.admin, "fika", "Fika & friends", "public", "open");
	make_community(p.admin, "club", "Club", "members", "open");
	make_community(p.admin, "board", "The Board", "private", "invite");
	p.asa = member(p.srv, "asa");
	p.bo = member(p.srv, "bo");
	p.cai = member(p.srv, "cai");
	p.vic = member(p.srv, "vic");
	p.visitor = visitor(p.srv);
	bring_in(p.admin, "fika", p.asa);
	bring_in(p.admin, "fika", p.bo);
	bring_in(p.admin, "fika", p.cai);
	bring_in(p.admin, "club", p.asa);
	bring_in(p.admin, "board", p.asa);
	return &p;
}

/* An event in the community, its local times in the zone. */
static int64_t event_in(struct actor *a, const char *slug, const char *title, const char *zone, const char *starts,
			const char *ends, int capacity)
{
	return new_item(a, "event", slug,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "kind", "event", "title", title,
				  "body", "We talk about *water*; bring a cup, a friend\nand \\ questions.", "event_type",
				  "fika", "timezone", zone, "starts_at", starts, "ends_at", ends, "location",
				  "Room 4, Kungsgatan 1; upstairs", "capacity", capacity));
}

static void assert_not_found(struct actor *a, const char *path)
{
	struct response *r = aget(a, "%s", path);
	assert_status(r, 404);
	response_free(r);
}

/* ---- reading a calendar ------------------------------------------------------------------ */

/* GETs the calendar as the actor, checks that it is text/calendar that
 * ical_parse.py reads without a problem, and returns what it made of it
 * (held). */
static json_t *read_calendar(struct actor *a, const char *path)
{
	struct response *r = aget(a, "%s", path);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/calendar; charset=utf-8");
	char file[320];
	snprintf(file, sizeof file, "/tmp/kring-calendar-%d.ics", (int)getpid());
	FILE *f = fopen(file, "wb");
	assert_non_null(f);
	fwrite(r->body, 1, r->body_len, f);
	fclose(f);
	response_free(r);
	char cmd[1200];
	const char *src = getenv("KRING_SRC");
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/tests/http/ical_parse.py' '%s'", src && *src ? src : ".", file);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	json_error_t err;
	json_t *cal = json_loadf(p, 0, &err);
	int status = pclose(p);
	unlink(file);
	if (!cal || status != 0)
		fail_msg("ical_parse.py could not read %s (exit status %d; is python3-icalendar installed?)", path,
			 status);
	hold(cal);
	json_t *problems = json_object_get(cal, "problems");
	if (json_array_size(problems) > 0)
		fail_msg("%s is not a valid calendar: %s", path, json_string_value(json_array_get(problems, 0)));
	return cal;
}

/* The event of the calendar whose UID is the item's; NULL when none. */
static json_t *vevent(const struct place *p, json_t *cal, int64_t item)
{
	(void)p;
	char uid[128];
	snprintf(uid, sizeof uid, "event-%lld@127.0.0.1", (long long)item);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(cal, "events"), i, e)
		if (strcmp(json_string_value(json_object_get(e, "uid")), uid) == 0)
			return e;
	return NULL;
}

static const char *vstr(json_t *e, const char *key)
{
	const char *s = json_string_value(json_object_get(e, key));
	if (!s)
		fail_msg("the event has no %s", key);
	return s;
}

static int64_t vint(json_t *e, const char *key)
{
	return json_integer_value(json_object_get(e, key));
}

/* The event starts and ends at these UTC instants, read both ways. */
static void assert_instants(json_t *e, int64_t start, int64_t end)
{
	assert_non_null(e);
	assert_int_equal(vint(e, "start"), start);
	assert_int_equal(vint(e, "end"), end);
	assert_int_equal(vint(e, "start_vtimezone"), start);
	assert_int_equal(vint(e, "end_vtimezone"), end);
}

static const char *ics_of(int64_t id)
{
	char *s = harness_keep(malloc(64));
	snprintf(s, 64, "/items/%lld/event.ics", (long long)id);
	return s;
}

/* ---- one event --------------------------------------------------------------------------- */

/* An event's file has every field, escaped, and its times in the zone
 * come out right through the VTIMEZONE: CET in winter, CEST in summer,
 * EST in New York. */
static void one_event_with_its_fields_and_zones(void **state)
{
	struct place *p = place_build(state);
	/* A title long enough to fold, with characters of several octets. */
	const char *title = "Fika; kaffe, kanelbullar \\ och samtal om vatten — ☕ för alla som vill lära sig mer";
	int64_t winter = event_in(p->admin, "fika", title, "Europe/Stockholm", "2027-01-14T18:30", "2027-01-14T20:00", 0);
	int64_t summer = event_in(p->admin, "fika", "Summer fika", "Europe/Stockholm", "2027-07-15T18:30",
				  "2027-07-15T20:00", 0);
	int64_t york = event_in(p->admin, "fika", "New York talk", "America/New_York", "2027-01-14T18:30",
				"2027-01-14T20:00", 0);
	int64_t york_summer = event_in(p->admin, "fika", "New York summer talk", "America/New_York",
				       "2027-07-15T18:30", "2027-07-15T20:00", 0);

	struct response *r = aget(p->visitor, "%s", ics_of(winter));
	assert_status(r, 200);
	assert_header_contains(r, "Content-Disposition", "event-");
	assert_body_contains(r, "BEGIN:VTIMEZONE\r\nTZID:Europe/Stockholm\r\n");
	assert_body_contains(r, "DTSTART;TZID=Europe/Stockholm:20270114T183000\r\n");
	response_free(r);

	json_t *cal = read_calendar(p->visitor, ics_of(winter));
	assert_int_equal(json_array_size(json_object_get(cal, "events")), 1);
	json_t *e = vevent(p, cal, winter);
	assert_non_null(e);
	assert_string_equal(vstr(e, "summary"), title);
	assert_string_equal(vstr(e, "description"), "We talk about *water*; bring a cup, a friend\nand \\ questions.");
	assert_string_equal(vstr(e, "location"), "Room 4, Kungsgatan 1; upstairs");
	assert_string_equal(vstr(e, "status"), "CONFIRMED");
	assert_string_equal(vstr(e, "tzid"), "Europe/Stockholm");
	assert_int_equal(vint(e, "sequence"), 0);
	char url[200];
	snprintf(url, sizeof url, "%s/items/%lld-", p->srv->origin, (long long)winter);
	assert_true(strncmp(vstr(e, "url"), url, strlen(url)) == 0);
	/* 18:30 CET is 17:30 UTC; 18:30 CEST is 16:30 UTC. */
	assert_instants(e, utc(2027, 1, 14, 17, 30), utc(2027, 1, 14, 19, 0));
	assert_instants(vevent(p, read_calendar(p->visitor, ics_of(summer)), summer), utc(2027, 7, 15, 16, 30),
			utc(2027, 7, 15, 18, 0));
	/* 18:30 EST is 23:30 UTC; 18:30 EDT is 22:30 UTC. */
	json_t *ny = read_calendar(p->visitor, ics_of(york));
	assert_string_equal(json_string_value(json_array_get(json_object_get(ny, "timezones"), 0)), "America/New_York");
	assert_instants(vevent(p, ny, york), utc(2027, 1, 14, 23, 30), utc(2027, 1, 15, 1, 0));
	assert_instants(vevent(p, read_calendar(p->visitor, ics_of(york_summer)), york_summer),
			utc(2027, 7, 15, 22, 30), utc(2027, 7, 16, 0, 0));

	/* The event page offers it. */
	r = aget(p->visitor, "/items/%lld", (long long)winter);
	assert_status(r, 200);
	char link[100];
	snprintf(link, sizeof link, "href=\"/items/%lld/event.ics\"", (long long)winter);
	assert_body_contains(r, link);
	response_free(r);
	/* No other kind of item has one; no such item has one. */
	int64_t question = ask(p->asa, "fika", "Where is the coffee?", "Anyone?");
	assert_not_found(p->visitor, ics_of(question));
	assert_not_found(p->visitor, "/items/999999/event.ics");
}

/* An edit keeps the UID and raises SEQUENCE (and DTSTAMP does not go
 * back); a deleted event is gone. */
static void an_edit_keeps_the_uid_and_raises_the_sequence(void **state)
{
	struct place *p = place_build(state);
	int64_t id = event_in(p->admin, "fika", "Fika", "Europe/Stockholm", "2027-02-10T15:00", "2027-02-10T16:00", 0);
	json_t *before = vevent(p, read_calendar(p->visitor, ics_of(id)), id);
	assert_non_null(before);
	assert_int_equal(vint(before, "sequence"), 0);
	struct response *r = item_edit(p->admin, id, json_pack("{s:s, s:s}", "title", "Fika, later", "starts_at",
							     "2027-02-10T15:30"));
	assert_status(r, 200);
	response_free(r);
	json_t *after = vevent(p, read_calendar(p->visitor, ics_of(id)), id);
	assert_non_null(after);
	assert_int_equal(vint(after, "sequence"), 1);
	assert_string_equal(vstr(after, "summary"), "Fika, later");
	assert_instants(after, utc(2027, 2, 10, 14, 30), utc(2027, 2, 10, 15, 0));
	assert_true(vint(after, "dtstamp") >= vint(before, "dtstamp"));
	r = item_edit(p->admin, id, json_pack("{s:s}", "location", "Room 5"));
	assert_status(r, 200);
	response_free(r);
	json_t *cal = read_calendar(p->visitor, "/c/fika/events.ics");
	assert_int_equal(vint(vevent(p, cal, id), "sequence"), 2);
	/* Deleted, it leaves the community's calendar and has none. */
	r = item_post(p->admin, id, "delete", NULL);
	assert_status(r, 200);
	response_free(r);
	assert_null(vevent(p, read_calendar(p->visitor, "/c/fika/events.ics"), id));
	assert_not_found(p->visitor, ics_of(id));
}

/* ---- a community's calendar -------------------------------------------------------------- */

static void community_calendar_shows_what_the_asker_may_read(void **state)
{
	struct place *p = place_build(state);
	int64_t winter = event_in(p->admin, "fika", "Winter fika", "Europe/Stockholm", "2027-01-14T18:30",
				  "2027-01-14T20:00", 0);
	/* Across the night the clocks go forward: 22:00 CET to 04:00 CEST. */
	int64_t night = event_in(p->admin, "fika", "Night of the change", "Europe/Stockholm", "2027-03-27T22:00",
				 "2027-03-28T04:00", 0);
	int64_t york = event_in(p->admin, "fika", "New York talk", "America/New_York", "2027-03-20T09:00",
				"2027-03-20T10:00", 0);
	int64_t old = event_in(p->admin, "fika", "Long ago", "Europe/Stockholm", "2025-01-10T18:00",
			       "2025-01-10T19:00", 0);
	int64_t club = event_in(p->admin, "club", "Club fika", "Europe/Stockholm", "2027-01-20T18:00",
				"2027-01-20T19:00", 0);
	int64_t board = event_in(p->admin, "board", "Board meeting", "Europe/Stockholm", "2027-01-21T18:00",
				 "2027-01-21T19:00", 0);

	json_t *cal = read_calendar(p->visitor, "/c/fika/events.ics");
	assert_string_equal(json_string_value(json_object_get(cal, "name")), "Fika & friends · kring");
	assert_int_equal(json_array_size(json_object_get(cal, "events")), 3);
	assert_int_equal(json_array_size(json_object_get(cal, "timezones")), 2);
	assert_instants(vevent(p, cal, winter), utc(2027, 1, 14, 17, 30), utc(2027, 1, 14, 19, 0));
	assert_instants(vevent(p, cal, night), utc(2027, 3, 27, 21, 0), utc(2027, 3, 28, 2, 0));
	/* 09:00 EDT: New York changed on 14 March. */
	assert_instants(vevent(p, cal, york), utc(2027, 3, 20, 13, 0), utc(2027, 3, 20, 14, 0));
	/* Long past events are not in it; their own file still is. */
	assert_null(vevent(p, cal, old));
	read_calendar(p->visitor, ics_of(old));

	/* A members-only community's calendar for its members only; a
	 * private one's for no one else, and its events not at all. */
	assert_not_found(p->visitor, "/c/club/events.ics");
	assert_not_found(p->visitor, ics_of(club));
	assert_non_null(vevent(p, read_calendar(p->asa, "/c/club/events.ics"), club));
	assert_non_null(vevent(p, read_calendar(p->bo, ics_of(club)), club));
	assert_not_found(p->visitor, "/c/board/events.ics");
	assert_not_found(p->vic, "/c/board/events.ics");
	assert_not_found(p->vic, ics_of(board));
	assert_not_found(p->bo, ics_of(board));
	json_t *mine = read_calendar(p->asa, "/c/board/events.ics");
	assert_non_null(vevent(p, mine, board));
	assert_int_equal(json_array_size(json_object_get(mine, "events")), 1);
	assert_not_found(p->visitor, "/c/nowhere/events.ics");

	/* The community page and its events link its calendar. */
	struct response *r = aget(p->visitor, "/c/fika");
	assert_body_contains(r, "href=\"/c/fika/events.ics\"");
	response_free(r);
	r = aget(p->visitor, "/events?community=fika");
	assert_body_contains(r, "href=\"/c/fika/events.ics\"");
	response_free(r);
}

/* ---- a member's calendar ----------------------------------------------------------------- */

/* Makes a new address for the member's calendar; returns its path. */
static const char *new_address(const struct place *p, struct actor *a)
{
	struct response *r = apost(a, "/api/v1/settings/calendar", NULL);
	assert_status(r, 200);
	const char *url = response_jstr(r, "url");
	assert_non_null(url);
	size_t n = strlen(p->srv->origin);
	assert_true(strncmp(url, p->srv->origin, n) == 0);
	assert_true(strncmp(url + n, "/calendar/", 10) == 0);
	const char *path = harness_strdup(url + n);
	response_free(r);
	return path;
}

static void my_calendar_follows_the_members_rights(void **state)
{
	struct place *p = place_build(state);
	int64_t going = event_in(p->admin, "fika", "Full fika", "Europe/Stockholm", "2027-01-14T18:30",
				 "2027-01-14T20:00", 1);
	int64_t other = event_in(p->admin, "fika", "Other fika", "Europe/Stockholm", "2027-01-15T18:30",
				 "2027-01-15T20:00", 0);
	int64_t board = event_in(p->admin, "board", "Board meeting", "Europe/Stockholm", "2027-01-21T18:00",
				 "2027-01-21T19:00", 0);
	rsvp(p->bo, going, "going", "going", -1);
	rsvp(p->asa, going, "going", "waitlisted", -1);
	rsvp(p->asa, board, "going", "going", -1);

	/* No address until the member makes one; the settings offer it. */
	struct response *r = aget(p->asa, "/api/v1/settings");
	assert_true(json_is_null(json_path(r->json, "calendar_feed")));
	response_free(r);
	r = aget(p->asa, "/settings");
	assert_body_contains(r, "action=\"/settings/calendar\"");
	assert_body_lacks(r, "/calendar/");
	response_free(r);
	const char *path = new_address(p, p->asa);
	r = aget(p->asa, "/settings");
	assert_body_contains(r, path);
	assert_body_contains(r, "action=\"/settings/calendar/revoke\"");
	response_free(r);

	/* A calendar program has no session: it reads asa's events with her
	 * rights, the one she is waitlisted for and the board's. */
	json_t *cal = read_calendar(p->visitor, path);
	assert_int_equal(json_array_size(json_object_get(cal, "events")), 2);
	assert_non_null(vevent(p, cal, going));
	assert_non_null(vevent(p, cal, board));
	assert_null(vevent(p, cal, other));
	/* The access log keeps the secret out. */
	assert_true(server_log_has_line(p->srv, 3000, STRS("GET /calendar/{secret}/events.ics 200")));
	char *log = server_log(p->srv);
	assert_null(strstr(log, path));
	free(log);
	/* Out of the board, its meeting leaves her calendar. */
	r = apost(p->asa, "/api/v1/c/board/leave", NULL);
	assert_status(r, 200);
	response_free(r);
	cal = read_calendar(p->visitor, path);
	assert_null(vevent(p, cal, board));
	assert_non_null(vevent(p, cal, going));
	/* Bo's calendar is his own; the Atom feed's address is another. */
	json_t *bo = read_calendar(p->visitor, new_address(p, p->bo));
	assert_non_null(vevent(p, bo, going));
	assert_int_equal(json_array_size(json_object_get(bo, "events")), 1);

	/* A new address ends the old one, through the form too. */
	const char *second = new_address(p, p->asa);
	assert_not_found(p->visitor, path);
	read_calendar(p->visitor, second);
	const char *fields[] = {NULL};
	r = fpost(p->asa, "/settings/calendar", fields);
	assert_status(r, 303);
	response_free(r);
	assert_not_found(p->visitor, second);
	r = aget(p->asa, "/api/v1/settings");
	const char *third = json_string_value(json_path(r->json, "calendar_feed"));
	assert_non_null(third);
	const char *third_path = harness_strdup(third + strlen(p->srv->origin));
	response_free(r);
	read_calendar(p->visitor, third_path);
	/* Revoked, it answers no more and the settings show none. */
	r = fpost(p->asa, "/settings/calendar/revoke", fields);
	assert_status(r, 303);
	response_free(r);
	assert_not_found(p->visitor, third_path);
	r = aget(p->asa, "/api/v1/settings");
	assert_true(json_is_null(json_path(r->json, "calendar_feed")));
	response_free(r);
	/* Secrets of the wrong shape are no calendar; only a member makes
	 * one, with the form's token. */
	assert_not_found(p->visitor, "/calendar/short/events.ics");
	r = apost(p->visitor, "/api/v1/settings/calendar", NULL);
	assert_status(r, 401);
	response_free(r);
	r = http_post_form(p->asa->c, "/settings/calendar", fields, NULL);
	assert_status(r, 403);
	response_free(r);
}

/* ---- cancelling -------------------------------------------------------------------------- */

static void cancelling_an_event(void **state)
{
	struct place *p = place_build(state);
	int64_t id = event_in(p->asa, "fika", "Cancelled fika", "Europe/Stockholm", "2027-01-14T18:30",
			      "2027-01-14T20:00", 1);
	rsvp(p->bo, id, "going", "going", -1);
	rsvp(p->cai, id, "going", "waitlisted", -1);
	/* Only its hosts: not a member, not a visitor. */
	struct response *r = item_post(p->bo, id, "cancel", NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = item_post(p->visitor, id, "cancel", NULL);
	assert_status(r, 401);
	response_free(r);
	/* The form needs its token. */
	const char *fields[] = {NULL};
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/cancel", (long long)id);
	r = http_post_form(p->asa->c, path, fields, NULL);
	assert_status(r, 403);
	response_free(r);
	/* The host's button is on the page; the author cancels with it. */
	r = aget(p->asa, "/items/%lld", (long long)id);
	char action[80];
	snprintf(action, sizeof action, "action=\"%s\"", path);
	assert_body_contains(r, action);
	response_free(r);
	r = fpost(p->asa, path, fields);
	assert_status(r, 303);
	response_free(r);
	r = item_post(p->admin, id, "cancel", NULL);
	assert_error(r, 409, "already_cancelled");
	response_free(r);

	/* Sign-up is closed with its own code; the event says so. */
	r = item_post(p->vic, id, "rsvp", json_pack("{s:s}", "answer", "going"));
	assert_error(r, 422, "event_cancelled");
	response_free(r);
	r = get_item(p->bo, id);
	assert_true(json_is_true(json_path(r->json, "event.cancelled")));
	assert_true(json_is_false(json_path(r->json, "event.signup_open")));
	response_free(r);
	/* Leaving promotes no one: cai stays on the waitlist. */
	r = item_post(p->bo, id, "rsvp", json_pack("{s:s}", "answer", "not_going"));
	assert_status(r, 200);
	response_free(r);
	r = get_item(p->cai, id);
	assert_string_equal(response_jstr(r, "event.my_state"), "waitlisted");
	response_free(r);

	/* "Cancelled" on its page, in /events, in the next events. */
	const char *pages[] = {NULL, "/events", "/c/fika", "/"};
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		r = pages[i] ? aget(p->cai, "%s", pages[i]) : aget(p->cai, "/items/%lld", (long long)id);
		assert_status(r, 200);
		assert_body_contains(r, "Cancelled");
		response_free(r);
	}
	/* In calendars: STATUS:CANCELLED, one more in SEQUENCE. */
	json_t *e = vevent(p, read_calendar(p->visitor, ics_of(id)), id);
	assert_string_equal(vstr(e, "status"), "CANCELLED");
	assert_int_equal(vint(e, "sequence"), 1);
	assert_string_equal(vstr(vevent(p, read_calendar(p->visitor, "/c/fika/events.ics"), id), "status"),
			    "CANCELLED");

	/* The write recorded event.cancelled; those going and waitlisted were
	 * told, not the host who cancelled nor who never answered. */
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT type FROM events WHERE item_id = %lld AND type = 'event.cancelled'",
		 (long long)id);
	assert_string_equal(sql_rows(p->srv, sql), "event.cancelled\n");
	snprintf(sql, sizeof sql,
		 "SELECT u.handle FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'cancelled'"
		 " AND n.item_id = %lld ORDER BY u.handle", (long long)id);
	assert_string_equal(sql_rows(p->srv, sql), "bo\ncai\n");
	r = aget(p->cai, "/notifications");
	assert_body_contains(r, "Cancelled fika is cancelled");
	response_free(r);

	/* An event that is over cannot be cancelled. */
	int64_t old = event_in(p->admin, "fika", "Long ago", "Europe/Stockholm", "2025-01-10T18:00",
			       "2025-01-10T19:00", 0);
	r = item_post(p->admin, old, "cancel", NULL);
	assert_error(r, 422, "event_ended");
	response_free(r);
	r = aget(p->admin, "/items/%lld", (long long)old);
	assert_status(r, 200);
	assert_body_contains(r, "Attendees as CSV"); /* the host's actions, */
	assert_body_lacks(r, "Cancel the event"); /* but this one */
	response_free(r);
	/* Nor anything that is no event. */
	int64_t question = ask(p->asa, "fika", "Coffee?", "Anyone?");
	r = item_post(p->asa, question, "cancel", NULL);
	assert_status(r, 404);
	response_free(r);
}

/* Those told are mailed at once, unless they chose otherwise. */
static struct smtp_sink *sink;

static int smtp_setup(void **state)
{
	return smtp_server_setup(state, &sink, 0);
}

static int smtp_teardown(void **state)
{
	return smtp_server_teardown(state, &sink, teardown_releasing);
}

static int mails_to(const char *handle, const char *part, const char **text)
{
	return smtp_sink_mails_to_member(sink, handle, part, text);
}

static void cancelled_event_is_mailed(void **state)
{
	struct place *p = place_build(state);
	int64_t id = event_in(p->admin, "fika", "Mailed fika", "Europe/Stockholm", "2027-01-14T18:30",
			      "2027-01-14T20:00", 1);
	rsvp(p->asa, id, "going", "going", -1);
	rsvp(p->bo, id, "going", "waitlisted", -1);
	rsvp(p->cai, id, "going", "waitlisted", -1);
	/* cai wants no e-mail of it. */
	struct response *r = apost(p->cai, "/api/v1/settings/notifications", json_pack("{s:s}", "cancelled", "off"));
	assert_status(r, 200);
	response_free(r);
	r = item_post(p->admin, id, "cancel", NULL);
	assert_status(r, 200);
	assert_true(json_is_true(json_path(r->json, "cancelled")));
	response_free(r);
	jobs_settle(p->srv);
	const char *text = NULL;
	assert_int_equal(mails_to("asa", "Mailed fika is cancelled", &text), 1);
	char link[200];
	snprintf(link, sizeof link, "%s/items/%lld-mailed-fika", p->srv->origin, (long long)id);
	assert_non_null(strstr(text, link));
	assert_int_equal(mails_to("bo", "Mailed fika is cancelled", NULL), 1);
	assert_int_equal(mails_to("cai", "is cancelled", NULL), 0);
	assert_int_equal(mails_to("root", "is cancelled", NULL), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(one_event_with_its_fields_and_zones),
		T(an_edit_keeps_the_uid_and_raises_the_sequence),
		T(community_calendar_shows_what_the_asker_may_read),
		T(my_calendar_follows_the_members_rights),
		T(cancelling_an_event),
		cmocka_unit_test_setup_teardown(cancelled_event_is_mailed, smtp_setup, smtp_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
