/* test_subscriptions: the digest by e-mail without an account, end to end
 * against a real SMTP server on loopback (smtp_sink.h). Covered: subscribing
 * to a public community and to the best-practice catalogue, the
 * confirmation mail and its link (GET changes nothing, POST confirms), the
 * one-click unsubscribe of RFC 8058 from a mail program; the same answer
 * whether or not the address is subscribed; the limits per client and per
 * address; communities that are not public; links that lapse and the
 * unconfirmed subscriptions the maintenance drops; the digests: what is new
 * and public in the period and nothing else, none when nothing happened or
 * after unsubscribing, the catalogue's, and one per period with two
 * nodes; a request that fails at any statement stores and sends nothing. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"
#include "smtp_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define EVA_EMAIL "eva@example.org"
#define DAY (24 * 3600)
#define WEEK (7 * DAY)
/* The hour of the day (UTC) digests go out (features/digests.h). */
#define DIGEST_HOUR 7

static struct smtp_sink *sink;

/* ---- set-up --------------------------------------------------------------------- */

/* A server with a test clock that sends through the SMTP sink; signup_limit
 * is its KRING_SIGNUP_LIMIT, which also limits subscriptions per client. */
static int start(void **state, const char *signup_limit)
{
	setenv("KRING_SIGNUP_LIMIT", signup_limit, 1);
	int rc = smtp_server_setup(state, &sink, 0);
	setenv("KRING_SIGNUP_LIMIT", "0", 1);
	return rc;
}

static int smtp_setup(void **state)
{
	return start(state, "0");
}

static int limited_setup(void **state)
{
	return start(state, "3");
}

static int smtp_teardown(void **state)
{
	return smtp_server_teardown(state, &sink, teardown_releasing);
}

/* ---- steps --------------------------------------------------------------------- */

/* A path made with printf, kept until the test ends. */
static const char *pathf(const char *fmt, const char *arg)
{
	char path[300];
	snprintf(path, sizeof path, fmt, arg);
	return harness_strdup(path);
}

static const char *count_of(const struct server *s, const char *sql)
{
	const char *rows = sql_rows(s, sql);
	static char n[32];
	snprintf(n, sizeof n, "%.*s", (int)strcspn(rows, "\n"), rows);
	return n;
}

/* Waits (at most 15 s) until the query counts want. */
static void wait_for_count(const struct server *s, const char *sql, const char *want)
{
	for (int waited = 0; waited < 15000; waited += 50) {
		if (strcmp(count_of(s, sql), want) == 0)
			return;
		usleep(50 * 1000);
	}
	fail_msg("%s counted %s, not %s", sql, count_of(s, sql), want);
}

/* An admin who hosts the public community "garden" and the members-only
 * "inner". */
static struct actor *founder(const struct server *s)
{
	struct actor *admin = staff(s, "admin", "--admin");
	unlimited_posting(admin);
	make_community(admin, "garden", "Garden club", "public", "open");
	make_community(admin, "inner", "Inner circle", "members", "open");
	return admin;
}

static struct response *subscribe(const struct server *s, const char *list, const char *email, const char *pace)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1%s/subscribe", list);
	json_t *body = json_pack("{s:s, s:s}", "name", "Eva Lind", "email", email);
	if (pace)
		json_object_set_new(body, "pace", json_string(pace));
	return http_post_jsonv(client_new(s), path, body, NULL);
}

static json_t *nth_mail(int n)
{
	assert_true(smtp_sink_wait(sink, n, 15000) >= n);
	return hold(mail_parse(smtp_sink_file(sink, n - 1)));
}

/* The site's path of the link in a message's plain-text part that starts
 * with the origin and then prefix ("/subscriptions/"). */
static const char *link_path(const struct server *s, json_t *mail, const char *prefix)
{
	const char *text = mail_part(mail, "text/plain");
	assert_non_null(text);
	char start[200];
	snprintf(start, sizeof start, "%s%s", s->origin, prefix);
	const char *at = strstr(text, start);
	assert_non_null(at);
	at += strlen(s->origin);
	return harness_strndup(at, strcspn(at, " \r\n<>\""));
}

/* The secret of a /subscriptions/{secret}/… path. */
static const char *secret_of(const char *path)
{
	const char *at = path + strlen("/subscriptions/");
	return harness_strndup(at, strcspn(at, "/"));
}

static void assert_header_has(json_t *mail, const char *needle)
{
	const char *headers = json_string_value(json_object_get(mail, "raw_headers"));
	if (!strstr(headers, needle))
		fail_msg("the headers have no \"%s\":\n%s", needle, headers);
}

static void assert_header_lacks(json_t *mail, const char *needle)
{
	const char *headers = json_string_value(json_object_get(mail, "raw_headers"));
	if (strstr(headers, needle))
		fail_msg("the headers have \"%s\":\n%s", needle, headers);
}

/* A mail program's one-click unsubscribe (RFC 8058): a POST of
 * List-Unsubscribe=One-Click, with no cookie and no CSRF token. */
static struct response *one_click(const struct server *s, const char *path)
{
	return http_post_form(client_new(s), path, STRS("List-Unsubscribe", "One-Click"), NULL);
}

/* ---- digests ------------------------------------------------------------------- */

/* Moves the test clock to a minute past the next time digests of the pace
 * are due: DIGEST_HOUR each day, or on Mondays. A test that waits for a
 * digest starts there too, so that the time of day it runs at does not
 * make one due early. */
static void advance_to_digests(bool weekly)
{
	int64_t now = test_clock_now(), day = now / DAY;
	if (weekly)
		day -= (day + 3) % 7; /* 1 January 1970 was a Thursday */
	int64_t at = day * DAY + DIGEST_HOUR * 3600;
	while (at <= now)
		at += weekly ? WEEK : DAY;
	test_clock_set(at + 60);
}

/* Waits until the digests have been looked at for the time the clock
 * shows: every confirmed subscription's period ends at or after it. */
static void wait_for_digest_run(const struct server *s)
{
	char sql[200];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM subscriptions WHERE confirmed_at IS NOT NULL AND last_digest_at < %lld",
		 (long long)test_clock_now());
	wait_for_count(s, sql, "0");
}

/* The n-th digest to EVA_EMAIL the SMTP server took (other mail, to
 * members, arrives too), once it was sent. */
static json_t *nth_digest(const struct server *s, int n)
{
	char sql[120];
	snprintf(sql, sizeof sql, "%d", n);
	wait_for_count(s, "SELECT count(*) FROM mail_outbox WHERE kind = 'subscription_digest' AND sent_at IS NOT NULL",
		       harness_strdup(sql));
	int seen = 0, count = smtp_sink_count(sink);
	for (int i = 0; i < count; i++) {
		json_t *mail = hold(mail_parse(smtp_sink_file(sink, i)));
		const char *subject = json_string_value(json_object_get(mail, "subject"));
		const char *to = json_string_value(json_object_get(mail, "to_address"));
		if (strstr(subject, " digest from ") && strcmp(to, EVA_EMAIL) == 0 && ++seen == n)
			return mail;
	}
	fail_msg("the SMTP server took %d digests, not %d", seen, n);
	return NULL;
}

/* How many subscriber digests were queued. */
static const char *digests_queued(const struct server *s)
{
	return count_of(s, "SELECT count(*) FROM mail_outbox WHERE kind = 'subscription_digest'");
}

/* Subscribes EVA_EMAIL to the list's digest at the pace and confirms it;
 * mail n is the confirmation. Returns the subscription's secret. */
static const char *subscribed(const struct server *s, const char *list, const char *pace, int n)
{
	struct response *r = subscribe(s, list, EVA_EMAIL, pace);
	assert_status(r, 202);
	response_free(r);
	const char *confirm = link_path(s, nth_mail(n), "/subscriptions/");
	r = http_post_json(client_new(s), pathf("/api/v1%s", confirm), "{}", NULL);
	assert_status(r, 200);
	response_free(r);
	return secret_of(confirm);
}

static int64_t answer(struct actor *a, int64_t q, const char *body)
{
	struct response *r = item_post(a, q, "answers", json_pack("{s:s}", "body", body));
	assert_status(r, 201);
	int64_t id = jint(r, "id");
	response_free(r);
	return id;
}

static json_t *article(const char *title)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "kind", "article", "title", title, "summary",
			 "What we learnt, in short.", "approach", "We tried it this way.");
}

/* The plain text of a digest holds the item's title and address. */
static void assert_digest_has(const struct server *s, json_t *mail, const char *title, int64_t id)
{
	const char *text = mail_part(mail, "text/plain");
	char link[200];
	snprintf(link, sizeof link, "%s/items/%lld", s->origin, (long long)id);
	if (!strstr(text, title) || !strstr(text, link))
		fail_msg("the digest has no \"%s\" at %s:\n%s", title, link, text);
}

static void assert_digest_lacks(json_t *mail, const char *title)
{
	const char *text = mail_part(mail, "text/plain"), *html = mail_part(mail, "text/html");
	if (strstr(text, title) || strstr(html, title))
		fail_msg("the digest has \"%s\":\n%s", title, text);
}

/* ---- tests --------------------------------------------------------------------- */

/* A visitor subscribes to a public community's digest from its page; the
 * confirmation mail's link shows a button and changes nothing when opened,
 * the button confirms, and one POST from a mail program ends it. */
static void subscribe_confirm_leave(void **state)
{
	struct server *s = *state;
	founder(s);
	struct actor *v = visitor(s);
	struct response *r = aget(v, "/c/garden");
	assert_status(r, 200);
	assert_body_contains(r, "action=\"/c/garden/subscribe\"");
	response_free(r);
	const char *csrf = page_csrf(v->c, "/c/garden");
	r = http_post_form(v->c, "/c/garden/subscribe",
			   STRS("name", "Eva Lind", "email", EVA_EMAIL, "pace", "daily", "csrf", csrf), NULL);
	assert_status(r, 303);
	assert_string_equal(response_header(r, "Location"), "/c/garden/subscribe?sent=1");
	response_free(r);
	r = aget(v, "/c/garden/subscribe?sent=1");
	assert_status(r, 200);
	assert_body_contains(r, "we sent it a link to confirm");
	response_free(r);

	json_t *mail = nth_mail(1);
	assert_string_equal(json_string_value(json_object_get(mail, "to_address")), EVA_EMAIL);
	assert_string_equal(json_string_value(json_object_get(mail, "to_name")), "Eva Lind");
	assert_string_equal(json_string_value(json_object_get(mail, "subject")),
			    "Confirm your subscription to Garden club");
	assert_int_equal(json_array_size(json_object_get(mail, "defects")), 0);
	/* Nothing to leave yet: the confirmation has no unsubscribe header. */
	assert_header_lacks(mail, "List-Unsubscribe");
	assert_non_null(strstr(mail_part(mail, "text/plain"), "daily digest of Garden club"));
	const char *confirm = link_path(s, mail, "/subscriptions/");
	const char *secret = secret_of(confirm);
	char href[300];
	snprintf(href, sizeof href, "href=\"%s%s\"", s->origin, confirm);
	assert_non_null(strstr(mail_part(mail, "text/html"), href));
	assert_string_equal(count_of(s, "SELECT count(*) FROM subscriptions WHERE confirmed_at IS NULL"), "1");

	/* Opening the link (as a mail scanner does) changes nothing. */
	struct client *anyone = client_new(s);
	r = http_get(anyone, confirm, NULL);
	assert_status(r, 200);
	assert_header_equal(r, "Cache-Control", "no-store");
	assert_body_contains(r, "Confirm the subscription");
	assert_body_contains(r, EVA_EMAIL);
	response_free(r);
	r = http_get(anyone, confirm, NULL);
	assert_status(r, 200);
	response_free(r);
	assert_string_equal(count_of(s, "SELECT count(*) FROM subscriptions WHERE confirmed_at IS NULL"), "1");
	/* The button confirms. */
	csrf = page_csrf(anyone, confirm);
	r = http_post_form(anyone, confirm, STRS("csrf", csrf), NULL);
	assert_status(r, 303);
	assert_string_equal(response_header(r, "Location"), confirm);
	response_free(r);
	assert_string_equal(count_of(s, "SELECT count(*) FROM subscriptions WHERE confirmed_at IS NOT NULL"
				       " AND pace = 'daily'"),
			    "1");
	r = http_get(anyone, confirm, NULL);
	assert_status(r, 200);
	assert_body_contains(r, "You are subscribed");
	response_free(r);
	/* Confirming again is no error and changes nothing. */
	char api[300];
	snprintf(api, sizeof api, "/api/v1%s", confirm);
	r = http_post_json(client_new(s), api, "{}", NULL);
	assert_status(r, 200);
	assert_true(json_is_true(json_object_get(r->json, "confirmed")));
	response_free(r);

	/* The unsubscribe page shows a button and changes nothing either. */
	char leave[200];
	snprintf(leave, sizeof leave, "/subscriptions/%s/unsubscribe", secret);
	r = http_get(client_new(s), leave, NULL);
	assert_status(r, 200);
	assert_body_contains(r, "Stop sending the digest of Garden club");
	response_free(r);
	assert_string_equal(count_of(s, "SELECT count(*) FROM subscriptions"), "1");
	/* One click from a mail program, which sends no cookie and no token. */
	r = one_click(s, leave);
	assert_status(r, 200);
	assert_body_contains(r, "You are unsubscribed");
	response_free(r);
	assert_string_equal(count_of(s, "SELECT count(*) FROM subscriptions"), "0");
	r = http_get(client_new(s), leave, NULL);
	assert_status(r, 404);
	response_free(r);
	r = one_click(s, leave);
	assert_status(r, 404);
	response_free(r);
	r = http_get(client_new(s), confirm, NULL);
	assert_status(r, 404);
	response_free(r);
}

/* Whether the address is new, waiting for its confirmation or subscribed,
 * the answer is the same; its owner is told by mail what it is. */
static void neutral_answers(void **state)
{
	struct server *s = *state;
	founder(s);
	struct response *first = subscribe(s, "/c/garden", EVA_EMAIL, NULL);
	assert_status(first, 202);
	json_t *mail = nth_mail(1);
	const char *confirm = link_path(s, mail, "/subscriptions/");
	assert_non_null(strstr(mail_part(mail, "text/plain"), "weekly digest of Garden club"));

	/* Again before confirming: the same answer, the same link again. */
	struct response *again = subscribe(s, "/c/garden", "Eva@Example.org", "daily");
	assert_int_equal(again->status, first->status);
	assert_string_equal(again->body, first->body);
	response_free(again);
	mail = nth_mail(2);
	assert_string_equal(link_path(s, mail, "/subscriptions/"), confirm);
	assert_string_equal(count_of(s, "SELECT count(*) FROM subscriptions"), "1");
	assert_string_equal(count_of(s, "SELECT pace FROM subscriptions"), "daily");

	struct response *r = http_post_json(client_new(s), pathf("/api/v1%s", confirm), "{}", NULL);
	assert_status(r, 200);
	response_free(r);

	/* Subscribed: the same answer; the mail says so and how to stop. */
	struct response *subscribed = subscribe(s, "/c/garden", EVA_EMAIL, "weekly");
	assert_int_equal(subscribed->status, first->status);
	assert_string_equal(subscribed->body, first->body);
	response_free(subscribed);
	mail = nth_mail(3);
	assert_string_equal(json_string_value(json_object_get(mail, "subject")),
			    "You get the digest of Garden club already");
	const char *leave = link_path(s, mail, "/subscriptions/");
	assert_non_null(strstr(leave, "/unsubscribe"));
	assert_string_equal(secret_of(leave), secret_of(confirm));
	assert_header_has(mail, "List-Unsubscribe-Post: List-Unsubscribe=One-Click");
	/* Nobody but the owner, through the links, changes a subscription. */
	assert_string_equal(count_of(s, "SELECT pace FROM subscriptions"), "daily");

	/* The HTML form sends everyone to the same page. */
	const char *locations[2];
	const char *emails[2] = {EVA_EMAIL, "someone.else@example.org"};
	for (int i = 0; i < 2; i++) {
		struct actor *v = visitor(s);
		const char *csrf = page_csrf(v->c, "/c/garden/subscribe");
		r = http_post_form(v->c, "/c/garden/subscribe",
				   STRS("name", "Eva Lind", "email", emails[i], "csrf", csrf), NULL);
		assert_status(r, 303);
		locations[i] = harness_strdup(response_header(r, "Location"));
		response_free(r);
	}
	assert_string_equal(locations[0], locations[1]);
	response_free(first);

	/* What is wrong is said at its field, and what was typed stays. */
	struct actor *v = visitor(s);
	const char *csrf = page_csrf(v->c, "/c/garden/subscribe");
	r = http_post_form(v->c, "/c/garden/subscribe",
			   STRS("name", "Eva Lind", "email", "not an address", "pace", "daily", "csrf", csrf), NULL);
	assert_status(r, 422);
	assert_body_contains(r, "Enter a valid e-mail address.");
	assert_body_contains(r, "value=\"not an address\"");
	assert_body_contains(r, "value=\"daily\" checked");
	response_free(r);
	r = subscribe(s, "/c/garden", EVA_EMAIL, "hourly");
	assert_invalid_field(r, "pace");
	response_free(r);
	r = http_post_jsonv(client_new(s), "/api/v1/c/garden/subscribe",
			    json_pack("{s:s, s:s}", "name", "", "email", EVA_EMAIL), NULL);
	assert_invalid_field(r, "name");
	response_free(r);
	/* A form without its CSRF token is refused, as every form. */
	r = http_post_form(client_new(s), "/c/garden/subscribe", STRS("name", "Eva Lind", "email", EVA_EMAIL), NULL);
	assert_status(r, 403);
	response_free(r);
	assert_int_equal(smtp_sink_wait(sink, 4, 3000), 4);
}

/* A client gets signup_limit answers an hour; an address gets
 * MAIL_OPTIN_MAILS_PER_ADDRESS mails a day, however often someone asks
 * and from wherever, and the answer stays the same. */
static void rate_limits(void **state)
{
	struct server *s = *state;
	founder(s);
	for (int i = 0; i < 3; i++) {
		struct response *r = subscribe(s, i == 2 ? "/articles" : "/c/garden", EVA_EMAIL, NULL);
		assert_status(r, 202);
		response_free(r);
	}
	struct response *r = subscribe(s, "/c/garden", "other@example.org", NULL);
	assert_error(r, 429, "rate_limited");
	assert_non_null(response_header(r, "Retry-After"));
	response_free(r);
	assert_int_equal(smtp_sink_wait(sink, 3, 15000), 3);

	/* Another hour, the same address: still three mails today. */
	test_clock_advance(3601);
	r = subscribe(s, "/articles", EVA_EMAIL, NULL);
	assert_status(r, 202);
	response_free(r);
	r = subscribe(s, "/c/garden", "other@example.org", NULL);
	assert_status(r, 202);
	response_free(r);
	assert_int_equal(smtp_sink_wait(sink, 4, 15000), 4);
	usleep(1500 * 1000);
	assert_int_equal(smtp_sink_count(sink), 4);
	json_t *mail = nth_mail(4);
	assert_string_equal(json_string_value(json_object_get(mail, "to_address")), "other@example.org");
	/* The next day, the address gets its mail again. */
	test_clock_advance(DAY);
	r = subscribe(s, "/articles", EVA_EMAIL, NULL);
	assert_status(r, 202);
	response_free(r);
	mail = nth_mail(5);
	assert_string_equal(json_string_value(json_object_get(mail, "to_address")), EVA_EMAIL);
	/* The counters hold no address. */
	assert_string_equal(count_of(s, "SELECT count(*) FROM rate_limits WHERE key LIKE '%example%'"), "0");
}

/* Only a public community's digest is open to subscribers: a members-only
 * or private one is not, nor an archived one; members see no form. */
static void only_public_communities(void **state)
{
	struct server *s = *state;
	struct actor *admin = founder(s);
	make_community(admin, "secret", "Secret circle", "private", "invite");
	make_community(admin, "old", "Old club", "public", "open");
	struct response *r = apost(admin, "/api/v1/c/old/archive", json_pack("{s:b}", "archived", 1));
	assert_status(r, 200);
	response_free(r);

	const char *hidden[] = {"/c/inner", "/c/secret", "/c/nowhere"};
	for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
		r = subscribe(s, hidden[i], EVA_EMAIL, NULL);
		assert_error(r, 404, "not_found");
		response_free(r);
		r = http_get(client_new(s), pathf("%s/subscribe", hidden[i]), NULL);
		assert_status(r, 404);
		response_free(r);
	}
	r = subscribe(s, "/c/old", EVA_EMAIL, NULL);
	assert_error(r, 409, "archived");
	response_free(r);
	/* A member who can read a members-only community is told why. */
	struct actor *sam = member(s, "sam");
	r = apost(sam, "/api/v1/c/inner/subscribe", json_pack("{s:s, s:s}", "name", "Sam", "email", "sam@example.org"));
	assert_error(r, 403, "not_public");
	response_free(r);
	/* Members follow instead: their pages offer no form. */
	r = aget(sam, "/c/garden");
	assert_status(r, 200);
	assert_null(strstr(r->body, "/c/garden/subscribe"));
	response_free(r);
	r = aget(sam, "/articles");
	assert_status(r, 200);
	assert_null(strstr(r->body, "/articles/subscribe"));
	response_free(r);
	r = http_get(client_new(s), "/articles", NULL);
	assert_status(r, 200);
	assert_body_contains(r, "action=\"/articles/subscribe\"");
	response_free(r);
	r = http_get(client_new(s), "/c/old", NULL);
	assert_status(r, 200);
	assert_null(strstr(r->body, "/c/old/subscribe"));
	response_free(r);
	assert_string_equal(count_of(s, "SELECT count(*) FROM mail_outbox WHERE kind LIKE 'subscription%'"), "0");
	assert_string_equal(count_of(s, "SELECT count(*) FROM subscriptions"), "0");
}

/* A confirmation link works for 7 days; the maintenance then drops the
 * subscription. A wrong secret finds nothing. */
static void confirmation_lapses(void **state)
{
	struct server *s = *state;
	founder(s);
	struct response *r = subscribe(s, "/c/garden", EVA_EMAIL, NULL);
	assert_status(r, 202);
	response_free(r);
	const char *confirm = link_path(s, nth_mail(1), "/subscriptions/");
	r = subscribe(s, "/articles", EVA_EMAIL, NULL);
	assert_status(r, 202);
	response_free(r);
	const char *catalogue = link_path(s, nth_mail(2), "/subscriptions/");
	r = http_post_json(client_new(s), pathf("/api/v1%s", catalogue), "{}", NULL);
	assert_status(r, 200);
	response_free(r);

	test_clock_advance(7 * DAY - 10);
	r = http_get(client_new(s), confirm, NULL);
	assert_status(r, 200);
	response_free(r);
	test_clock_advance(20);
	r = http_get(client_new(s), confirm, NULL);
	assert_status(r, 410);
	response_free(r);
	r = http_post_json(client_new(s), pathf("/api/v1%s", confirm), "{}", NULL);
	assert_error(r, 410, "link_expired");
	response_free(r);
	/* The next hour's maintenance drops it; the confirmed one stays. */
	test_clock_advance(3600);
	wait_for_count(s, "SELECT count(*) FROM subscriptions", "1");
	assert_string_equal(count_of(s, "SELECT count(*) FROM subscriptions WHERE community_id IS NULL"), "1");
	r = http_get(client_new(s), confirm, NULL);
	assert_status(r, 404);
	response_free(r);

	/* Secrets that are not one. */
	const char *wrong[] = {"/subscriptions/abc/confirm",
			       "/subscriptions/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/unsubscribe"};
	for (size_t i = 0; i < 2; i++) {
		r = http_get(client_new(s), wrong[i], NULL);
		assert_status(r, 404);
		response_free(r);
	}
	r = one_click(s, wrong[1]);
	assert_status(r, 404);
	response_free(r);
}

/* Subscribe, confirm, and the daily digest holds what is new and public in
 * the community, and nothing from a members-only one or deleted since; a
 * day with nothing new sends nothing; after one click on unsubscribe,
 * nothing more comes. */
static void daily_digest(void **state)
{
	struct server *s = *state;
	/* A day's digests just went out: the next are a day away. */
	advance_to_digests(false);
	struct actor *admin = founder(s);
	/* Before the subscription: not in its first digest, unless an expert
	 * verifies it since. */
	ask(admin, "garden", "Which soil for tomatoes?", "Sandy or not?");
	json_t *rain = article("Rain gardens");
	json_object_set_new(rain, "tags", json_pack("[s]", "water"));
	int64_t verified = new_item(admin, "article", "garden", rain);
	test_clock_advance(60);
	const char *secret = subscribed(s, "/c/garden", "daily", 1);
	struct actor *ann = member(s, "ann");
	assert_int_equal(smtp_sink_wait(sink, 2, 15000), 2); /* Ann's welcome */
	struct response *r = apost(ann, "/api/v1/c/garden/join", NULL);
	assert_status(r, 200);
	response_free(r);
	r = apost(admin, "/api/v1/tags/water/experts", json_pack("{s:s}", "handle", "ann"));
	assert_status(r, 200);
	response_free(r);
	test_clock_advance(60);

	r = item_post(ann, verified, "verify", json_object());
	assert_status(r, 200);
	response_free(r);
	int64_t open = ask(admin, "garden", "Where to buy seeds?", "Near the station?");
	int64_t solved = ask(admin, "garden", "When to sow peas?", "Soon?");
	int64_t good = answer(ann, solved, "In March, when the soil is dry.");
	r = item_post(admin, solved, "accept", json_pack("{s:I}", "answer", (json_int_t)good));
	assert_status(r, 200);
	response_free(r);
	int64_t practice = new_item(admin, "article", "garden", article("Compost in small gardens"));
	int64_t gone = ask(admin, "garden", "A question taken back", "Never mind.");
	r = item_post(admin, gone, "delete", NULL);
	assert_status(r, 200);
	response_free(r);
	ask(admin, "inner", "Members-only plans", "Not for the public.");
	/* Not yet due: nothing. */
	usleep(1500 * 1000);
	assert_string_equal(digests_queued(s), "0");

	advance_to_digests(false);
	json_t *mail = nth_digest(s, 1);
	assert_string_equal(json_string_value(json_object_get(mail, "to_address")), EVA_EMAIL);
	assert_string_equal(json_string_value(json_object_get(mail, "subject")), "Daily digest from kring: Garden club");
	assert_int_equal(json_array_size(json_object_get(mail, "defects")), 0);
	assert_digest_has(s, mail, "Where to buy seeds?", open);
	assert_digest_has(s, mail, "When to sow peas?", solved);
	assert_digest_has(s, mail, "Compost in small gardens", practice);
	assert_digest_has(s, mail, "Rain gardens", verified);
	char anchor[64];
	snprintf(anchor, sizeof anchor, "#answer-%lld", (long long)good);
	assert_non_null(strstr(mail_part(mail, "text/plain"), anchor));
	assert_digest_lacks(mail, "Which soil for tomatoes?");
	assert_digest_lacks(mail, "A question taken back");
	assert_digest_lacks(mail, "Members-only plans");
	/* The sections, in order: unanswered, accepted, best practices,
	 * verified. */
	const char *text = mail_part(mail, "text/plain");
	const char *unanswered = strstr(text, "New questions waiting for an answer");
	const char *accepted = strstr(text, "Accepted answers");
	const char *practices = strstr(text, "New best practices and methods");
	const char *expert = strstr(text, "Verified by an expert");
	assert_true(unanswered && accepted && practices && expert && unanswered < accepted && accepted < practices &&
		    practices < expert);
	assert_true(strstr(text, "Rain gardens") > expert);
	assert_true(strstr(text, "Where to buy seeds?") < accepted && strstr(text, "When to sow peas?") > accepted);
	/* One-click unsubscribe, in the headers and in the text. */
	char leave[300];
	snprintf(leave, sizeof leave, "List-Unsubscribe: <%s/subscriptions/%s/unsubscribe>", s->origin, secret);
	assert_header_has(mail, leave);
	assert_header_has(mail, "List-Unsubscribe-Post: List-Unsubscribe=One-Click");
	snprintf(leave, sizeof leave, "%s/subscriptions/%s/unsubscribe", s->origin, secret);
	assert_non_null(strstr(text, leave));

	/* A day with nothing new sends nothing. */
	advance_to_digests(false);
	wait_for_digest_run(s);
	assert_string_equal(digests_queued(s), "1");

	/* Something new, but unsubscribed with one click: nothing comes. */
	ask(admin, "garden", "Who has a spare rake?", NULL);
	r = one_click(s, pathf("/subscriptions/%s/unsubscribe", secret));
	assert_status(r, 200);
	response_free(r);
	int64_t hour = test_clock_now() / 3600;
	advance_to_digests(false);
	char sql[200];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM jobs WHERE kind = 'subscription_digests' AND unique_key = "
		 "'subscription_digests:%lld' AND done_at IS NOT NULL",
		 (long long)(test_clock_now() / 3600));
	assert_true(test_clock_now() / 3600 > hour);
	wait_for_count(s, sql, "1");
	assert_string_equal(digests_queued(s), "1");
}

/* The catalogue's weekly digest: the new best practices of public
 * communities, each with its community, and not those of a members-only
 * one. */
static void catalogue_digest(void **state)
{
	struct server *s = *state;
	advance_to_digests(true);
	struct actor *admin = founder(s);
	subscribed(s, "/articles", NULL, 1);
	test_clock_advance(60);
	int64_t shared = new_item(admin, "article", "garden", article("Seed swaps that work"));
	new_item(admin, "article", "inner", article("Our budget for next year"));
	ask(admin, "garden", "Not a best practice", NULL);
	advance_to_digests(true);
	json_t *mail = nth_digest(s, 1);
	assert_string_equal(json_string_value(json_object_get(mail, "subject")),
			    "Weekly digest from kring: the best practices of kring");
	assert_digest_has(s, mail, "Seed swaps that work", shared);
	assert_non_null(strstr(mail_part(mail, "text/plain"), "(Garden club)"));
	assert_digest_lacks(mail, "Our budget for next year");
	assert_digest_lacks(mail, "Not a best practice");
}

/* Two nodes on one database: one digest a period. */
static void two_nodes_one_digest(void **state)
{
	struct server *s = *state;
	advance_to_digests(false);
	struct actor *admin = founder(s);
	subscribed(s, "/c/garden", "daily", 1);
	struct server other;
	setenv("KRING_SMTP_URL", smtp_sink_url(sink), 1);
	int started = server_start_on(&other, s->db);
	unsetenv("KRING_SMTP_URL");
	assert_int_equal(started, 0);
	if (server_wait_ready(&other) != 0)
		fail_msg("the second node did not start");
	test_clock_advance(60);
	ask(admin, "garden", "Where to buy seeds?", NULL);
	advance_to_digests(false);
	nth_digest(s, 1);
	/* A second run of the hour's job, as another node's would be, finds
	 * the digest sent. */
	run_sql(s, "UPDATE jobs SET unique_key = NULL WHERE kind = 'subscription_digests'");
	run_sql(s, "INSERT INTO jobs (kind, payload, run_at, created_at) SELECT 'subscription_digests', '{}', run_at,"
		   " created_at FROM jobs WHERE kind = 'subscription_digests'");
	wait_for_count(s, "SELECT count(*) FROM jobs WHERE kind = 'subscription_digests' AND done_at IS NULL", "0");
	assert_string_equal(digests_queued(s), "1");
	assert_int_equal(server_stop(&other, 10), 0);
	server_cleanup(&other);
}

/* A subscription that fails at any of its statements stores nothing and
 * queues no mail; the one that goes through stores one and queues one. */
static void rolled_back_subscribe_queues_nothing(void **state)
{
	struct server *s = *state;
	founder(s);
	int n;
	for (n = 1; n <= 40; n++) {
		char fault[64];
		snprintf(fault, sizeof fault, "X-Kring-Fail-Statement: %d", n);
		struct response *r = http_post_json(client_new(s), "/api/v1/c/garden/subscribe",
						    "{\"name\": \"Eva Lind\", \"email\": \"" EVA_EMAIL "\"}", STRS(fault));
		bool injected = response_header(r, "X-Kring-Fault") != NULL;
		assert_int_equal(r->status, injected ? 500 : 202);
		response_free(r);
		const char *want = injected ? "0" : "1";
		assert_string_equal(count_of(s, "SELECT count(*) FROM subscriptions"), want);
		assert_string_equal(count_of(s, "SELECT count(*) FROM mail_outbox"), want);
		assert_string_equal(count_of(s, "SELECT count(*) FROM jobs WHERE kind = 'mail'"), want);
		if (!injected)
			break;
	}
	assert_true(n > 3 && n <= 40);
}

int main(void)
{
	setenv("KRING_FAULT_INJECTION", "1", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(subscribe_confirm_leave, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(neutral_answers, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(rate_limits, limited_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(only_public_communities, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(confirmation_lapses, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(daily_digest, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(catalogue_digest, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(two_nodes_one_digest, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(rolled_back_subscribe_queues_nothing, server_setup, teardown_releasing),
	};
	return cmocka_run_group_tests_name("subscriptions", tests, NULL, NULL);
}
