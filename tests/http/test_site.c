/* test_site: security headers, static assets, locale choice, the access log
 * and graceful shutdown. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "harness.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

static void assert_security_headers(const struct response *r)
{
	assert_header_contains(r, "Content-Security-Policy", "default-src 'self'");
	assert_header_contains(r, "Content-Security-Policy", "frame-ancestors 'none'");
	assert_header_contains(r, "X-Content-Type-Options", "nosniff");
	const char *rp = response_header(r, "Referrer-Policy");
	if (!rp || !*rp)
		harness_fail_response(r, __FILE__, __LINE__, "no Referrer-Policy header");
}

/* Every kind of answer carries the headers: page, JSON, redirect, error,
 * static file, 304, 405, 413, 401, 403. */
static void security_headers_everywhere(void **state)
{
	struct client *c = client_new(*state);
	struct response *r;
	const char *gets[] = {"/healthz", "/login", "/signup", "/no/such/page",
			      "/api/v1/no/such", "/settings", "/api/v1/me", "/static/kring.css",
			      NULL};
	for (size_t i = 0; gets[i]; i++) {
		r = http_get(c, gets[i], NULL);
		assert_true(r->status >= 200);
		assert_security_headers(r);
		response_free(r);
	}

	r = http_get(c, "/static/kring.css", NULL);
	assert_status(r, 200);
	char inm[512];
	snprintf(inm, sizeof inm, "If-None-Match: %s",
		 response_header(r, "ETag") ? response_header(r, "ETag") : "\"x\"");
	response_free(r);
	r = http_get(c, "/static/kring.css", STRS(inm));
	assert_status(r, 304);
	assert_security_headers(r);
	response_free(r);

	r = http_request(c, "PUT", "/api/v1/login", NULL, "{}", 2, "application/json");
	assert_status(r, 405);
	assert_security_headers(r);
	response_free(r);

	r = api_login(c, "nobody", "wrong password");
	assert_status(r, 401);
	assert_security_headers(r);
	response_free(r);

	r = http_post_form(c, "/api/v1/signup", STRS("handle", "x"), NULL);
	assert_status(r, 403);
	assert_security_headers(r);
	response_free(r);

	size_t n = 2 * 1024 * 1024;
	char *big = harness_keep(malloc(n + 1));
	assert_non_null(big);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	r = http_post_json(c, "/api/v1/signup", big, NULL);
	assert_status(r, 413);
	assert_security_headers(r);
	response_free(r);
	client_free(c);
}

static void security_headers_signed_in(void **state)
{
	struct client *c = signed_in_client(*state, "annie", NULL);
	const char *gets[] = {"/settings", "/api/v1/me", "/admin/users", NULL};
	for (size_t i = 0; gets[i]; i++) {
		struct response *r = http_get(c, gets[i], NULL);
		assert_security_headers(r);
		response_free(r);
	}
	client_free(c);
}

/* Every GET route answers HEAD too: the headers without a body. */
static void head_request(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_request(c, "HEAD", "/healthz", NULL, NULL, 0, NULL);
	assert_status(r, 200);
	assert_int_equal(r->body_len, 0);
	assert_header_contains(r, "Content-Type", "application/json");
	response_free(r);
	r = http_request(c, "HEAD", "/login", NULL, NULL, 0, NULL);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	response_free(r);
	client_free(c);
}

static void static_asset(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_get(c, "/static/kring.css", NULL);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/css");
	assert_header_contains(r, "Cache-Control", "max-age=31536000");
	const char *etag = response_header(r, "ETag");
	if (!etag || !*etag)
		harness_fail_response(r, __FILE__, __LINE__, "no ETag");
	assert_true(r->body_len > 0);
	char inm[512];
	snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
	response_free(r);

	r = http_get(c, "/static/kring.css", STRS(inm));
	assert_status(r, 304);
	assert_int_equal(r->body_len, 0);
	response_free(r);

	/* a different tag gets the file again */
	r = http_get(c, "/static/kring.css", STRS("If-None-Match: \"not-the-etag\""));
	assert_status(r, 200);
	assert_true(r->body_len > 0);
	response_free(r);
	client_free(c);
}

static void static_unknown_file(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_get(c, "/static/no-such-file.css", NULL);
	assert_status(r, 404);
	response_free(r);
	client_free(c);
}

static void assert_lang(struct client *c, const char *path, const char *accept_language,
			const char *lang)
{
	char header[128], want[32];
	snprintf(header, sizeof header, "Accept-Language: %s", accept_language);
	snprintf(want, sizeof want, "lang=\"%s\"", lang);
	struct response *r = http_get(c, path, STRS(header));
	assert_status(r, 200);
	assert_body_contains(r, want);
	response_free(r);
}

static void locale_from_accept_language(void **state)
{
	struct client *c = client_new(*state);
	assert_lang(c, "/login", "sv", "sv");
	assert_lang(c, "/login", "nl", "nl");
	assert_lang(c, "/login", "xx", "en");
	assert_lang(c, "/login", "en", "en");

	/* the pages really are translated: the Swedish one differs from the
	 * English one in more than the lang attribute */
	struct response *sv = http_get(c, "/login", STRS("Accept-Language: sv"));
	struct response *en = http_get(c, "/login", STRS("Accept-Language: en"));
	assert_status(sv, 200);
	assert_status(en, 200);
	char *a = strstr(sv->body, "lang=\"sv\"");
	char *b = strstr(en->body, "lang=\"en\"");
	assert_non_null(a);
	assert_non_null(b);
	a[6] = b[6] = '?';
	a[7] = b[7] = '?';
	assert_true(strcmp(sv->body, en->body) != 0);
	response_free(sv);
	response_free(en);
	client_free(c);
}

/* What browsers send: a region and a list with weights. */
static void locale_browser_style_header(void **state)
{
	struct client *c = client_new(*state);
	assert_lang(c, "/login", "sv-SE,sv;q=0.9,en-US;q=0.8,en;q=0.7", "sv");
	assert_lang(c, "/login", "nl-NL,nl;q=0.9", "nl");
	assert_lang(c, "/login", "fr-FR,fr;q=0.9,nl;q=0.5", "nl");
	client_free(c);
}

static void saved_locale_wins(void **state)
{
	struct client *c = signed_in_client(*state, "bodil", NULL);
	assert_lang(c, "/settings", "nl", "nl");
	char *csrf = page_csrf(c, "/settings");
	assert_non_null(csrf);
	struct response *r = http_post_form(
		c, "/settings", STRS("name", "Bodil Svensson", "locale", "sv", "csrf", csrf), NULL);
	if (r->status != 200 && r->status != 303)
		harness_fail_response(r, __FILE__, __LINE__, "saving settings: expected 200/303");
	response_free(r);
	assert_lang(c, "/settings", "nl", "sv");
	assert_lang(c, "/", "nl", "sv");
	r = http_get(c, "/api/v1/me", NULL);
	assert_jstr(r, "locale", "sv");
	assert_jstr(r, "name", "Bodil Svensson");
	response_free(r);
	client_free(c);
}

static void access_log_lines(void **state)
{
	const struct server *s = *state;
	struct client *c = client_new(s);
	struct response *r = http_get(c, "/healthz", NULL);
	assert_status(r, 200);
	response_free(r);
	r = http_get(c, "/no/such/page", NULL);
	assert_status(r, 404);
	response_free(r);
	r = api_login(c, "nobody", "wrong password");
	assert_status(r, 401);
	response_free(r);
	client_free(c);

	if (!server_log_has_line(s, 3000, STRS("GET", "/healthz", "200")) ||
	    !server_log_has_line(s, 3000, STRS("GET", "/no/such/page", "404")) ||
	    !server_log_has_line(s, 3000, STRS("POST", "/api/v1/login", "401"))) {
		server_log_dump(s, 3000);
		fail_msg("the access log lacks a line with method, path and status");
	}
}

/* "GET /healthz 200 27 412us 1q": the bytes, the microseconds and the
 * statements run. */
static void access_log_format(void **state)
{
	const struct server *s = *state;
	struct client *c = client_new(s);
	struct response *r = http_get(c, "/healthz", NULL);
	assert_status(r, 200);
	size_t bytes = r->body_len;
	response_free(r);
	client_free(c);

	char pattern[128];
	snprintf(pattern, sizeof pattern, "GET /healthz 200 %zu [0-9]+us [0-9]+q$", bytes);
	regex_t re;
	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB | REG_NEWLINE), 0);
	bool found = false;
	for (int waited = 0; waited < 3000 && !found; waited += 50) {
		char *log = server_log(s);
		found = regexec(&re, log, 0, NULL, 0) == 0;
		free(log);
		if (!found) {
			struct timespec ts = {0, 50 * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	regfree(&re);
	if (!found) {
		server_log_dump(s, 3000);
		fail_msg("no access log line matches /%s/", pattern);
	}
}

static void graceful_shutdown(void **state)
{
	struct server *s = *state;
	struct client *c = client_new(s);
	struct response *r = http_get(c, "/healthz", NULL);
	assert_status(r, 200);
	response_free(r);
	client_free(c);
	int status = server_stop(s, 5);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		server_log_dump(s, 3000);
		fail_msg("SIGTERM: expected exit status 0 within 5 s, got %s %d",
			 status == -1 ? "no exit (killed)" :
			 WIFEXITED(status) ? "exit status" : "signal",
			 status == -1 ? 0 :
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	}
}

/* A client that keeps its connection open must not hold up the shutdown. */
static void graceful_shutdown_with_idle_connection(void **state)
{
	struct server *s = *state;
	struct client *c = client_new(s);
	struct response *r = http_get(c, "/login", NULL); /* keep-alive stays open */
	assert_status(r, 200);
	response_free(r);
	int status = server_stop(s, 5);
	client_free(c);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		server_log_dump(s, 3000);
		fail_msg("SIGTERM with an idle keep-alive connection: expected exit status 0 "
			 "within 5 s, got %s %d",
			 status == -1 ? "no exit (killed)" :
			 WIFEXITED(status) ? "exit status" : "signal",
			 status == -1 ? 0 :
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	}
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(security_headers_everywhere),
		T(security_headers_signed_in),
		T(head_request),
		T(static_asset),
		T(static_unknown_file),
		T(locale_from_accept_language),
		T(locale_browser_style_header),
		T(saved_locale_wins),
		T(access_log_lines),
		T(access_log_format),
		T(graceful_shutdown),
		T(graceful_shutdown_with_idle_connection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
