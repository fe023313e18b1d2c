/* test_event_guests: guests without an account and claim windows — a
 * guest signs up with a name and an address, confirms through the link of
 * the mail the test SMTP server received (opening it changes nothing) and
 * cancels through the link of the next one; one sign-up per address;
 * members and guests share one line, in the order of answering and
 * confirming, and a guest promoted is told by mail; the deadline, closing,
 * the start and cancelling hold for guests (who are told of a cancelled
 * event); no guest form outside public communities; hosts see guests'
 * addresses on the page and in the CSV, members their names only; the
 * form's limit per client; a claim window that lapses gives the seat to
 * the next and tells the one who lapsed, one claimed in time keeps it; a
 * guest and a member taking the last seat at once get it exactly once. */
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
#include <unistd.h>

#define HOUR 3600
#define DAY (24 * HOUR)

static struct smtp_sink *sink;

static int smtp_setup(void **state)
{
	return smtp_server_setup(state, &sink, 0);
}

/* The same with KRING_SIGNUP_LIMIT=2: two requests an hour per client. */
static int limited_setup(void **state)
{
	setenv("KRING_SIGNUP_LIMIT", "2", 1);
	int rc = smtp_server_setup(state, &sink, 0);
	setenv("KRING_SIGNUP_LIMIT", "0", 1);
	return rc;
}

/* Monday 2030-03-04 09:00 UTC: a clock where "tomorrow" is certain. */
#define MONDAY_MORNING 1898845200

static int monday_setup(void **state)
{
	return smtp_server_setup(state, &sink, MONDAY_MORNING);
}

static int smtp_teardown(void **state)
{
	return smtp_server_teardown(state, &sink, teardown_releasing);
}

/* ---- the place ------------------------------------------------------------------ */

/* The public community fika (admin hosts it; asa, bo, cai and dan are
 * members), the members-only staff room, the private board and a
 * circle. */
struct place {
	const struct server *srv;
	struct actor *admin, *asa, *bo, *cai, *dan, *visitor;
};

static void place_build(struct place *p, const struct server *s)
{
	p->srv = s;
	p->admin = staff(s, "root", "--admin");
	unlimited_posting(p->admin);
	make_community(p->admin, "fika", "Fika", "public", "open");
	make_community(p->admin, "staff", "Staff room", "members", "open");
	make_community(p->admin, "board", "The Board", "private", "invite");
	struct actor **members[] = {&p->asa, &p->bo, &p->cai, &p->dan};
	const char *handles[] = {"asa", "bo", "cai", "dan"};
	for (int i = 0; i < 4; i++) {
		*members[i] = member(s, handles[i]);
		bring_in(p->admin, "fika", *members[i]);
	}
	bring_in(p->admin, "staff", p->asa);
	p->visitor = visitor(s);
}

/* An event in UTC that starts `starts` seconds from the test clock's now
 * and lasts two hours. */
static int64_t event_in(struct actor *a, const char *slug, const char *title, int64_t starts, int capacity)
{
	int64_t now = test_clock_now();
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "kind", "event", "title", title,
				 "body", "We talk about water.", "event_type", "fika", "timezone", "UTC", "starts_at",
				 utc_text(now + starts), "ends_at", utc_text(now + starts + 2 * HOUR), "location",
				 "Room 4", "capacity", capacity);
	return new_item(a, "event", slug, body);
}

static int64_t going_count(struct actor *a, int64_t id)
{
	struct response *r = event_of(a, id);
	int64_t n = jint(r, "event.going_count");
	response_free(r);
	return n;
}

/* ---- mail ----------------------------------------------------------------------- */

/* The messages to the address whose subject has part; the plain text of
 * the newest into *text (kept until teardown) when text is not NULL. */
static int mails_to(const char *address, const char *part, const char **text)
{
	return smtp_sink_mails_to(sink, address, part, text);
}

/* Waits until the outbox has sent what is due, then the newest mail to the
 * address whose subject has part: its /guests/{secret} path. */
static const char *guest_link(const struct server *s, const char *address, const char *part)
{
	jobs_settle(s);
	const char *text = NULL;
	if (mails_to(address, part, &text) < 1)
		fail_msg("no mail to %s about \"%s\"", address, part);
	char start[200];
	snprintf(start, sizeof start, "%s/guests/", s->origin);
	const char *at = strstr(text, start);
	assert_non_null(at);
	at += strlen(s->origin);
	return harness_strndup(at, strcspn(at, " \r\n<>\""));
}

static const char *pathf(const char *fmt, const char *arg)
{
	char path[300];
	snprintf(path, sizeof path, fmt, arg);
	return harness_strdup(path);
}

/* ---- steps ---------------------------------------------------------------------- */

/* POST /api/v1/items/{id}/guests from a new visitor. */
static struct response *guest_signup(const struct server *s, int64_t id, const char *name, const char *email)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/items/%lld/guests", (long long)id);
	return http_post_jsonv(client_new(s), path, json_pack("{s:s, s:s}", "name", name, "email", email), NULL);
}

/* A guest's POST to /guests/{secret}/{what} (JSON, no cookie). */
static struct response *guest_post(const struct server *s, const char *link, const char *what)
{
	char path[300];
	snprintf(path, sizeof path, "/api/v1%s/%s", link, what);
	return http_post_json(client_new(s), path, "{}", NULL);
}

/* Signs the address up and confirms; the state and place it gets. Returns
 * the guest's link. */
static const char *guest_joins(const struct server *s, int64_t id, const char *name, const char *email,
			       const char *want, int64_t position)
{
	struct response *r = guest_signup(s, id, name, email);
	assert_status(r, 202);
	response_free(r);
	const char *link = guest_link(s, email, "Confirm your sign-up");
	r = guest_post(s, link, "confirm");
	assert_status(r, 200);
	assert_jstr(r, "state", want);
	assert_int_equal(jint(r, "position"), position);
	response_free(r);
	return link;
}

/* ---- tests ---------------------------------------------------------------------- */

/* The whole way of one guest: the form on the page, the mail, the link
 * that shows a button and changes nothing, the button, the confirmation
 * with its cancel link, a second sign-up of the same address (in other
 * case) that changes nothing and is told by mail, what hosts and members
 * see, and cancelling. */
static void guest_signs_up_confirms_and_cancels(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	int64_t id = event_in(p.admin, "fika", "Guest fika", 3 * DAY, 2);

	/* The visitor's page has the form; a member's has none. */
	struct response *r = aget(p.visitor, "/items/%lld", (long long)id);
	assert_status(r, 200);
	char action[80];
	snprintf(action, sizeof action, "action=\"/items/%lld/guests\"", (long long)id);
	assert_body_contains(r, action);
	response_free(r);
	r = aget(p.bo, "/items/%lld", (long long)id);
	assert_body_lacks(r, action);
	response_free(r);

	/* Field errors keep what was typed; nothing is stored or sent. */
	char path[80];
	snprintf(path, sizeof path, "/items/%lld/guests", (long long)id);
	const char *csrf = page_csrf(p.visitor->c, path);
	r = http_post_form(p.visitor->c, path, STRS("name", "Gus Guest", "email", "not an address", "csrf", csrf), NULL);
	assert_status(r, 422);
	assert_body_contains(r, "value=\"Gus Guest\"");
	response_free(r);
	r = guest_signup(s, id, "", "gus@example.org");
	assert_invalid_field(r, "name");
	response_free(r);
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM event_guests"), "0\n");

	/* The form: a neutral answer, and a mail with the link. */
	r = http_post_form(p.visitor->c, path, STRS("name", "Gus Guest", "email", "Gus@Example.org", "csrf", csrf), NULL);
	assert_status(r, 303);
	assert_header_contains(r, "Location", "/guests?sent=1");
	response_free(r);
	r = aget(p.visitor, "%s?sent=1", path);
	assert_status(r, 200);
	assert_body_contains(r, "Check your e-mail");
	response_free(r);
	const char *link = guest_link(s, "Gus@Example.org", "Confirm your sign-up for Guest fika");
	assert_int_equal(going_count(p.bo, id), 0);

	/* Opening the link changes nothing; the button confirms. */
	struct client *anyone = client_new(s);
	r = http_get(anyone, link, NULL);
	assert_status(r, 200);
	assert_header_equal(r, "Cache-Control", "no-store");
	assert_body_contains(r, "Confirm the sign-up");
	response_free(r);
	assert_string_equal(sql_rows(s, "SELECT state FROM event_guests"), "unconfirmed\n");
	assert_int_equal(going_count(p.bo, id), 0);
	r = http_post_form(anyone, pathf("%s/confirm", link), STRS("csrf", page_csrf(anyone, link)), NULL);
	assert_status(r, 303);
	assert_string_equal(response_header(r, "Location"), link);
	response_free(r);
	r = http_get(anyone, link, NULL);
	assert_body_contains(r, "You are going.");
	assert_body_contains(r, "I cannot come after all");
	response_free(r);
	assert_int_equal(going_count(p.bo, id), 1);
	/* Confirming twice changes nothing. */
	r = guest_post(s, link, "confirm");
	assert_status(r, 200);
	assert_jstr(r, "state", "going");
	response_free(r);
	assert_int_equal(going_count(p.bo, id), 1);
	/* The confirmation has the link to cancel. */
	assert_string_equal(guest_link(s, "Gus@Example.org", "You are going to Guest fika"), link);

	/* Once per event: the same address again is told by mail. */
	r = guest_signup(s, id, "Gus Again", "gus@EXAMPLE.org");
	assert_status(r, 202);
	response_free(r);
	/* (to the address as it was first given) */
	assert_string_equal(guest_link(s, "Gus@Example.org", "signed up for Guest fika already"), link);
	assert_string_equal(sql_rows(s, "SELECT COUNT(*), MIN(name) FROM event_guests"), "1|Gus Guest\n");

	/* The host sees the guest and the address; a member the name only;
	 * a visitor neither. */
	rsvp(p.bo, id, "going", "going", 0);
	r = event_of(p.admin, id);
	assert_int_equal(jlen(r, "event.attendees"), 2);
	json_t *g = json_array_get(json_path(r->json, "event.attendees"), 0);
	assert_string_equal(json_string_value(json_object_get(g, "name")), "Gus Guest");
	assert_true(json_is_true(json_object_get(g, "guest")));
	assert_true(json_is_null(json_object_get(g, "handle")));
	assert_string_equal(json_string_value(json_object_get(g, "email")), "Gus@Example.org");
	response_free(r);
	r = aget(p.admin, "/items/%lld", (long long)id);
	assert_body_contains(r, "Gus@Example.org");
	response_free(r);
	r = event_of(p.cai, id);
	g = json_array_get(json_path(r->json, "event.attendees"), 0);
	assert_string_equal(json_string_value(json_object_get(g, "name")), "Gus Guest");
	assert_true(json_is_null(json_object_get(g, "email")));
	response_free(r);
	r = aget(p.cai, "/items/%lld", (long long)id);
	assert_body_contains(r, "Gus Guest");
	assert_body_lacks(r, "Example.org");
	response_free(r);
	r = aget(p.visitor, "/items/%lld", (long long)id);
	assert_body_lacks(r, "Gus Guest");
	response_free(r);
	/* The CSV: the guest with the address, the member without. */
	r = aget(p.admin, "/items/%lld/attendees.csv", (long long)id);
	assert_status(r, 200);
	assert_body_contains(r, "\"Gus Guest\",\"\",\"Going\",\"\",\"");
	assert_body_contains(r, "\",\"Gus@Example.org\"\r\n");
	assert_body_contains(r, "\"bo\",\"Going\",\"\",\"");
	response_free(r);

	/* Cancelling frees the seat; the link leads nowhere after. */
	r = http_post_form(anyone, pathf("%s/cancel", link), STRS("csrf", page_csrf(anyone, link)), NULL);
	assert_status(r, 200);
	assert_body_contains(r, "Your sign-up is cancelled.");
	response_free(r);
	assert_int_equal(going_count(p.bo, id), 1);
	r = http_get(anyone, link, NULL);
	assert_status(r, 404);
	response_free(r);
	r = guest_post(s, "/guests/not-a-secret", "confirm");
	assert_status(r, 404);
	response_free(r);

	/* A member signed in uses the buttons instead. */
	r = item_post(p.cai, id, "guests", json_pack("{s:s, s:s}", "name", "Cai", "email", "cai@example.org"));
	assert_error(r, 409, "signed_in");
	response_free(r);
}

/* Members and guests in one line: capacity 2; a guest's place is taken
 * when they confirm, not when they sign up; a cancellation promotes the
 * first waiting, member or guest, and a guest promoted is told by mail. */
static void members_and_guests_share_the_line(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	int64_t id = event_in(p.admin, "fika", "Mixed fika", 3 * DAY, 2);
	rsvp(p.asa, id, "going", "going", 0);
	const char *g1 = guest_joins(s, id, "Gus One", "g1@example.org", "going", 0);
	rsvp(p.bo, id, "going", "waitlisted", 1);
	/* g2 signs up before cai answers but confirms after. */
	struct response *r = guest_signup(s, id, "Gus Two", "g2@example.org");
	assert_status(r, 202);
	response_free(r);
	const char *g2 = guest_link(s, "g2@example.org", "Confirm your sign-up");
	rsvp(p.cai, id, "going", "waitlisted", 2);
	r = guest_post(s, g2, "confirm");
	assert_status(r, 200);
	assert_jstr(r, "state", "waitlisted");
	assert_int_equal(jint(r, "position"), 3);
	response_free(r);
	const char *text = NULL;
	jobs_settle(s);
	assert_int_equal(mails_to("g2@example.org", "You are on the waitlist for Mixed fika", &text), 1);
	assert_non_null(strstr(text, "you are number 3 on the waitlist"));
	r = event_of(p.asa, id);
	assert_int_equal(jint(r, "event.going_count"), 2);
	assert_int_equal(jint(r, "event.waitlist_count"), 3);
	response_free(r);
	/* The hosts see the waitlist in its order. */
	r = event_of(p.admin, id);
	json_t *w = json_path(r->json, "event.waitlist");
	assert_int_equal(json_array_size(w), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(w, 0), "name")), "Test bo");
	assert_string_equal(json_string_value(json_object_get(json_array_get(w, 2), "name")), "Gus Two");
	response_free(r);

	/* asa cancels: bo is going; the guest g1 cancels: cai is going. */
	rsvp(p.asa, id, "not_going", "not_going", 0);
	rsvp(p.bo, id, "going", "going", 0);
	r = guest_post(s, g1, "cancel");
	assert_status(r, 200);
	assert_jstr(r, "state", "not_going");
	response_free(r);
	rsvp(p.cai, id, "going", "going", 0);
	r = guest_post(s, g2, "confirm");
	assert_jstr(r, "state", "waitlisted");
	assert_int_equal(jint(r, "position"), 1);
	response_free(r);
	/* bo cancels: the guest g2 is going and told by mail. */
	rsvp(p.bo, id, "not_going", "not_going", 0);
	jobs_settle(s);
	assert_int_equal(mails_to("g2@example.org", "A seat came free: you are going to Mixed fika", &text), 1);
	assert_non_null(strstr(text, g2));
	r = guest_post(s, g2, "confirm");
	assert_jstr(r, "state", "going");
	response_free(r);
	/* A member waiting behind a guest. */
	rsvp(p.dan, id, "going", "waitlisted", 1);
	r = guest_post(s, g2, "cancel");
	assert_status(r, 200);
	response_free(r);
	rsvp(p.dan, id, "going", "going", 0);
	/* Each move up is recorded, the guest's with the guest as its object. */
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM events WHERE type = 'rsvp.promoted'"), "4\n");
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM events WHERE type = 'rsvp.promoted'"
					" AND member_id IS NULL AND object_id > 0"),
			    "1\n");
}

/* The deadline, a host closing sign-up and the start hold for guests: no
 * sign-up, no confirmation; cancelling works until the start. A cancelled
 * event takes no guests and tells those it had. */
static void deadline_and_closing_for_guests(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	int64_t now = test_clock_now();
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "kind", "event", "title",
				 "Deadline fika", "body", "Soon.", "event_type", "fika", "timezone", "UTC", "starts_at",
				 utc_text(now + 2 * HOUR), "ends_at", utc_text(now + 3 * HOUR), "signup_deadline",
				 utc_text(now + HOUR), "location", "Room 4", "capacity", 5);
	int64_t id = new_item(p.admin, "event", "fika", body);
	const char *early = guest_joins(s, id, "Early Guest", "early@example.org", "going", 0);
	struct response *r = guest_signup(s, id, "Late Guest", "late@example.org");
	assert_status(r, 202);
	response_free(r);
	const char *late = guest_link(s, "late@example.org", "Confirm your sign-up");
	test_clock_advance(HOUR + 60);
	/* Past the deadline: no confirmation, no sign-up, no form. */
	r = guest_post(s, late, "confirm");
	assert_error(r, 422, "signup_closed");
	assert_jstr(r, "error.message", "Sign-up for this event is closed.");
	response_free(r);
	r = guest_signup(s, id, "Later Guest", "later@example.org");
	assert_error(r, 422, "signup_closed");
	response_free(r);
	r = aget(p.visitor, "/api/v1/items/%lld", (long long)id);
	assert_null(json_path(r->json, "event.guest_signup"));
	response_free(r);
	assert_int_equal(going_count(p.asa, id), 1);
	/* At the start the guest's answer no longer changes. */
	test_clock_advance(HOUR);
	r = guest_post(s, early, "cancel");
	assert_error(r, 422, "signup_closed");
	response_free(r);
	assert_int_equal(going_count(p.asa, id), 1);

	/* A host closes sign-up: guests are refused too, until it opens. */
	int64_t other = event_in(p.admin, "fika", "Closing fika", DAY, 0);
	r = item_post(p.admin, other, "rsvp/close", NULL);
	assert_status(r, 200);
	response_free(r);
	r = guest_signup(s, other, "Gus Guest", "gus@example.org");
	assert_error(r, 422, "signup_closed");
	response_free(r);
	r = item_post(p.admin, other, "rsvp/open", NULL);
	assert_status(r, 200);
	response_free(r);
	guest_joins(s, other, "Gus Guest", "gus@example.org", "going", 0);

	/* A cancelled event takes no guests, and those it had are told. */
	r = item_post(p.admin, other, "cancel", NULL);
	assert_status(r, 200);
	response_free(r);
	r = guest_signup(s, other, "Gina Guest", "gina@example.org");
	assert_error(r, 422, "event_cancelled");
	response_free(r);
	jobs_settle(s);
	assert_int_equal(mails_to("gus@example.org", "Closing fika is cancelled", NULL), 1);
}

/* Only events of public communities take guests: others answer as the
 * policy does (404 where the event cannot be read, 403 not_public where a
 * member can read it), and their pages have no form. */
static void no_guests_outside_public_communities(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	bring_in(p.admin, "board", p.asa);
	int64_t staff_event = event_in(p.admin, "staff", "Staff fika", DAY, 0);
	int64_t board_event = event_in(p.admin, "board", "Board fika", DAY, 0);
	int64_t ids[] = {staff_event, board_event};
	for (int i = 0; i < 2; i++) {
		struct response *r = guest_signup(s, ids[i], "Gus Guest", "gus@example.org");
		assert_status(r, 404);
		response_free(r);
		/* The member who can read it is no guest either. */
		r = item_post(p.asa, ids[i], "guests", json_pack("{s:s, s:s}", "name", "Gus", "email", "g@example.org"));
		assert_error(r, 403, "not_public");
		response_free(r);
		r = aget(p.asa, "/api/v1/items/%lld", (long long)ids[i]);
		assert_null(json_path(r->json, "event.guest_signup"));
		response_free(r);
		r = aget(p.asa, "/items/%lld/guests", (long long)ids[i]);
		assert_status(r, 403);
		response_free(r);
	}
	/* A circle takes no guests. */
	struct response *r = apost(p.admin, "/api/v1/c",
				   json_pack("{s:s, s:s, s:s, s:s, s:s}", "slug", "ring", "name", "Ring", "kind", "circle",
					     "description", "A circle.", "purpose", "We take one case a session."));
	assert_status(r, 201);
	response_free(r);
	int64_t circle_event = event_in(p.admin, "ring", "Circle session", DAY, 0);
	r = guest_signup(s, circle_event, "Gus Guest", "gus@example.org");
	assert_status(r, 404);
	response_free(r);
	r = item_post(p.admin, circle_event, "guests", json_pack("{s:s, s:s}", "name", "G", "email", "g@example.org"));
	assert_error(r, 403, "not_public");
	response_free(r);
	/* Not an event. */
	int64_t q = ask(p.asa, "fika", "Where is the fika?", "");
	r = guest_signup(s, q, "Gus Guest", "gus@example.org");
	assert_status(r, 404);
	response_free(r);
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM event_guests"), "0\n");
	jobs_settle(s);
	assert_int_equal(mails_to("gus@example.org", "", NULL) + mails_to("g@example.org", "", NULL), 0);
}

/* The notifications of the kind about the item that a has. */
static size_t notifications_of(struct actor *a, const char *kind, int64_t item)
{
	struct response *r = aget(a, "/api/v1/notifications");
	assert_status(r, 200);
	size_t n = 0;
	char prefix[48];
	snprintf(prefix, sizeof prefix, "/items/%lld", (long long)item);
	for (size_t i = 0; i < jlen(r, "items"); i++) {
		const char *k = jat_str(r, "items", i, "kind");
		const char *url = jat_str(r, "items", i, "url");
		if (k && strcmp(k, kind) == 0 && url && strncmp(url, prefix, strlen(prefix)) == 0)
			n++;
	}
	response_free(r);
	return n;
}

/* Moves the test clock on and lets the jobs due by then run. */
static void clock_on(const struct server *s, int64_t seconds)
{
	test_clock_advance(seconds);
	/* The worker looks at the clock at least once a second. */
	usleep(1500 * 1000);
	jobs_settle(s);
}

/* A claim window of 2 hours: the member promoted must claim the seat;
 * unclaimed, it goes to the next (a guest, told by mail) and the member is
 * told; the guest claims in time and keeps it; so does a member who
 * answers going again. Only hosts set the window. */
static void claim_window(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	int64_t id = event_in(p.admin, "fika", "Claim fika", 5 * DAY, 1);
	struct response *r = item_post(p.bo, id, "rsvp/claim-window", json_pack("{s:i}", "hours", 2));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = item_post(p.admin, id, "rsvp/claim-window", json_pack("{s:i}", "hours", 500));
	assert_error(r, 422, "invalid");
	response_free(r);
	r = item_post(p.admin, id, "rsvp/claim-window", json_pack("{s:i}", "hours", 2));
	assert_status(r, 200);
	assert_int_equal(jint(r, "claim_hours"), 2);
	response_free(r);
	rsvp(p.asa, id, "going", "going", 0);
	rsvp(p.bo, id, "going", "waitlisted", 1);
	const char *gus = guest_joins(s, id, "Gus Guest", "gus@example.org", "waitlisted", 2);
	rsvp(p.cai, id, "going", "waitlisted", 3);

	/* asa cancels: bo holds the seat for two hours and is asked to claim. */
	int64_t now = test_clock_now();
	rsvp(p.asa, id, "not_going", "not_going", 0);
	r = event_of(p.bo, id);
	assert_jstr(r, "event.my_state", "going");
	assert_int_equal(jint(r, "event.my_claim_by"), now + 2 * HOUR);
	response_free(r);
	assert_int_equal(notifications_of(p.bo, "seat_offered", id), 1);
	assert_int_equal(notifications_of(p.bo, "promoted", id), 0);
	r = aget(p.bo, "/items/%lld", (long long)id);
	assert_body_contains(r, "I am still coming");
	response_free(r);

	/* An hour on nothing has changed; past two the seat goes to Gus. */
	clock_on(s, HOUR);
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM event_guests WHERE state = 'going'"), "0\n");
	clock_on(s, HOUR + 60);
	r = event_of(p.bo, id);
	assert_jstr(r, "event.my_state", "not_going");
	response_free(r);
	assert_int_equal(notifications_of(p.bo, "seat_lapsed", id), 1);
	r = aget(p.bo, "/notifications");
	assert_body_contains(r, "Your seat at Claim fika went to the next on the waitlist");
	response_free(r);
	const char *text = NULL;
	assert_int_equal(mails_to("gus@example.org", "A seat came free at Claim fika: confirm that you are coming",
				  &text), 1);
	assert_non_null(strstr(text, "within 2 hours"));
	assert_non_null(strstr(text, gus));
	r = guest_post(s, gus, "confirm");
	assert_jstr(r, "state", "going");
	assert_non_null(json_path(r->json, "claim_by"));
	response_free(r);
	/* Gus claims it in time: it stays his past the window. */
	r = guest_post(s, gus, "claim");
	assert_status(r, 200);
	assert_jstr(r, "state", "going");
	assert_null(json_path(r->json, "claim_by"));
	response_free(r);
	clock_on(s, 3 * HOUR);
	r = guest_post(s, gus, "confirm");
	assert_jstr(r, "state", "going");
	response_free(r);
	rsvp(p.cai, id, "going", "waitlisted", 1);

	/* Gus cancels: cai is offered the seat and claims it by answering
	 * going again. */
	r = guest_post(s, gus, "cancel");
	assert_status(r, 200);
	response_free(r);
	r = item_post(p.cai, id, "rsvp", json_pack("{s:s}", "answer", "going"));
	assert_status(r, 200);
	assert_jstr(r, "state", "going");
	response_free(r);
	r = event_of(p.cai, id);
	assert_null(json_path(r->json, "event.my_claim_by"));
	response_free(r);
	clock_on(s, 3 * HOUR);
	rsvp(p.cai, id, "going", "going", 0);
	assert_int_equal(notifications_of(p.cai, "seat_lapsed", id), 0);

	/* Without a window, promotion is final as before. */
	r = item_post(p.admin, id, "rsvp/claim-window", json_pack("{s:i}", "hours", 0));
	assert_status(r, 200);
	response_free(r);
	rsvp(p.dan, id, "going", "waitlisted", 1);
	rsvp(p.cai, id, "not_going", "not_going", 0);
	r = event_of(p.dan, id);
	assert_jstr(r, "event.my_state", "going");
	assert_null(json_path(r->json, "event.my_claim_by"));
	response_free(r);
	assert_int_equal(notifications_of(p.dan, "promoted", id), 1);
}

/* The form is limited per client as the digest's subscription form is,
 * and an address gets a few mails a day however often it is signed up. */
static void guest_form_limits(void **state)
{
	const struct server *s = *state;
	/* (accounts made from the command line: sign-ups count too) */
	struct actor *admin = staff(s, "root", "--admin");
	make_community(admin, "fika", "Fika", "public", "open");
	int64_t id = event_in(admin, "fika", "Limited fika", DAY, 0);
	for (int i = 0; i < 2; i++) {
		struct response *r = guest_signup(s, id, "Gus Guest", "gus@example.org");
		assert_status(r, 202);
		response_free(r);
	}
	struct response *r = guest_signup(s, id, "Gus Guest", "gus@example.org");
	assert_error(r, 429, "rate_limited");
	assert_non_null(response_header(r, "Retry-After"));
	response_free(r);
	jobs_settle(s);
	assert_int_equal(mails_to("gus@example.org", "Confirm your sign-up", NULL), 2);
}

/* ---- the race for the last seat ------------------------------------------------------ */

struct taker {
	const struct server *srv;
	struct client *c;
	const char *path, *json, *header;
	pthread_barrier_t *start;
	long status;
	char state[16];
};

static void *take_seat(void *arg)
{
	struct taker *t = arg;
	pthread_barrier_wait(t->start);
	struct response *r = http_post_json(t->c, t->path, t->json, (const char *[]){t->header, NULL});
	t->status = r->status;
	const char *state = response_jstr(r, "state");
	snprintf(t->state, sizeof t->state, "%s", state ? state : "");
	response_free(r);
	return NULL;
}

/* A guest confirming and a member answering at the same moment for the
 * last seat, round after round: exactly one is going, the other first on
 * the waitlist. */
static void guest_and_member_race(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	enum { ROUNDS = 6 };
	for (int round = 0; round < ROUNDS; round++) {
		char title[32], email[64], member_path[80], guest_path[300];
		snprintf(title, sizeof title, "Race %d", round);
		snprintf(email, sizeof email, "racer%d@example.org", round);
		int64_t id = event_in(p.admin, "fika", title, DAY, 2);
		rsvp(p.asa, id, "going", "going", 0);
		struct response *r = guest_signup(s, id, "Racing Guest", email);
		assert_status(r, 202);
		response_free(r);
		const char *link = guest_link(s, email, "Confirm your sign-up");
		snprintf(member_path, sizeof member_path, "/api/v1/items/%lld/rsvp", (long long)id);
		snprintf(guest_path, sizeof guest_path, "/api/v1%s/confirm", link);
		pthread_barrier_t start;
		pthread_barrier_init(&start, NULL, 2);
		struct taker t[2] = {
			{.c = p.bo->c, .path = member_path, .json = "{\"answer\": \"going\"}", .header = p.bo->csrf_header,
			 .start = &start},
			{.c = client_new(s), .path = guest_path, .json = "{}", .start = &start},
		};
		pthread_t th[2];
		for (int i = 0; i < 2; i++)
			assert_int_equal(pthread_create(&th[i], NULL, take_seat, &t[i]), 0);
		for (int i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
		pthread_barrier_destroy(&start);
		if (t[0].status != 200 || t[1].status != 200)
			fail_msg("round %d: %ld and %ld", round, t[0].status, t[1].status);
		int going = !strcmp(t[0].state, "going") + !strcmp(t[1].state, "going");
		int waiting = !strcmp(t[0].state, "waitlisted") + !strcmp(t[1].state, "waitlisted");
		if (going != 1 || waiting != 1)
			fail_msg("round %d: %d going and %d waitlisted", round, going, waiting);
		r = event_of(p.asa, id);
		assert_int_equal(jint(r, "event.going_count"), 2);
		assert_int_equal(jint(r, "event.waitlist_count"), 1);
		response_free(r);
	}
}

/* A guest going is reminded by mail the day before, once, like the
 * members going; a guest on the waitlist is not. */
static void guests_are_reminded(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	/* Wednesday 18:00 UTC. */
	int64_t id = event_in(p.admin, "fika", "Wednesday fika", 2 * DAY + 9 * HOUR, 1);
	guest_joins(s, id, "Gus Guest", "gus@example.org", "going", 0);
	guest_joins(s, id, "Wai Ting", "wai@example.org", "waitlisted", 1);
	/* Monday evening: two days ahead, nothing yet. */
	clock_on(s, 12 * HOUR);
	assert_int_equal(mails_to("gus@example.org", "Tomorrow", NULL), 0);
	/* Tuesday evening: tomorrow. */
	clock_on(s, DAY);
	const char *text = NULL;
	assert_int_equal(mails_to("gus@example.org", "Tomorrow: Wednesday fika", &text), 1);
	assert_non_null(strstr(text, "/guests/"));
	assert_int_equal(mails_to("wai@example.org", "Tomorrow", NULL), 0);
	/* An hour on, the job again: no second reminder. */
	clock_on(s, HOUR);
	assert_int_equal(mails_to("gus@example.org", "Tomorrow", NULL), 1);
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM guest_reminders"), "1\n");
}

/* The hosts' messages reach the guests by mail: those going, and those
 * waiting when the hosts write to the waitlist too; an event with guests
 * only has someone to write to. */
static void guests_get_the_hosts_messages(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	int64_t id = event_in(p.admin, "fika", "Mug fika", 3 * DAY, 1);
	guest_joins(s, id, "Gus Guest", "gus@example.org", "going", 0);
	guest_joins(s, id, "Wai Ting", "wai@example.org", "waitlisted", 1);
	struct response *r = item_post(p.admin, id, "message",
				       json_pack("{s:s, s:s, s:s}", "subject", "Bring a mug", "body",
						 "We are out of cups.", "to", "going"));
	assert_status(r, 201);
	response_free(r);
	jobs_settle(s);
	const char *text = NULL;
	assert_int_equal(mails_to("gus@example.org", "Mug fika: Bring a mug", &text), 1);
	assert_non_null(strstr(text, "We are out of cups."));
	assert_non_null(strstr(text, "/guests/"));
	assert_int_equal(mails_to("wai@example.org", "Bring a mug", NULL), 0);
	r = item_post(p.admin, id, "message",
		      json_pack("{s:s, s:s, s:s}", "subject", "Room change", "body", "Room 5 instead.", "to",
				"going_and_waitlist"));
	assert_status(r, 201);
	response_free(r);
	jobs_settle(s);
	assert_int_equal(mails_to("gus@example.org", "Mug fika: Room change", NULL), 1);
	assert_int_equal(mails_to("wai@example.org", "Mug fika: Room change", NULL), 1);
}

#define M(f) cmocka_unit_test_setup_teardown(f, smtp_setup, smtp_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		M(guest_signs_up_confirms_and_cancels),
		M(members_and_guests_share_the_line),
		M(deadline_and_closing_for_guests),
		M(no_guests_outside_public_communities),
		M(claim_window),
		M(guest_and_member_race),
		M(guests_get_the_hosts_messages),
		cmocka_unit_test_setup_teardown(guests_are_reminded, monday_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(guest_form_limits, limited_setup, smtp_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
