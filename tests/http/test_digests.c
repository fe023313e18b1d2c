/* test_digests: members hear by e-mail of what they follow, at the pace
 * they choose per kind of notification, through a real SMTP server
 * (smtp_sink.h) and a test clock. Covered: the settings page and its
 * validation; a mention mailed at once with what was written, a link that
 * works and one-click unsubscribe headers (RFC 8058) whose POST, without a
 * cookie or CSRF token, turns that kind off; the unsubscribe page; a daily
 * digest at 07:00 UTC of what happened before then, sorted into its
 * sections, without what the member may not read or what was deleted,
 * nothing when nothing happened, and each thing once; a weekly digest on
 * Monday; a digest the job missed sent late; two nodes sending a digest
 * once; an admin sending what is
 * waiting at once. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"
#include "smtp_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DAY (24 * 3600)

static struct smtp_sink *sink;

/* ---- set-up --------------------------------------------------------------------- */

/* The next Tuesday at 09:00 UTC after the system clock: a day with no
 * digest due before tomorrow morning, and Monday six days later. */
static int64_t next_tuesday_morning(void)
{
	int64_t day = (int64_t)time(NULL) / DAY + 1;
	while ((day + 3) % 7 != 1) /* 1 January 1970 was a Thursday */
		day++;
	return day * DAY + 9 * 3600;
}

static int smtp_setup(void **state)
{
	return smtp_server_setup(state, &sink, next_tuesday_morning());
}

static int smtp_teardown(void **state)
{
	return smtp_server_teardown(state, &sink, server_teardown);
}

/* The public plaza (ana, bo, eve in it) and the private vault (ana only). */
struct place {
	const struct server *srv;
	struct actor *admin, *ana, *bo, *eve;
};

static struct place *place_build(void **state)
{
	static struct place p;
	memset(&p, 0, sizeof p);
	p.srv = *state;
	sign_up_cast(p.srv, &p.admin, &p.ana, &p.bo, &p.eve);
	make_community(p.admin, "plaza", "Plaza", "public", "open");
	make_community(p.admin, "vault", "The Vault", "private", "invite");
	struct actor *members[] = {p.ana, p.bo, p.eve};
	for (size_t i = 0; i < 3; i++)
		bring_in(p.admin, "plaza", members[i]);
	bring_in(p.admin, "vault", p.ana);
	return &p;
}

/* ---- steps --------------------------------------------------------------------- */

/* Moves the clock to t and waits for the hour's jobs. */
static void clock_to(const struct server *s, int64_t t)
{
	test_clock_set(t);
	/* The worker looks at the clock at least once a second. */
	usleep(1500 * 1000);
	jobs_settle(s);
}

/* The messages received for handle whose subject has part, the newest
 * into *last (the caller decrefs it) when last is not NULL. */
static int mails_to(const char *handle, const char *part, json_t **last)
{
	char address[128];
	snprintf(address, sizeof address, "%s@example.com", handle);
	int found = 0, n = smtp_sink_count(sink);
	if (last)
		*last = NULL;
	for (int i = 0; i < n; i++) {
		json_t *mail = mail_parse(smtp_sink_file(sink, i));
		const char *to = json_string_value(json_object_get(mail, "to_address"));
		const char *subject = json_string_value(json_object_get(mail, "subject"));
		if (strcmp(to, address) == 0 && strstr(subject, part)) {
			found++;
			if (last) {
				json_decref(*last);
				*last = json_incref(mail);
			}
		}
		json_decref(mail);
	}
	return found;
}

static const char *header_value(json_t *mail, const char *name)
{
	const char *raw = json_string_value(json_object_get(mail, "raw_headers"));
	char key[80];
	snprintf(key, sizeof key, "\r\n%s: ", name);
	const char *at = strstr(raw, key);
	if (!at)
		return NULL;
	at += strlen(key);
	return harness_strndup(at, strcspn(at, "\r"));
}

/* The one-click address of the mail's List-Unsubscribe header, its path
 * on the test server. */
static const char *unsubscribe_path(const struct server *s, json_t *mail)
{
	const char *value = header_value(mail, "List-Unsubscribe");
	assert_non_null(value);
	assert_true(value[0] == '<' && value[strlen(value) - 1] == '>');
	size_t origin = strlen(s->origin);
	assert_true(strncmp(value + 1, s->origin, origin) == 0);
	return harness_strndup(value + 1 + origin, strlen(value) - 2 - origin);
}

static void set_paces(struct actor *a, json_t *paces)
{
	struct response *r = apost(a, "/api/v1/settings/notifications", paces);
	assert_status(r, 200);
	response_free(r);
}

static const char *pace_of(struct actor *a, const char *kind)
{
	struct response *r = aget(a, "/api/v1/settings/notifications");
	assert_status(r, 200);
	const char *pace = NULL;
	for (size_t i = 0; i < jlen(r, "kinds"); i++)
		if (strcmp(jat_str(r, "kinds", i, "kind"), kind) == 0)
			pace = harness_strdup(jat_str(r, "kinds", i, "pace"));
	response_free(r);
	assert_non_null(pace);
	return pace;
}

static void follow_tag(struct actor *a, const char *tag)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/tags/%s/follow", tag);
	struct response *r = apost(a, path, NULL);
	assert_status(r, 200);
	response_free(r);
}

static int64_t post_tagged(struct actor *a, const char *slug, const char *kind, const char *title, const char *tag)
{
	json_t *body = strcmp(kind, "article") == 0
			       ? json_pack("{s:s, s:s, s:s, s:s, s:[s]}", "kind", "article", "title", title, "summary",
					   "What we learnt.", "approach", "Like this.", "tags", tag)
			       : json_pack("{s:s, s:s, s:s, s:[s]}", "kind", kind, "title", title, "body",
					   "Tell me.", "tags", tag);
	return new_item(a, kind, slug, body);
}

/* ---- tests --------------------------------------------------------------------- */

/* Each kind has a pace, by default at once for what asks something of
 * the member and daily for what merely happened; a pace that is none is
 * refused and changes nothing. */
static void settings_choose_a_pace_per_kind(void **state)
{
	struct place *p = place_build(state);
	assert_string_equal(pace_of(p->bo, "mention"), "immediately");
	assert_string_equal(pace_of(p->bo, "post"), "daily");
	set_paces(p->bo, json_pack("{s:s, s:s}", "post", "weekly", "mention", "off"));
	assert_string_equal(pace_of(p->bo, "post"), "weekly");
	assert_string_equal(pace_of(p->bo, "mention"), "off");
	assert_string_equal(pace_of(p->bo, "answer"), "immediately");
	/* someone else's stay as they were */
	assert_string_equal(pace_of(p->ana, "post"), "daily");

	struct response *r = apost(p->bo, "/api/v1/settings/notifications",
				   json_pack("{s:s, s:s}", "post", "hourly", "comment", "off"));
	assert_status(r, 422);
	assert_non_null(json_path(r->json, "error.fields.post"));
	response_free(r);
	assert_string_equal(pace_of(p->bo, "post"), "weekly");
	assert_string_equal(pace_of(p->bo, "comment"), "daily");

	/* the form */
	r = aget(p->bo, "/settings/notifications");
	assert_status(r, 200);
	assert_body_contains(r, "<select id=\"pace-post\" name=\"post\">");
	assert_body_contains(r, "<option value=\"weekly\" selected>");
	response_free(r);
	const char *form[] = {"post", "daily", NULL};
	r = fpost(p->bo, "/settings/notifications", form);
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/settings/notifications?saved=1");
	response_free(r);
	assert_string_equal(pace_of(p->bo, "post"), "daily");

	/* a visitor has no settings */
	struct actor *v = visitor(p->srv);
	r = aget(v, "/api/v1/settings/notifications");
	assert_status(r, 401);
	response_free(r);
}

/* A mention comes at once, with what was written and a link that works;
 * the mail's one-click unsubscribe turns mentions off, and only them. */
static void mention_mailed_at_once_and_unsubscribed_in_one_click(void **state)
{
	struct place *p = place_build(state);
	int64_t q = ask(p->bo, "plaza", "Where is the best coffee?", "Near the station?");
	struct response *r = item_post(p->eve, q, "comments", json_pack("{s:s}", "body", "@ana knows the roasters."));
	assert_status(r, 201);
	int64_t comment = jint(r, "id");
	response_free(r);
	jobs_settle(p->srv);
	json_t *mail;
	assert_int_equal(mails_to("ana", "mentioned you in Where is the best coffee?", &mail), 1);
	assert_int_equal(json_array_size(json_object_get(mail, "defects")), 0);
	const char *text = mail_part(mail, "text/plain"), *html = mail_part(mail, "text/html");
	assert_non_null(strstr(text, "> @ana knows the roasters."));
	char link[300];
	snprintf(link, sizeof link, "%s/items/%lld-where-is-the-best-coffee#comment-%lld", p->srv->origin, (long long)q,
		 (long long)comment);
	assert_non_null(strstr(text, link));
	assert_non_null(strstr(html, link));
	assert_string_equal(header_value(mail, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
	const char *unsubscribe = unsubscribe_path(p->srv, mail);
	assert_true(strncmp(unsubscribe, "/unsubscribe/", 13) == 0);
	assert_true(strlen(unsubscribe) > 13 + 40);
	assert_string_equal(unsubscribe + strlen(unsubscribe) - 8, "/mention");
	assert_non_null(strstr(html, unsubscribe));
	json_decref(mail);
	/* The link leads to the comment. */
	r = aget(p->ana, "%s", link + strlen(p->srv->origin));
	assert_status(r, 200);
	assert_body_contains(r, "knows the roasters");
	response_free(r);

	/* The page behind the link only asks. */
	struct client *mailer = client_new(p->srv);
	r = http_get(mailer, unsubscribe, NULL);
	assert_status(r, 200);
	assert_body_contains(r, "Stop e-mail for @ana about this:");
	response_free(r);
	assert_string_equal(pace_of(p->ana, "mention"), "immediately");
	/* A mail program's one-click POST: no cookie, no CSRF token. */
	const char *body[] = {"List-Unsubscribe", "One-Click", NULL};
	r = http_post_form(mailer, unsubscribe, body, NULL);
	assert_status(r, 200);
	assert_body_contains(r, "no more e-mail for @ana");
	response_free(r);
	assert_string_equal(pace_of(p->ana, "mention"), "off");
	assert_string_equal(pace_of(p->ana, "answer"), "immediately");

	/* The next mention is told in the site, not by mail. */
	r = item_post(p->bo, q, "comments", json_pack("{s:s}", "body", "Thanks @ana!"));
	assert_status(r, 201);
	response_free(r);
	jobs_settle(p->srv);
	assert_int_equal(mails_to("ana", "mentioned you", NULL), 1);
	assert_string_equal(sql_rows(p->srv, "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id"
					      " WHERE u.handle = 'ana' AND n.kind = 'mention'"),
			    "2\n");

	/* A link that is not one, or a list that is none. */
	const char *secret = harness_strndup(unsubscribe, strlen(unsubscribe) - strlen("/mention"));
	char bad[300];
	snprintf(bad, sizeof bad, "%s/weekly", secret);
	r = http_get(mailer, bad, NULL);
	assert_status(r, 200);
	response_free(r);
	snprintf(bad, sizeof bad, "%s/everything", secret);
	r = http_get(mailer, bad, NULL);
	assert_status(r, 404);
	response_free(r);
	r = http_post_form(mailer, "/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/mention", body, NULL);
	assert_status(r, 404);
	response_free(r);
}

/* The daily digest: what happened before 07:00 UTC in what bo follows,
 * questions still unanswered first, without what he may not read or what
 * was deleted since; nothing when nothing happened; each thing once. eve
 * has hers weekly, on Monday. */
static void daily_and_weekly_digests(void **state)
{
	struct place *p = place_build(state);
	int64_t tuesday = test_clock_now();
	follow_tag(p->bo, "coffee");
	follow_tag(p->eve, "coffee");
	set_paces(p->eve, json_pack("{s:s}", "post", "weekly"));
	post_tagged(p->ana, "plaza", "question", "Espresso or filter?", "coffee");
	post_tagged(p->ana, "plaza", "article", "Running a coffee tasting", "coffee");
	post_tagged(p->ana, "vault", "question", "The secret blend", "coffee");
	int64_t gone = post_tagged(p->ana, "plaza", "question", "Instant coffee?", "coffee");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/items/%lld/delete", (long long)gone);
	struct response *r = apost(p->ana, path, NULL);
	assert_status(r, 200);
	response_free(r);
	jobs_settle(p->srv);
	/* Nothing before the morning. */
	clock_to(p->srv, tuesday + 12 * 3600);
	assert_int_equal(mails_to("bo", "digest", NULL), 0);

	/* Wednesday 07:30 */
	clock_to(p->srv, tuesday + DAY - 90 * 60);
	json_t *mail;
	assert_int_equal(mails_to("bo", "Daily digest from kring: what you follow", &mail), 1);
	const char *text = mail_part(mail, "text/plain"), *html = mail_part(mail, "text/html");
	const char *unanswered = strstr(text, "== New questions waiting for an answer ==");
	const char *practices = strstr(text, "== New best practices and methods ==");
	assert_non_null(unanswered);
	assert_non_null(practices);
	assert_true(unanswered < practices);
	assert_true(strstr(text, "Espresso or filter?") > unanswered);
	assert_true(strstr(text, "Running a coffee tasting") > practices);
	assert_null(strstr(text, "secret blend"));
	assert_null(strstr(html, "secret blend"));
	assert_null(strstr(text, "Instant coffee"));
	assert_non_null(strstr(html, "Running a coffee tasting"));
	char rest[200];
	snprintf(rest, sizeof rest, "%s/notifications", p->srv->origin);
	assert_non_null(strstr(text, rest));
	const char *unsubscribe = unsubscribe_path(p->srv, mail);
	assert_string_equal(unsubscribe + strlen(unsubscribe) - 6, "/daily");
	json_decref(mail);
	/* eve's is weekly. */
	assert_int_equal(mails_to("eve", "digest", NULL), 0);

	/* Nothing new: no digest on Thursday. A post after 07:00 waits
	 * for Friday, and is told once. */
	clock_to(p->srv, tuesday + 2 * DAY - 90 * 60);
	assert_int_equal(mails_to("bo", "Daily digest", NULL), 1);
	post_tagged(p->ana, "plaza", "question", "Oat milk?", "coffee");
	jobs_settle(p->srv);
	clock_to(p->srv, tuesday + 2 * DAY);
	assert_int_equal(mails_to("bo", "Daily digest", NULL), 1);
	clock_to(p->srv, tuesday + 3 * DAY - 90 * 60);
	assert_int_equal(mails_to("bo", "Daily digest", &mail), 2);
	text = mail_part(mail, "text/plain");
	assert_non_null(strstr(text, "Oat milk?"));
	assert_null(strstr(text, "Espresso or filter?"));
	json_decref(mail);

	/* Monday 07:30: eve's weekly digest of the week. */
	clock_to(p->srv, tuesday + 6 * DAY - 90 * 60);
	assert_int_equal(mails_to("eve", "Weekly digest from kring", &mail), 1);
	text = mail_part(mail, "text/plain");
	assert_non_null(strstr(text, "since last week"));
	assert_non_null(strstr(text, "Espresso or filter?"));
	assert_non_null(strstr(text, "Oat milk?"));
	assert_null(strstr(text, "secret blend"));
	unsubscribe = unsubscribe_path(p->srv, mail);
	json_decref(mail);
	/* Her one click ends the weekly digest: what was weekly is off. */
	struct client *mailer = client_new(p->srv);
	const char *body[] = {"List-Unsubscribe", "One-Click", NULL};
	r = http_post_form(mailer, unsubscribe, body, NULL);
	assert_status(r, 200);
	response_free(r);
	assert_string_equal(pace_of(p->eve, "post"), "off");
	assert_string_equal(pace_of(p->eve, "comment"), "daily");
}

/* A morning the job did not run (kring was down): what happened is told
 * in the next digest, not lost. */
static void a_missed_digest_is_sent_late(void **state)
{
	struct place *p = place_build(state);
	follow_tag(p->bo, "coffee");
	post_tagged(p->ana, "plaza", "question", "Espresso or filter?", "coffee");
	jobs_settle(p->srv);
	/* from Tuesday 09:00 straight to Thursday 07:30 */
	clock_to(p->srv, test_clock_now() + 2 * DAY - 90 * 60);
	json_t *mail;
	assert_int_equal(mails_to("bo", "Daily digest", &mail), 1);
	assert_non_null(strstr(mail_part(mail, "text/plain"), "Espresso or filter?"));
	json_decref(mail);
}

/* Two nodes on one database, both seeing the morning come: the digest
 * goes out once. */
static void two_nodes_send_a_digest_once(void **state)
{
	struct place *p = place_build(state);
	struct server other;
	setenv("KRING_SMTP_URL", smtp_sink_url(sink), 1);
	int started = server_start_on(&other, p->srv->db);
	unsetenv("KRING_SMTP_URL");
	assert_int_equal(started, 0);
	if (server_wait_ready(&other) != 0)
		fail_msg("the second node did not start");
	follow_tag(p->bo, "coffee");
	post_tagged(p->ana, "plaza", "question", "Espresso or filter?", "coffee");
	jobs_settle(p->srv);
	clock_to(p->srv, test_clock_now() + DAY - 90 * 60);
	usleep(2000 * 1000);
	jobs_settle(p->srv);
	assert_int_equal(mails_to("bo", "Daily digest", NULL), 1);
	assert_string_equal(sql_rows(p->srv, "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'daily_digest'"), "1\n");
	assert_int_equal(server_stop(&other, 10), 0);
	server_cleanup(&other);
}

/* An admin sends what is waiting at once; a member may not. */
static void admin_sends_digests_now(void **state)
{
	struct place *p = place_build(state);
	follow_tag(p->bo, "coffee");
	post_tagged(p->ana, "plaza", "question", "Espresso or filter?", "coffee");
	jobs_settle(p->srv);
	struct response *r = apost(p->bo, "/api/v1/admin/mail/digests", NULL);
	assert_status(r, 403);
	response_free(r);
	jobs_settle(p->srv);
	assert_int_equal(mails_to("bo", "digest", NULL), 0);
	r = apost(p->admin, "/api/v1/admin/mail/digests", NULL);
	assert_status(r, 202);
	response_free(r);
	jobs_settle(p->srv);
	json_t *mail;
	assert_int_equal(mails_to("bo", "Daily digest", &mail), 1);
	assert_non_null(strstr(mail_part(mail, "text/plain"), "Espresso or filter?"));
	json_decref(mail);
	/* The page's button. */
	r = aget(p->admin, "/admin/mail");
	assert_body_contains(r, "action=\"/admin/mail/digests\"");
	response_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(settings_choose_a_pace_per_kind, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(mention_mailed_at_once_and_unsubscribed_in_one_click, smtp_setup,
						smtp_teardown),
		cmocka_unit_test_setup_teardown(daily_and_weekly_digests, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(a_missed_digest_is_sent_late, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(two_nodes_send_a_digest_once, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(admin_sends_digests_now, smtp_setup, smtp_teardown),
	};
	return cmocka_run_group_tests_name("digests", tests, NULL, NULL);
}
