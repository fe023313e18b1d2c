/* test_security: CSRF, Origin checks, log-in rate limits, sign out everywhere
 * and roles. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

static size_t token_count(struct client *c)
{
	struct response *r = http_get(c, "/api/v1/settings/tokens", NULL);
	assert_status(r, 200);
	json_t *items = json_path(r->json, "items");
	assert_true(json_is_array(items));
	size_t n = json_array_size(items);
	response_free(r);
	return n;
}

/* ---- CSRF with a cookie session ---------------------------------------------- */

static void csrf_missing_on_logout(void **state)
{
	struct client *c = signed_in_client(*state, "alva", NULL);
	struct response *r = http_post_form(c, "/logout", NULL, NULL);
	assert_status(r, 403);
	response_free(r);
	r = http_post_form(c, "/api/v1/logout", NULL, NULL);
	assert_error(r, 403, "csrf_failed");
	response_free(r);
	assert_me(c, "handle", "alva");
	client_free(c);
}

static void csrf_wrong_on_logout(void **state)
{
	struct client *c = signed_in_client(*state, "bo", NULL);
	char *csrf = page_csrf(c, "/settings");
	assert_non_null(csrf);
	char wrong[128];
	snprintf(wrong, sizeof wrong, "%s", csrf);
	wrong[0] = wrong[0] == 'A' ? 'B' : 'A'; /* same length, one character off */
	struct response *r = http_post_form(c, "/logout", STRS("csrf", wrong), NULL);
	assert_status(r, 403);
	response_free(r);
	r = http_post_form(c, "/api/v1/logout", STRS("csrf", "not-the-token"), NULL);
	assert_error(r, 403, "csrf_failed");
	response_free(r);
	assert_me(c, "handle", "bo");
	client_free(c);
}

/* One member's token does not work in another member's session. */
static void csrf_token_of_other_session_rejected(void **state)
{
	struct client *a = signed_in_client(*state, "cajsa", NULL);
	struct client *b = signed_in_client(*state, "dennis", NULL);
	char *token_a = page_csrf(a, "/settings");
	char *token_b = page_csrf(b, "/settings");
	assert_non_null(token_a);
	assert_non_null(token_b);
	assert_true(strcmp(token_a, token_b) != 0);
	struct response *r = http_post_form(b, "/api/v1/logout", STRS("csrf", token_a), NULL);
	assert_error(r, 403, "csrf_failed");
	response_free(r);
	assert_me(b, "handle", "dennis");
	client_free(a);
	client_free(b);
}

/* The token of a signed-in session is not the anonymous kring_csrf cookie. */
static void csrf_anonymous_cookie_does_not_count_for_session(void **state)
{
	struct client *c = signed_in_client(*state, "ebba", NULL);
	char *anon = client_cookie(c, "kring_csrf");
	char *csrf = page_csrf(c, "/settings");
	assert_non_null(csrf);
	if (!anon || strcmp(anon, csrf) == 0) {
		/* no separate anonymous token left to try */
		client_free(c);
		skip();
	}
	struct response *r = http_post_form(c, "/api/v1/settings/tokens",
					    STRS("name", "x", "csrf", anon), NULL);
	assert_error(r, 403, "csrf_failed");
	response_free(r);
	assert_int_equal(token_count(c), 0);
	client_free(c);
}

static void csrf_missing_on_token_create_changes_nothing(void **state)
{
	struct client *c = signed_in_client(*state, "filip", NULL);
	struct response *r = http_post_form(c, "/settings/tokens", STRS("name", "laptop"), NULL);
	assert_status(r, 403);
	assert_body_lacks(r, "krt_");
	response_free(r);
	r = http_post_form(c, "/api/v1/settings/tokens", STRS("name", "laptop"), NULL);
	assert_error(r, 403, "csrf_failed");
	assert_body_lacks(r, "krt_");
	response_free(r);
	assert_int_equal(token_count(c), 0);
	client_free(c);
}

static void csrf_header_accepted(void **state)
{
	struct client *c = signed_in_client(*state, "gerd", NULL);
	char *csrf = page_csrf(c, "/settings");
	assert_non_null(csrf);
	char header[256];
	snprintf(header, sizeof header, "X-CSRF-Token: %s", csrf);
	struct response *r = http_post_form(c, "/api/v1/settings/tokens", STRS("name", "cli"),
					    STRS(header));
	assert_status(r, 201);
	const char *token = response_jstr(r, "token");
	assert_non_null(token);
	assert_true(strncmp(token, "krt_", 4) == 0);
	response_free(r);
	assert_int_equal(token_count(c), 1);
	client_free(c);
}

static void csrf_header_wrong_rejected(void **state)
{
	struct client *c = signed_in_client(*state, "hugo", NULL);
	struct response *r = http_post_form(c, "/api/v1/settings/tokens", STRS("name", "cli"),
					    STRS("X-CSRF-Token: wrongwrongwrongwrong"));
	assert_error(r, 403, "csrf_failed");
	response_free(r);
	assert_int_equal(token_count(c), 0);
	client_free(c);
}

/* A valid token does not help a request another site's page sent. */
static void origin_of_other_host_rejected(void **state)
{
	struct client *c = signed_in_client(*state, "idun", NULL);
	char *csrf = page_csrf(c, "/settings");
	assert_non_null(csrf);
	struct response *r = http_post_form(c, "/logout", STRS("csrf", csrf),
					    STRS("Origin: http://evil.example"));
	assert_status(r, 403);
	response_free(r);
	r = http_post_form(c, "/api/v1/logout", STRS("csrf", csrf),
			   STRS("Origin: http://evil.example"));
	assert_error(r, 403, "csrf_failed");
	response_free(r);
	assert_me(c, "handle", "idun");

	/* the server's own origin is fine */
	char origin[128];
	snprintf(origin, sizeof origin, "Origin: %s", ((const struct server *)*state)->origin);
	r = http_post_form(c, "/logout", STRS("csrf", csrf), STRS(origin));
	assert_status(r, 303);
	response_free(r);
	assert_signed_out(c);
	client_free(c);
}

/* ---- anonymous posts ------------------------------------------------------------ */

static void anonymous_form_post_to_api_needs_csrf(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_post_form(
		c, "/api/v1/signup",
		STRS("handle", "jon", "name", "Jon", "email", "jon@example.com", "password",
		     TEST_PASSWORD),
		NULL);
	assert_error(r, 403, "csrf_failed");
	response_free(r);
	/* nothing was created: the handle is still free */
	assert_true(api_signup(c, "jon", TEST_PASSWORD) > 0);
	client_free(c);
}

static void anonymous_form_post_wrong_csrf(void **state)
{
	struct client *c = client_new(*state);
	char *csrf = page_csrf(c, "/signup");
	assert_non_null(csrf);
	struct response *r = http_post_form(
		c, "/signup",
		STRS("handle", "kim", "name", "Kim", "email", "kim@example.com", "password",
		     TEST_PASSWORD, "csrf", "0123456789abcdefghijABCDEFGHIJ0123456789abc"),
		NULL);
	assert_status(r, 403);
	assert_null(response_set_cookie(r, "kring_session"));
	response_free(r);
	assert_true(api_signup(c, "kim", TEST_PASSWORD) > 0);
	client_free(c);
}

/* Double submit: a token without its kring_csrf cookie is worth nothing. */
static void anonymous_token_without_cookie_rejected(void **state)
{
	struct client *c = client_new(*state);
	char *csrf = page_csrf(c, "/login");
	assert_non_null(csrf);
	struct client *other = client_new(*state);
	assert_true(api_signup(other, "lena", TEST_PASSWORD) > 0);
	struct client *d = client_new(*state); /* no kring_csrf cookie */
	struct response *r = http_post_form(
		d, "/login", STRS("login", "lena", "password", TEST_PASSWORD, "csrf", csrf), NULL);
	assert_status(r, 403);
	assert_null(response_set_cookie(r, "kring_session"));
	response_free(r);
	client_free(c);
	client_free(d);
	client_free(other);
}

static void anonymous_json_from_other_origin_rejected(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_post_json(
		c, "/api/v1/signup",
		"{\"handle\":\"mats\",\"name\":\"Mats\",\"email\":\"mats@example.com\","
		"\"password\":\"" TEST_PASSWORD "\"}",
		STRS("Origin: http://evil.example"));
	assert_status(r, 403);
	response_free(r);
	assert_true(api_signup(c, "mats", TEST_PASSWORD) > 0);
	client_free(c);
}

/* ---- rate limits ------------------------------------------------------------------ */

static void rate_limit_per_account(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "nora", TEST_PASSWORD) > 0);
	assert_true(api_signup(c, "otto", TEST_PASSWORD) > 0);
	for (int i = 0; i < 5; i++) {
		struct response *r = api_login(c, "nora", "not the password");
		assert_error(r, 401, "invalid_login");
		response_free(r);
	}
	/* the right password no longer helps */
	struct response *r = api_login(c, "nora", TEST_PASSWORD);
	assert_error(r, 429, "rate_limited");
	const char *retry = response_header(r, "Retry-After");
	if (!retry || atol(retry) <= 0)
		harness_fail_response(r, __FILE__, __LINE__, "Retry-After should be > 0, is %s",
				      retry ? retry : "(missing)");
	assert_null(response_set_cookie(r, "kring_session"));
	response_free(r);

	/* nor does the form */
	r = html_login(c, "nora", TEST_PASSWORD);
	assert_status(r, 429);
	assert_non_null(response_header(r, "Retry-After"));
	assert_null(response_set_cookie(r, "kring_session"));
	response_free(r);

	/* another account from the same address is not affected */
	r = api_login(c, "otto", TEST_PASSWORD);
	assert_status(r, 200);
	response_free(r);
	client_free(c);
}

/* The limit is per account, not per spelling of its name: failures with the
 * handle also lock the e-mail address and another letter case. */
static void rate_limit_per_account_every_login_name(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "petter", TEST_PASSWORD) > 0);
	for (int i = 0; i < 5; i++) {
		struct response *r = api_login(c, "petter", "not the password");
		assert_error(r, 401, "invalid_login");
		response_free(r);
	}
	const char *names[] = {"petter@example.com", "PETTER", NULL};
	for (size_t i = 0; names[i]; i++) {
		struct response *r = api_login(c, names[i], TEST_PASSWORD);
		assert_error(r, 429, "rate_limited");
		assert_null(response_set_cookie(r, "kring_session"));
		response_free(r);
	}
	client_free(c);
}

/* Failures spread over the spellings of one account still count for it. */
static void rate_limit_per_account_mixed_names(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "ragna", TEST_PASSWORD) > 0);
	const char *names[] = {"ragna", "ragna@example.com", "RAGNA", "Ragna@Example.com",
			       "ragna"};
	for (int i = 0; i < 5; i++) {
		struct response *r = api_login(c, names[i], "not the password");
		assert_error(r, 401, "invalid_login");
		response_free(r);
	}
	struct response *r = api_login(c, "ragna", TEST_PASSWORD);
	assert_error(r, 429, "rate_limited");
	response_free(r);
	client_free(c);
}

/* Attempts that arrive at the same moment are counted too: of many parallel
 * wrong guesses, no more than 5 may be checked against the password. */
static void rate_limit_parallel_attempts(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "tuva", TEST_PASSWORD) > 0);
	client_free(c);
	long statuses[16];
	int answered = http_parallel_post_json(
		*state, "/api/v1/login", "{\"login\":\"tuva\",\"password\":\"not the password\"}",
		16, statuses);
	assert_int_equal(answered, 16);
	int refused = 0, limited = 0;
	for (int i = 0; i < 16; i++) {
		if (statuses[i] == 401)
			refused++;
		else if (statuses[i] == 429)
			limited++;
	}
	if (refused > 5 || refused + limited != 16)
		fail_msg("16 parallel wrong guesses: %d checked (401), %d limited (429); "
			 "at most 5 may be checked", refused, limited);
}

/* ---- sign-in limits behind a proxy, with a clock the test moves ---------------- */

/* A server behind a proxy (the client address is X-Forwarded-For) on a
 * test clock. */
static int proxy_clock_setup(void **state)
{
	setenv("KRING_TRUST_PROXY", "1", 1);
	int rc = clock_server_setup(state);
	unsetenv("KRING_TRUST_PROXY");
	return rc;
}

/* A JSON sign-in from the client address ip, by a new browser. */
static struct response *login_from(struct client *c, const char *ip, const char *login,
				   const char *password)
{
	char header[80];
	snprintf(header, sizeof header, "X-Forwarded-For: %s", ip);
	json_t *body = json_pack("{s:s, s:s}", "login", login, "password", password);
	struct client *fresh = client_new(c->srv);
	struct response *r = http_post_jsonv(fresh, "/api/v1/login", body, STRS(header));
	client_free(fresh);
	return r;
}

static void expect_login(struct client *c, const char *ip, const char *login, const char *password,
			 long status)
{
	struct response *r = login_from(c, ip, login, password);
	assert_status(r, status);
	response_free(r);
}

/* Guessing from elsewhere, from one address or many, does not keep the
 * owner out at an address they signed in from; it slows the guesser down,
 * more with every guess. */
static void rate_limit_attacker_cannot_lock_owner_out(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "nora", TEST_PASSWORD) > 0);
	expect_login(c, "10.0.0.1", "nora", TEST_PASSWORD, 200);

	/* one address: 5 guesses, then it waits */
	for (int i = 0; i < 5; i++)
		expect_login(c, "10.0.0.2", "nora", "not the password", 401);
	struct response *r = login_from(c, "10.0.0.2", "nora", TEST_PASSWORD);
	assert_error(r, 429, "rate_limited");
	response_free(r);

	/* from addresses new to the account, 10 attempts a day go through at
	 * once (the owner's first sign-in at 10.0.0.1 was one) ... */
	for (int i = 0; i < 4; i++)
		expect_login(c, "10.0.0.3", "nora", "not the password", 401);
	expect_login(c, "10.0.0.4", "nora", "not the password", 401);
	/* ... then each waits, twice as long as the one before */
	r = login_from(c, "10.0.0.5", "nora", "not the password");
	assert_error(r, 429, "rate_limited");
	long first_wait = atol(response_header(r, "Retry-After"));
	response_free(r);
	assert_true(first_wait >= 1);
	test_clock_advance(first_wait);
	expect_login(c, "10.0.0.5", "nora", "not the password", 401);
	r = login_from(c, "10.0.0.6", "nora", TEST_PASSWORD);
	assert_error(r, 429, "rate_limited");
	long second_wait = atol(response_header(r, "Retry-After"));
	response_free(r);
	if (second_wait <= first_wait)
		fail_msg("the wait did not grow: %ld after %ld", second_wait, first_wait);

	/* the owner, where they signed in before, gets in with the password */
	expect_login(c, "10.0.0.1", "nora", TEST_PASSWORD, 200);
	expect_login(c, "10.0.0.1", "NORA@example.com", TEST_PASSWORD, 200);
	client_free(c);
}

/* Many failures through one proxy address hold back new sign-ins from it,
 * not the members who signed in through it before. */
static void rate_limit_per_address_spares_known_members(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "regular", TEST_PASSWORD) > 0);
	assert_true(api_signup(c, "newbie", TEST_PASSWORD) > 0);
	expect_login(c, "10.1.0.1", "regular", TEST_PASSWORD, 200);
	char name[32];
	for (int i = 0; i < 50; i++) {
		snprintf(name, sizeof name, "ghost%d", i);
		expect_login(c, "10.1.0.1", name, "not the password", 401);
	}
	struct response *r = login_from(c, "10.1.0.1", "newbie", TEST_PASSWORD);
	assert_error(r, 429, "rate_limited");
	const char *retry = response_header(r, "Retry-After");
	if (!retry || atol(retry) <= 0)
		harness_fail_response(r, __FILE__, __LINE__, "Retry-After should be > 0");
	response_free(r);
	expect_login(c, "10.1.0.1", "regular", TEST_PASSWORD, 200);
	/* another address is not affected */
	expect_login(c, "10.1.0.2", "newbie", TEST_PASSWORD, 200);
	client_free(c);
}

/* The current password asked when changing it is limited as at sign-in:
 * after 5 wrong guesses even the right one waits, and nothing changes. */
static void password_change_guesses_limited(void **state)
{
	struct client *c = signed_in_client(*state, "gustav", NULL);
	char *csrf = page_csrf(c, "/settings");
	assert_non_null(csrf);
	for (int i = 0; i < 5; i++) {
		struct response *r = http_post_form(c, "/api/v1/settings/password",
			STRS("current_password", "a wrong guess", "new_password", "another horse battery",
			     "csrf", csrf), NULL);
		assert_error(r, 422, "invalid");
		response_free(r);
	}
	struct response *r = http_post_form(c, "/settings/password",
		STRS("current_password", TEST_PASSWORD, "new_password", "another horse battery",
		     "csrf", csrf), NULL);
	assert_status(r, 429);
	assert_non_null(response_header(r, "Retry-After"));
	response_free(r);

	/* after the window the old password still works: nothing changed */
	test_clock_advance(15 * 60);
	struct client *d = client_new(*state);
	r = html_login(d, "gustav", TEST_PASSWORD);
	assert_status(r, 303);
	response_free(r);
	client_free(d);
	client_free(c);
}

/* Whoever signed in with the old password is no longer at an address the
 * account knows once the password changes: their guesses wait like
 * anyone's, while the owner's own address stays known. */
static void password_change_forgets_other_addresses(void **state)
{
	struct client *c = client_new(*state);
	assert_true(api_signup(c, "olle", TEST_PASSWORD) > 0);
	/* someone who knew the password signs in from elsewhere */
	expect_login(c, "10.2.0.9", "olle", TEST_PASSWORD, 200);
	/* the owner, from this machine, changes it */
	struct client *owner = client_new(*state);
	struct response *r = html_login(owner, "olle", TEST_PASSWORD);
	assert_status(r, 303);
	response_free(r);
	char *csrf = page_csrf(owner, "/settings");
	assert_non_null(csrf);
	r = http_post_form(owner, "/api/v1/settings/password",
			   STRS("current_password", TEST_PASSWORD, "new_password", "another horse battery",
				"csrf", csrf), NULL);
	assert_status(r, 200);
	response_free(r);

	/* guesses from new addresses use up the account's free attempts */
	char ip[32];
	long status = 401;
	for (int i = 0; i < 20 && status == 401; i++) {
		snprintf(ip, sizeof ip, "10.2.1.%d", i);
		r = login_from(c, ip, "olle", "not the password");
		status = r->status;
		response_free(r);
	}
	assert_int_equal(status, 429);
	/* the old password's address waits too ... */
	r = login_from(c, "10.2.0.9", "olle", TEST_PASSWORD);
	assert_error(r, 429, "rate_limited");
	response_free(r);
	/* ... the owner's does not */
	struct client *again = client_new(*state);
	r = html_login(again, "olle", "another horse battery");
	assert_status(r, 303);
	response_free(r);
	client_free(again);
	client_free(owner);
	client_free(c);
}

/* ---- sessions ----------------------------------------------------------------------- */

static void sign_out_everywhere(void **state)
{
	struct client *a = signed_in_client(*state, "pia", NULL);
	struct client *b = client_new(*state);
	struct response *r = html_login(b, "pia", TEST_PASSWORD);
	assert_status(r, 303);
	response_free(r);
	/* someone else stays signed in */
	struct client *other = signed_in_client(*state, "quentin", NULL);

	assert_me(a, "handle", "pia");
	assert_me(b, "handle", "pia");
	char *csrf = page_csrf(a, "/settings");
	assert_non_null(csrf);
	r = http_post_form(a, "/settings/sessions/revoke", STRS("csrf", csrf), NULL);
	if (r->status >= 400 || r->status < 200)
		harness_fail_response(r, __FILE__, __LINE__, "revoking sessions failed");
	response_free(r);
	assert_signed_out(a);
	assert_signed_out(b);
	assert_me(other, "handle", "quentin");
	client_free(a);
	client_free(b);
	client_free(other);
}

static void sign_out_everywhere_needs_csrf(void **state)
{
	struct client *a = signed_in_client(*state, "rolf", NULL);
	struct response *r = http_post_form(a, "/api/v1/settings/sessions/revoke",
					    NULL, NULL);
	assert_error(r, 403, "csrf_failed");
	response_free(r);
	assert_me(a, "handle", "rolf");
	client_free(a);
}

/* ---- roles ---------------------------------------------------------------------------- */

static struct client *admin_client(const struct server *s)
{
	assert_int_equal(kring_user_add(s, "root", "root@example.com", "The Admin", "--admin",
					TEST_PASSWORD),
			 0);
	struct client *c = client_new(s);
	struct response *r = html_login(c, "root", TEST_PASSWORD);
	assert_status(r, 303);
	response_free(r);
	assert_me(c, "role", "admin");
	return c;
}

static void admin_pages_forbidden_for_members(void **state)
{
	struct client *c = signed_in_client(*state, "siv", NULL);
	struct response *r = http_get(c, "/admin/users", NULL);
	assert_status(r, 403);
	response_free(r);
	r = http_get(c, "/api/v1/admin/users", NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	client_free(c);
}

static void admin_pages_open_for_admins(void **state)
{
	struct client *member = signed_in_client(*state, "tove", NULL);
	struct client *c = admin_client(*state);
	struct response *r = http_get(c, "/admin/users", NULL);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "tove");
	response_free(r);
	r = http_get(c, "/api/v1/admin/users", NULL);
	assert_status(r, 200);
	assert_non_null(r->json);
	response_free(r);
	client_free(c);
	client_free(member);
}

static void admin_changes_role(void **state)
{
	int64_t id;
	struct client *member = signed_in_client(*state, "ulf", &id);
	struct client *admin = admin_client(*state);
	char *csrf = page_csrf(admin, "/admin/users");
	assert_non_null(csrf);
	char path[64];
	snprintf(path, sizeof path, "/admin/users/%lld/role", (long long)id);
	struct response *r = http_post_form(admin, path, STRS("role", "moderator", "csrf", csrf),
					    NULL);
	if (r->status != 200 && r->status != 303)
		harness_fail_response(r, __FILE__, __LINE__, "expected 200 or 303");
	response_free(r);
	assert_me(member, "role", "moderator");

	r = http_post_form(admin, path, STRS("role", "admin", "csrf", csrf), NULL);
	if (r->status != 200 && r->status != 303)
		harness_fail_response(r, __FILE__, __LINE__, "expected 200 or 303");
	response_free(r);
	assert_me(member, "role", "admin");
	r = http_get(member, "/admin/users", NULL);
	assert_status(r, 200);
	response_free(r);
	client_free(admin);
	client_free(member);
}

static void member_cannot_change_roles(void **state)
{
	int64_t id;
	struct client *victim = signed_in_client(*state, "vera", &id);
	struct client *c = signed_in_client(*state, "wilma", NULL);
	char *csrf = page_csrf(c, "/settings");
	assert_non_null(csrf);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/admin/users/%lld/role", (long long)id);
	struct response *r = http_post_form(c, path, STRS("role", "admin", "csrf", csrf), NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	assert_me(victim, "role", "member");
	client_free(c);
	client_free(victim);
}

static void admin_role_change_needs_csrf(void **state)
{
	int64_t id;
	struct client *member = signed_in_client(*state, "yngve", &id);
	struct client *admin = admin_client(*state);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/admin/users/%lld/role", (long long)id);
	struct response *r = http_post_form(admin, path, STRS("role", "admin"), NULL);
	assert_error(r, 403, "csrf_failed");
	response_free(r);
	assert_me(member, "role", "member");
	client_free(admin);
	client_free(member);
}

static void admin_role_change_unknown_member(void **state)
{
	struct client *admin = admin_client(*state);
	char *csrf = page_csrf(admin, "/admin/users");
	assert_non_null(csrf);
	struct response *r = http_post_form(admin, "/api/v1/admin/users/999999/role",
					    STRS("role", "moderator", "csrf", csrf), NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	client_free(admin);
}

static void admin_role_change_invalid_role(void **state)
{
	int64_t id;
	struct client *member = signed_in_client(*state, "zara", &id);
	struct client *admin = admin_client(*state);
	char *csrf = page_csrf(admin, "/admin/users");
	assert_non_null(csrf);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/admin/users/%lld/role", (long long)id);
	struct response *r = http_post_form(admin, path, STRS("role", "superuser", "csrf", csrf),
					    NULL);
	if (r->status != 400 && r->status != 422)
		harness_fail_response(r, __FILE__, __LINE__, "expected 400 or 422");
	assert_non_null(response_jstr(r, "error.code"));
	response_free(r);
	assert_me(member, "role", "member");
	client_free(admin);
	client_free(member);
}

/* What members type is shown as text, never as markup. */
static void names_are_escaped_in_pages(void **state)
{
	struct client *anon = client_new(*state);
	struct response *r = http_post_json(
		anon, "/api/v1/signup",
		"{\"handle\":\"xena\",\"name\":\"<script>alert(1)</script>\","
		"\"email\":\"xena@example.com\",\"password\":\"" TEST_PASSWORD "\"}",
		NULL);
	if (r->status != 201) {
		/* refusing such a name is fine too; nothing to show then */
		assert_true(r->status == 422 || r->status == 400);
		response_free(r);
		client_free(anon);
		skip();
	}
	response_free(r);
	struct client *c = client_new(*state);
	r = html_login(c, "xena", TEST_PASSWORD);
	assert_status(r, 303);
	response_free(r);
	r = http_get(c, "/settings", NULL);
	assert_status(r, 200);
	assert_body_lacks(r, "<script>alert(1)");
	assert_body_contains(r, "&lt;script&gt;");
	response_free(r);

	struct client *admin = admin_client(*state);
	r = http_get(admin, "/admin/users", NULL);
	assert_status(r, 200);
	assert_body_lacks(r, "<script>alert(1)");
	response_free(r);
	client_free(admin);
	client_free(c);
	client_free(anon);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

#define P(f) cmocka_unit_test_setup_teardown(f, proxy_clock_setup, server_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(csrf_missing_on_logout),
		T(csrf_wrong_on_logout),
		T(csrf_token_of_other_session_rejected),
		T(csrf_anonymous_cookie_does_not_count_for_session),
		T(csrf_missing_on_token_create_changes_nothing),
		T(csrf_header_accepted),
		T(csrf_header_wrong_rejected),
		T(origin_of_other_host_rejected),
		T(anonymous_form_post_to_api_needs_csrf),
		T(anonymous_form_post_wrong_csrf),
		T(anonymous_token_without_cookie_rejected),
		T(anonymous_json_from_other_origin_rejected),
		T(rate_limit_per_account),
		T(rate_limit_per_account_every_login_name),
		T(rate_limit_per_account_mixed_names),
		T(rate_limit_parallel_attempts),
		P(rate_limit_attacker_cannot_lock_owner_out),
		P(rate_limit_per_address_spares_known_members),
		P(password_change_guesses_limited),
		P(password_change_forgets_other_addresses),
		T(sign_out_everywhere),
		T(sign_out_everywhere_needs_csrf),
		T(admin_pages_forbidden_for_members),
		T(admin_pages_open_for_admins),
		T(admin_changes_role),
		T(member_cannot_change_roles),
		T(admin_role_change_needs_csrf),
		T(admin_role_change_unknown_member),
		T(admin_role_change_invalid_role),
		T(names_are_escaped_in_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
