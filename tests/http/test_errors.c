/* test_errors: unknown paths and methods, oversize bodies, broken UTF-8,
 * unknown fields and broken JSON. Bad input gets a clear error and changes
 * nothing. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

#define BIG (2 * 1024 * 1024)

/* The handle is still free: a sign-up with it succeeds. */
static void assert_handle_free(const struct server *s, const char *handle)
{
	struct client *c = client_new(s);
	assert_true(api_signup(c, handle, TEST_PASSWORD) > 0);
	client_free(c);
}

static void not_found_html(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_get(c, "/no/such/page", NULL);
	assert_status(r, 404);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "<html");
	assert_body_contains(r, "<nav");
	response_free(r);
	client_free(c);
}

static void not_found_json(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_get(c, "/api/v1/no/such/thing", NULL);
	assert_error(r, 404, "not_found");
	assert_header_contains(r, "Content-Type", "application/json");
	assert_non_null(response_jstr(r, "error.message"));
	response_free(r);
	r = http_get(c, "/no/such/page", STRS("Accept: application/json"));
	assert_error(r, 404, "not_found");
	response_free(r);
	client_free(c);
}

static void method_not_allowed(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_request(c, "PUT", "/login", NULL, "x=1", 3,
					  "application/x-www-form-urlencoded");
	assert_status(r, 405);
	response_free(r);
	r = http_request(c, "PUT", "/api/v1/login", NULL, "{}", 2, "application/json");
	assert_error(r, 405, "method_not_allowed");
	assert_non_null(response_header(r, "Allow"));
	assert_string_equal(response_header(r, "Allow"), "GET, HEAD, POST");
	response_free(r);
	r = http_request(c, "DELETE", "/api/v1/signup", NULL, NULL, 0, NULL);
	assert_error(r, 405, "method_not_allowed");
	response_free(r);
	/* /healthz only answers GET */
	r = http_request(c, "POST", "/api/v1/healthz", NULL, "{}", 2, "application/json");
	assert_error(r, 405, "method_not_allowed");
	assert_string_equal(response_header(r, "Allow"), "GET, HEAD");
	response_free(r);
	client_free(c);
}

static char *big_json_signup(const char *handle)
{
	size_t n = BIG + 256;
	char *body = harness_keep(malloc(n));
	assert_non_null(body);
	int head = snprintf(body, n, "{\"handle\":\"%s\",\"email\":\"%s@example.com\","
				     "\"password\":\"" TEST_PASSWORD "\",\"name\":\"",
			    handle, handle);
	memset(body + head, 'a', BIG);
	strcpy(body + head + BIG, "\"}");
	return body;
}

static void body_too_large_json(void **state)
{
	struct client *c = client_new(*state);
	char *body = big_json_signup("giant");
	struct response *r = http_post_json(c, "/api/v1/signup", body, NULL);
	assert_error(r, 413, "too_large");
	response_free(r);
	client_free(c);
	assert_handle_free(*state, "giant");
}

/* Without "Expect: 100-continue" the whole body arrives before the answer. */
static void body_too_large_json_streamed(void **state)
{
	struct client *c = client_new(*state);
	char *body = big_json_signup("giant2");
	struct response *r = http_post_json(c, "/api/v1/signup", body, STRS("Expect:"));
	assert_error(r, 413, "too_large");
	response_free(r);
	client_free(c);
	assert_handle_free(*state, "giant2");
}

static void body_too_large_form(void **state)
{
	struct client *c = client_new(*state);
	char *csrf = page_csrf(c, "/signup");
	assert_non_null(csrf);
	char *big = harness_keep(malloc(BIG + 1));
	assert_non_null(big);
	memset(big, 'b', BIG);
	big[BIG] = '\0';
	struct response *r = http_post_form(
		c, "/signup",
		STRS("handle", "giant3", "name", big, "email", "giant3@example.com", "password",
		     TEST_PASSWORD, "csrf", csrf),
		NULL);
	assert_status(r, 413);
	assert_null(response_set_cookie(r, "kring_session"));
	response_free(r);
	r = http_post_form(c, "/api/v1/signup",
			   STRS("handle", "giant3", "name", big, "email", "giant3@example.com",
				"password", TEST_PASSWORD, "csrf", csrf),
			   NULL);
	assert_error(r, 413, "too_large");
	response_free(r);
	client_free(c);
	assert_handle_free(*state, "giant3");
}

/* A body a little under the limit is read normally. */
static void body_under_limit_accepted(void **state)
{
	struct client *c = client_new(*state);
	size_t n = 900 * 1024;
	char *body = harness_keep(malloc(n + 256));
	assert_non_null(body);
	int head = snprintf(body, n + 256,
			    "{\"handle\":\"roomy\",\"email\":\"roomy@example.com\","
			    "\"password\":\"" TEST_PASSWORD "\",\"name\":\"Roomy\",\"x\":\"");
	memset(body + head, 'c', n);
	strcpy(body + head + n, "\"}");
	/* an unknown key, so the answer is about the key, not the size */
	struct response *r = http_post_json(c, "/api/v1/signup", body, NULL);
	assert_error(r, 400, "unknown_field");
	assert_jstr(r, "error.field", "x");
	response_free(r);
	client_free(c);
}

static void bad_encoding_html(void **state)
{
	struct client *c = client_new(*state);
	char *csrf = page_csrf(c, "/signup");
	assert_non_null(csrf);
	struct response *r = http_post_form(
		c, "/signup",
		STRS("handle", "dagny_typed", "name", "\xff\xfe", "email", "dagny@example.com",
		     "password", TEST_PASSWORD, "csrf", csrf),
		NULL);
	assert_status(r, 400);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "<form");
	assert_body_contains(r, "name=\"csrf\"");
	assert_null(response_set_cookie(r, "kring_session"));
	response_free(r);
	client_free(c);
	assert_handle_free(*state, "dagny_typed");
}

static void bad_encoding_json_code(void **state)
{
	struct client *c = client_new(*state);
	char *csrf = page_csrf(c, "/signup");
	assert_non_null(csrf);
	struct response *r = http_post_form(
		c, "/api/v1/signup",
		STRS("handle", "egil", "name", "\xff\xfe", "email", "egil@example.com", "password",
		     TEST_PASSWORD, "csrf", csrf),
		NULL);
	assert_error(r, 400, "bad_encoding");
	response_free(r);
	/* an overlong encoding of '/' is broken UTF-8 too */
	r = http_post_form(c, "/api/v1/signup",
			   STRS("handle", "egil", "name", "\xc0\xaf", "email", "egil@example.com",
				"password", TEST_PASSWORD, "csrf", csrf),
			   NULL);
	assert_error(r, 400, "bad_encoding");
	response_free(r);
	client_free(c);
	assert_handle_free(*state, "egil");
}

static void unknown_form_field(void **state)
{
	struct client *c = client_new(*state);
	char *csrf = page_csrf(c, "/signup");
	assert_non_null(csrf);
	struct response *r = http_post_form(
		c, "/api/v1/signup",
		STRS("handle", "fia", "name", "Fia", "email", "fia@example.com", "password",
		     TEST_PASSWORD, "is_admin", "1", "csrf", csrf),
		NULL);
	assert_error(r, 400, "unknown_field");
	assert_jstr(r, "error.field", "is_admin");
	response_free(r);
	r = http_post_form(c, "/signup",
			   STRS("handle", "fia", "name", "Fia", "email", "fia@example.com",
				"password", TEST_PASSWORD, "is_admin", "1", "csrf", csrf),
			   NULL);
	assert_status(r, 400);
	assert_null(response_set_cookie(r, "kring_session"));
	response_free(r);
	client_free(c);
	assert_handle_free(*state, "fia");
}

static void unknown_json_key(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_post_json(
		c, "/api/v1/signup",
		"{\"handle\":\"gert\",\"name\":\"Gert\",\"email\":\"gert@example.com\","
		"\"password\":\"" TEST_PASSWORD "\",\"is_admin\":true}",
		NULL);
	assert_error(r, 400, "unknown_field");
	assert_jstr(r, "error.field", "is_admin");
	response_free(r);
	r = http_post_json(c, "/api/v1/signup",
			   "{\"handle\":\"gert\",\"name\":\"Gert\",\"email\":\"gert@example.com\","
			   "\"password\":\"" TEST_PASSWORD "\",\"role\":\"admin\"}",
			   NULL);
	assert_error(r, 400, "unknown_field");
	assert_jstr(r, "error.field", "role");
	response_free(r);
	client_free(c);
	/* the account made afterwards is an ordinary member */
	c = client_new(*state);
	r = http_post_json(c, "/api/v1/signup",
			   "{\"handle\":\"gert\",\"name\":\"Gert\",\"email\":\"gert@example.com\","
			   "\"password\":\"" TEST_PASSWORD "\"}",
			   NULL);
	assert_status(r, 201);
	assert_jstr(r, "role", "member");
	response_free(r);
	client_free(c);
}

/* DESIGN.md §8: wrong types get a clear error and change nothing; a number
 * is not a handle. */
static void json_wrong_type(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_post_json(
		c, "/api/v1/signup",
		"{\"handle\":12345,\"name\":\"Num\",\"email\":\"num@example.com\","
		"\"password\":\"" TEST_PASSWORD "\"}",
		NULL);
	if (r->status != 400 && r->status != 422)
		harness_fail_response(r, __FILE__, __LINE__, "expected 400 or 422");
	assert_non_null(response_jstr(r, "error.code"));
	response_free(r);
	r = http_post_json(c, "/api/v1/signup",
			   "{\"handle\":\"num\",\"name\":[\"Num\"],\"email\":\"num@example.com\","
			   "\"password\":\"" TEST_PASSWORD "\"}",
			   NULL);
	if (r->status != 400 && r->status != 422)
		harness_fail_response(r, __FILE__, __LINE__, "expected 400 or 422");
	response_free(r);
	client_free(c);
	/* nothing was created under either name */
	assert_handle_free(*state, "num");
	assert_handle_free(*state, "12345");
}

static void bad_json(void **state)
{
	struct client *c = client_new(*state);
	const char *broken[] = {"{\"handle\":", "not json at all", "{\"handle\":\"x\",}", NULL};
	for (size_t i = 0; broken[i]; i++) {
		struct response *r = http_post_json(c, "/api/v1/signup", broken[i], NULL);
		assert_error(r, 400, "bad_json");
		response_free(r);
	}
	client_free(c);
}

/* Broken UTF-8 inside a JSON string is invalid JSON (RFC 8259) and broken
 * encoding; either code, but a 400 that changes nothing. */
static void bad_utf8_in_json(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_post_json(
		c, "/api/v1/signup",
		"{\"handle\":\"hilda\",\"name\":\"\xff\xfe\",\"email\":\"hilda@example.com\","
		"\"password\":\"" TEST_PASSWORD "\"}",
		NULL);
	assert_status(r, 400);
	const char *code = response_jstr(r, "error.code");
	assert_non_null(code);
	assert_true(strcmp(code, "bad_json") == 0 || strcmp(code, "bad_encoding") == 0);
	response_free(r);
	client_free(c);
	assert_handle_free(*state, "hilda");
}

/* JSON posts need the JSON content type; JSON sent as text/plain is refused. */
static void json_body_without_content_type(void **state)
{
	struct client *c = client_new(*state);
	const char *body = "{\"handle\":\"ida\",\"name\":\"Ida\",\"email\":\"ida@example.com\","
			   "\"password\":\"" TEST_PASSWORD "\"}";
	struct response *r = http_request(c, "POST", "/api/v1/signup", NULL, body, strlen(body),
					  "text/plain");
	/* an anonymous non-JSON post without a token: refused as a CSRF failure
	 * or as an unsupported media type */
	if (r->status != 403 && r->status != 415)
		harness_fail_response(r, __FILE__, __LINE__, "expected 403 or 415");
	response_free(r);
	client_free(c);
	assert_handle_free(*state, "ida");
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(not_found_html),
		T(not_found_json),
		T(method_not_allowed),
		T(body_too_large_json),
		T(body_too_large_json_streamed),
		T(body_too_large_form),
		T(body_under_limit_accepted),
		T(bad_encoding_html),
		T(bad_encoding_json_code),
		T(unknown_form_field),
		T(unknown_json_key),
		T(json_wrong_type),
		T(bad_json),
		T(bad_utf8_in_json),
		T(json_body_without_content_type),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
