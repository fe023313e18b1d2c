/* test_event_reminders: what those going to an event hear before it, on a
 * test clock and through a real SMTP server (smtp_sink.h).
 *
 * Reminders: the day before, those going (not the waitlist, not those who
 * did not answer) are told "Tomorrow: … at 18:30 CET" on the event's clock
 * and mailed as they chose (not at all when they turned the kind off), but
 * not of an event that is today already;
 * the job run again an hour later, and with a second node, reminds no one
 * twice, but reminds one who signed up since; an event further away, a
 * deleted or cancelled event and one the member may no longer read
 * remind no one.
 *
 * Messages to attendees: only the event's hosts write them (403 for a
 * member, 404 for one who may not read the event, 401 signed out); the
 * fields' rules keep what was typed; those going get the notification and
 * the whole message by mail (as they chose), the waitlist only when
 * asked, the writer never; the hosts see every message on the page with
 * how many got it, those going and waiting the ones written to them,
 * others none; an event takes MESSAGES_PER_DAY a day. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "meetings.h"
#include "smtp_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DAY (24 * 3600)
#define HOUR 3600

static struct smtp_sink *sink;

/* ---- set-up --------------------------------------------------------------------- */

/* Tomorrow at 09:00 UTC after the system clock: the digests' hour
 * (07:00) is not crossed before the day after. */
static int64_t tomorrow_morning(void)
{
	return ((int64_t)time(NULL) / DAY + 1) * DAY + 9 * HOUR;
}

static int smtp_setup(void **state)
{
	return smtp_server_setup(state, &sink, tomorrow_morning());
}

static int smtp_teardown(void **state)
{
	held_release();
	return smtp_server_teardown(state, &sink, server_teardown);
}

/* The public community fika (admin hosts it; asa, bo, cai, dan and eve
 * are members) and the private board (admin and asa). */
struct place {
	const struct server *srv;
	struct actor *admin, *asa, *bo, *cai, *dan, *eve;
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
}

/* ---- steps ---------------------------------------------------------------------- */

/* "YYYY-MM-DDT" + hhmm of the day `days` after the clock's, in UTC (kept). */
static const char *day_at(int days, const char *hhmm)
{
	time_t t = (time_t)(test_clock_now() + (int64_t)days * DAY);
	struct tm tm;
	char date[16];
	strftime(date, sizeof date, "%Y-%m-%d", gmtime_r(&t, &tm));
	char *s = harness_keep(malloc(32));
	snprintf(s, 32, "%sT%s", date, hhmm);
	return s;
}

/* An event in Stockholm `days` after today from 18:30 to 20:00. */
static int64_t new_event(struct actor *a, const char *slug, const char *title, int days, int capacity)
{
	return new_item(a, "event", slug,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "kind", "event", "title", title,
				  "body", "We talk about *water*.", "event_type", "fika", "timezone",
				  "Europe/Stockholm", "starts_at", day_at(days, "18:30"), "ends_at",
				  day_at(days, "20:00"), "location", "Room 4", "capacity", capacity));
}

/* Moves the clock to t and waits for the hour's jobs. */
static void clock_to(const struct server *s, int64_t t)
{
	test_clock_set(t);
	/* The worker looks at the clock at least once a second. */
	usleep(1500 * 1000);
	jobs_settle(s);
}

/* The messages to handle@example.com whose subject has part; the text of
 * the last into text (held until teardown) when text is not NULL. */
static int mails_to(const char *handle, const char *part, const char **text)
{
	return smtp_sink_mails_to_member(sink, handle, part, text);
}

/* The notifications of the kind about the item that a has. */
static size_t told(struct actor *a, const char *kind, int64_t item)
{
	struct response *r = aget(a, "/api/v1/notifications");
	assert_status(r, 200);
	char prefix[48];
	snprintf(prefix, sizeof prefix, "/items/%lld", (long long)item);
	size_t n = 0;
	for (size_t i = 0; i < jlen(r, "items"); i++) {
		const char *k = jat_str(r, "items", i, "kind"), *url = jat_str(r, "items", i, "url");
		if (k && strcmp(k, kind) == 0 && url && strncmp(url, prefix, strlen(prefix)) == 0)
			n++;
	}
	response_free(r);
	return n;
}

/* The pace the member chooses for a kind of notification. */
static void set_pace(struct actor *a, const char *kind, const char *pace)
{
	struct response *r = apost(a, "/api/v1/settings/notifications", json_pack("{s:s}", kind, pace));
	assert_status(r, 200);
	response_free(r);
}

/* ---- reminders ------------------------------------------------------------------ */

static void reminded_once_the_day_before(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	int64_t id = new_event(p.admin, "fika", "Fika by the water", 1, 3);
	rsvp(p.asa, id, "going", "going", -1);
	rsvp(p.bo, id, "going", "going", -1);
	rsvp(p.eve, id, "going", "going", -1);
	rsvp(p.cai, id, "going", "waitlisted", -1);
	set_pace(p.eve, "reminder", "off");
	/* Today already (too late for "tomorrow"), not due yet, deleted,
	 * cancelled, or no longer readable. */
	int64_t today = new_event(p.admin, "fika", "Fika this evening", 0, 0);
	rsvp(p.asa, today, "going", "going", -1);
	int64_t later = new_event(p.admin, "fika", "Fika next week", 3, 0);
	rsvp(p.asa, later, "going", "going", -1);
	int64_t gone = new_event(p.admin, "fika", "Fika that was deleted", 1, 0);
	rsvp(p.asa, gone, "going", "going", -1);
	struct response *r = item_post(p.admin, gone, "delete", NULL);
	assert_status(r, 200);
	response_free(r);
	int64_t called_off = new_event(p.admin, "fika", "Fika that was called off", 1, 0);
	rsvp(p.asa, called_off, "going", "going", -1);
	r = item_post(p.admin, called_off, "cancel", NULL);
	assert_status(r, 200);
	response_free(r);
	int64_t board = new_event(p.admin, "board", "Board fika", 1, 0);
	rsvp(p.asa, board, "going", "going", -1);
	r = apost(p.asa, "/api/v1/c/board/leave", NULL);
	assert_status(r, 200);
	response_free(r);

	r = get_item(p.asa, id);
	assert_status(r, 200);
	int64_t starts = jint(r, "event.starts_at");
	const char *when = response_jstr(r, "event.when_text");
	char expected[128];
	snprintf(expected, sizeof expected, "Tomorrow: Fika by the water at 18:30 %s", strrchr(when, ' ') + 1);
	response_free(r);

	/* More than a day ahead: nothing yet; this evening's event is today. */
	clock_to(s, starts - DAY - 2 * HOUR);
	assert_int_equal(told(p.asa, "reminder", id), 0);
	assert_int_equal(told(p.asa, "reminder", today), 0);
	/* The day before. */
	clock_to(s, starts - DAY + 30 * 60);
	const char *text = NULL;
	assert_int_equal(mails_to("asa", expected, &text), 1);
	char link[200];
	snprintf(link, sizeof link, "%s/items/%lld-fika-by-the-water", s->origin, (long long)id);
	assert_non_null(strstr(text, link));
	assert_int_equal(mails_to("bo", expected, NULL), 1);
	assert_int_equal(told(p.asa, "reminder", id), 1);
	assert_int_equal(told(p.bo, "reminder", id), 1);
	/* eve turned its mail off: told, not mailed. */
	assert_int_equal(told(p.eve, "reminder", id), 1);
	assert_int_equal(mails_to("eve", "Tomorrow", NULL), 0);
	/* The waitlist, those who did not answer and the host who did not
	 * sign up are not reminded. */
	assert_int_equal(told(p.cai, "reminder", id), 0);
	assert_int_equal(told(p.dan, "reminder", id), 0);
	assert_int_equal(told(p.admin, "reminder", id), 0);
	assert_int_equal(mails_to("cai", "Tomorrow", NULL), 0);
	r = aget(p.bo, "/notifications");
	assert_body_contains(r, expected);
	response_free(r);
	/* Nor of the other events. */
	assert_int_equal(told(p.asa, "reminder", later), 0);
	assert_int_equal(told(p.asa, "reminder", board), 0);
	assert_int_equal(told(p.asa, "reminder", called_off), 0);
	assert_int_equal(mails_to("asa", "Tomorrow", NULL), 1);
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM event_reminders"), "3\n");

	/* The job again an hour later, also on a second node: no one twice;
	 * dan, who signed up since, and cai, going since seats were added,
	 * are reminded. */
	rsvp(p.dan, id, "going", "waitlisted", -1);
	r = item_edit(p.admin, id, json_pack("{s:i}", "capacity", 5));
	assert_status(r, 200);
	assert_int_equal(jint(r, "event.going_count"), 5);
	response_free(r);
	struct server other;
	setenv("KRING_SMTP_URL", smtp_sink_url(sink), 1);
	int started = server_start_on(&other, s->db);
	unsetenv("KRING_SMTP_URL");
	assert_int_equal(started, 0);
	if (server_wait_ready(&other) != 0)
		fail_msg("the second node did not start");
	clock_to(s, starts - DAY + 90 * 60);
	usleep(1000 * 1000);
	jobs_settle(s);
	assert_int_equal(mails_to("asa", "Tomorrow", NULL), 1);
	assert_int_equal(mails_to("bo", "Tomorrow", NULL), 1);
	assert_int_equal(mails_to("dan", expected, NULL), 1);
	assert_int_equal(mails_to("cai", expected, NULL), 1);
	assert_int_equal(told(p.asa, "reminder", id), 1);
	assert_int_equal(told(p.dan, "reminder", id), 1);
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM events WHERE type = 'reminder.sent'"), "5\n");
	assert_int_equal(server_stop(&other, 10), 0);
	server_cleanup(&other);
	/* After the start, nothing more. */
	clock_to(s, starts + HOUR);
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM event_reminders"), "5\n");
}

/* ---- messages ------------------------------------------------------------------- */

static struct response *write_to(struct actor *a, int64_t id, const char *subject, const char *body, const char *to)
{
	json_t *j = json_pack("{s:s, s:s}", "subject", subject, "body", body);
	if (to)
		json_object_set_new(j, "to", json_string(to));
	return item_post(a, id, "message", j);
}

static void hosts_write_to_attendees(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	/* asa plans it (a host); bo and eve are going; cai waits; dan did not
	 * answer. */
	int64_t id = new_event(p.asa, "fika", "Fika by the water", 5, 3);
	rsvp(p.asa, id, "going", "going", -1);
	rsvp(p.bo, id, "going", "going", -1);
	rsvp(p.eve, id, "going", "going", -1);
	rsvp(p.cai, id, "going", "waitlisted", -1);
	set_pace(p.eve, "event_message", "off");

	/* Only hosts. */
	struct response *r = write_to(p.bo, id, "Hello", "Hi all", NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = write_to(visitor(s), id, "Hello", "Hi all", NULL);
	assert_status(r, 401);
	response_free(r);
	int64_t board = new_event(p.admin, "board", "Board fika", 5, 0);
	r = write_to(p.bo, board, "Hello", "Hi all", NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	int64_t q = ask(p.asa, "fika", "Where is the fika?", "");
	r = write_to(p.asa, q, "Hello", "Hi all", NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	/* The fields' rules. */
	r = write_to(p.asa, id, "", "Hi all", NULL);
	assert_invalid_field(r, "subject");
	response_free(r);
	r = write_to(p.asa, id, "Hello", "", NULL);
	assert_invalid_field(r, "body");
	response_free(r);
	r = write_to(p.asa, id, "Hello", "Hi all", "everyone");
	assert_invalid_field(r, "to");
	response_free(r);
	r = write_to(p.admin, board, "Hello", "Hi all", NULL);
	assert_invalid_field(r, "to"); /* no one is going */
	response_free(r);
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/message", (long long)id);
	const char *typed[] = {"subject", "Bring a cup", "body", "", "to", "going_and_waitlist", NULL};
	r = fpost(p.asa, path, typed);
	assert_status(r, 422);
	assert_body_contains(r, "value=\"Bring a cup\"");
	assert_body_contains(r, "value=\"going_and_waitlist\" checked");
	response_free(r);
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM event_messages"), "0\n");

	/* To those going. */
	r = write_to(p.asa, id, "Bring a cup", "We meet at the **pier**.\n\nSee you there.", NULL);
	assert_status(r, 201);
	assert_int_equal(jint(r, "recipients"), 2);
	assert_jstr(r, "to", "going");
	response_free(r);
	jobs_settle(s);
	const char *text = NULL;
	assert_int_equal(mails_to("bo", "Test asa wrote to those going to Fika by the water: Bring a cup", &text), 1);
	assert_non_null(strstr(text, "We meet at the **pier**."));
	assert_non_null(strstr(text, "See you there."));
	assert_int_equal(told(p.bo, "event_message", id), 1);
	assert_int_equal(told(p.eve, "event_message", id), 1);
	assert_int_equal(mails_to("eve", "Bring a cup", NULL), 0);
	assert_int_equal(told(p.cai, "event_message", id), 0);
	assert_int_equal(told(p.dan, "event_message", id), 0);
	assert_int_equal(told(p.asa, "event_message", id), 0);
	assert_int_equal(mails_to("asa", "Bring a cup", NULL) + mails_to("cai", "Bring a cup", NULL), 0);
	r = aget(p.bo, "/notifications");
	assert_body_contains(r, "Test asa wrote to those going to Fika by the water: Bring a cup");
	response_free(r);

	/* To the waitlist as well, from the page's form, by the community's
	 * host. */
	const char *fields[] = {"subject", "Room change", "body", "We are in room 5.", "to", "going_and_waitlist",
				NULL};
	r = fpost(p.admin, path, fields);
	assert_status(r, 303);
	response_free(r);
	jobs_settle(s);
	assert_int_equal(mails_to("cai", "Room change", &text), 1);
	assert_non_null(strstr(text, "We are in room 5."));
	assert_int_equal(mails_to("asa", "Room change", NULL), 1);
	assert_int_equal(mails_to("bo", "Room change", NULL), 1);
	assert_int_equal(mails_to("dan", "Room change", NULL), 0);

	/* The hosts see them on the page, newest first; others do not. */
	r = get_item(p.asa, id);
	assert_status(r, 200);
	assert_int_equal(jlen(r, "event.messages"), 2);
	assert_string_equal(jat_str(r, "event.messages", 0, "subject"), "Room change");
	assert_int_equal(json_integer_value(jat(r, "event.messages", 0, "recipients")), 4);
	assert_string_equal(jat_str(r, "event.messages", 1, "subject"), "Bring a cup");
	response_free(r);
	/* Those going read both, the waitlist what was written to it, those
	 * who did not answer none; how many got them is for the hosts. */
	r = get_item(p.bo, id);
	assert_status(r, 200);
	assert_int_equal(jlen(r, "event.messages"), 2);
	assert_null(jat(r, "event.messages", 0, "recipients"));
	response_free(r);
	r = get_item(p.cai, id);
	assert_status(r, 200);
	assert_int_equal(jlen(r, "event.messages"), 1);
	assert_string_equal(jat_str(r, "event.messages", 0, "subject"), "Room change");
	response_free(r);
	r = get_item(p.dan, id);
	assert_status(r, 200);
	assert_null(json_path(r->json, "event.messages"));
	response_free(r);
	snprintf(path, sizeof path, "/items/%lld", (long long)id);
	r = aget(p.admin, "%s", path);
	assert_body_contains(r, "Room change");
	assert_body_contains(r, "<strong>pier</strong>");
	assert_body_contains(r, "to 4 going or on the waitlist");
	char action[80];
	snprintf(action, sizeof action, "action=\"/items/%lld/message\"", (long long)id);
	assert_body_contains(r, action);
	if (getenv("SHOW_PAGE"))
		fprintf(stderr, "%s\n", strstr(r->body, "<section class=\"event-messages\""));
	response_free(r);
	r = aget(p.cai, "%s", path);
	assert_body_contains(r, "Messages from the hosts");
	assert_body_contains(r, "We are in room 5.");
	assert_body_lacks(r, "Bring a cup");
	assert_body_lacks(r, action);
	assert_body_lacks(r, "to 4 going");
	response_free(r);
	r = aget(p.dan, "%s", path);
	assert_body_lacks(r, "Room change");
	response_free(r);

	/* At most MESSAGES_PER_DAY (5) a day. */
	for (int i = 0; i < 3; i++) {
		r = write_to(p.asa, id, "More", "More news", NULL);
		assert_status(r, 201);
		response_free(r);
	}
	r = write_to(p.asa, id, "Too many", "Even more news", NULL);
	assert_error(r, 429, "rate_limited");
	response_free(r);
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM event_messages"), "5\n");
	clock_to(s, test_clock_now() + DAY + HOUR);
	r = write_to(p.asa, id, "A day later", "News", NULL);
	assert_status(r, 201);
	response_free(r);
}

#define M(f) cmocka_unit_test_setup_teardown(f, smtp_setup, smtp_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		M(reminded_once_the_day_before),
		M(hosts_write_to_attendees),
	};
	return cmocka_run_group_tests_name("event reminders and messages", tests, NULL, NULL);
}
