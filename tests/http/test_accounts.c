/* test_accounts: sign-up, log-in, log-out, authenticated pages, /me. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

/* No key of the member object may look like a password or its hash. */
static void assert_no_secret_keys(const struct response *r)
{
	const char *key;
	json_t *value;
	json_object_foreach(r->json, key, value) {
		if (strcasestr_portable(key, "pass") || strcasestr_portable(key, "hash"))
			harness_fail_response(r, __FILE__, __LINE__, "member object has key \"%s\"",
					      key);
	}
	assert_body_lacks(r, "$argon2");
}

static void signup_page_has_csrf_matching_cookie(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_get(c, "/signup", NULL);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "name=\"handle\"");
	assert_body_contains(r, "name=\"password\"");
	assert_non_null(response_set_cookie(r, "kring_csrf"));
	char *token = html_csrf(r->body);
	char *meta = html_meta_csrf(r->body);
	char *cookie = client_cookie(c, "kring_csrf");
	assert_non_null(token);
	assert_true(strlen(token) >= 20);
	assert_non_null(cookie);
	assert_string_equal(token, cookie);
	assert_non_null(meta);
	assert_string_equal(meta, token);
	response_free(r);
	client_free(c);
}

static void login_page_has_form_with_csrf(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_get(c, "/login", NULL);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "name=\"login\"");
	assert_body_contains(r, "name=\"password\"");
	char *token = html_csrf(r->body);
	char *cookie = client_cookie(c, "kring_csrf");
	assert_non_null(token);
	assert_non_null(cookie);
	assert_string_equal(token, cookie);
	response_free(r);
	client_free(c);
}

static void signup_html_redirects_and_signs_in(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = html_signup(c, "annika", "Annika Berg", "annika@example.com",
					 TEST_PASSWORD);
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/");
	assert_non_null(response_set_cookie(r, "kring_session"));
	response_free(r);

	r = http_get(c, "/api/v1/me", NULL);
	assert_status(r, 200);
	assert_jstr(r, "handle", "annika");
	assert_jstr(r, "name", "Annika Berg");
	assert_jstr(r, "email", "annika@example.com");
	response_free(r);
	client_free(c);
}

static void signup_json_returns_member(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = json_signup(c, "bertil", "Bertil Ek", "bertil@example.com", TEST_PASSWORD);
	assert_status(r, 201);
	assert_header_contains(r, "Content-Type", "application/json");
	assert_true(json_is_object(r->json));
	assert_true(json_is_integer(json_path(r->json, "id")));
	assert_true(json_integer_value(json_path(r->json, "id")) > 0);
	assert_jstr(r, "handle", "bertil");
	assert_jstr(r, "name", "Bertil Ek");
	assert_jstr(r, "role", "member");
	assert_no_secret_keys(r);
	assert_body_lacks(r, TEST_PASSWORD);
	response_free(r);
	client_free(c);
}

/* The password must be at least 10 characters: 9 is refused, 10 accepted. */
static void signup_password_length_boundary(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = json_signup(c, "cecilia", "Cecilia", "cecilia@example.com", "abcdefghi");
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "password");
	response_free(r);

	r = json_signup(c, "cecilia", "Cecilia", "cecilia@example.com", "abcdefghij");
	assert_status(r, 201);
	response_free(r);
	client_free(c);
}

static void signup_json_invalid_reports_every_field(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = json_signup(c, "no spaces allowed!", "Dora", "dora@example.com", "short");
	assert_error(r, 422, "invalid");
	const char *message = response_jstr(r, "error.message");
	assert_non_null(message);
	assert_true(strlen(message) > 0);
	const char *field = response_jstr(r, "error.field");
	assert_non_null(field);
	assert_true(strcmp(field, "handle") == 0 || strcmp(field, "password") == 0);
	json_t *fields = json_path(r->json, "error.fields");
	assert_true(json_is_object(fields));
	assert_true(json_is_string(json_object_get(fields, "handle")));
	assert_true(json_is_string(json_object_get(fields, "password")));
	assert_null(json_object_get(fields, "email"));
	response_free(r);

	/* nothing was created */
	assert_true(api_signup(c, "dora", TEST_PASSWORD) > 0);
	client_free(c);
}

static void signup_json_invalid_email(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = json_signup(c, "erik", "Erik", "not-an-address", TEST_PASSWORD);
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "email");
	response_free(r);
	client_free(c);
}

/* HTML: 422, the form again with what the person typed and the message that
 * the API gives for the same field. */
static void signup_html_invalid_shows_form_again(void **state)
{
	struct client *c = client_new(*state);
	struct response *j = json_signup(c, "fredrik_typed", "Fredrik", "fredrik@example.com", "short");
	assert_error(j, 422, "invalid");
	const char *msg = response_jstr(j, "error.fields.password");
	if (!msg)
		msg = response_jstr(j, "error.message");
	assert_non_null(msg);
	/* compare the part before any character HTML escaping may change */
	char prefix[200];
	size_t n = strcspn(msg, "<>&'\"");
	if (n >= sizeof prefix)
		n = sizeof prefix - 1;
	memcpy(prefix, msg, n);
	prefix[n] = '\0';

	struct response *r = html_signup(c, "fredrik_typed", "Fredrik", "fredrik@example.com",
					 "Xq7shrt");
	assert_status(r, 422);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "<form");
	assert_body_contains(r, "fredrik_typed");
	assert_body_contains(r, "fredrik@example.com");
	assert_body_contains(r, "name=\"csrf\"");
	if (n >= 6)
		assert_body_contains(r, prefix);
	assert_body_lacks(r, "Xq7shrt"); /* a password is never shown back */
	assert_null(response_set_cookie(r, "kring_session"));
	response_free(r);
	response_free(j);
	client_free(c);
}

static void signup_handle_taken(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "gunnar", TEST_PASSWORD) > 0);
	struct response *r = json_signup(c, "gunnar", "Other Gunnar", "other@example.com", TEST_PASSWORD);
	assert_error(r, 409, "taken");
	assert_jstr(r, "error.field", "handle");
	response_free(r);

	r = html_signup(c, "gunnar", "Other Gunnar", "other@example.com", TEST_PASSWORD);
	assert_status(r, 409);
	assert_body_contains(r, "other@example.com");
	assert_null(response_set_cookie(r, "kring_session"));
	response_free(r);
	client_free(c);
}

/* How often needle occurs in the body. */
static int body_count(const struct response *r, const char *needle)
{
	int n = 0;
	for (const char *p = r->body; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* A taken handle is reported in the same round as every other problem, and
 * its message is shown once. */
static void signup_reports_taken_handle_with_other_problems(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "greta", TEST_PASSWORD) > 0);
	struct response *r = json_signup(c, "greta", "", "not-an-address", "short");
	assert_error(r, 422, "invalid");
	const char *fields[] = {"handle", "name", "email", "password"};
	for (size_t i = 0; i < 4; i++)
		if (!json_is_string(json_object_get(json_path(r->json, "error.fields"), fields[i])))
			harness_fail_response(r, __FILE__, __LINE__, "no error for %s", fields[i]);
	const char *taken = response_jstr(r, "error.fields.handle");
	assert_non_null(taken);
	char *message = harness_strdup(taken);
	response_free(r);

	r = html_signup(c, "greta", "Greta Two", "greta2@example.com", "short");
	assert_status(r, 422);
	assert_int_equal(body_count(r, message), 1);
	assert_body_contains(r, "greta2@example.com");
	assert_body_contains(r, "Greta Two");
	assert_body_lacks(r, "value=\"short\"");
	response_free(r);

	/* taken alone: 409, still shown once */
	r = html_signup(c, "greta", "Greta Two", "greta2@example.com", TEST_PASSWORD);
	assert_status(r, 409);
	assert_int_equal(body_count(r, message), 1);
	response_free(r);
	client_free(c);
}

/* A sign-up with the e-mail address of an account does not say so: it gets
 * the neutral answer of a sign-up that continues by e-mail (202), creates
 * nothing and signs nobody in. */
static void signup_email_taken_is_not_revealed(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "helena", TEST_PASSWORD) > 0);
	struct response *r = json_signup(c, "helena2", "Helena Two", "Helena@Example.com", TEST_PASSWORD);
	assert_status(r, 202);
	assert_null(json_object_get(r->json, "error"));
	assert_true(json_is_true(json_object_get(r->json, "pending")));
	assert_non_null(response_jstr(r, "message"));
	assert_null(response_set_cookie(r, "kring_session"));
	assert_body_lacks(r, "exists");
	response_free(r);

	r = html_signup(c, "helena3", "Helena Three", "helena@example.com", TEST_PASSWORD);
	assert_status(r, 202);
	assert_body_contains(r, "Check your e-mail");
	assert_body_lacks(r, "exists");
	assert_body_lacks(r, "field-error");
	assert_null(response_set_cookie(r, "kring_session"));
	response_free(r);

	/* nothing was created: the handles are still free */
	r = api_login(c, "helena2", TEST_PASSWORD);
	assert_error(r, 401, "invalid_login");
	response_free(r);
	assert_true(api_signup(c, "helena3", TEST_PASSWORD) > 0);

	/* the owner of the address is told by e-mail, each time (the
	 * message itself: tests/http/test_mail.c); the log keeps the address
	 * to itself */
	const char *rows = sql_rows(*state, "SELECT count(*) FROM mail_outbox WHERE kind = 'address_taken'"
					    " AND to_address = 'helena@example.com'");
	assert_int_equal(atoi(rows), 2);
	char *log = server_log(*state);
	assert_null(strstr(log, "Helena@Example.com"));
	free(log);
	client_free(c);
}

/* One address creates at most 5 accounts an hour; forms with mistakes do
 * not count, and neither the 202 of a known address escapes the count. */
static void signup_limited_per_address(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = json_signup(c, "x y", "X", "x@example.com", "short");
	assert_error(r, 422, "invalid");
	response_free(r);
	char handle[32];
	for (int i = 0; i < 4; i++) {
		snprintf(handle, sizeof handle, "limited%d", i);
		assert_true(api_signup(c, handle, TEST_PASSWORD) > 0);
	}
	r = json_signup(c, "limited9", "L", "limited0@example.com", TEST_PASSWORD);
	assert_status(r, 202);
	response_free(r);
	r = html_signup(c, "limited5", "Limited Five", "limited5@example.com", TEST_PASSWORD);
	assert_status(r, 429);
	assert_body_contains(r, "limited5@example.com"); /* what was typed stays */
	assert_null(response_set_cookie(r, "kring_session"));
	const char *retry = response_header(r, "Retry-After");
	if (!retry || atol(retry) <= 0)
		harness_fail_response(r, __FILE__, __LINE__, "Retry-After should be > 0");
	response_free(r);
	r = json_signup(c, "limited6", "L", "limited6@example.com", TEST_PASSWORD);
	assert_error(r, 429, "rate_limited");
	response_free(r);
	client_free(c);
}

static void login_html_by_handle(void **state)
{
	struct client *a = client_new(*state);
	assert_true(api_signup(a, "ingrid", TEST_PASSWORD) > 0);
	struct client *c = client_new(*state);
	struct response *r = html_login(c, "ingrid", TEST_PASSWORD);
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/");
	const char *cookie = response_set_cookie(r, "kring_session");
	if (!cookie)
		harness_fail_response(r, __FILE__, __LINE__, "no kring_session cookie");
	if (!strcasestr_portable(cookie, "HttpOnly") ||
	    !strcasestr_portable(cookie, "SameSite=Lax"))
		harness_fail_response(r, __FILE__, __LINE__,
				      "session cookie lacks HttpOnly or SameSite=Lax: %s", cookie);
	response_free(r);

	assert_me(c, "handle", "ingrid");
	client_free(c);
	client_free(a);
}

static void login_html_by_email(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "johan", TEST_PASSWORD) > 0);
	struct client *d = client_new(*state);
	struct response *r = html_login(d, "johan@example.com", TEST_PASSWORD);
	assert_status(r, 303);
	assert_non_null(response_set_cookie(r, "kring_session"));
	response_free(r);
	assert_me(d, "handle", "johan");
	client_free(d);
	client_free(c);
}

static struct response *login_with_next(struct client *c, const char *login, const char *next)
{
	char *csrf = page_csrf(c, "/login");
	assert_non_null(csrf);
	struct response *r = http_post_form(
		c, "/login",
		STRS("login", login, "password", TEST_PASSWORD, "csrf", csrf, "next", next), NULL);
	return r;
}

static void login_next_local_path(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "karin", TEST_PASSWORD) > 0);
	struct response *r = login_with_next(c, "karin", "/settings");
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/settings");
	response_free(r);
	client_free(c);
}

static void login_next_absolute_url_ignored(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "lars", TEST_PASSWORD) > 0);
	struct response *r = login_with_next(c, "lars", "https://evil.example/phish");
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/");
	response_free(r);
	client_free(c);
}

/* "//host/path" is not a local path: browsers read it as another host. */
static void login_next_scheme_relative_ignored(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "maja", TEST_PASSWORD) > 0);
	struct response *r = login_with_next(c, "maja", "//evil.example/phish");
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/");
	response_free(r);
	client_free(c);
}

static void login_json(void **state)
{
	struct client *c = client_new(*state);
	int64_t id = api_signup(c, "nils", TEST_PASSWORD);
	assert_true(id > 0);
	struct client *d = client_new(*state);
	struct response *r = api_login(d, "nils", TEST_PASSWORD);
	assert_status(r, 200);
	assert_jstr(r, "handle", "nils");
	assert_int_equal(json_integer_value(json_path(r->json, "id")), id);
	assert_non_null(response_set_cookie(r, "kring_session"));
	assert_no_secret_keys(r);
	response_free(r);
	assert_me(d, "handle", "nils");
	client_free(d);
	client_free(c);
}

static void login_wrong_password(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "olle", TEST_PASSWORD) > 0);
	struct client *d = client_new(*state);
	struct response *r = api_login(d, "olle", "wrong password here");
	assert_error(r, 401, "invalid_login");
	assert_null(response_set_cookie(r, "kring_session"));
	response_free(r);

	r = html_login(d, "olle", "wrong password here");
	assert_status(r, 401);
	assert_null(response_set_cookie(r, "kring_session"));
	assert_body_contains(r, "<form");
	response_free(r);

	r = http_get(d, "/api/v1/me", NULL);
	assert_status(r, 401);
	response_free(r);
	client_free(d);
	client_free(c);
}

/* An unknown account answers exactly like a wrong password. */
static void login_unknown_account(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = api_login(c, "nobody_here", TEST_PASSWORD);
	assert_error(r, 401, "invalid_login");
	response_free(r);
	client_free(c);
}

static void logout_ends_session(void **state)
{
	struct client *c = signed_in_client(*state, "petra", NULL);
	char *session = client_cookie(c, "kring_session");
	assert_non_null(session);
	char *csrf = page_csrf(c, "/settings");
	assert_non_null(csrf);
	struct response *r = http_post_form(c, "/logout", STRS("csrf", csrf), NULL);
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/");
	response_free(r);

	r = http_get(c, "/api/v1/me", NULL);
	assert_status(r, 401);
	response_free(r);

	/* the old cookie value, replayed by anyone, no longer authenticates */
	struct client *thief = client_new(*state);
	client_put_cookie(thief, "kring_session", session);
	r = http_get(thief, "/api/v1/me", NULL);
	assert_status(r, 401);
	response_free(r);
	r = http_get(thief, "/settings", NULL);
	assert_status(r, 303);
	response_free(r);
	client_free(thief);
	client_free(c);
}

static void settings_signed_out_redirects_to_login(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_get(c, "/settings", NULL);
	assert_status(r, 303);
	const char *loc = response_header(r, "Location");
	if (!loc || (strcmp(loc, "/login?next=%2Fsettings") != 0 &&
		     strcmp(loc, "/login?next=/settings") != 0))
		harness_fail_response(r, __FILE__, __LINE__, "Location should be "
				      "/login?next=%%2Fsettings");
	response_free(r);
	client_free(c);
}

static void settings_signed_out_json_401(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_get(c, "/api/v1/settings", NULL);
	assert_error(r, 401, "unauthorized");
	response_free(r);
	r = http_get(c, "/settings", STRS("Accept: application/json"));
	assert_error(r, 401, "unauthorized");
	response_free(r);
	client_free(c);
}

static void settings_signed_in(void **state)
{
	struct client *c = signed_in_client(*state, "rut", NULL);
	struct response *r = http_get(c, "/settings", NULL);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "name=\"csrf\"");
	response_free(r);
	client_free(c);
}

/* A browser signs in with its User-Agent header. */
static struct client *login_as_browser(const struct server *srv, const char *handle, const char *ua)
{
	struct client *c = client_new(srv);
	char *csrf = page_csrf(c, "/login");
	char header[300];
	snprintf(header, sizeof header, "User-Agent: %s", ua);
	struct response *r = http_post_form(c, "/login",
					    STRS("login", handle, "password", TEST_PASSWORD, "csrf", csrf),
					    STRS(header));
	assert_status(r, 303);
	response_free(r);
	return c;
}

/* The sessions list names browser and platform, not the raw header. */
static void settings_sessions_show_readable_devices(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "tilda", TEST_PASSWORD) > 0);
	client_free(c);
	const char *firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0";
	struct client *a = login_as_browser(*state, "tilda", firefox);
	struct client *b = login_as_browser(*state, "tilda", "curl/8.5.0");
	struct response *r = http_get(a, "/settings", NULL);
	assert_status(r, 200);
	assert_body_contains(r, "Firefox on Windows");
	assert_body_contains(r, "kring API client");
	assert_body_lacks(r, "Gecko/20100101");
	assert_body_lacks(r, "curl/8.5.0");
	assert_body_contains(r, " UTC</time>"); /* last seen, readable */
	response_free(r);
	client_free(b);
	client_free(a);
}

static void me_signed_in(void **state)
{
	int64_t id;
	struct client *c = signed_in_client(*state, "sara", &id);
	struct response *r = http_get(c, "/api/v1/me", NULL);
	assert_status(r, 200);
	assert_int_equal(json_integer_value(json_path(r->json, "id")), id);
	assert_jstr(r, "handle", "sara");
	assert_jstr(r, "name", "Test sara");
	assert_jstr(r, "email", "sara@example.com");
	assert_jstr(r, "role", "member");
	/* locale: the saved one, or null while the member has not chosen */
	json_t *locale = json_object_get(r->json, "locale");
	if (!json_is_string(locale) && !json_is_null(locale))
		harness_fail_response(r, __FILE__, __LINE__, "no locale (string or null)");
	assert_no_secret_keys(r);
	response_free(r);
	client_free(c);
}

static void me_signed_out(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_get(c, "/api/v1/me", NULL);
	assert_status(r, 401);
	assert_non_null(response_jstr(r, "error.code"));
	response_free(r);
	client_free(c);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

/* A server with the sign-up limit of a real site (the harness turns it off
 * for the other tests, which sign many members up from one address). */
static int default_signup_limit_setup(void **state)
{
	setenv("KRING_SIGNUP_LIMIT", "5", 1);
	int rc = server_setup(state);
	unsetenv("KRING_SIGNUP_LIMIT");
	return rc;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(signup_page_has_csrf_matching_cookie),
		T(login_page_has_form_with_csrf),
		T(signup_html_redirects_and_signs_in),
		T(signup_json_returns_member),
		T(signup_password_length_boundary),
		T(signup_json_invalid_reports_every_field),
		T(signup_json_invalid_email),
		T(signup_html_invalid_shows_form_again),
		T(signup_handle_taken),
		T(signup_reports_taken_handle_with_other_problems),
		T(signup_email_taken_is_not_revealed),
		cmocka_unit_test_setup_teardown(signup_limited_per_address, default_signup_limit_setup,
						server_teardown),
		T(login_html_by_handle),
		T(login_html_by_email),
		T(login_next_local_path),
		T(login_next_absolute_url_ignored),
		T(login_next_scheme_relative_ignored),
		T(login_json),
		T(login_wrong_password),
		T(login_unknown_account),
		T(logout_ends_session),
		T(settings_signed_out_redirects_to_login),
		T(settings_signed_out_json_401),
		T(settings_signed_in),
		T(settings_sessions_show_readable_devices),
		T(me_signed_in),
		T(me_signed_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
