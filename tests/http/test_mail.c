/* test_mail: e-mail end to end. A real SMTP server on loopback
 * (smtp_sink.h) takes what kring sends when it runs with --smtp-url;
 * without it, messages become .eml files that admins see at /admin/mail.
 * Covered: the password reset mail's headers and both parts, its link
 * working once and not after an hour, every session and token ending, the
 * same answer for an unknown address; the welcome and the taken-address
 * notice of sign-up; two nodes sending each message once; a rolled-back
 * request queuing nothing; and an SMTP server that refuses a message
 * getting it later. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"
#include "smtp_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define NEW_PASSWORD "a brand new passphrase"
/* Zoë Ångström: a name that needs encoded words in the To header */
#define ZOE_NAME "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m"
#define ZOE_EMAIL "zoe@example.org"

static struct smtp_sink *sink;

/* ---- set-up --------------------------------------------------------------------- */

/* A server with a test clock that sends through the SMTP sink. */
static int smtp_setup(void **state)
{
	return smtp_server_setup(state, &sink, 0);
}

static int smtp_teardown(void **state)
{
	return smtp_server_teardown(state, &sink, server_teardown);
}

/* Without --smtp-url mail goes to .eml files beside the SQLite file (on
 * PostgreSQL the harness gives the server's directory). */
static const char *eml_dir(const struct server *s)
{
	static char dir[400];
	snprintf(dir, sizeof dir, "%s/mail", s->dir);
	return dir;
}

/* ---- steps --------------------------------------------------------------------- */

static void add_zoe(const struct server *s)
{
	assert_int_equal(kring_user_add(s, "zoe", ZOE_EMAIL, ZOE_NAME, NULL, TEST_PASSWORD), 0);
}

static struct response *forgot(const struct server *s, const char *email)
{
	struct client *c = client_new(s);
	return http_post_jsonv(c, "/api/v1/password/forgot", json_pack("{s:s}", "email", email), NULL);
}

static const char *count_of(const struct server *s, const char *sql)
{
	const char *rows = sql_rows(s, sql);
	static char n[32];
	snprintf(n, sizeof n, "%.*s", (int)strcspn(rows, "\n"), rows);
	return n;
}

/* The token of the reset link in a message's plain-text part. */
static const char *link_token(json_t *mail)
{
	const char *text = mail_part(mail, "text/plain");
	assert_non_null(text);
	const char *at = strstr(text, "/password/reset/");
	assert_non_null(at);
	at += strlen("/password/reset/");
	return harness_strndup(at, strcspn(at, " \r\n<>\""));
}

/* Waits for the n-th message from the sink and reads it. */
static json_t *nth_mail(int n)
{
	assert_true(smtp_sink_wait(sink, n, 15000) >= n);
	return mail_parse(smtp_sink_file(sink, n - 1));
}

/* ---- tests --------------------------------------------------------------------- */

/* The reset mail arrives over SMTP, well formed, with both parts in the
 * member's language; its link sets a new password once, and every session
 * and API token of the account ends. */
static void reset_by_smtp(void **state)
{
	struct server *s = *state;
	add_zoe(s);
	run_sql(s, "UPDATE users SET locale = 'sv' WHERE handle = 'zoe'");
	struct client *browser = client_new(s), *laptop = client_new(s);
	struct response *r = html_login(browser, "zoe", TEST_PASSWORD);
	assert_status(r, 303);
	response_free(r);
	r = api_login(laptop, ZOE_EMAIL, TEST_PASSWORD);
	assert_status(r, 200);
	response_free(r);
	struct actor *zoe = actor_wrap(laptop, "zoe");
	r = apost(zoe, "/api/v1/settings/tokens",
		  json_pack("{s:s, s:[ss]}", "name", "script", "scopes", "read", "write"));
	assert_status(r, 201);
	const char *api_token = harness_strdup(response_jstr(r, "token"));
	response_free(r);

	r = forgot(s, ZOE_EMAIL);
	assert_status(r, 202);
	response_free(r);
	json_t *mail = nth_mail(1);

	/* headers */
	assert_int_equal(json_array_size(json_object_get(mail, "defects")), 0);
	assert_true(json_is_true(json_object_get(mail, "crlf_only")));
	assert_true(json_integer_value(json_object_get(mail, "longest_line")) <= 78);
	assert_string_equal(json_string_value(json_object_get(mail, "to_address")), ZOE_EMAIL);
	assert_string_equal(json_string_value(json_object_get(mail, "to_name")), ZOE_NAME);
	assert_string_equal(json_string_value(json_object_get(mail, "subject")), "Återställ ditt lösenord på kring");
	assert_non_null(strstr(json_string_value(json_object_get(mail, "raw_headers")), "Subject: =?UTF-8?B?"));
	assert_string_equal(json_string_value(json_object_get(mail, "from")), "kring <kring@localhost>");
	assert_string_equal(json_string_value(json_object_get(mail, "mime_version")), "1.0");
	assert_string_equal(json_string_value(json_object_get(mail, "content_type")), "multipart/alternative");
	const char *message_id = json_string_value(json_object_get(mail, "message_id"));
	assert_true(message_id && message_id[0] == '<' && strchr(message_id, '@') && message_id[strlen(message_id) - 1] == '>');
	double sent = json_real_value(json_object_get(mail, "date"));
	assert_true(sent > (double)(test_clock_now() - 60) && sent <= (double)test_clock_now());
	json_t *counts = json_object_get(mail, "header_count");
	const char *once[] = {"date", "message-id", "from", "to", "subject", "mime-version", "content-type"};
	for (size_t i = 0; i < sizeof once / sizeof once[0]; i++)
		assert_int_equal(json_integer_value(json_object_get(counts, once[i])), 1);
	/* both parts, UTF-8, with the link */
	json_t *parts = json_object_get(mail, "parts");
	assert_int_equal(json_array_size(parts), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *p = json_array_get(parts, i);
		assert_string_equal(json_string_value(json_object_get(p, "charset")), "utf-8");
		assert_string_equal(json_string_value(json_object_get(p, "encoding")), "quoted-printable");
		assert_int_equal(json_array_size(json_object_get(p, "defects")), 0);
	}
	const char *text = mail_part(mail, "text/plain"), *html = mail_part(mail, "text/html");
	assert_non_null(html);
	assert_non_null(strstr(text, "Hej " ZOE_NAME ","));
	assert_non_null(strstr(html, "Hej " ZOE_NAME ","));
	const char *token = link_token(mail);
	char link[300];
	snprintf(link, sizeof link, "%s/password/reset/%s", s->origin, token);
	assert_non_null(strstr(text, link));
	char href[320];
	snprintf(href, sizeof href, "href=\"%s\"", link);
	assert_non_null(strstr(html, href));
	json_decref(mail);
	/* Only a hash of the token is kept, and the sent message is gone. */
	assert_null(strstr(sql_rows(s, "SELECT token_hash FROM password_resets"), token));
	assert_string_equal(count_of(s, "SELECT count(*) FROM mail_outbox WHERE message = '' AND sent_to = 'smtp'"), "1");

	/* the link */
	char path[300];
	snprintf(path, sizeof path, "/password/reset/%s", token);
	struct client *stranger = client_new(s);
	r = http_get(stranger, path, NULL);
	assert_status(r, 200);
	assert_body_contains(r, "name=\"password\"");
	assert_header_equal(r, "Cache-Control", "no-store");
	response_free(r);
	snprintf(path, sizeof path, "/api/v1/password/reset/%s", token);
	r = http_post_jsonv(stranger, path, json_pack("{s:s}", "password", "short"), NULL);
	assert_status(r, 422);
	response_free(r);
	r = http_post_jsonv(stranger, path, json_pack("{s:s}", "password", NEW_PASSWORD), NULL);
	assert_status(r, 200);
	response_free(r);

	/* every session and token ended */
	assert_signed_out(browser);
	assert_signed_out(laptop);
	struct client *script = client_new(s);
	client_set_bearer(script, api_token);
	r = http_get(script, "/api/v1/me", NULL);
	assert_status(r, 401);
	response_free(r);
	/* the new password works, the old one does not */
	struct client *again = client_new(s);
	r = api_login(again, "zoe", TEST_PASSWORD);
	assert_status(r, 401);
	response_free(r);
	r = api_login(again, "zoe", NEW_PASSWORD);
	assert_status(r, 200);
	response_free(r);

	/* once */
	r = http_post_jsonv(stranger, path, json_pack("{s:s}", "password", "yet another passphrase"), NULL);
	assert_error(r, 410, "link_expired");
	response_free(r);
	r = http_get(stranger, path + strlen("/api/v1"), NULL);
	assert_status(r, 410);
	response_free(r);
}

/* An address without an account gets the answer an account's gets, and
 * nothing is sent or stored for it. */
static void unknown_address(void **state)
{
	struct server *s = *state;
	add_zoe(s);
	struct response *known = forgot(s, ZOE_EMAIL), *unknown = forgot(s, "nobody@example.org");
	assert_int_equal(known->status, 202);
	assert_int_equal(unknown->status, known->status);
	assert_string_equal(unknown->body, known->body);
	response_free(known);
	response_free(unknown);
	/* the HTML form too */
	const char *locations[2];
	const char *emails[2] = {ZOE_EMAIL, "nobody@example.org"};
	for (int i = 0; i < 2; i++) {
		struct actor *v = visitor(s);
		const char *csrf = page_csrf(v->c, "/password/forgot");
		assert_non_null(csrf);
		struct response *r = http_post_form(v->c, "/password/forgot", STRS("email", emails[i], "csrf", csrf), NULL);
		assert_status(r, 303);
		locations[i] = harness_strdup(response_header(r, "Location"));
		response_free(r);
	}
	assert_string_equal(locations[0], locations[1]);
	struct response *r = http_get(client_new(s), locations[1], NULL);
	assert_status(r, 200);
	assert_body_contains(r, "If an account has this address");
	response_free(r);

	assert_int_equal(smtp_sink_wait(sink, 2, 15000), 2);
	assert_string_equal(count_of(s, "SELECT count(*) FROM mail_outbox"), "2");
	assert_string_equal(count_of(s, "SELECT count(*) FROM mail_outbox WHERE to_address = 'zoe@example.org'"), "2");
	assert_string_equal(count_of(s, "SELECT count(*) FROM password_resets"), "2");
	/* A wrong address is an error of the form, as anywhere. */
	r = forgot(s, "not an address");
	assert_status(r, 422);
	response_free(r);
}

/* A link works for an hour. */
static void link_lapses(void **state)
{
	struct server *s = *state;
	add_zoe(s);
	struct response *r = forgot(s, ZOE_EMAIL);
	assert_status(r, 202);
	response_free(r);
	json_t *mail = nth_mail(1);
	char path[300];
	snprintf(path, sizeof path, "/api/v1/password/reset/%s", link_token(mail));
	json_decref(mail);
	test_clock_advance(3599);
	r = http_get(client_new(s), path, NULL);
	assert_status(r, 200);
	response_free(r);
	test_clock_advance(2);
	r = http_get(client_new(s), path, NULL);
	assert_error(r, 410, "link_expired");
	response_free(r);
	r = http_post_jsonv(client_new(s), path, json_pack("{s:s}", "password", NEW_PASSWORD), NULL);
	assert_error(r, 410, "link_expired");
	response_free(r);
	r = api_login(client_new(s), "zoe", TEST_PASSWORD);
	assert_status(r, 200);
	response_free(r);
}

/* An SMTP server that refuses a message gets it again later, once. */
static void smtp_refusal_retried(void **state)
{
	struct server *s = *state;
	add_zoe(s);
	smtp_sink_fail(sink, true);
	struct response *r = forgot(s, ZOE_EMAIL);
	assert_status(r, 202);
	response_free(r);
	/* The first attempt fails and is recorded. */
	for (int waited = 0; waited < 15000; waited += 50) {
		if (strcmp(count_of(s, "SELECT count(*) FROM mail_outbox WHERE attempts = 1 AND last_error IS NOT NULL"),
			   "1") == 0)
			break;
		usleep(50 * 1000);
	}
	struct actor *admin = staff(s, "admin", "--admin");
	r = aget(admin, "/api/v1/admin/mail");
	assert_status(r, 200);
	assert_string_equal(jat_str(r, "items", 0, "state"), "retrying");
	assert_non_null(strstr(jat_str(r, "items", 0, "last_error"), "451"));
	response_free(r);
	assert_int_equal(smtp_sink_count(sink), 0);

	/* Not before its backoff has passed, then once. */
	smtp_sink_fail(sink, false);
	usleep(1500 * 1000);
	assert_int_equal(smtp_sink_count(sink), 0);
	test_clock_advance(31);
	json_t *mail = nth_mail(1);
	assert_string_equal(json_string_value(json_object_get(mail, "to_address")), ZOE_EMAIL);
	json_decref(mail);
	for (int waited = 0; waited < 5000; waited += 50) {
		if (strcmp(count_of(s, "SELECT count(*) FROM mail_outbox WHERE sent_at IS NOT NULL"), "1") == 0)
			break;
		usleep(50 * 1000);
	}
	r = aget(admin, "/api/v1/admin/mail");
	assert_string_equal(jat_str(r, "items", 0, "state"), "sent");
	assert_int_equal(json_integer_value(jat(r, "items", 0, "attempts")), 2);
	response_free(r);
	usleep(1500 * 1000);
	assert_int_equal(smtp_sink_count(sink), 1);
}

/* Without --smtp-url, a message is an .eml file beside the database, and
 * admins (only) see it listed at /admin/mail. */
static void eml_file_listed_for_admins(void **state)
{
	struct server *s = *state;
	add_zoe(s);
	struct response *r = forgot(s, ZOE_EMAIL);
	assert_status(r, 202);
	response_free(r);
	struct actor *admin = staff(s, "admin", "--admin");
	const char *file = NULL;
	for (int waited = 0; waited < 15000 && !file; waited += 50) {
		r = aget(admin, "/api/v1/admin/mail");
		assert_status(r, 200);
		if (jlen(r, "items") == 1 && strcmp(jat_str(r, "items", 0, "state"), "sent") == 0)
			file = harness_strdup(jat_str(r, "items", 0, "file"));
		else
			usleep(50 * 1000);
		if (file) {
			assert_string_equal(jat_str(r, "items", 0, "to"), ZOE_EMAIL);
			assert_string_equal(jat_str(r, "items", 0, "kind"), "password_reset");
			assert_string_equal(response_jstr(r, "directory"), eml_dir(s));
		}
		response_free(r);
	}
	assert_non_null(file);
	char path[700];
	snprintf(path, sizeof path, "%s/%s", eml_dir(s), file);
	json_t *mail = mail_parse(path);
	assert_string_equal(json_string_value(json_object_get(mail, "to_address")), ZOE_EMAIL);
	assert_non_null(mail_part(mail, "text/plain"));
	assert_non_null(mail_part(mail, "text/html"));
	assert_int_equal(json_array_size(json_object_get(mail, "defects")), 0);
	const char *token = link_token(mail);
	json_decref(mail);
	/* The link in the file works. */
	snprintf(path, sizeof path, "/password/reset/%s", token);
	r = http_get(client_new(s), path, NULL);
	assert_status(r, 200);
	response_free(r);

	r = aget(admin, "/admin/mail");
	assert_status(r, 200);
	assert_body_contains(r, file);
	assert_body_contains(r, ZOE_EMAIL);
	response_free(r);
	/* Members and visitors do not see it. */
	struct actor *sam = member(s, "sam");
	r = aget(sam, "/api/v1/admin/mail");
	assert_status(r, 403);
	response_free(r);
	r = http_get(client_new(s), "/api/v1/admin/mail", NULL);
	assert_status(r, 401);
	response_free(r);
}

/* A request that fails at any of its statements queues no mail and
 * stores no link; the one that goes through queues one. */
static void rolled_back_request_queues_nothing(void **state)
{
	struct server *s = *state;
	add_zoe(s);
	int n;
	for (n = 1; n <= 30; n++) {
		char fault[64];
		snprintf(fault, sizeof fault, "X-Kring-Fail-Statement: %d", n);
		struct response *r = http_post_json(client_new(s), "/api/v1/password/forgot",
						    "{\"email\": \"" ZOE_EMAIL "\"}", STRS(fault));
		bool injected = response_header(r, "X-Kring-Fault") != NULL;
		assert_int_equal(r->status, injected ? 500 : 202);
		response_free(r);
		const char *want = injected ? "0" : "1";
		assert_string_equal(count_of(s, "SELECT count(*) FROM mail_outbox"), want);
		assert_string_equal(count_of(s, "SELECT count(*) FROM password_resets"), want);
		assert_string_equal(count_of(s, "SELECT count(*) FROM jobs WHERE kind = 'mail'"), want);
		if (!injected)
			break;
	}
	assert_true(n > 3 && n <= 30);
}

/* Sign-up welcomes the new member in the language they use; signing up
 * with the address of an account tells its owner, a few times an hour at
 * most, and the answer tells the one signing up nothing. */
static void signup_mail(void **state)
{
	struct server *s = *state;
	struct client *c = client_new(s);
	struct response *r = http_post_jsonv(c, "/api/v1/signup",
					     json_pack("{s:s, s:s, s:s, s:s}", "handle", "piet", "name", "Piet de Vries",
						       "email", "piet@example.org", "password", TEST_PASSWORD),
					     STRS("Accept-Language: nl"));
	assert_status(r, 201);
	response_free(r);
	json_t *mail = nth_mail(1);
	assert_string_equal(json_string_value(json_object_get(mail, "to_address")), "piet@example.org");
	assert_string_equal(json_string_value(json_object_get(mail, "subject")), "Welkom bij kring");
	assert_non_null(strstr(mail_part(mail, "text/plain"), "Hallo Piet de Vries,"));
	assert_non_null(strstr(mail_part(mail, "text/html"), "@piet"));
	json_decref(mail);

	for (int i = 0; i < 5; i++) {
		char handle[32];
		snprintf(handle, sizeof handle, "piet%d", i);
		r = json_signup(client_new(s), handle, "Someone Else", "Piet@example.org", TEST_PASSWORD);
		assert_status(r, 202);
		response_free(r);
	}
	mail = nth_mail(2);
	assert_string_equal(json_string_value(json_object_get(mail, "to_address")), "piet@example.org");
	assert_string_equal(json_string_value(json_object_get(mail, "subject")),
			    "Someone tried to sign up with your address on kring");
	const char *text = mail_part(mail, "text/plain");
	assert_non_null(strstr(text, "@piet already"));
	char forgot_link[128];
	snprintf(forgot_link, sizeof forgot_link, "%s/password/forgot", s->origin);
	assert_non_null(strstr(text, forgot_link));
	json_decref(mail);
	assert_int_equal(smtp_sink_wait(sink, 4, 15000), 4);
	usleep(1500 * 1000);
	assert_int_equal(smtp_sink_count(sink), 4);
	assert_string_equal(count_of(s, "SELECT count(*) FROM mail_outbox WHERE kind = 'address_taken'"),
			    "3");
	assert_string_equal(count_of(s, "SELECT count(*) FROM users"), "1");
}

/* Two nodes on one database send each message once: whichever claims its
 * job. */
static void two_nodes_send_once(void **state)
{
	struct server *s = *state;
	struct server other;
	setenv("KRING_SMTP_URL", smtp_sink_url(sink), 1);
	int started = server_start_on(&other, s->db);
	unsetenv("KRING_SMTP_URL");
	assert_int_equal(started, 0);
	if (server_wait_ready(&other) != 0)
		fail_msg("the second node did not start");
	assert_int_equal(kring_user_add(s, "ann", "ann@example.org", "Ann", NULL, TEST_PASSWORD), 0);
	assert_int_equal(kring_user_add(s, "bo", "bo@example.org", "Bo", NULL, TEST_PASSWORD), 0);
	for (int i = 0; i < 6; i++) {
		struct response *r = forgot(i % 2 ? &other : s, i < 3 ? "ann@example.org" : "bo@example.org");
		assert_status(r, 202);
		response_free(r);
	}
	assert_int_equal(smtp_sink_wait(sink, 6, 15000), 6);
	usleep(2000 * 1000);
	assert_int_equal(smtp_sink_count(sink), 6);
	assert_string_equal(count_of(s, "SELECT count(*) FROM mail_outbox WHERE attempts = 1 AND sent_at IS NOT NULL"),
			    "6");
	assert_int_equal(server_stop(&other, 10), 0);
	server_cleanup(&other);
}

/* The mail settings are checked before kring serves: a mistake stops it
 * with a message rather than losing every message later. */
static void mail_settings_checked(void **state)
{
	(void)state;
	static const struct {
		const char *args, *message;
	} cases[] = {
		{"--smtp-url http://mail.example.org", "--smtp-url must start with smtp:// or smtps://"},
		{"--mail-from 'kring <kring@example.org>'", "--mail-from must be a plain e-mail address"},
		{"--base-url kring.example.org", "--base-url must start with http:// or https://"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = NULL;
		int rc = kring_command(&out, NULL, NULL, NULL, "serve --port 0 --db /nonexistent/kring.db %s",
				       cases[i].args);
		assert_int_equal(rc, 2);
		assert_non_null(strstr(out, cases[i].message));
	}
	harness_release_all();
}

int main(void)
{
	setenv("KRING_FAULT_INJECTION", "1", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(reset_by_smtp, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(unknown_address, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(link_lapses, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(smtp_refusal_retried, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(signup_mail, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(two_nodes_send_once, smtp_setup, smtp_teardown),
		cmocka_unit_test(mail_settings_checked),
		cmocka_unit_test_setup_teardown(eml_file_listed_for_admins, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(rolled_back_request_queues_nothing, server_setup, server_teardown),
	};
	return cmocka_run_group_tests_name("mail", tests, NULL, NULL);
}
