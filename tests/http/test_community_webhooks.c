/* test_community_webhooks: webhooks a community's hosts set up, end to end.
 * Each test runs an HTTP receiver (receiver.h) on a loopback port, which
 * kring may post to only with --webhooks-allow-private (set here through
 * KRING_WEBHOOKS_ALLOW_PRIVATE, except in the test of the refusal): the
 * messages as received in each format, the events a hook takes, who may
 * see and change hooks, nothing sent for an item deleted before it went
 * out, retries and the log of attempts. */
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

static struct receiver *hooks;

static const char *dheader(int i, const char *name)
{
	static char value[512];
	return receiver_header(hooks, i, name, value, sizeof value);
}

static int start(void **state, bool allow_private, bool test_clock)
{
	if (allow_private)
		setenv("KRING_WEBHOOKS_ALLOW_PRIVATE", "1", 1);
	else
		unsetenv("KRING_WEBHOOKS_ALLOW_PRIVATE");
	hooks = receiver_start();
	if (!hooks)
		return -1;
	if (test_clock)
		test_clock_start((int64_t)time(NULL));
	if (server_setup(state) != 0) {
		receiver_stop(hooks);
		return -1;
	}
	return 0;
}

static int setup(void **state)
{
	return start(state, true, false);
}

static int clock_setup(void **state)
{
	return start(state, true, true);
}

static int strict_setup(void **state)
{
	return start(state, false, false);
}

static int teardown(void **state)
{
	int rc = server_teardown(state);
	receiver_stop(hooks);
	return rc;
}

/* ---- steps --------------------------------------------------------------- */

static const char *hook_url(const char *host)
{
	static char url[96];
	snprintf(url, sizeof url, "http://%s:%d/hook", host, receiver_port(hooks));
	return url;
}

/* A public community hosted by the admin, where m is a member. */
static void community(struct actor *admin, const char *slug, const char *name, struct actor *m)
{
	make_community(admin, slug, name, "public", "open");
	char path[128];
	snprintf(path, sizeof path, "/api/v1/c/%s/join", slug);
	struct response *r = apost(m, path, NULL);
	assert_status(r, 200);
	response_free(r);
}

/* Adds a hook through the API; returns its id, and its secret in *secret
 * (NULL for a chat's). */
static int64_t add_hook(struct actor *host, const char *slug, const char *url, const char *format, json_t *events,
			const char **secret)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/c/%s/webhooks", slug);
	struct response *r = apost(host, path, json_pack("{s:s, s:s, s:o}", "url", url, "format", format, "events", events));
	assert_status(r, 201);
	int64_t id = jint(r, "id");
	const char *s = response_jstr(r, "secret");
	if (secret)
		*secret = s ? harness_strdup(s) : NULL;
	response_free(r);
	return id;
}

static json_t *all_events(void)
{
	return json_pack("[s, s, s, s]", "questions", "answers", "accepted_answers", "best_practices");
}

/* The hosts' view of the community's hooks (JSON); the caller frees it. */
static struct response *hooks_page(struct actor *host, const char *slug)
{
	struct response *r = aget(host, "/api/v1/c/%s/webhooks", slug);
	assert_status(r, 200);
	return r;
}

/* The attempts logged for the community's first hook. */
static size_t attempt_count(struct actor *host, const char *slug)
{
	struct response *r = hooks_page(host, slug);
	size_t n = json_array_size(json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "attempts"));
	response_free(r);
	return n;
}

/* Waits (at most 15 s) until the first hook has n attempts logged. */
static void wait_for_attempts(struct actor *host, const char *slug, size_t n)
{
	for (int i = 0; i < 300; i++) {
		if (attempt_count(host, slug) >= n)
			return;
		usleep(50 * 1000);
	}
	fail_msg("the hook never logged %zu attempts", n);
}

/* The newest attempt of the community's first hook: its key as text. */
static const char *latest_attempt(struct actor *host, const char *slug, const char *key)
{
	struct response *r = hooks_page(host, slug);
	json_t *a = json_array_get(json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "attempts"), 0);
	json_t *v = json_object_get(a, key);
	char text[512];
	if (json_is_integer(v))
		snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
	else
		snprintf(text, sizeof text, "%s", json_is_string(v) ? json_string_value(v) : "");
	response_free(r);
	return harness_strdup(text);
}

/* The "text" of delivery i, a chat's message. */
static const char *chat_text(int i)
{
	json_t *body = json_loads(receiver_body(hooks, i), 0, NULL);
	assert_non_null(body);
	assert_int_equal(json_object_size(body), 1);
	const char *text = harness_strdup(json_string_value(json_object_get(body, "text")));
	json_decref(body);
	return text;
}

static const char *display_name(struct actor *a)
{
	struct response *r = aget(a, "/api/v1/me");
	assert_status(r, 200);
	const char *name = harness_strdup(response_jstr(r, "name"));
	response_free(r);
	return name;
}

static const char *item_path(struct actor *a, int64_t id)
{
	struct response *r = get_item(a, id);
	const char *url = harness_strdup(response_jstr(r, "url"));
	response_free(r);
	return url;
}

/* ---- tests -------------------------------------------------------------- */

/* Slack's <url|text> with &, < and > escaped; Mattermost's Markdown links;
 * both with absolute addresses, the community and the author. */
static void chat_messages_as_received(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	struct actor *m = member(s, "mira");
	community(admin, "fika", "Fika club", m);
	add_hook(admin, "fika", hook_url("127.0.0.1"), "slack", json_pack("[s]", "questions"), NULL);
	const char *mira = display_name(m);
	int64_t q = ask(m, "fika", "Cake & coffee <3 [tips]?", "Which cake?");
	assert_int_equal(receiver_wait(hooks, 1, 15000), 1);
	assert_string_equal(receiver_method(hooks, 0), "POST");
	assert_string_equal(receiver_path(hooks, 0), "/hook");
	assert_string_equal(dheader(0, "Content-Type"), "application/json");
	assert_null(dheader(0, "X-Kring-Signature"));
	char want[1024];
	snprintf(want, sizeof want, "New question in <%s/c/fika|Fika club>: <%s%s|Cake &amp; coffee &lt;3 [tips]?>, asked by %s",
		 s->origin, s->origin, item_path(m, q), mira);
	assert_string_equal(chat_text(0), want);

	/* The same in Mattermost's Markdown, in another community. */
	community(admin, "tea", "Tea_time", m);
	add_hook(admin, "tea", hook_url("127.0.0.1"), "mattermost", json_pack("[s]", "questions"), NULL);
	q = ask(m, "tea", "Cake & coffee <3 [tips]?", "");
	assert_int_equal(receiver_wait(hooks, 2, 15000), 2);
	snprintf(want, sizeof want, "New question in [Tea\\_time](%s/c/tea): [Cake & coffee \\<3 \\[tips\\]?](%s%s), asked by %s",
		 s->origin, s->origin, item_path(m, q), mira);
	assert_string_equal(chat_text(1), want);

	/* A test message, on request. */
	struct response *r = hooks_page(admin, "tea");
	int64_t id = json_integer_value(json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "id"));
	response_free(r);
	char path[128];
	snprintf(path, sizeof path, "/api/v1/c/tea/webhooks/%lld/test", (long long)id);
	r = apost(admin, path, NULL);
	assert_status(r, 202);
	response_free(r);
	assert_int_equal(receiver_wait(hooks, 3, 15000), 3);
	snprintf(want, sizeof want, "Test message from [Tea\\_time](%s/c/tea): this webhook works.", s->origin);
	assert_string_equal(chat_text(2), want);
	assert_string_equal(dheader(2, "X-Kring-Event"), "ping");
	assert_int_equal(receiver_wait(hooks, 4, 1000), 3);
}

/* The signed JSON of the site webhook, with a secret of the hook's own
 * that the hosts see once. */
static void signed_json_as_received(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	struct actor *m = member(s, "mira");
	community(admin, "fika", "Fika club", m);
	const char *secret = NULL;
	add_hook(admin, "fika", hook_url("127.0.0.1"), "json", all_events(), &secret);
	assert_non_null(secret);
	assert_int_equal(strlen(secret), 64);
	/* Shown once: neither the page nor the API has it again. */
	struct response *r = hooks_page(admin, "fika");
	assert_body_lacks(r, secret);
	response_free(r);
	r = aget(admin, "/c/fika/webhooks");
	assert_status(r, 200);
	assert_body_lacks(r, secret);
	response_free(r);

	int64_t q = ask(m, "fika", "How strong is the coffee?", "");
	assert_int_equal(receiver_wait(hooks, 1, 15000), 1);
	const char *text = receiver_body(hooks, 0);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)text, strlen(text));
	crypto_auth_hmacsha256_final(&st, mac);
	char want[7 + 2 * sizeof mac + 1] = "sha256=";
	sodium_bin2hex(want + 7, sizeof want - 7, mac, sizeof mac);
	assert_string_equal(dheader(0, "X-Kring-Signature"), want);
	assert_string_equal(dheader(0, "X-Kring-Event"), "item.created");
	assert_true(atoll(dheader(0, "X-Kring-Delivery")) > 0);
	json_t *body = json_loads(text, 0, NULL);
	assert_non_null(body);
	assert_string_equal(json_string_value(json_object_get(body, "event")), "item.created");
	assert_true(json_integer_value(json_object_get(body, "event_id")) > 0);
	assert_true(json_integer_value(json_object_get(body, "sent_at")) > 0);
	assert_true(json_integer_value(json_object_get(body, "happened_at")) > 0);
	assert_int_equal(json_integer_value(json_path(body, "item.id")), q);
	assert_string_equal(json_string_value(json_path(body, "item.kind")), "question");
	assert_string_equal(json_string_value(json_path(body, "item.title")), "How strong is the coffee?");
	assert_string_equal(json_string_value(json_path(body, "item.url")), item_path(m, q));
	assert_string_equal(json_string_value(json_path(body, "item.community.slug")), "fika");
	assert_string_equal(json_string_value(json_path(body, "item.community.name")), "Fika club");
	assert_string_equal(json_string_value(json_path(body, "item.author.handle")), "mira");
	json_decref(body);

	/* An accepted answer: the answer, at its place on the question. */
	r = item_post(admin, q, "answers", json_pack("{s:s}", "body", "Strong enough."));
	assert_status(r, 201);
	int64_t answer = jint(r, "id");
	response_free(r);
	assert_int_equal(receiver_wait(hooks, 2, 15000), 2);
	r = item_post(m, q, "accept", json_pack("{s:I}", "answer", (json_int_t)answer));
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(receiver_wait(hooks, 3, 15000), 3);
	assert_string_equal(dheader(2, "X-Kring-Event"), "answer.accepted");
	body = json_loads(receiver_body(hooks, 2), 0, NULL);
	assert_string_equal(json_string_value(json_object_get(body, "event")), "answer.accepted");
	assert_int_equal(json_integer_value(json_path(body, "item.id")), answer);
	assert_string_equal(json_string_value(json_path(body, "item.kind")), "answer");
	assert_string_equal(json_string_value(json_path(body, "item.title")), "How strong is the coffee?");
	char place[160];
	snprintf(place, sizeof place, "%s#answer-%lld", item_path(m, q), (long long)answer);
	assert_string_equal(json_string_value(json_path(body, "item.url")), place);
	assert_string_equal(json_string_value(json_path(body, "item.author.handle")), "root");
	json_decref(body);
}

/* A hook gets the events it takes and no others; one turned off gets
 * nothing, and one removed is gone. */
static void hooks_take_the_events_chosen(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	struct actor *m = member(s, "mira");
	community(admin, "fika", "Fika club", m);
	int64_t id = add_hook(admin, "fika", hook_url("127.0.0.1"), "mattermost",
			      json_pack("[s, s]", "answers", "best_practices"), NULL);
	struct response *r = hooks_page(admin, "fika");
	json_t *hook = json_array_get(json_object_get(r->json, "items"), 0);
	assert_int_equal(json_array_size(json_object_get(hook, "events")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(hook, "events"), 0)), "answers");
	assert_string_equal(json_string_value(json_array_get(json_object_get(hook, "events"), 1)), "best_practices");
	assert_true(json_is_true(json_object_get(hook, "enabled")));
	response_free(r);

	int64_t q = ask(m, "fika", "Who brings milk?", "");
	r = item_post(admin, q, "answers", json_pack("{s:s}", "body", "I do."));
	assert_status(r, 201);
	int64_t answer = jint(r, "id");
	response_free(r);
	assert_int_equal(receiver_wait(hooks, 1, 15000), 1);
	assert_non_null(strstr(chat_text(0), "New answer in "));
	r = item_post(m, q, "accept", json_pack("{s:I}", "answer", (json_int_t)answer));
	assert_status(r, 200);
	response_free(r);
	new_item(m, "article", "fika", json_pack("{s:s, s:s, s:s, s:s}", "kind", "article", "title", "Milk rota",
						    "summary", "Who brings milk when.", "approach", "A list on the door."));
	assert_int_equal(receiver_wait(hooks, 2, 15000), 2);
	assert_non_null(strstr(chat_text(1), "New best practice in "));
	assert_non_null(strstr(chat_text(1), "Milk rota"));
	/* Neither the question nor the acceptance came. */
	assert_int_equal(receiver_wait(hooks, 3, 1500), 2);

	/* Turned off: nothing. */
	char path[128];
	snprintf(path, sizeof path, "/api/v1/c/fika/webhooks/%lld/enabled", (long long)id);
	r = apost(admin, path, json_pack("{s:b}", "enabled", 0));
	assert_status(r, 200);
	response_free(r);
	r = item_post(admin, q, "answers", json_pack("{s:s}", "body", "Me too."));
	assert_status(r, 201);
	response_free(r);
	assert_int_equal(receiver_wait(hooks, 3, 1500), 2);
	/* On again (through the page's form), then removed: nothing. */
	r = fpost(admin, path + 7, STRS("enabled", "1"));
	assert_status(r, 303);
	response_free(r);
	r = item_post(admin, q, "answers", json_pack("{s:s}", "body", "And me."));
	assert_status(r, 201);
	response_free(r);
	assert_int_equal(receiver_wait(hooks, 3, 15000), 3);
	snprintf(path, sizeof path, "/api/v1/c/fika/webhooks/%lld/remove", (long long)id);
	r = apost(admin, path, NULL);
	assert_status(r, 200);
	response_free(r);
	r = apost(admin, path, NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	r = hooks_page(admin, "fika");
	assert_int_equal(jlen(r, "items"), 0);
	response_free(r);
	r = item_post(admin, q, "answers", json_pack("{s:s}", "body", "Last one."));
	assert_status(r, 201);
	response_free(r);
	assert_int_equal(receiver_wait(hooks, 4, 1500), 3);
}

/* Hosts and admins see and change hooks; members and moderators are
 * refused (403), those who may not know the community exists get 404,
 * visitors 401. */
static void only_hosts_and_admins_manage_hooks(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	struct actor *host = member(s, "hana"), *m = member(s, "mira"), *out = member(s, "otto");
	struct actor *v = visitor(s);
	make_community(admin, "inner", "Inner circle", "private", "invite");
	bring_in(admin, "inner", host);
	bring_in(admin, "inner", m);
	set_role(admin, "inner", "hana", "host");
	/* The host adds one; the admin, a host here as its founder, sees it. */
	int64_t id = add_hook(host, "inner", hook_url("127.0.0.1"), "slack", all_events(), NULL);
	struct response *r = hooks_page(admin, "inner");
	assert_int_equal(jlen(r, "items"), 1);
	response_free(r);
	r = aget(host, "/c/inner/webhooks");
	assert_status(r, 200);
	assert_body_contains(r, hook_url("127.0.0.1"));
	response_free(r);

	char path[128];
	const char *actions[] = {"test", "enabled", "remove"};
	/* A member: 403 everywhere, and the address is not shown. */
	r = aget(m, "/api/v1/c/inner/webhooks");
	assert_error(r, 403, "forbidden");
	assert_body_lacks(r, hook_url("127.0.0.1"));
	response_free(r);
	r = aget(m, "/c/inner/webhooks");
	assert_status(r, 403);
	response_free(r);
	r = apost(m, "/api/v1/c/inner/webhooks", json_pack("{s:s, s:s, s:o}", "url", "https://chat.example.org/x",
							    "format", "slack", "events", all_events()));
	assert_error(r, 403, "forbidden");
	response_free(r);
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "/api/v1/c/inner/webhooks/%lld/%s", (long long)id, actions[i]);
		r = apost(m, path, i == 1 ? json_pack("{s:b}", "enabled", 0) : NULL);
		assert_error(r, 403, "forbidden");
		response_free(r);
	}
	/* Outside a private community: it does not exist. */
	r = aget(out, "/api/v1/c/inner/webhooks");
	assert_error(r, 404, "not_found");
	response_free(r);
	snprintf(path, sizeof path, "/api/v1/c/inner/webhooks/%lld/remove", (long long)id);
	r = apost(out, path, NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	/* Signed out: sign in first. */
	r = aget(v, "/api/v1/c/inner/webhooks");
	assert_status(r, 401);
	response_free(r);
	/* Nothing changed, and nothing was sent by the member's test. */
	r = hooks_page(host, "inner");
	assert_int_equal(jlen(r, "items"), 1);
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "enabled")));
	response_free(r);
	assert_int_equal(receiver_wait(hooks, 1, 1000), 0);

	/* An admin who is not a member runs a public community's hooks. */
	make_community(admin, "open", "Open house", "public", "open");
	bring_in(admin, "open", host);
	set_role(admin, "open", "hana", "host");
	r = apost(admin, "/api/v1/c/open/leave", NULL);
	assert_status(r, 200);
	response_free(r);
	r = aget(admin, "/api/v1/c/open/webhooks");
	assert_status(r, 200);
	response_free(r);
	/* A moderator does not run communities. */
	struct actor *mod = staff(s, "mod", "--moderator");
	r = aget(mod, "/api/v1/c/open/webhooks");
	assert_error(r, 403, "forbidden");
	response_free(r);
	add_hook(admin, "open", hook_url("127.0.0.1"), "json", all_events(), NULL);
	/* A hook of another community is not found through this one. */
	snprintf(path, sizeof path, "/api/v1/c/open/webhooks/%lld/remove", (long long)id);
	r = apost(admin, path, NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
}

/* What a host types is checked, and kept when refused. */
static void bad_hooks_are_refused_keeping_what_was_typed(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	struct actor *m = member(s, "mira");
	community(admin, "fika", "Fika club", m);
	struct response *r = apost(admin, "/api/v1/c/fika/webhooks",
				   json_pack("{s:s, s:s, s:o}", "url", "ftp://chat.example.org/x", "format", "slack",
					     "events", all_events()));
	assert_invalid_field(r, "url");
	response_free(r);
	r = apost(admin, "/api/v1/c/fika/webhooks",
		  json_pack("{s:s, s:s, s:o}", "url", "https://chat.example.org/x", "format", "teams", "events", all_events()));
	assert_invalid_field(r, "format");
	response_free(r);
	r = apost(admin, "/api/v1/c/fika/webhooks",
		  json_pack("{s:s, s:s, s:[]}", "url", "https://chat.example.org/x", "format", "slack", "events"));
	assert_invalid_field(r, "events");
	response_free(r);
	r = apost(admin, "/api/v1/c/fika/webhooks",
		  json_pack("{s:s, s:s, s:[s]}", "url", "https://chat.example.org/x", "format", "slack", "events", "edits"));
	assert_invalid_field(r, "events");
	response_free(r);
	r = fpost(admin, "/c/fika/webhooks", STRS("url", "javascript:alert(1)", "format", "mattermost", "events", "answers"));
	assert_status(r, 422);
	assert_body_contains(r, "value=\"javascript:alert(1)\"");
	assert_body_contains(r, "<option value=\"mattermost\" selected>");
	assert_body_contains(r, "value=\"answers\" checked");
	assert_body_lacks(r, "value=\"questions\" checked");
	response_free(r);
	r = hooks_page(admin, "fika");
	assert_int_equal(jlen(r, "items"), 0);
	response_free(r);
	/* Through the form, a signed JSON hook's page shows its secret once. */
	r = fpost(admin, "/c/fika/webhooks", STRS("url", "https://chat.example.org/x", "format", "json", "events", "answers"));
	assert_status(r, 200);
	assert_body_contains(r, "it is shown only once");
	const char *code = strstr(r->body, "<code class=\"token\">");
	assert_non_null(code);
	char secret[65];
	snprintf(secret, sizeof secret, "%s", code + strlen("<code class=\"token\">"));
	assert_int_equal(strspn(secret, "0123456789abcdef"), 64);
	response_free(r);
	r = aget(admin, "/c/fika/webhooks");
	assert_status(r, 200);
	assert_body_contains(r, "https://chat.example.org/x");
	assert_body_lacks(r, secret);
	response_free(r);
}

/* Built when the job runs: an item deleted before it went out is not
 * sent. The first attempt fails (500) and is logged; the item is deleted;
 * the retry sends nothing, and the job is done. */
static void a_deleted_item_is_not_sent(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	struct actor *m = member(s, "mira");
	community(admin, "fika", "Fika club", m);
	add_hook(admin, "fika", hook_url("127.0.0.1"), "slack", all_events(), NULL);
	receiver_answer_with(hooks, 500);
	int64_t q = ask(m, "fika", "Oops, wrong place?", "");
	assert_int_equal(receiver_wait(hooks, 1, 15000), 1);
	wait_for_attempts(admin, "fika", 1);
	struct response *r = item_post(m, q, "delete", NULL);
	assert_status(r, 200);
	response_free(r);
	receiver_answer_with(hooks, 200);
	test_clock_advance(31);
	const char *done = "SELECT COUNT(*) FROM jobs WHERE kind = 'community_webhook' AND done_at IS NOT NULL";
	for (int i = 0; i < 300 && atoi(sql_rows(s, done)) != 1; i++)
		usleep(50 * 1000);
	assert_int_equal(atoi(sql_rows(s, done)), 1);
	assert_int_equal(receiver_count(hooks), 1);
	assert_int_equal(attempt_count(admin, "fika"), 1);
}

/* A receiver that answers 500 is sent the message again after the
 * jobs' backoff, with the same delivery id; the log shows each attempt,
 * on the page too. */
static void failed_deliveries_are_retried_and_logged(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	struct actor *m = member(s, "mira");
	community(admin, "fika", "Fika club", m);
	add_hook(admin, "fika", hook_url("127.0.0.1"), "json", all_events(), NULL);
	receiver_answer_with(hooks, 500);
	ask(m, "fika", "Anyone there?", "");
	assert_int_equal(receiver_wait(hooks, 1, 15000), 1);
	wait_for_attempts(admin, "fika", 1);
	assert_string_equal(latest_attempt(admin, "fika", "status"), "500");
	assert_string_equal(latest_attempt(admin, "fika", "event"), "questions");
	assert_non_null(strstr(latest_attempt(admin, "fika", "error"), "HTTP status 500"));
	/* Not again before the backoff. */
	assert_int_equal(receiver_wait(hooks, 2, 1500), 1);
	receiver_answer_with(hooks, 200);
	test_clock_advance(31);
	assert_int_equal(receiver_wait(hooks, 2, 15000), 2);
	wait_for_attempts(admin, "fika", 2);
	char first[32];
	snprintf(first, sizeof first, "%s", dheader(0, "X-Kring-Delivery"));
	assert_string_equal(dheader(1, "X-Kring-Delivery"), first);
	json_t *a = json_loads(receiver_body(hooks, 0), 0, NULL), *b = json_loads(receiver_body(hooks, 1), 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(a, "event_id")),
			 json_integer_value(json_object_get(b, "event_id")));
	json_decref(a);
	json_decref(b);
	assert_string_equal(latest_attempt(admin, "fika", "status"), "200");
	assert_string_equal(latest_attempt(admin, "fika", "error"), "");
	struct response *r = aget(admin, "/c/fika/webhooks");
	assert_status(r, 200);
	assert_body_contains(r, "HTTP 500");
	assert_body_contains(r, "HTTP 200");
	assert_body_contains(r, "New questions");
	response_free(r);
	assert_int_equal(receiver_wait(hooks, 3, 1000), 2);
}

/* Without --webhooks-allow-private, an address on loopback is refused when
 * the message would go out, by name or by number, and the log says why. */
static void internal_addresses_are_refused(void **state)
{
	struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	struct actor *m = member(s, "mira");
	community(admin, "fika", "Fika club", m);
	community(admin, "tea", "Tea room", m);
	add_hook(admin, "fika", hook_url("127.0.0.1"), "slack", all_events(), NULL);
	add_hook(admin, "tea", hook_url("localhost"), "json", all_events(), NULL);
	ask(m, "fika", "Can you hear me?", "");
	ask(m, "tea", "Can you hear me now?", "");
	wait_for_attempts(admin, "fika", 1);
	wait_for_attempts(admin, "tea", 1);
	assert_non_null(strstr(latest_attempt(admin, "fika", "error"), "internal address 127.0.0.1"));
	assert_string_equal(latest_attempt(admin, "fika", "status"), "");
	assert_non_null(strstr(latest_attempt(admin, "tea", "error"), "internal address"));
	assert_int_equal(receiver_wait(hooks, 1, 1000), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(chat_messages_as_received),
		T(signed_json_as_received),
		T(hooks_take_the_events_chosen),
		T(only_hosts_and_admins_manage_hooks),
		T(bad_hooks_are_refused_keeping_what_was_typed),
		cmocka_unit_test_setup_teardown(a_deleted_item_is_not_sent, clock_setup, teardown),
		cmocka_unit_test_setup_teardown(failed_deliveries_are_retried_and_logged, clock_setup, teardown),
		cmocka_unit_test_setup_teardown(internal_addresses_are_refused, strict_setup, teardown),
	};
	return sodium_init() < 0 ? 1 : cmocka_run_group_tests(tests, NULL, NULL);
}
