/* test_api: health check, API tokens and Bearer authentication, the JSON
 * representation of pages. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
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

/* Creates a token through the API with a cookie session; returns it
 * and its id. */
static char *create_token(struct client *c, const char *name, int64_t *id)
{
	char *header = csrf_header(c);
	json_t *body = json_pack("{s:s}", "name", name);
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
	r = http_get(api, "/api/v1/me", NULL);
	assert_status(r, 200);
	assert_jstr(r, "handle", "bjorn");
	response_free(r);

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
	char *token = create_token(c, "first", NULL);
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
	char *token = create_token(c, "first", NULL);
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
