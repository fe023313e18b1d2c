/* test_account_states: a suspended member reads what members read and
 * writes nothing but their own account, on every POST route of
 * src/routes.c (read from the source, so a new route is tried too), as an
 * HTML form with its CSRF token, as JSON with a session and with an API
 * token alike; an excluded member is signed out everywhere. An admin sets
 * the states through their routes (features/member_states.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"
#include "route_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ROUTES 256

/* A route of the member's own account (ROUTE_ACCOUNT or ROUTE_SESSION). */
static bool own_account(const struct route_line *r)
{
	return strstr(r->flags, "ROUTE_ACCOUNT") || strstr(r->flags, "ROUTE_SESSION");
}

/* A route for the signed-in (ROUTE_AUTH or ROUTE_ADMIN). */
static bool for_members(const struct route_line *r)
{
	return strstr(r->flags, "ROUTE_AUTH") || strstr(r->flags, "ROUTE_ADMIN");
}

/* ---- the world ---------------------------------------------------------------- */

struct world {
	const struct server *srv;
	struct actor *founder, *sam;
	int64_t question;   /* sam's own question in plaza */
	char *token;        /* sam's API token with every scope */
};

static void world_build(struct world *w, const struct server *s)
{
	memset(w, 0, sizeof *w);
	w->srv = s;
	w->founder = staff(s, "founder", "--admin");
	unlimited_posting(w->founder);
	make_community(w->founder, "plaza", "Plaza", "public", "open");
	w->sam = member(s, "sam");
	bring_in(w->founder, "plaza", w->sam);
	w->question = ask(w->sam, "plaza", "Where do we have lunch?", "Somewhere near");
	struct response *r = apost(w->sam, "/api/v1/settings/tokens",
				   json_pack("{s:s, s:[sss]}", "name", "script", "scopes", "read", "write", "account"));
	assert_status(r, 201);
	w->token = harness_strdup(response_jstr(r, "token"));
	response_free(r);
}

/* A day a week from now, as the suspension form takes it. */
static const char *next_week(void)
{
	static char day[16];
	time_t t = time(NULL) + 7 * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	return day;
}

#define SUSPENSION_REASON "Repeated personal attacks"

/* The founder (an admin) puts sam in the state: suspended, excluded or
 * active again. */
static void set_state(const struct world *w, const char *state)
{
	struct response *r;
	if (strcmp(state, "suspended") == 0)
		r = apost(w->founder, "/api/v1/people/sam/suspend",
			  json_pack("{s:s, s:s}", "until", next_week(), "reason", SUSPENSION_REASON));
	else if (strcmp(state, "excluded") == 0)
		r = apost(w->founder, "/api/v1/people/sam/exclude", json_pack("{s:s}", "reason", "Spam"));
	else
		r = apost(w->founder, "/api/v1/people/sam/unsuspend", json_object());
	assert_status(r, 200);
	response_free(r);
}

static struct client *token_client(const struct world *w)
{
	struct client *c = client_new(w->srv);
	client_set_bearer(c, w->token);
	return c;
}

/* ---- suspended --------------------------------------------------------------------- */

static void suspended_member_reads(void **state)
{
	struct world w;
	world_build(&w, *state);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/items/%lld/comments", (long long)w.question);
	struct response *r = apost(w.sam, path, json_pack("{s:s}", "body", "Or the park?"));
	assert_status(r, 201);
	response_free(r);
	set_state(&w, "suspended");
	assert_me(w.sam->c, "handle", "sam");
	assert_me(w.sam->c, "status", "suspended");
	assert_me(w.sam->c, "suspension_reason", SUSPENSION_REASON);
	r = aget(w.sam, "/api/v1/items/%lld", (long long)w.question);
	assert_status(r, 200);
	/* the page offers nothing to write, on the item nor on their comment */
	assert_true(json_is_false(json_path(r->json, "can_comment")));
	assert_true(json_is_false(json_path(r->json, "can_edit")));
	assert_true(json_is_false(json_path(r->json, "can_delete")));
	json_t *comment = json_array_get(json_path(r->json, "comments"), 0);
	assert_true(json_is_false(json_object_get(comment, "can_edit")));
	assert_true(json_is_false(json_object_get(comment, "can_delete")));
	response_free(r);
	/* nor does the composer: it says why */
	r = aget(w.sam, "/api/v1/c/plaza/new?kind=question");
	assert_status(r, 403);
	assert_string_equal(response_jstr(r, "error.code"), "suspended");
	response_free(r);
	/* every page says until when, and why */
	char until[64];
	snprintf(until, sizeof until, "You are suspended until %s", next_week());
	r = aget(w.sam, "/c/plaza");
	assert_status(r, 200);
	assert_body_contains(r, until);
	assert_body_contains(r, SUSPENSION_REASON);
	response_free(r);
	r = aget(w.sam, "/api/v1/c/plaza");
	assert_status(r, 200);
	response_free(r);
	r = aget(w.sam, "/api/v1/people/sam");
	assert_status(r, 200);
	response_free(r);
	/* they can sign in again */
	struct client *fresh = client_new(*state);
	r = api_login(fresh, "sam", TEST_PASSWORD);
	assert_status(r, 200);
	response_free(r);
	client_free(fresh);
}

static void suspended_member_writes_nothing(void **state)
{
	struct world w;
	world_build(&w, *state);
	set_state(&w, "suspended");
	struct client *api = token_client(&w);
	static struct route_line routes[MAX_ROUTES];
	size_t n = route_table_read(routes, MAX_ROUTES);
	assert_true(n > 50);
	const struct route_values values = {.item = w.question, .slug = "plaza", .handle = "sam", .tag = "lunch",
					    .kind = "item", .decision = "approve"};
	int tried = 0, failing = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(routes[i].method, "POST") != 0 || own_account(&routes[i]))
			continue;
		const char *path = harness_strdup(route_table_address(routes[i].pattern, &values));
		struct response *by_session = apost(w.sam, path, json_object());
		struct response *by_token = http_post_json(api, path, "{}", NULL);
		struct response *both[] = {by_session, by_token};
		for (int k = 0; k < 2; k++) {
			const char *code = response_jstr(both[k], "error.code");
			const char *message = response_jstr(both[k], "error.message");
			if (both[k]->status != 403 || !code || strcmp(code, "suspended") != 0 || !message ||
			    !strstr(message, SUSPENSION_REASON)) {
				print_error("POST %s by %s: %ld %s, expected 403 suspended\n", path,
					    k ? "token" : "session", both[k]->status, code ? code : "");
				failing++;
			}
		}
		response_free(by_session);
		response_free(by_token);
		/* the browser's form, with its CSRF token, gets the page that says why */
		struct response *by_form = fpost(w.sam, path + strlen("/api/v1"), NULL);
		if (by_form->status != 403 || !by_form->body || !strstr(by_form->body, SUSPENSION_REASON)) {
			print_error("POST %s as a form: %ld, expected 403 with the reason\n", path + strlen("/api/v1"),
				    by_form->status);
			failing++;
		}
		response_free(by_form);
		tried++;
	}
	print_message("%d write routes refused to a suspended member\n", tried);
	assert_true(tried > 20);
	assert_int_equal(failing, 0);
	/* nothing was written */
	struct response *r = aget(w.founder, "/api/v1/items/%lld", (long long)w.question);
	assert_status(r, 200);
	assert_int_equal(jint(r, "answer_count"), 0);
	assert_int_equal(json_array_size(json_path(r->json, "comments")), 0);
	response_free(r);
	/* their own account stays theirs */
	r = apost(w.sam, "/api/v1/settings", json_pack("{s:s}", "name", "Sam Suspended"));
	assert_status(r, 200);
	response_free(r);
	r = apost(w.sam, "/api/v1/logout", NULL);
	assert_status(r, 200);
	response_free(r);
	client_free(api);
}

/* Reinstated, the same member writes again: the refusals came from the
 * state, nothing else. */
static void reinstated_member_writes_again(void **state)
{
	struct world w;
	world_build(&w, *state);
	set_state(&w, "suspended");
	struct response *r = item_post(w.sam, w.question, "comments", json_pack("{s:s}", "body", "Still here"));
	assert_status(r, 403);
	response_free(r);
	set_state(&w, "active");
	r = item_post(w.sam, w.question, "comments", json_pack("{s:s}", "body", "Still here"));
	assert_status(r, 201);
	response_free(r);
}

/* ---- excluded ------------------------------------------------------------------------ */

/* Whether the list at key of the page at path (as a) names the handle. */
static bool lists_handle(struct actor *a, const char *path, const char *key, const char *handle)
{
	struct response *r = aget(a, "%s", path);
	assert_status(r, 200);
	bool found = false;
	size_t i;
	json_t *p;
	json_array_foreach(json_path(r->json, key), i, p)
		found |= strcmp(json_string_value(json_object_get(p, "handle")), handle) == 0;
	response_free(r);
	return found;
}

static void excluded_member_is_signed_out(void **state)
{
	struct world w;
	world_build(&w, *state);
	struct response *r = apost(w.founder, "/api/v1/c/plaza/items",
				   json_pack("{s:s, s:s, s:[s]}", "kind", "update", "body", "Soup today.", "tags", "lunch"));
	assert_status(r, 201);
	response_free(r);
	r = apost(w.founder, "/api/v1/tags/lunch/experts", json_pack("{s:s}", "handle", "sam"));
	assert_status(r, 200);
	response_free(r);
	assert_true(lists_handle(w.founder, "/api/v1/tags/lunch/experts", "experts", "sam"));
	assert_true(lists_handle(w.founder, "/api/v1/c/plaza/members", "items", "sam"));
	set_state(&w, "excluded");
	/* the lists of people leave them out, as the directory does */
	assert_false(lists_handle(w.founder, "/api/v1/tags/lunch/experts", "experts", "sam"));
	assert_false(lists_handle(w.founder, "/api/v1/c/plaza/members", "items", "sam"));
	assert_signed_out(w.sam->c);
	struct client *api = token_client(&w);
	r = http_get(api, "/api/v1/me", NULL);
	assert_status(r, 401);
	response_free(r);
	static struct route_line routes[MAX_ROUTES];
	size_t n = route_table_read(routes, MAX_ROUTES);
	assert_true(n > 50);
	const struct route_values values = {.item = w.question, .slug = "plaza", .handle = "sam", .tag = "lunch",
					    .kind = "item", .decision = "approve"};
	int failing = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(routes[i].method, "POST") != 0 || !for_members(&routes[i]))
			continue;
		const char *path = harness_strdup(route_table_address(routes[i].pattern, &values));
		struct response *by_session = apost(w.sam, path, json_object());
		struct response *by_token = http_post_json(api, path, "{}", NULL);
		if (by_session->status != 401 && by_session->status != 403)
			failing++, print_error("POST %s by session: %ld\n", path, by_session->status);
		if (by_token->status != 401)
			failing++, print_error("POST %s by token: %ld\n", path, by_token->status);
		response_free(by_session);
		response_free(by_token);
	}
	assert_int_equal(failing, 0);
	/* they cannot sign in (told so, as they know the password), and
	 * their profile is gone */
	struct client *fresh = client_new(*state);
	r = api_login(fresh, "sam", TEST_PASSWORD);
	assert_status(r, 403);
	assert_string_equal(response_jstr(r, "error.code"), "excluded");
	response_free(r);
	r = api_login(fresh, "sam", "not the password");
	assert_status(r, 401);
	response_free(r);
	r = http_get(fresh, "/api/v1/people/sam", NULL);
	assert_status(r, 404);
	response_free(r);
	/* but for the admin, who may reinstate them: their state alone */
	r = aget(w.founder, "/api/v1/people/sam");
	assert_status(r, 200);
	assert_null(json_path(r->json, "person"));
	assert_string_equal(response_jstr(r, "moderation.status"), "excluded");
	response_free(r);
	client_free(fresh);
	client_free(api);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(suspended_member_reads, server_setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(suspended_member_writes_nothing, server_setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(reinstated_member_writes_again, server_setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(excluded_member_is_signed_out, server_setup, teardown_releasing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
