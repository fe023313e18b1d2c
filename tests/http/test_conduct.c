/* test_conduct: admins publish versions of the code of conduct; signing up
 * takes accepting the current one, recorded with its version; members are
 * asked to accept a new version (features/conduct.h). */
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long count(const struct server *s, const char *sql)
{
	return strtol(sql_rows(s, sql), NULL, 10);
}

static struct response *publish(struct actor *a, const char *body)
{
	return apost(a, "/api/v1/admin/conduct", json_pack("{s:s}", "body", body));
}

static void admins_publish_versions(void **state)
{
	const struct server *s = *state;
	struct actor *root, *ana;
	sign_up_cast(s, &root, &ana, NULL, NULL);
	struct actor *v = visitor(s);
	/* none yet: the page says so, the footer leads there */
	struct response *r = aget(v, "/conduct");
	assert_status(r, 200);
	assert_body_contains(r, "No code of conduct has been written yet.");
	assert_body_contains(r, "href=\"/conduct\"");
	response_free(r);
	/* only admins write it */
	r = publish(ana, "Be nice.");
	assert_status(r, 403);
	response_free(r);
	r = aget(ana, "/admin/conduct");
	assert_status(r, 403);
	response_free(r);
	r = publish(root, "   ");
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "body");
	response_free(r);
	r = fpost(root, "/admin/conduct", STRS("body", ""));
	assert_status(r, 422);
	assert_body_contains(r, "Write the code of conduct.");
	response_free(r);
	r = publish(root, "Be kind. **Respect** each other.");
	assert_status(r, 201);
	assert_int_equal(jint(r, "number"), 1);
	response_free(r);
	r = publish(root, "Be kind. **Respect** each other. No advertising.");
	assert_status(r, 201);
	assert_int_equal(jint(r, "number"), 2);
	response_free(r);
	/* the current one is public, rendered; the earlier one readable */
	r = aget(v, "/conduct");
	assert_status(r, 200);
	assert_body_contains(r, "<strong>Respect</strong>");
	assert_body_contains(r, "No advertising.");
	response_free(r);
	r = aget(v, "/api/v1/conduct?version=1");
	assert_status(r, 200);
	assert_int_equal(jint(r, "version.number"), 1);
	assert_false(json_is_true(json_path(r->json, "current")));
	assert_null(strstr(response_jstr(r, "version.body"), "advertising"));
	response_free(r);
	r = aget(v, "/conduct?version=9");
	assert_status(r, 404);
	response_free(r);
	/* the admin's page lists every version, with who and when */
	r = aget(root, "/api/v1/admin/conduct");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "versions"), 2);
	assert_int_equal(json_integer_value(jat(r, "versions", 0, "number")), 2);
	assert_string_equal(json_string_value(json_path(jat(r, "versions", 1, "author"), "handle")), "root");
	response_free(r);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'conduct.published'"), 2);
}

static void signing_up_takes_accepting_it(void **state)
{
	const struct server *s = *state;
	struct actor *root;
	sign_up_cast(s, &root, NULL, NULL, NULL);
	/* without a code of conduct, signing up works as before */
	struct client *c = client_new(s);
	assert_true(api_signup(c, "early", "a long password 1") > 0);
	struct response *r = publish(root, "Be kind.");
	assert_status(r, 201);
	response_free(r);
	/* the form asks for it; without it nothing is created and what was
	 * typed stays */
	r = http_get(c, "/signup", NULL);
	assert_body_contains(r, "name=\"conduct\" value=\"1\"");
	response_free(r);
	r = html_signup(c, "carl", "Carl Carlsson", "carl@example.com", "a long password 1");
	assert_status(r, 422);
	assert_body_contains(r, "Read the code of conduct and accept it to sign up.");
	assert_body_contains(r, "value=\"carl\"");
	assert_body_contains(r, "value=\"Carl Carlsson\"");
	assert_body_contains(r, "value=\"carl@example.com\"");
	response_free(r);
	r = json_signup(c, "carl", "Carl Carlsson", "carl@example.com", "a long password 1");
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "conduct");
	response_free(r);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM users WHERE handle = 'carl'"), 0);
	/* accepting an older version than the current is not enough */
	r = publish(root, "Be kind. Be patient.");
	assert_status(r, 201);
	response_free(r);
	r = http_post_jsonv(c, "/api/v1/signup",
			    json_pack("{s:s, s:s, s:s, s:s, s:i}", "handle", "carl", "name", "Carl", "email",
				      "carl@example.com", "password", "a long password 1", "conduct", 1),
			    NULL);
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "conduct");
	response_free(r);
	/* the form with the box ticked */
	char *csrf = page_csrf(c, "/signup");
	r = http_post_form(c, "/signup",
			   STRS("handle", "carl", "name", "Carl", "email", "carl@example.com", "password",
				"a long password 1", "conduct", "2", "csrf", csrf ? csrf : ""),
			   NULL);
	assert_true(r->status == 201 || r->status == 303);
	response_free(r);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM conduct_acceptances a JOIN users u ON u.id = a.user_id"
				  " WHERE u.handle = 'carl' AND a.version = 2"),
			 1);
	client_free(c);
}

static void members_are_asked_to_accept_a_new_version(void **state)
{
	const struct server *s = *state;
	struct actor *root;
	sign_up_cast(s, &root, NULL, NULL, NULL);
	struct response *r = publish(root, "Be kind.");
	assert_status(r, 201);
	response_free(r);
	struct client *c = client_new(s);
	r = http_post_jsonv(c, "/api/v1/signup",
			    json_pack("{s:s, s:s, s:s, s:s, s:i}", "handle", "dan", "name", "Dan", "email",
				      "dan@example.com", "password", "a long password 1", "conduct", 1),
			    NULL);
	assert_status(r, 201);
	response_free(r);
	struct actor *dan = actor_wrap(c, "dan");
	r = aget(dan, "/");
	assert_status(r, 200);
	assert_null(strstr(r->body, "conduct-banner"));
	response_free(r);
	/* a new version: dan is asked, not locked out */
	r = publish(root, "Be kind. Be patient.");
	assert_status(r, 201);
	response_free(r);
	r = aget(dan, "/");
	assert_status(r, 200);
	assert_body_contains(r, "conduct-banner");
	assert_body_contains(r, "The code of conduct has changed.");
	response_free(r);
	r = aget(dan, "/conduct");
	assert_body_contains(r, "action=\"/conduct/accept\"");
	response_free(r);
	/* accepting what is no longer current is refused */
	r = apost(dan, "/api/v1/conduct/accept", json_pack("{s:i}", "version", 1));
	assert_error(r, 409, "changed");
	response_free(r);
	r = apost(dan, "/api/v1/conduct/accept", json_pack("{s:i}", "version", 2));
	assert_status(r, 200);
	response_free(r);
	r = aget(dan, "/");
	assert_null(strstr(r->body, "conduct-banner"));
	response_free(r);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM conduct_acceptances a JOIN users u ON u.id = a.user_id"
				  " WHERE u.handle = 'dan'"),
			 2);
	/* the admin who wrote it is not asked */
	r = aget(root, "/");
	assert_null(strstr(r->body, "conduct-banner"));
	response_free(r);
	/* a visitor has nothing to accept */
	r = apost(visitor(s), "/api/v1/conduct/accept", NULL);
	assert_status(r, 401);
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(admins_publish_versions),
		T(signing_up_takes_accepting_it),
		T(members_are_asked_to_accept_a_new_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
