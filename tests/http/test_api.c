/* test_api: health check, API tokens and Bearer authentication, the JSON
 * representation of pages. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"
#include "harness.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

static char *csrf_header(struct client *c)
{
	char *csrf = page_csrf(c, "/settings");
	assert_non_null(csrf);
	size_t n = strlen(csrf) + 32;
	char *h = harness_keep(malloc(n));
	assert_non_null(h);
	snprintf(h, n, "X-CSRF-Token: %s", csrf);
	return h;
}

/* Creates a token through the API with a cookie session, with the scopes
 * (a JSON array or string; NULL: the default); returns it and its id. */
static char *create_token_scoped(struct client *c, const char *name, json_t *scopes, int64_t *id)
{
	char *header = csrf_header(c);
	json_t *body = json_pack("{s:s}", "name", name);
	if (scopes)
		json_object_set_new(body, "scopes", scopes);
	struct response *r = http_post_jsonv(c, "/api/v1/settings/tokens", body, STRS(header));
	assert_status(r, 201);
	assert_jstr(r, "name", name);
	const char *token = response_jstr(r, "token");
	assert_non_null(token);
	assert_true(strncmp(token, "krt_", 4) == 0);
	assert_true(strlen(token) >= 24);
	json_t *jid = json_path(r->json, "id");
	assert_true(json_is_integer(jid));
	if (id)
		*id = json_integer_value(jid);
	char *copy = harness_strdup(token);
	response_free(r);
	return copy;
}

static char *create_token(struct client *c, const char *name, int64_t *id)
{
	return create_token_scoped(c, name, NULL, id);
}

/* A token that may do everything, its account included. */
static char *create_full_token(struct client *c, const char *name)
{
	return create_token_scoped(c, name, json_pack("[sss]", "read", "write", "account"), NULL);
}

static void healthz(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_get(c, "/healthz", NULL);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "application/json");
	assert_jstr(r, "status", "ok");
	assert_jstr(r, "database", "ok");
	response_free(r);
	client_free(c);
}

static void token_create_json_and_list(void **state)
{
	struct client *c = signed_in_client(*state, "agnes", NULL);
	int64_t id;
	char *token = create_token(c, "laptop", &id);

	struct response *r = http_get(c, "/api/v1/settings/tokens", NULL);
	assert_status(r, 200);
	json_t *items = json_path(r->json, "items");
	assert_true(json_is_array(items));
	assert_int_equal(json_array_size(items), 1);
	json_t *item = json_array_get(items, 0);
	assert_int_equal(json_integer_value(json_object_get(item, "id")), id);
	assert_string_equal(json_string_value(json_object_get(item, "name")) ? json_string_value(json_object_get(item, "name")) : "", "laptop");
	assert_non_null(json_object_get(item, "created_at"));
	assert_false(json_is_null(json_object_get(item, "created_at")));
	assert_non_null(json_object_get(item, "last_used_at")); /* null until used */
	assert_null(json_object_get(item, "token"));
	assert_null(json_object_get(item, "hash"));
	assert_null(json_object_get(item, "token_hash"));
	assert_body_lacks(r, token);
	assert_body_lacks(r, token + 4);
	response_free(r);
	client_free(c);
}

/* The HTML form shows the token once; later pages never show it again. */
static void token_create_html_shows_token_once(void **state)
{
	struct client *c = signed_in_client(*state, "bjorn", NULL);
	char *csrf = page_csrf(c, "/settings");
	assert_non_null(csrf);
	struct response *r = http_post_form(c, "/settings/tokens",
					    STRS("name", "desktop", "csrf", csrf), NULL);
	if (r->status != 200 && r->status != 201)
		harness_fail_response(r, __FILE__, __LINE__, "expected a page (200 or 201)");
	assert_header_contains(r, "Content-Type", "text/html");
	const char *at = strstr(r->body, "krt_");
	assert_non_null(at);
	size_t n = 4;
	while (isalnum((unsigned char)at[n]) || at[n] == '-' || at[n] == '_')
		n++;
	assert_true(n >= 24);
	char *token = harness_strndup(at, n);
	response_free(r);

	/* it works */
	struct client *api = client_new(*state);
	client_set_bearer(api, token);
	assert_me(api, "handle", "bjorn");

	/* and is not shown again */
	r = http_get(c, "/settings/tokens", NULL);
	if (r->status == 200)
		assert_body_lacks(r, token);
	response_free(r);
	r = http_get(c, "/settings", NULL);
	assert_status(r, 200);
	assert_body_lacks(r, token);
	response_free(r);
	r = http_get(c, "/api/v1/settings/tokens", NULL);
	assert_status(r, 200);
	assert_int_equal(json_array_size(json_path(r->json, "items")), 1);
	assert_body_lacks(r, token);
	response_free(r);
	client_free(api);
	client_free(c);
}

static void bearer_authenticates_without_cookie(void **state)
{
	int64_t uid;
	struct client *c = signed_in_client(*state, "clara", &uid);
	char *token = create_token(c, "script", NULL);
	struct client *api = client_new(*state);
	client_set_bearer(api, token);
	struct response *r = http_get(api, "/api/v1/me", NULL);
	assert_status(r, 200);
	assert_jstr(r, "handle", "clara");
	assert_int_equal(json_integer_value(json_path(r->json, "id")), uid);
	response_free(r);
	char *session = client_cookie(api, "kring_session");
	assert_null(session); /* a token does not turn into a cookie session */
	client_free(api);
	client_free(c);
}

static void bearer_post_needs_no_csrf(void **state)
{
	struct client *c = signed_in_client(*state, "david", NULL);
	char *token = create_full_token(c, "first");
	struct client *api = client_new(*state);
	client_set_bearer(api, token);
	struct response *r = http_post_json(api, "/api/v1/settings/tokens",
					    "{\"name\":\"second\"}", NULL);
	assert_status(r, 201);
	assert_jstr(r, "name", "second");
	assert_non_null(response_jstr(r, "token"));
	response_free(r);
	/* a form post with a token needs no CSRF field either */
	r = http_post_form(api, "/api/v1/settings/tokens", STRS("name", "third"), NULL);
	assert_status(r, 201);
	assert_jstr(r, "name", "third");
	response_free(r);
	r = http_get(api, "/api/v1/settings/tokens", NULL);
	assert_status(r, 200);
	assert_int_equal(json_array_size(json_path(r->json, "items")), 3);
	response_free(r);
	client_free(api);
	client_free(c);
}

static void token_revoke(void **state)
{
	struct client *c = signed_in_client(*state, "elin", NULL);
	int64_t id, keep_id;
	char *token = create_token(c, "old", &id);
	char *keep = create_token(c, "keep", &keep_id);
	assert_true(id != keep_id);
	struct client *api = client_new(*state);
	client_set_bearer(api, token);
	struct response *r = http_get(api, "/api/v1/me", NULL);
	assert_status(r, 200);
	response_free(r);

	char *csrf = page_csrf(c, "/settings");
	assert_non_null(csrf);
	char path[80];
	snprintf(path, sizeof path, "/settings/tokens/%lld/revoke", (long long)id);
	r = http_post_form(c, path, STRS("csrf", csrf), NULL);
	if (r->status < 200 || r->status >= 400)
		harness_fail_response(r, __FILE__, __LINE__, "revoking failed");
	response_free(r);

	r = http_get(api, "/api/v1/me", NULL);
	assert_status(r, 401);
	response_free(r);
	/* the other token still works */
	client_set_bearer(api, keep);
	r = http_get(api, "/api/v1/me", NULL);
	assert_status(r, 200);
	response_free(r);
	client_free(api);
	client_free(c);
}

/* One member cannot revoke another member's token. */
static void token_revoke_of_other_member_refused(void **state)
{
	struct client *owner = signed_in_client(*state, "frida", NULL);
	int64_t id;
	char *token = create_token(owner, "mine", &id);
	struct client *other = signed_in_client(*state, "gustav", NULL);
	char *csrf = page_csrf(other, "/settings");
	assert_non_null(csrf);
	char path[80];
	snprintf(path, sizeof path, "/api/v1/settings/tokens/%lld/revoke", (long long)id);
	struct response *r = http_post_form(other, path, STRS("csrf", csrf), NULL);
	if (r->status != 403 && r->status != 404)
		harness_fail_response(r, __FILE__, __LINE__, "expected 403 or 404");
	response_free(r);
	struct client *api = client_new(*state);
	client_set_bearer(api, token);
	r = http_get(api, "/api/v1/me", NULL);
	assert_status(r, 200);
	response_free(r);
	client_free(api);
	client_free(other);
	client_free(owner);
}

/* Members see only their own tokens. */
static void token_list_is_private(void **state)
{
	struct client *a = signed_in_client(*state, "jonna", NULL);
	char *token = create_token(a, "jonnas", NULL);
	assert_non_null(token);
	struct client *b = signed_in_client(*state, "kalle", NULL);
	struct response *r = http_get(b, "/api/v1/settings/tokens", NULL);
	assert_status(r, 200);
	assert_int_equal(json_array_size(json_path(r->json, "items")), 0);
	assert_body_lacks(r, "jonnas");
	response_free(r);
	client_free(b);
	client_free(a);
}

static void token_revoke_unknown_id(void **state)
{
	struct client *c = signed_in_client(*state, "linnea", NULL);
	char *csrf = page_csrf(c, "/settings");
	assert_non_null(csrf);
	struct response *r = http_post_form(c, "/api/v1/settings/tokens/999999/revoke",
					    STRS("csrf", csrf), NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	client_free(c);
}

static void bad_bearer_rejected(void **state)
{
	struct client *c = signed_in_client(*state, "hanna", NULL);
	char *token = create_token(c, "real", NULL);
	struct client *api = client_new(*state);
	const char *bad[] = {"krt_thisisnotatokenthisisnotatoken", "nonsense", NULL};
	for (size_t i = 0; bad[i]; i++) {
		client_set_bearer(api, bad[i]);
		struct response *r = http_get(api, "/api/v1/me", NULL);
		assert_status(r, 401);
		response_free(r);
	}
	/* the real token with one character changed */
	char *broken = harness_strdup(token);
	size_t n = strlen(broken);
	broken[n - 1] = broken[n - 1] == 'A' ? 'B' : 'A';
	client_set_bearer(api, broken);
	struct response *r = http_get(api, "/api/v1/me", NULL);
	assert_status(r, 401);
	response_free(r);
	/* a bad token is refused even next to a valid session cookie */
	client_set_bearer(c, "krt_thisisnotatokenthisisnotatoken");
	r = http_get(c, "/api/v1/me", NULL);
	assert_status(r, 401);
	response_free(r);
	client_free(api);
	client_free(c);
}

/* The Origin check holds for token requests too. */
static void bearer_post_from_other_origin_rejected(void **state)
{
	struct client *c = signed_in_client(*state, "mikael", NULL);
	char *token = create_full_token(c, "first");
	struct client *api = client_new(*state);
	client_set_bearer(api, token);
	struct response *r = http_post_json(api, "/api/v1/settings/tokens", "{\"name\":\"evil\"}",
					    STRS("Origin: http://evil.example"));
	assert_status(r, 403);
	response_free(r);
	r = http_get(api, "/api/v1/settings/tokens", NULL);
	assert_status(r, 200);
	assert_int_equal(json_array_size(json_path(r->json, "items")), 1);
	response_free(r);
	client_free(api);
	client_free(c);
}

static void accept_json_on_html_path(void **state)
{
	struct client *c = signed_in_client(*state, "ivar", NULL);
	struct response *r = http_get(c, "/settings", STRS("Accept: application/json"));
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "application/json");
	assert_true(json_is_object(r->json));
	response_free(r);
	r = http_get(c, "/api/v1/settings", NULL);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "application/json");
	assert_true(json_is_object(r->json));
	response_free(r);
	client_free(c);
}

/* API errors carry a code and a message. */
static void error_shape(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_get(c, "/api/v1/me", NULL);
	assert_status(r, 401);
	assert_header_contains(r, "Content-Type", "application/json");
	assert_true(json_is_object(json_path(r->json, "error")));
	assert_non_null(response_jstr(r, "error.code"));
	assert_non_null(response_jstr(r, "error.message"));
	assert_true(strlen(response_jstr(r, "error.message")) > 0);
	response_free(r);
	client_free(c);
}

/* ---- scopes ------------------------------------------------------------------------ */

static struct client *bearer_client(const struct server *s, const char *token)
{
	struct client *api = client_new(s);
	client_set_bearer(api, token);
	return api;
}

static void expect_scope_refused(struct client *api, const char *method, const char *path,
				 const char *json)
{
	struct response *r = strcmp(method, "GET") == 0 ? http_get(api, path, NULL)
							 : http_post_json(api, path, json, NULL);
	assert_error(r, 403, "insufficient_scope");
	response_free(r);
}

/* An admin's token administers the site only with the account scope:
 * read and write are for content. */
static void token_administers_only_with_account_scope(void **state)
{
	struct actor *admin = staff(*state, "ada", "--admin");
	struct client *api = bearer_client(*state, create_token(admin->c, "content", NULL));
	expect_scope_refused(api, "POST", "/api/v1/admin/settings", "{\"community_creation\":\"members\"}");
	expect_scope_refused(api, "GET", "/api/v1/admin/users", NULL);
	client_free(api);
	api = bearer_client(*state, create_full_token(admin->c, "admin"));
	struct response *r = http_post_json(api, "/api/v1/admin/settings", "{\"community_creation\":\"members\"}", NULL);
	assert_status(r, 200);
	response_free(r);
	client_free(api);
}

static size_t tokens_of(struct client *c)
{
	struct response *r = http_get(c, "/api/v1/settings/tokens", NULL);
	assert_status(r, 200);
	size_t n = json_array_size(json_path(r->json, "items"));
	response_free(r);
	return n;
}

/* A token gets read and write unless its maker chooses: it reads and
 * posts content, but cannot touch the account. */
static void token_default_scopes_leave_the_account_alone(void **state)
{
	struct client *c = signed_in_client(*state, "nadia", NULL);
	char *token = create_token(c, "script", NULL);
	struct response *r = http_get(c, "/api/v1/settings/tokens", NULL);
	json_t *scopes = json_path(json_array_get(json_path(r->json, "items"), 0), "scopes");
	assert_int_equal(json_array_size(scopes), 2);
	assert_string_equal(json_string_value(json_array_get(scopes, 0)), "read");
	assert_string_equal(json_string_value(json_array_get(scopes, 1)), "write");
	response_free(r);

	struct client *api = bearer_client(*state, token);
	r = http_get(api, "/api/v1/me", NULL);
	assert_status(r, 200);
	response_free(r);
	r = http_post_json(api, "/api/v1/items", "{\"kind\":\"update\",\"body\":\"Working out loud\"}", NULL);
	assert_status(r, 201);
	response_free(r);

	expect_scope_refused(api, "POST", "/api/v1/settings/tokens", "{\"name\":\"more\"}");
	expect_scope_refused(api, "GET", "/api/v1/settings/tokens", NULL);
	expect_scope_refused(api, "GET", "/api/v1/settings", NULL);
	expect_scope_refused(api, "POST", "/api/v1/settings", "{\"name\":\"Taken Over\"}");
	expect_scope_refused(api, "POST", "/api/v1/settings/profile", "{\"name\":\"Taken Over\"}");
	expect_scope_refused(api, "POST", "/api/v1/settings/sessions/revoke", "{}");
	expect_scope_refused(api, "POST", "/api/v1/settings/password",
			     "{\"current_password\":\"" TEST_PASSWORD "\",\"new_password\":\"taken over now\"}");
	/* nothing of it happened */
	assert_int_equal(tokens_of(c), 1);
	assert_me(c, "name", "Test nadia");
	client_free(api);
	client_free(c);
}

/* A read token posts nowhere: not to sign out, upload, react or ask, on
 * the API's addresses nor on the site's own ones asked for in JSON. The
 * scope is checked before the route's handler, so the targets need not
 * exist. */
static void token_read_scope_posts_nowhere(void **state)
{
	struct client *c = signed_in_client(*state, "petra", NULL);
	char *token = create_token_scoped(c, "reader", json_string("read"), NULL);
	struct client *api = bearer_client(*state, token);
	const char *const paths[] = {"/logout", "/ask", "/items", "/items/1/react", "/comments/1/react",
				     "/items/1/comments", "/items/1/answers", "/c/forum/join", "/start/dismiss"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char path[64];
		snprintf(path, sizeof path, "/api/v1%s", paths[i]);
		expect_scope_refused(api, "POST", path, "{}");
		struct response *r = http_post_json(api, paths[i], "{}", STRS("Accept: application/json"));
		assert_error(r, 403, "insufficient_scope");
		response_free(r);
	}
	const char *upload = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
			     "Content-Type: text/plain\r\n\r\nhello\r\n--b--\r\n";
	struct response *r = http_request(api, "POST", "/api/v1/items/1/files", NULL, upload, strlen(upload),
					  "multipart/form-data; boundary=b");
	assert_error(r, 403, "insufficient_scope");
	response_free(r);
	/* The token still reads. */
	assert_me(api, "handle", "petra");
	client_free(api);
	client_free(c);
}

/* A read token only reads. */
static void token_read_scope_cannot_write(void **state)
{
	struct client *c = signed_in_client(*state, "olof", NULL);
	char *token = create_token_scoped(c, "reader", json_string("read"), NULL);
	struct client *api = bearer_client(*state, token);
	struct response *r = http_get(api, "/api/v1/me", NULL);
	assert_status(r, 200);
	response_free(r);
	expect_scope_refused(api, "POST", "/api/v1/items", "{\"kind\":\"update\",\"body\":\"Not by me\"}");
	r = http_get(c, "/api/v1/people/olof", NULL);
	assert_status(r, 200);
	assert_body_lacks(r, "Not by me");
	response_free(r);
	client_free(api);
	client_free(c);
}

/* Scopes come as an array or a comma list; unknown or none are refused. */
static void token_scopes_validated(void **state)
{
	struct client *c = signed_in_client(*state, "pontus", NULL);
	char *header = csrf_header(c);
	struct response *r = http_post_json(c, "/api/v1/settings/tokens",
					    "{\"name\":\"x\",\"scopes\":\"read, account\"}", STRS(header));
	assert_status(r, 201);
	assert_string_equal(json_string_value(json_array_get(json_path(r->json, "scopes"), 1)), "account");
	assert_int_equal(json_array_size(json_path(r->json, "scopes")), 2);
	response_free(r);
	const char *bad[] = {"{\"name\":\"x\",\"scopes\":[\"admin\"]}", "{\"name\":\"x\",\"scopes\":[]}",
			     "{\"name\":\"x\",\"scopes\":\"\"}"};
	for (size_t i = 0; i < 3; i++) {
		r = http_post_json(c, "/api/v1/settings/tokens", bad[i], STRS(header));
		assert_error(r, 422, "invalid");
		assert_jstr(r, "error.field", "scopes");
		response_free(r);
	}
	assert_int_equal(tokens_of(c), 1);

	/* the form: checkboxes; ticking none is refused, what was ticked is listed */
	char *csrf = page_csrf(c, "/settings/tokens");
	r = http_post_form(c, "/settings/tokens", STRS("name", "none", "scopes", "", "csrf", csrf), NULL);
	assert_status(r, 422);
	response_free(r);
	r = http_post_form(c, "/settings/tokens",
			   STRS("name", "feed reader", "scopes", "", "scopes", "read", "csrf", csrf), NULL);
	assert_status(r, 200);
	assert_body_contains(r, "name=\"scopes\" value=\"account\"");
	response_free(r);
	r = http_get(c, "/settings/tokens", NULL);
	assert_body_contains(r, "feed reader");
	assert_body_contains(r, "<code class=\"scope\">read</code> </td>");
	response_free(r);
	client_free(c);
}

/* Someone is signed in with c. */
static void assert_signed_in(struct client *c)
{
	struct response *r = http_get(c, "/api/v1/me", NULL);
	assert_status(r, 200);
	response_free(r);
}

/* A new password signs out every other browser and revokes the tokens,
 * unless the member keeps them. */
static void password_change_ends_sessions_and_tokens(void **state)
{
	struct client *a = signed_in_client(*state, "rakel", NULL);
	struct client *b = client_new(*state);
	struct response *r = html_login(b, "rakel", TEST_PASSWORD);
	assert_status(r, 303);
	response_free(r);
	struct client *api = bearer_client(*state, create_token(a, "script", NULL));

	char *csrf = page_csrf(a, "/settings");
	r = http_post_form(a, "/settings/password",
			   STRS("current_password", TEST_PASSWORD, "new_password", "second horse battery",
				"csrf", csrf), NULL);
	assert_status(r, 303);
	response_free(r);
	assert_signed_in(a);
	assert_signed_out(b);
	assert_signed_out(api);
	client_free(api);

	/* keeping the tokens: they go on working; other browsers still end */
	r = html_login(b, "rakel", "second horse battery");
	assert_status(r, 303);
	response_free(r);
	api = bearer_client(*state, create_token(a, "kept", NULL));
	csrf = page_csrf(a, "/settings");
	r = http_post_form(a, "/settings/password",
			   STRS("current_password", "second horse battery", "new_password", "third horse battery",
				"keep_tokens", "true", "csrf", csrf), NULL);
	assert_status(r, 303);
	response_free(r);
	assert_signed_in(a);
	assert_signed_out(b);
	assert_signed_in(api);
	client_free(api);
	client_free(b);
	client_free(a);
}

/* A password changed by a program signs out every browser too. */
static void password_change_with_token_ends_every_browser(void **state)
{
	struct client *a = signed_in_client(*state, "sune", NULL);
	char *full = create_full_token(a, "admin script");
	struct client *other = bearer_client(*state, create_token(a, "other", NULL));
	struct client *api = bearer_client(*state, full);
	struct response *r = http_post_json(api, "/api/v1/settings/password",
		"{\"current_password\":\"" TEST_PASSWORD "\",\"new_password\":\"second horse battery\","
		"\"keep_tokens\":true}", NULL);
	assert_status(r, 200);
	response_free(r);
	assert_signed_out(a);
	assert_signed_in(api);
	assert_signed_in(other);

	r = http_post_json(api, "/api/v1/settings/password",
		"{\"current_password\":\"second horse battery\",\"new_password\":\"third horse battery\"}", NULL);
	assert_status(r, 200);
	assert_true(json_is_true(json_object_get(r->json, "tokens_revoked")));
	response_free(r);
	assert_signed_out(api);
	assert_signed_out(other);
	client_free(other);
	client_free(api);
	client_free(a);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(healthz),
		T(token_create_json_and_list),
		T(token_create_html_shows_token_once),
		T(bearer_authenticates_without_cookie),
		T(bearer_post_needs_no_csrf),
		T(token_revoke),
		T(token_default_scopes_leave_the_account_alone),
		T(token_read_scope_posts_nowhere),
		T(token_administers_only_with_account_scope),
		T(token_read_scope_cannot_write),
		T(token_scopes_validated),
		T(password_change_ends_sessions_and_tokens),
		T(password_change_with_token_ends_every_browser),
		T(token_revoke_of_other_member_refused),
		T(token_list_is_private),
		T(token_revoke_unknown_id),
		T(bad_bearer_rejected),
		T(bearer_post_from_other_origin_rejected),
		T(accept_json_on_html_path),
		T(error_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
