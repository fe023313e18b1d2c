/* test_events_rsvp: events with sign-up — an event with every field read
 * back (its times in its zone, across a change of the clocks), the field
 * rules (a zone that does not exist, an end before the start, no place, a
 * deadline after the start) with nothing stored and the form keeping what
 * was typed, edits in the history and the place in search; RSVP states,
 * capacity 1 and no limit, the waitlist's order and its first promoted
 * (and told) when a seat comes free, the race for the last seat from
 * several threads, the promoted member's e-mail, the deadline and hosts
 * closing sign-up, who may answer and see the attendees, the CSV of
 * attendees escaped, and /events in order with its filters, on the home
 * and the community page. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "meetings.h"
#include "smtp_sink.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* An event's body: a fika in Stockholm unless the caller changes it. */
static json_t *event_body(const char *title, const char *starts, const char *ends, int capacity)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "kind", "event", "title", title, "body",
			 "We talk about *water*.", "event_type", "fika", "starts_at", starts, "ends_at", ends,
			 "location", "Room 4, Kungsgatan 1", "capacity", capacity);
}

static int64_t new_event(struct actor *a, const char *slug, json_t *body)
{
	return new_item(a, "event", slug, body);
}

/* ---- the place -------------------------------------------------------------------------- */

/* The public community fika (admin hosts it; asa, bo, cai, dan and eve are
 * members) and the private board (admin and asa). vic is a member of none. */
struct place {
	const struct server *srv;
	struct actor *admin, *asa, *bo, *cai, *dan, *eve, *vic, *visitor;
};

static void place_build(struct place *p, const struct server *s)
{
	p->srv = s;
	p->admin = staff(s, "root", "--admin");
	unlimited_posting(p->admin);
	make_community(p->admin, "fika", "Fika", "public", "open");
	make_community(p->admin, "board", "The Board", "private", "invite");
	struct actor **members[] = {&p->asa, &p->bo, &p->cai, &p->dan, &p->eve};
	const char *handles[] = {"asa", "bo", "cai", "dan", "eve"};
	for (int i = 0; i < 5; i++) {
		*members[i] = member(s, handles[i]);
		bring_in(p->admin, "fika", *members[i]);
	}
	bring_in(p->admin, "board", p->asa);
	p->vic = member(s, "vic");
	p->visitor = visitor(s);
}

/* ---- creating and reading ----------------------------------------------------------------- */

/* Every field comes back; the times are stored in UTC from the zone's
 * clock (CET in winter, CEST in summer) and shown in the zone; the page
 * shows it; the location is found by search; an edit is in the history. */
static void event_with_every_field(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	json_t *body = event_body("Fika: rain gardens", "2030-03-14T18:30", "2030-03-14T20:00", 12);
	json_object_set_new(body, "online_url", json_string("https://meet.example.org/fika"));
	json_object_set_new(body, "signup_deadline", json_string("2030-03-13 12:00"));
	json_object_set_new(body, "tags", json_string("water"));
	int64_t id = new_event(p.asa, "fika", body);
	struct response *r = event_of(p.bo, id);
	assert_jstr(r, "event.event_type", "fika");
	assert_jstr(r, "event.timezone", "Europe/Stockholm");
	assert_jstr(r, "event.location", "Room 4, Kungsgatan 1");
	assert_jstr(r, "event.online_url", "https://meet.example.org/fika");
	assert_int_equal(jint(r, "event.starts_at"), utc(2030, 3, 14, 17, 30));
	assert_int_equal(jint(r, "event.ends_at"), utc(2030, 3, 14, 19, 0));
	assert_int_equal(jint(r, "event.signup_deadline"), utc(2030, 3, 13, 11, 0));
	assert_int_equal(jint(r, "event.capacity"), 12);
	assert_int_equal(jint(r, "event.seats_left"), 12);
	assert_jstr(r, "event.when_text", "2030-03-14 18:30 – 20:00 CET");
	assert_jstr(r, "event.my_state", "not_going");
	assert_true(json_is_true(json_path(r->json, "event.signup_open")));
	response_free(r);

	/* Summer time: the same clock time is an hour earlier in UTC. */
	int64_t summer = new_event(p.asa, "fika", event_body("Summer fika", "2030-06-14T18:30", "2030-06-14T20:00", 0));
	r = event_of(p.bo, summer);
	assert_int_equal(jint(r, "event.starts_at"), utc(2030, 6, 14, 16, 30));
	assert_jstr(r, "event.when_text", "2030-06-14 18:30 – 20:00 CEST");
	assert_true(json_is_null(json_path(r->json, "event.seats_left")));
	response_free(r);
	/* Another zone. */
	body = event_body("Meetup in New York", "2030-07-01T09:00", "2030-07-01T11:00", 0);
	json_object_set_new(body, "timezone", json_string("America/New_York"));
	int64_t ny = new_event(p.asa, "fika", body);
	r = event_of(p.bo, ny);
	assert_int_equal(jint(r, "event.starts_at"), utc(2030, 7, 1, 13, 0));
	assert_jstr(r, "event.when_text", "2030-07-01 09:00 – 11:00 EDT");
	response_free(r);

	/* The page says when, in which zone, and where. */
	r = aget(p.bo, "/items/%lld", (long long)id);
	assert_status(r, 200);
	assert_body_contains(r, "2030-03-14 18:30 – 20:00 CET");
	assert_body_contains(r, "(Europe/Stockholm)");
	/* The browser leaves the time on the event's clock (kring.js rewrites
	 * times with data-unix to the reader's). */
	assert_body_lacks(r, "data-unix=\"1899739800\"");
	assert_body_contains(r, "Room 4, Kungsgatan 1");
	assert_body_contains(r, "action=\"/items/");
	assert_body_contains(r, "/rsvp\"");
	response_free(r);
	r = aget(p.visitor, "/items/%lld", (long long)id);
	assert_status(r, 200);
	assert_body_contains(r, "2030-03-14 18:30");
	response_free(r);

	/* The edit form shows the clock times; an edit is a new version. */
	r = aget(p.asa, "/items/%lld/edit", (long long)id);
	assert_status(r, 200);
	assert_body_contains(r, "value=\"2030-03-14T18:30\"");
	assert_body_contains(r, "value=\"Europe/Stockholm\"");
	response_free(r);
	r = item_edit(p.asa, id, json_pack("{s:i, s:s}", "capacity", 20, "location", "Room 5"));
	assert_status(r, 200);
	assert_int_equal(jint(r, "event.capacity"), 20);
	assert_jstr(r, "event.location", "Room 5");
	assert_int_equal(jint(r, "event.starts_at"), utc(2030, 3, 14, 17, 30));
	response_free(r);
	assert_int_equal(revision_count(p.asa, id), 2);
	r = aget(p.asa, "/items/%lld/revisions", (long long)id);
	assert_status(r, 200);
	assert_body_contains(r, "Room 5");
	response_free(r);

	/* Search finds it by its place. */
	r = aget(p.bo, "/api/v1/search?q=Room");
	assert_status(r, 200);
	assert_true(list_has_id(r, "items", id));
	response_free(r);
}

/* A form from the composer makes one too. */
static void event_from_the_form(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	struct response *r = aget(p.asa, "/c/fika/new?kind=event");
	assert_status(r, 200);
	assert_body_contains(r, "name=\"starts_at\"");
	assert_body_contains(r, "value=\"Europe/Stockholm\"");
	response_free(r);
	r = fpost(p.asa, "/c/fika/items",
		  STRS("kind", "event", "title", "Workshop on swales", "event_type", "workshop", "body", "Bring boots.",
		       "starts_at", "2030-05-02T13:00", "ends_at", "2030-05-02T16:00", "timezone", "Europe/Amsterdam",
		       "location", "", "online_url", "https://meet.example.org/w", "capacity", "", "signup_deadline", "",
		       "tags", "", "language", "en"));
	assert_status(r, 303);
	response_free(r);
	r = aget(p.asa, "/api/v1/events");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "items"), 1);
	assert_string_equal(jat_str(r, "items", 0, "title"), "Workshop on swales");
	json_t *e = jat(r, "items", 0, "event");
	assert_string_equal(json_string_value(json_object_get(e, "event_type")), "workshop");
	assert_int_equal(json_integer_value(json_object_get(e, "capacity")), 0);
	assert_int_equal(json_integer_value(json_object_get(e, "starts_at")), utc(2030, 5, 2, 11, 0));
	response_free(r);
}

/* One broken field at a time: 422 on that field, nothing stored; the form
 * shows what was typed. */
static void event_field_errors(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	struct {
		const char *key, *value, *field;
	} cases[] = {
		{"timezone", "Mars/Olympus_Mons", "timezone"},
		{"timezone", "../../etc/passwd", "timezone"},
		{"timezone", "zone.tab", "timezone"},
		{"ends_at", "2030-03-14T18:00", "ends_at"},
		{"ends_at", "2030-03-14T18:30", "ends_at"},
		{"starts_at", "2030-02-30T18:30", "starts_at"},
		{"starts_at", "tomorrow", "starts_at"},
		{"starts_at", "", "starts_at"},
		{"location", "", "location"},
		{"online_url", "javascript:alert(1)", "online_url"},
		{"online_url", "ftp://example.org/x", "online_url"},
		{"capacity", "-1", "capacity"},
		{"event_type", "party", "event_type"},
		{"signup_deadline", "2030-03-14T19:00", "signup_deadline"},
		/* Stockholm's clocks skip 02:00-03:00 on 2030-03-31. */
		{"starts_at", "2030-03-31T02:30", "starts_at"},
		{"title", "", "title"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *body = event_body("Fika", "2030-03-14T18:30", "2030-03-14T20:00", 5);
		if (strcmp(cases[i].key, "capacity") == 0)
			json_object_set_new(body, "capacity", json_integer(-1));
		else
			json_object_set_new(body, cases[i].key, json_string(cases[i].value));
		if (strcmp(cases[i].key, "starts_at") == 0 && strstr(cases[i].value, "03-31"))
			json_object_set_new(body, "ends_at", json_string("2030-03-31T05:00"));
		struct response *r = post_item(p.asa, "fika", body);
		assert_invalid_field(r, cases[i].field);
		response_free(r);
	}
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM event_details"), "0\n");
	/* The form keeps what was typed and says what is wrong. */
	struct response *r = fpost(p.asa, "/c/fika/items",
		STRS("kind", "event", "title", "Fika on Mars", "event_type", "fika", "body", "Far away.",
		     "starts_at", "2030-03-14T18:30", "ends_at", "2030-03-14T20:00", "timezone", "Mars/Olympus_Mons",
		     "location", "Crater 9", "capacity", "4"));
	assert_status(r, 422);
	assert_body_contains(r, "value=\"Mars/Olympus_Mons\"");
	assert_body_contains(r, "value=\"Crater 9\"");
	assert_body_contains(r, "value=\"2030-03-14T18:30\"");
	assert_body_contains(r, "There is no such time zone");
	response_free(r);
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM event_details"), "0\n");
}

/* ---- answering ------------------------------------------------------------------------------ */

/* The notifications of kind promoted about the item that a has. */
static size_t promoted_notifications(struct actor *a, int64_t item)
{
	struct response *r = aget(a, "/api/v1/notifications");
	assert_status(r, 200);
	size_t n = 0;
	for (size_t i = 0; i < jlen(r, "items"); i++) {
		const char *kind = jat_str(r, "items", i, "kind");
		const char *url = jat_str(r, "items", i, "url");
		char prefix[48];
		snprintf(prefix, sizeof prefix, "/items/%lld", (long long)item);
		if (kind && strcmp(kind, "promoted") == 0 && url && strncmp(url, prefix, strlen(prefix)) == 0)
			n++;
	}
	response_free(r);
	return n;
}

/* Capacity 1: the first is going, the others wait in the order they
 * answered; answering again changes nothing; leaving the waitlist moves
 * those behind up; when the one going cancels, the first waiting is
 * going and told, and no one else is. */
static void waitlist_and_promotion(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	int64_t id = new_event(p.admin, "fika", event_body("Small fika", "2030-03-14T18:30", "2030-03-14T20:00", 1));
	rsvp(p.asa, id, "going", "going", 0);
	rsvp(p.bo, id, "going", "waitlisted", 1);
	rsvp(p.cai, id, "going", "waitlisted", 2);
	rsvp(p.dan, id, "going", "waitlisted", 3);
	rsvp(p.asa, id, "going", "going", 0);
	rsvp(p.cai, id, "going", "waitlisted", 2);
	rsvp(p.eve, id, "not_going", "not_going", 0);
	struct response *r = event_of(p.bo, id);
	assert_int_equal(jint(r, "event.going_count"), 1);
	assert_int_equal(jint(r, "event.waitlist_count"), 3);
	assert_int_equal(jint(r, "event.seats_left"), 0);
	assert_true(json_is_true(json_path(r->json, "event.full")));
	assert_jstr(r, "event.my_state", "waitlisted");
	assert_int_equal(jint(r, "event.my_position"), 1);
	response_free(r);

	/* bo leaves the waitlist: cai and dan move up; nobody is promoted. */
	rsvp(p.bo, id, "not_going", "not_going", 0);
	rsvp(p.cai, id, "going", "waitlisted", 1);
	rsvp(p.dan, id, "going", "waitlisted", 2);
	assert_int_equal(promoted_notifications(p.cai, id), 0);

	/* asa cancels: cai is going at once and told; dan is first in line. */
	rsvp(p.asa, id, "not_going", "not_going", 0);
	rsvp(p.cai, id, "going", "going", 0);
	rsvp(p.dan, id, "going", "waitlisted", 1);
	assert_int_equal(promoted_notifications(p.cai, id), 1);
	assert_int_equal(promoted_notifications(p.dan, id), 0);
	assert_int_equal(promoted_notifications(p.asa, id), 0);
	r = aget(p.cai, "/notifications");
	assert_status(r, 200);
	assert_body_contains(r, "A seat came free: you are going to Small fika");
	response_free(r);
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM events WHERE type = 'rsvp.promoted'"), "1\n");

	/* asa signs up again: at the back of the line. */
	rsvp(p.asa, id, "going", "waitlisted", 2);
	/* The hosts see the waitlist in its order. */
	r = aget(p.admin, "/api/v1/items/%lld", (long long)id);
	assert_status(r, 200);
	assert_int_equal(jlen(r, "event.waitlist"), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_path(r->json, "event.waitlist"), 0),
							      "handle")),
			    "dan");
	response_free(r);
	/* One more seat: the first waiting is going and told; fewer seats
	 * move no one off; no limit takes in the rest. */
	r = item_edit(p.admin, id, json_pack("{s:i}", "capacity", 2));
	assert_status(r, 200);
	response_free(r);
	rsvp(p.dan, id, "going", "going", 0);
	rsvp(p.asa, id, "going", "waitlisted", 1);
	assert_int_equal(promoted_notifications(p.dan, id), 1);
	r = item_edit(p.admin, id, json_pack("{s:i}", "capacity", 1));
	assert_status(r, 200);
	assert_int_equal(jint(r, "event.going_count"), 2);
	response_free(r);
	r = item_edit(p.admin, id, json_pack("{s:i}", "capacity", 0));
	assert_status(r, 200);
	assert_int_equal(jint(r, "event.waitlist_count"), 0);
	response_free(r);
	rsvp(p.asa, id, "going", "going", 0);
	assert_int_equal(promoted_notifications(p.asa, id), 1);
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM events WHERE type = 'rsvp.promoted'"), "3\n");

	/* No limit: everyone is going. */
	int64_t open = new_event(p.admin, "fika", event_body("Big fika", "2030-03-15T18:30", "2030-03-15T20:00", 0));
	struct actor *all[] = {p.asa, p.bo, p.cai, p.dan, p.eve, p.vic};
	for (size_t i = 0; i < 6; i++)
		rsvp(all[i], open, "going", "going", 0);
	r = event_of(p.asa, open);
	assert_int_equal(jint(r, "event.going_count"), 6);
	assert_true(json_is_null(json_path(r->json, "event.seats_left")));
	response_free(r);

	/* A bad answer. */
	r = item_post(p.asa, id, "rsvp", json_pack("{s:s}", "answer", "maybe"));
	assert_error(r, 422, "invalid");
	response_free(r);
	/* Not an event. */
	int64_t q = ask(p.asa, "fika", "Where is the fika?", "");
	r = item_post(p.asa, q, "rsvp", json_pack("{s:s}", "answer", "going"));
	assert_error(r, 404, "not_found");
	response_free(r);
}

/* The member promoted hears of it by e-mail at once (the default for
 * `promoted`), with a link to the event; the one who cancelled does not. */
static struct smtp_sink *sink;

static int smtp_setup(void **state)
{
	sink = smtp_sink_start();
	if (!sink)
		return -1;
	setenv("KRING_SMTP_URL", smtp_sink_url(sink), 1);
	int rc = server_setup(state);
	unsetenv("KRING_SMTP_URL");
	if (rc != 0)
		smtp_sink_stop(sink);
	return rc;
}

static int smtp_teardown(void **state)
{
	held_release();
	int rc = server_teardown(state);
	smtp_sink_stop(sink);
	sink = NULL;
	return rc;
}

/* The messages to handle@example.com whose subject has part; the text of
 * the last into text (held until teardown) when text is not NULL. */
static int mails_to(const char *handle, const char *part, const char **text)
{
	return smtp_sink_mails_to_member(sink, handle, part, text);
}

static void promoted_member_is_mailed(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	int64_t id = new_event(p.admin, "fika", event_body("Mailed fika", "2030-03-14T18:30", "2030-03-14T20:00", 1));
	rsvp(p.asa, id, "going", "going", 0);
	rsvp(p.bo, id, "going", "waitlisted", 1);
	rsvp(p.asa, id, "not_going", "not_going", 0);
	jobs_settle(s);
	const char *text = NULL;
	assert_int_equal(mails_to("bo", "A seat came free: you are going to Mailed fika", &text), 1);
	char link[200];
	snprintf(link, sizeof link, "%s/items/%lld-mailed-fika", s->origin, (long long)id);
	assert_non_null(strstr(text, link));
	assert_int_equal(mails_to("asa", "A seat came free", NULL), 0);
}

/* The HTML buttons: going, then the page says so. */
static void rsvp_from_the_page(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	int64_t id = new_event(p.admin, "fika", event_body("Page fika", "2030-03-14T18:30", "2030-03-14T20:00", 1));
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/rsvp", (long long)id);
	struct response *r = fpost(p.asa, path, STRS("answer", "going"));
	assert_status(r, 303);
	assert_header_contains(r, "Location", "#signup");
	response_free(r);
	r = aget(p.asa, "/items/%lld", (long long)id);
	assert_body_contains(r, "You are going.");
	assert_body_contains(r, "I cannot come after all");
	response_free(r);
	r = aget(p.bo, "/items/%lld", (long long)id);
	assert_body_contains(r, "Join the waitlist");
	assert_body_contains(r, "href=\"/people/asa\"");
	response_free(r);
	r = fpost(p.bo, path, STRS("answer", "going"));
	assert_status(r, 303);
	response_free(r);
	r = aget(p.bo, "/items/%lld", (long long)id);
	assert_body_contains(r, "You are number 1 on the waitlist.");
	response_free(r);
}

/* ---- the race for the last seat ------------------------------------------------------------- */

struct taker {
	struct actor *who;
	const char *path;
	pthread_barrier_t *start;
	long status;
	char state[16];
};

static void *take_seat(void *arg)
{
	struct taker *t = arg;
	pthread_barrier_wait(t->start);
	struct response *r = http_post_json(t->who->c, t->path, "{\"answer\": \"going\"}",
					    (const char *[]){t->who->csrf_header, NULL});
	t->status = r->status;
	const char *state = response_jstr(r, "state");
	snprintf(t->state, sizeof t->state, "%s", state ? state : "");
	response_free(r);
	return NULL;
}

/* Members taking the last seat at the same moment, round after round:
 * exactly one is going, the others are waitlisted with places 1, 2, … */
static void race_for_the_last_seat(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	struct actor *racers[] = {p.asa, p.bo, p.cai, p.dan};
	enum { RACERS = 4, ROUNDS = 8 };
	for (int round = 0; round < ROUNDS; round++) {
		char title[32], path[64];
		snprintf(title, sizeof title, "Race %d", round);
		int64_t id = new_event(p.admin, "fika", event_body(title, "2030-03-14T18:30", "2030-03-14T20:00", 2));
		/* One seat is taken already: one is left. */
		rsvp(p.eve, id, "going", "going", 0);
		snprintf(path, sizeof path, "/api/v1/items/%lld/rsvp", (long long)id);
		pthread_barrier_t start;
		pthread_barrier_init(&start, NULL, RACERS);
		struct taker t[RACERS];
		pthread_t th[RACERS];
		for (int i = 0; i < RACERS; i++) {
			t[i] = (struct taker){.who = racers[i], .path = path, .start = &start};
			assert_int_equal(pthread_create(&th[i], NULL, take_seat, &t[i]), 0);
		}
		for (int i = 0; i < RACERS; i++)
			pthread_join(th[i], NULL);
		pthread_barrier_destroy(&start);
		int going = 0, waiting = 0;
		for (int i = 0; i < RACERS; i++) {
			if (t[i].status != 200)
				fail_msg("round %d: %s got %ld", round, racers[i]->handle, t[i].status);
			going += strcmp(t[i].state, "going") == 0;
			waiting += strcmp(t[i].state, "waitlisted") == 0;
		}
		if (going != 1 || waiting != RACERS - 1)
			fail_msg("round %d: %d going and %d waitlisted", round, going, waiting);
		char sql[160];
		snprintf(sql, sizeof sql,
			 "SELECT state, COUNT(*) FROM event_rsvps WHERE item_id = %lld GROUP BY state ORDER BY state",
			 (long long)id);
		assert_string_equal(sql_rows(s, sql), "going|2\nwaitlisted|3\n");
		/* The places on the waitlist are 1, 2, 3, one each. */
		int seen = 0;
		for (int i = 0; i < RACERS; i++) {
			if (strcmp(t[i].state, "waitlisted") != 0)
				continue;
			struct response *r = event_of(racers[i], id);
			int64_t pos = jint(r, "event.my_position");
			response_free(r);
			if (pos < 1 || pos > 3 || (seen & (1 << pos)))
				fail_msg("round %d: %s has place %lld", round, racers[i]->handle, (long long)pos);
			seen |= 1 << pos;
		}
	}
}

/* ---- deadline and closing ------------------------------------------------------------------- */

/* Sign-up closes at the deadline (cancelling still works and promotes), at
 * the start (no answer changes then), and when a host closes it; only
 * hosts close and open it. */
static void deadline_and_closing(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	int64_t now = test_clock_now();
	json_t *body = event_body("Deadline fika", utc_text(now + 7200), utc_text(now + 10800), 1);
	json_object_set_new(body, "timezone", json_string("UTC"));
	json_object_set_new(body, "signup_deadline", json_string(utc_text(now + 3600)));
	int64_t id = new_event(p.asa, "fika", body);
	rsvp(p.bo, id, "going", "going", 0);
	rsvp(p.cai, id, "going", "waitlisted", 1);
	test_clock_advance(3700);
	struct response *r = item_post(p.dan, id, "rsvp", json_pack("{s:s}", "answer", "going"));
	assert_error(r, 422, "signup_closed");
	assert_jstr(r, "error.message", "Sign-up for this event is closed.");
	response_free(r);
	/* Those who answered in time keep their places; a cancellation
	 * still promotes the first waiting. */
	rsvp(p.bo, id, "not_going", "not_going", 0);
	rsvp(p.cai, id, "going", "going", 0);
	r = item_post(p.bo, id, "rsvp", json_pack("{s:s}", "answer", "going"));
	assert_error(r, 422, "signup_closed");
	response_free(r);
	/* At the start no answer changes. */
	test_clock_advance(3600);
	r = item_post(p.cai, id, "rsvp", json_pack("{s:s}", "answer", "not_going"));
	assert_error(r, 422, "signup_closed");
	response_free(r);

	/* A host closes sign-up by hand, and opens it again. */
	now = test_clock_now();
	body = event_body("Closing fika", utc_text(now + 86400), utc_text(now + 90000), 0);
	json_object_set_new(body, "timezone", json_string("UTC"));
	int64_t other = new_event(p.asa, "fika", body);
	r = item_post(p.bo, other, "rsvp/close", NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = item_post(p.asa, other, "rsvp/close", NULL);
	assert_status(r, 200);
	assert_true(json_is_true(json_path(r->json, "signup_closed")));
	response_free(r);
	r = item_post(p.bo, other, "rsvp", json_pack("{s:s}", "answer", "going"));
	assert_error(r, 422, "signup_closed");
	response_free(r);
	r = event_of(p.bo, other);
	assert_true(json_is_false(json_path(r->json, "event.signup_open")));
	response_free(r);
	/* The community's host (the admin here) may open it. */
	r = item_post(p.admin, other, "rsvp/open", NULL);
	assert_status(r, 200);
	response_free(r);
	rsvp(p.bo, other, "going", "going", 0);
}

/* ---- who may ------------------------------------------------------------------------------- */

/* A visitor is asked to sign in; an event in a private community does not
 * exist for non-members; the attendees are listed for the community's
 * members, the waitlist and the CSV for its hosts only. */
static void who_may_answer_and_see(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	int64_t pub = new_event(p.asa, "fika", event_body("Open fika", "2030-03-14T18:30", "2030-03-14T20:00", 1));
	int64_t priv = new_event(p.asa, "board", event_body("Board fika", "2030-03-14T18:30", "2030-03-14T20:00", 0));
	struct response *r = item_post(p.visitor, pub, "rsvp", json_pack("{s:s}", "answer", "going"));
	assert_status(r, 401);
	response_free(r);
	r = item_post(p.bo, priv, "rsvp", json_pack("{s:s}", "answer", "going"));
	assert_status(r, 404);
	response_free(r);
	r = item_post(p.vic, priv, "rsvp", json_pack("{s:s}", "answer", "going"));
	assert_status(r, 404);
	response_free(r);
	rsvp(p.asa, priv, "going", "going", 0);
	/* A signed-in member outside the public community may answer. */
	rsvp(p.vic, pub, "going", "going", 0);
	rsvp(p.bo, pub, "going", "waitlisted", 1);

	/* Members of the community see who is going; others do not. */
	r = event_of(p.cai, pub);
	assert_int_equal(jlen(r, "event.attendees"), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_path(r->json, "event.attendees"), 0),
							      "handle")),
			    "vic");
	assert_null(json_path(r->json, "event.waitlist"));
	assert_true(json_is_false(json_path(r->json, "event.can_manage")));
	response_free(r);
	r = event_of(p.vic, pub);
	assert_null(json_path(r->json, "event.attendees"));
	response_free(r);
	r = aget(p.visitor, "/api/v1/items/%lld", (long long)pub);
	assert_status(r, 200);
	assert_null(json_path(r->json, "event.attendees"));
	assert_null(json_path(r->json, "event.my_state"));
	response_free(r);
	r = aget(p.visitor, "/items/%lld", (long long)pub);
	assert_body_lacks(r, "href=\"/people/vic\"");
	assert_body_contains(r, "Sign in to sign up.");
	response_free(r);
	/* The author and the community's host see the waitlist and the CSV. */
	struct actor *hosts[] = {p.asa, p.admin};
	for (int i = 0; i < 2; i++) {
		r = event_of(hosts[i], pub);
		assert_int_equal(jlen(r, "event.waitlist"), 1);
		assert_true(json_is_true(json_path(r->json, "event.can_manage")));
		response_free(r);
		r = aget(hosts[i], "/items/%lld/attendees.csv", (long long)pub);
		assert_status(r, 200);
		response_free(r);
	}
	r = aget(p.cai, "/items/%lld/attendees.csv", (long long)pub);
	assert_status(r, 403);
	response_free(r);
	r = item_post(p.cai, pub, "rsvp/close", NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	/* A member made a host of the community is one of the event's hosts. */
	set_role(p.admin, "fika", "cai", "host");
	r = aget(p.cai, "/items/%lld/attendees.csv", (long long)pub);
	assert_status(r, 200);
	assert_body_contains(r, "\"bo\",\"On the waitlist\",\"1\"");
	response_free(r);
	r = item_post(p.cai, pub, "rsvp/close", NULL);
	assert_status(r, 200);
	response_free(r);
	r = aget(p.visitor, "/items/%lld/attendees.csv", (long long)pub);
	assert_true(r->status == 401 || r->status == 303);
	response_free(r);
	r = aget(p.bo, "/items/%lld/attendees.csv", (long long)priv);
	assert_status(r, 404);
	response_free(r);
}

/* The CSV quotes every field, doubles quotes and makes a leading = + - @
 * inert for spreadsheets. */
static void attendees_csv_escaped(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	run_sql(s, "UPDATE users SET name = '=HYPERLINK(\"http://x\"), \"q\"' WHERE handle = 'bo';"
		   "UPDATE users SET name = 'Åsa, \"the host\"' WHERE handle = 'asa'");
	int64_t id = new_event(p.admin, "fika", event_body("CSV fika", "2030-03-14T18:30", "2030-03-14T20:00", 1));
	rsvp(p.asa, id, "going", "going", 0);
	rsvp(p.bo, id, "going", "waitlisted", 1);
	struct response *r = aget(p.admin, "/items/%lld/attendees.csv", (long long)id);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/csv");
	assert_header_contains(r, "Content-Disposition", "attachment");
	assert_body_contains(r, "\"Name\",\"Handle\",\"State\",\"Place on the waitlist\",\"Signed up at (UTC)\",\"Guest's e-mail "
			    "address\"\r\n");
	assert_body_contains(r, "\"Åsa, \"\"the host\"\"\",\"asa\",\"Going\",\"\",\"");
	assert_body_contains(r, "\"'=HYPERLINK(\"\"http://x\"\"), \"\"q\"\"\",\"bo\",\"On the waitlist\",\"1\",\"");
	/* Going first, then the waitlist. */
	const char *a = strstr(r->body, "\"asa\""), *b = strstr(r->body, "\"bo\"");
	assert_true(a && b && a < b);
	response_free(r);
}

/* ---- lists ---------------------------------------------------------------------------------- */

/* /events lists upcoming events soonest first and past ones latest first,
 * filtered by type, community and tag, and only those the viewer may see;
 * the home and the community page show the next three. */
static void events_lists(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	json_t *b = event_body("Third", "2030-05-01T10:00", "2030-05-01T11:00", 0);
	json_object_set_new(b, "event_type", json_string("talk"));
	json_object_set_new(b, "tags", json_string("soil"));
	int64_t third = new_event(p.asa, "fika", b);
	int64_t first = new_event(p.asa, "fika", event_body("First", "2030-03-01T10:00", "2030-03-01T11:00", 0));
	b = event_body("Second", "2030-04-01T10:00", "2030-04-01T11:00", 0);
	json_object_set_new(b, "event_type", json_string("workshop"));
	int64_t second = new_event(p.asa, "board", b);
	int64_t fourth = new_event(p.asa, "fika", event_body("Fourth", "2030-06-01T10:00", "2030-06-01T11:00", 0));
	int64_t old1 = new_event(p.asa, "fika", event_body("Old one", "2020-03-01T10:00", "2020-03-01T11:00", 0));
	int64_t old2 = new_event(p.asa, "fika", event_body("Older one", "2019-03-01T10:00", "2019-03-01T11:00", 0));

	struct response *r = aget(p.asa, "/api/v1/events");
	assert_status(r, 200);
	assert_ids(json_path(r->json, "items"), (int64_t[]){first, second, third, fourth}, 4);
	response_free(r);
	r = aget(p.bo, "/api/v1/events");
	assert_ids(json_path(r->json, "items"), (int64_t[]){first, third, fourth}, 3);
	response_free(r);
	r = aget(p.visitor, "/api/v1/events");
	assert_ids(json_path(r->json, "items"), (int64_t[]){first, third, fourth}, 3);
	response_free(r);
	r = aget(p.asa, "/api/v1/events?when=past");
	assert_ids(json_path(r->json, "items"), (int64_t[]){old1, old2}, 2);
	response_free(r);
	r = aget(p.asa, "/api/v1/events?type=workshop");
	assert_ids(json_path(r->json, "items"), (int64_t[]){second}, 1);
	response_free(r);
	r = aget(p.asa, "/api/v1/events?community=fika&type=fika");
	assert_ids(json_path(r->json, "items"), (int64_t[]){first, fourth}, 2);
	response_free(r);
	r = aget(p.asa, "/api/v1/events?tag=soil");
	assert_ids(json_path(r->json, "items"), (int64_t[]){third}, 1);
	response_free(r);
	r = aget(p.asa, "/api/v1/events?type=party");
	assert_status(r, 400);
	response_free(r);
	r = aget(p.bo, "/api/v1/events?community=board");
	assert_status(r, 404);
	response_free(r);

	/* The pages render, with the other list a click away. */
	r = aget(p.asa, "/events");
	assert_status(r, 200);
	assert_body_contains(r, "/events?when=past");
	assert_body_contains(r, "First");
	response_free(r);
	r = aget(p.asa, "/events?when=past&type=fika");
	assert_status(r, 200);
	assert_body_contains(r, "Old one");
	assert_body_contains(r, "/events?when=upcoming&amp;type=fika");
	response_free(r);

	/* Home and community: the next three they may see. */
	r = aget(p.asa, "/api/v1/");
	assert_status(r, 200);
	assert_ids(json_path(r->json, "next_events"), (int64_t[]){first, second, third}, 3);
	response_free(r);
	r = aget(p.visitor, "/api/v1/");
	assert_ids(json_path(r->json, "next_events"), (int64_t[]){first, third, fourth}, 3);
	response_free(r);
	r = aget(p.visitor, "/");
	assert_status(r, 200);
	assert_body_contains(r, "Next events");
	response_free(r);
	r = aget(p.bo, "/api/v1/c/board");
	assert_status(r, 404);
	response_free(r);
	r = aget(p.asa, "/api/v1/c/board");
	assert_ids(json_path(r->json, "next_events"), (int64_t[]){second}, 1);
	response_free(r);
	r = aget(p.bo, "/c/fika");
	assert_status(r, 200);
	assert_body_contains(r, "Next events");
	assert_body_contains(r, "/events?community=fika");
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)
/* Tests that move the server's clock. */
#define C(f) cmocka_unit_test_setup_teardown(f, clock_server_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(event_with_every_field),
		T(event_from_the_form),
		T(event_field_errors),
		T(waitlist_and_promotion),
		T(rsvp_from_the_page),
		cmocka_unit_test_setup_teardown(promoted_member_is_mailed, smtp_setup, smtp_teardown),
		T(race_for_the_last_seat),
		C(deadline_and_closing),
		T(who_may_answer_and_see),
		T(attendees_csv_escaped),
		T(events_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
