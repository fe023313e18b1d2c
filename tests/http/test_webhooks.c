/* test_webhooks: the site's webhook end to end. Each test runs a small HTTP
 * receiver (receiver.h) on a loopback port; an admin points the webhook
 * at it, members share things, and the receiver sees what kring sends:
 * signed deliveries of public content, nothing from members-only or private
 * communities, and retries when it answers with an error. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"
#include "receiver.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* ---- the receiver ----------------------------------------------------------- */

/* Each test gets a receiver of its own. */
static struct receiver *hooks;

/* Waits (at most 15 s) until n deliveries arrived; returns how many did. */
static int wait_for_deliveries(int n)
{
	return receiver_wait(hooks, n, 15000);
}

/* The value of a header of delivery i (in a static buffer), or NULL. */
static const char *dheader(int i, const char *name)
{
	static char value[512];
	return receiver_header(hooks, i, name, value, sizeof value);
}

static int setup(void **state)
{
	hooks = receiver_start();
	if (!hooks)
		return -1;
	if (server_setup(state) != 0) {
		receiver_stop(hooks);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	int rc = server_teardown(state);
	receiver_stop(hooks);
	return rc;
}

/* ---- steps ------------------------------------------------------------------- */

static const char *hook_url(void)
{
	static char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", receiver_port(hooks));
	return url;
}

/* The admin's view of the settings (JSON); the caller frees it. */
static struct response *settings(struct actor *admin)
{
	struct response *r = aget(admin, "/api/v1/admin/settings");
	assert_status(r, 200);
	return r;
}

/* Points the webhook at url through the settings form; returns the secret. */
static const char *set_webhook(struct actor *admin, const char *url)
{
	struct response *r = fpost(admin, "/admin/settings", STRS("webhook_url", url));
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/admin/settings?saved=1");
	response_free(r);
	r = settings(admin);
	assert_jstr(r, "webhook.url", url);
	const char *secret = response_jstr(r, "webhook.secret");
	char *copy = secret ? harness_strdup(secret) : NULL;
	response_free(r);
	return copy;
}

static json_t *latest_delivery(const struct response *r)
{
	return json_array_get(json_path(r->json, "webhook.deliveries"), 0);
}

static int64_t delivery_count(struct actor *admin)
{
	struct response *r = settings(admin);
	int64_t n = (int64_t)json_array_size(json_path(r->json, "webhook.deliveries"));
	response_free(r);
	return n;
}

/* Waits (at most 15 s) until the latest delivery is in the state. */
static void wait_for_state(struct actor *admin, const char *state)
{
	for (int i = 0; i < 300; i++) {
		struct response *r = settings(admin);
		const char *now = json_string_value(json_object_get(latest_delivery(r), "state"));
		bool there = now && strcmp(now, state) == 0;
		response_free(r);
		if (there)
			return;
		usleep(50 * 1000);
	}
	fail_msg("the latest delivery never became %s", state);
}

/* A public community the member joined, hosted by the admin. */
static void public_community(struct actor *admin, struct actor *m, const char *slug)
{
	make_community(admin, slug, "Open to all", "public", "open");
	char path[128];
	snprintf(path, sizeof path, "/api/v1/c/%s/join", slug);
	struct response *r = apost(m, path, NULL);
	assert_status(r, 200);
	response_free(r);
}

/* Checks delivery i of the event: method, headers, a signature made with
 * secret, and returns its body parsed, for the caller to free. */
static json_t *check_event_delivery(int i, const char *secret, const char *event)
{
	const char *text = receiver_body(hooks, i);
	assert_string_equal(receiver_method(hooks, i), "POST");
	assert_string_equal(receiver_path(hooks, i), "/hook");
	assert_string_equal(dheader(i, "Content-Type"), "application/json");
	assert_string_equal(dheader(i, "X-Kring-Event"), event);
	assert_non_null(dheader(i, "User-Agent"));
	assert_int_equal(strncmp(dheader(i, "User-Agent"), "kring/", 6), 0);
	assert_non_null(dheader(i, "X-Kring-Delivery"));
	assert_true(atoll(dheader(i, "X-Kring-Delivery")) > 0);

	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)text, strlen(text));
	crypto_auth_hmacsha256_final(&st, mac);
	char want[7 + 2 * sizeof mac + 1] = "sha256=";
	sodium_bin2hex(want + 7, sizeof want - 7, mac, sizeof mac);
	assert_non_null(dheader(i, "X-Kring-Signature"));
	assert_string_equal(dheader(i, "X-Kring-Signature"), want);

	json_t *body = json_loads(text, 0, NULL);
	assert_non_null(body);
	assert_string_equal(json_string_value(json_object_get(body, "event")), event);
	assert_true(json_integer_value(json_object_get(body, "event_id")) > 0);
	time_t sent = (time_t)json_integer_value(json_object_get(body, "sent_at"));
	assert_true(sent > time(NULL) - 60 && sent <= time(NULL));
	return body;
}

static json_t *check_delivery(int i, const char *secret)
{
	return check_event_delivery(i, secret, "item.created");
}

/* ---- tests ----------------------------------------------------------------------- */

static void public_question_and_answer_are_delivered_signed(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	struct actor *m = member(s, "mira");
	const char *secret = set_webhook(admin, hook_url());
	assert_non_null(secret);
	assert_int_equal(strlen(secret), 64);
	/* Admins see the secret on the page. */
	struct response *r = aget(admin, "/admin/settings");
	assert_status(r, 200);
	assert_body_contains(r, secret);
	response_free(r);

	public_community(admin, m, "open-door");
	int64_t q = ask(m, "open-door", "How do we run a fika with a topic?", "Every other Friday?");
	assert_int_equal(wait_for_deliveries(1), 1);
	json_t *body = check_delivery(0, secret);
	char delivery_id[32];
	snprintf(delivery_id, sizeof delivery_id, "%s", dheader(0, "X-Kring-Delivery"));
	json_t *item = json_object_get(body, "item");
	assert_int_equal(json_integer_value(json_object_get(item, "id")), q);
	assert_string_equal(json_string_value(json_object_get(item, "kind")), "question");
	assert_string_equal(json_string_value(json_object_get(item, "title")), "How do we run a fika with a topic?");
	char url[64];
	snprintf(url, sizeof url, "/items/%lld-how-do-we-run", (long long)q);
	assert_int_equal(strncmp(json_string_value(json_object_get(item, "url")), url, strlen(url)), 0);
	assert_string_equal(json_string_value(json_path(item, "community.slug")), "open-door");
	assert_string_equal(json_string_value(json_path(item, "community.name")), "Open to all");
	assert_string_equal(json_string_value(json_path(item, "author.handle")), "mira");
	assert_true(json_integer_value(json_object_get(item, "created_at")) > 0);
	json_decref(body);
	wait_for_state(admin, "done");

	/* An answer is delivered with its question's title and place. */
	r = item_post(admin, q, "answers", json_pack("{s:s}", "body", "Yes, with cake."));
	assert_status(r, 201);
	int64_t a = jint(r, "id");
	response_free(r);
	assert_int_equal(wait_for_deliveries(2), 2);
	body = check_delivery(1, secret);
	item = json_object_get(body, "item");
	assert_int_equal(json_integer_value(json_object_get(item, "id")), a);
	assert_string_equal(json_string_value(json_object_get(item, "kind")), "answer");
	assert_string_equal(json_string_value(json_object_get(item, "title")), "How do we run a fika with a topic?");
	char anchor[32];
	snprintf(anchor, sizeof anchor, "#answer-%lld", (long long)a);
	assert_non_null(strstr(json_string_value(json_object_get(item, "url")), anchor));
	assert_string_equal(json_string_value(json_path(item, "author.handle")), "root");
	json_decref(body);
	/* Each delivery has its own id. */
	assert_string_not_equal(dheader(1, "X-Kring-Delivery"), delivery_id);
	assert_int_equal(receiver_count(hooks), 2);
}

static void members_only_and_private_content_is_never_sent(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	struct actor *m = member(s, "mira");
	set_webhook(admin, hook_url());
	make_community(admin, "inner-circle", "Inner circle", "private", "invite");
	bring_in(admin, "inner-circle", m);
	make_community(admin, "staff-room", "Staff room", "members", "open");
	struct response *r = apost(m, "/api/v1/c/staff-room/join", NULL);
	assert_status(r, 200);
	response_free(r);
	public_community(admin, m, "open-door");

	ask(m, "inner-circle", "A private worry", "Only for the circle");
	ask(m, "staff-room", "A members-only matter", "Signed-in members only");
	r = apost(m, "/api/v1/c/inner-circle/items", json_pack("{s:s, s:s}", "kind", "update", "body", "Circle news"));
	assert_status(r, 201);
	response_free(r);
	/* Updates on a profile are for signed-in members too. */
	r = apost(m, "/api/v1/items", json_pack("{s:s, s:s}", "kind", "update", "body", "Profile news"));
	assert_status(r, 201);
	response_free(r);
	/* Nothing of it was even queued. */
	assert_int_equal(delivery_count(admin), 0);

	/* Something public, after the rest: once it arrived, the worker has
	 * been past everything before it. */
	r = apost(m, "/api/v1/c/open-door/items", json_pack("{s:s, s:s}", "kind", "update", "body", "Public news"));
	assert_status(r, 201);
	int64_t update = jint(r, "id");
	response_free(r);
	assert_int_equal(wait_for_deliveries(1), 1);
	json_t *body = json_loads(receiver_body(hooks, 0), 0, NULL);
	assert_int_equal(json_integer_value(json_path(body, "item.id")), update);
	assert_string_equal(json_string_value(json_path(body, "item.kind")), "update");
	json_decref(body);
	assert_int_equal(receiver_count(hooks), 1);
}

/* Edits, restored versions and deletions of public items go out too, each
 * once; those of members-only items do not. */
static void edits_and_deletions_are_delivered(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	struct actor *m = member(s, "mira");
	const char *secret = set_webhook(admin, hook_url());
	public_community(admin, m, "open-door");
	make_community(admin, "staff-room", "Staff room", "members", "open");
	struct response *r = apost(m, "/api/v1/c/staff-room/join", NULL);
	assert_status(r, 200);
	response_free(r);

	/* Members-only: created, edited and deleted, and nothing sent. */
	int64_t hidden = ask(m, "staff-room", "A members-only matter", "");
	r = item_edit(m, hidden, json_pack("{s:s, s:s}", "title", "Still members-only", "body", ""));
	assert_status(r, 200);
	response_free(r);
	r = item_post(m, hidden, "delete", NULL);
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(delivery_count(admin), 0);

	/* Each message describes the item as a visitor sees it when it is
	 * sent; each write waits for the one before to arrive. */
	int64_t q = ask(m, "open-door", "Where do we meet?", "");
	assert_int_equal(wait_for_deliveries(1), 1);
	r = item_edit(m, q, json_pack("{s:s, s:s}", "title", "Where do we meet on Friday?", "body", "Room?"));
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(wait_for_deliveries(2), 2);
	r = item_post(m, q, "revisions/1/restore", NULL);
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(wait_for_deliveries(3), 3);
	r = item_post(m, q, "delete", NULL);
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(wait_for_deliveries(4), 4);
	const char *events[] = {"item.created", "item.edited", "item.restored", "item.deleted"};
	const char *titles[] = {"Where do we meet?", "Where do we meet on Friday?", "Where do we meet?",
				"Where do we meet?"};
	int64_t last_event = 0;
	for (int i = 0; i < 4; i++) {
		json_t *body = check_event_delivery(i, secret, events[i]);
		assert_int_equal(json_integer_value(json_path(body, "item.id")), q);
		assert_string_equal(json_string_value(json_path(body, "item.title")), titles[i]);
		assert_string_equal(json_string_value(json_path(body, "item.kind")), "question");
		assert_string_equal(json_string_value(json_path(body, "item.community.slug")), "open-door");
		char url[64];
		snprintf(url, sizeof url, "/items/%lld-", (long long)q);
		assert_int_equal(strncmp(json_string_value(json_path(body, "item.url")), url, strlen(url)), 0);
		int64_t event_id = json_integer_value(json_object_get(body, "event_id"));
		assert_true(event_id > last_event);
		last_event = event_id;
		json_decref(body);
	}
	/* Nothing else: the members-only item's events were not even queued. */
	assert_int_equal(receiver_wait(hooks, 5, 1500), 4);
	assert_int_equal(delivery_count(admin), 4);
}

/* A receiver that is down is sent the event again, with the same delivery
 * id, until it takes it: at least once. */
static void a_delivery_arrives_once_the_receiver_is_back(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	struct actor *m = member(s, "mira");
	set_webhook(admin, hook_url());
	public_community(admin, m, "open-door");
	int64_t q = ask(m, "open-door", "Is the hall free?", "");
	assert_int_equal(wait_for_deliveries(1), 1);
	receiver_answer_with(hooks, 503);
	struct response *r = item_post(m, q, "delete", NULL);
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(wait_for_deliveries(2), 2);
	wait_for_state(admin, "retrying");
	/* Back up; the next attempt is due after the backoff. */
	receiver_answer_with(hooks, 200);
	test_clock_advance(31);
	assert_int_equal(wait_for_deliveries(3), 3);
	wait_for_state(admin, "done");
	char first[32];
	snprintf(first, sizeof first, "%s", dheader(1, "X-Kring-Delivery"));
	assert_string_equal(dheader(2, "X-Kring-Delivery"), first);
	assert_string_equal(dheader(2, "X-Kring-Event"), "item.deleted");
	json_t *a = json_loads(receiver_body(hooks, 1), 0, NULL), *b = json_loads(receiver_body(hooks, 2), 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(a, "event_id")),
			 json_integer_value(json_object_get(b, "event_id")));
	assert_int_equal(json_integer_value(json_path(b, "item.id")), q);
	json_decref(a);
	json_decref(b);
	assert_int_equal(receiver_wait(hooks, 4, 1500), 3);
}

static void failed_deliveries_are_retried_later(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	struct actor *m = member(s, "mira");
	set_webhook(admin, hook_url());
	public_community(admin, m, "open-door");
	receiver_answer_with(hooks, 500);
	ask(m, "open-door", "Is anyone there?", "");
	assert_int_equal(wait_for_deliveries(1), 1);
	wait_for_state(admin, "retrying");
	struct response *r = settings(admin);
	json_t *d = latest_delivery(r);
	assert_int_equal(json_integer_value(json_object_get(d, "attempts")), 1);
	assert_non_null(strstr(json_string_value(json_object_get(d, "last_error")), "500"));
	/* Backoff: the next attempt is half a minute away, not now. */
	assert_true(json_integer_value(json_object_get(d, "run_at")) >=
		    json_integer_value(json_object_get(d, "created_at")) + 30);
	response_free(r);
	r = aget(admin, "/admin/settings");
	assert_status(r, 200);
	assert_body_contains(r, "Will try again");
	assert_body_contains(r, "HTTP status 500");
	response_free(r);
	assert_int_equal(receiver_count(hooks), 1);
}

static void only_admins_see_and_change_the_webhook(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	const char *secret = set_webhook(admin, hook_url());
	struct actor *who[] = {member(s, "mira"), staff(s, "mod", "--moderator")};
	for (size_t i = 0; i < 2; i++) {
		struct response *r = aget(who[i], "/admin/settings");
		assert_status(r, 403);
		assert_body_lacks(r, secret);
		response_free(r);
		r = aget(who[i], "/api/v1/admin/settings");
		assert_error(r, 403, "forbidden");
		assert_body_lacks(r, secret);
		response_free(r);
		r = fpost(who[i], "/admin/settings", STRS("webhook_url", "https://evil.example.org/"));
		assert_status(r, 403);
		response_free(r);
		r = apost(who[i], "/api/v1/admin/settings", json_pack("{s:b}", "new_webhook_secret", 1));
		assert_error(r, 403, "forbidden");
		response_free(r);
	}
	struct actor *v = visitor(s);
	struct response *r = aget(v, "/api/v1/admin/settings");
	assert_status(r, 401);
	response_free(r);
	r = settings(admin);
	assert_jstr(r, "webhook.url", hook_url());
	assert_jstr(r, "webhook.secret", secret);
	response_free(r);
}

static void invalid_addresses_are_refused_keeping_what_was_typed(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	const char *secret = set_webhook(admin, hook_url());
	const char *bad[] = {"ftp://example.org/hook", "javascript:alert(1)", "http://", "https:///hook",
			     "http://exa mple.org/hook"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct response *r = fpost(admin, "/admin/settings", STRS("webhook_url", bad[i]));
		assert_status(r, 422);
		char typed[128];
		snprintf(typed, sizeof typed, "value=\"%s\"", bad[i]);
		assert_body_contains(r, typed);
		assert_body_contains(r, "field-error");
		response_free(r);
		r = apost(admin, "/api/v1/admin/settings", json_pack("{s:s}", "webhook_url", bad[i]));
		assert_error(r, 422, "invalid");
		assert_jstr(r, "error.field", "webhook_url");
		response_free(r);
	}
	/* Nothing changed. */
	struct response *r = settings(admin);
	assert_jstr(r, "webhook.url", hook_url());
	assert_jstr(r, "webhook.secret", secret);
	response_free(r);
}

static void secrets_are_renewed_and_the_webhook_turned_off(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	struct actor *m = member(s, "mira");
	const char *first = set_webhook(admin, hook_url());
	struct response *r = fpost(admin, "/admin/settings", STRS("new_webhook_secret", "1"));
	assert_status(r, 303);
	response_free(r);
	r = settings(admin);
	const char *second = harness_strdup(response_jstr(r, "webhook.secret"));
	response_free(r);
	assert_int_equal(strlen(second), 64);
	assert_string_not_equal(first, second);
	/* A new address keeps the secret receivers already have. */
	char other[64];
	snprintf(other, sizeof other, "http://127.0.0.1:%d/other", receiver_port(hooks));
	assert_string_equal(set_webhook(admin, other), second);

	/* An empty address turns the webhook off, secret and all. */
	r = fpost(admin, "/admin/settings", STRS("webhook_url", ""));
	assert_status(r, 303);
	response_free(r);
	r = settings(admin);
	assert_jstr(r, "webhook.url", "");
	assert_true(json_is_null(json_path(r->json, "webhook.secret")));
	response_free(r);
	public_community(admin, m, "open-door");
	ask(m, "open-door", "Anyone listening?", "");
	assert_int_equal(delivery_count(admin), 0);
	/* Renewing the secret of no webhook makes none. */
	r = apost(admin, "/api/v1/admin/settings", json_pack("{s:b}", "new_webhook_secret", 1));
	assert_status(r, 200);
	assert_true(json_is_null(json_path(r->json, "webhook.secret")));
	response_free(r);
}

/* With the test clock, which the jobs worker reads too (server_teardown
 * stops it). */
static int clock_setup(void **state)
{
	test_clock_start((int64_t)time(NULL));
	return setup(state);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(public_question_and_answer_are_delivered_signed),
		T(members_only_and_private_content_is_never_sent),
		T(edits_and_deletions_are_delivered),
		cmocka_unit_test_setup_teardown(a_delivery_arrives_once_the_receiver_is_back, clock_setup, teardown),
		T(failed_deliveries_are_retried_later),
		T(only_admins_see_and_change_the_webhook),
		T(invalid_addresses_are_refused_keeping_what_was_typed),
		T(secrets_are_renewed_and_the_webhook_turned_off),
	};
	return sodium_init() < 0 ? 1 : cmocka_run_group_tests(tests, NULL, NULL);
}
