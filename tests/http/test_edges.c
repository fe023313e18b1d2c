/* Edge cases found in review, each kept as a regression test: redirects
 * after sign-in, answers of deleted questions, members-only communities
 * probed by visitors, tags on answers, past needed-by dates, partial
 * community edits, comment counts, and import's field rules. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* A signed-in client with its CSRF header ready. */
struct member {
	struct client *c;
	char header[128];
	const char *headers[2];
};

static struct member *sign_in(const struct server *s, const char *handle)
{
	struct member *m = harness_keep(calloc(1, sizeof(*m)));
	m->c = signed_in_client(s, handle, NULL);
	char *csrf = page_csrf(m->c, "/settings");
	snprintf(m->header, sizeof(m->header), "X-CSRF-Token: %s", csrf);
	m->headers[0] = m->header;
	return m;
}

static struct response *post(struct member *m, const char *path, const char *json)
{
	return http_post_json(m->c, path, json, m->headers);
}

static int64_t id_of(struct response *r)
{
	int64_t id = json_integer_value(json_object_get(r->json, "id"));
	response_free(r);
	return id;
}

static void expect(struct response *r, long status)
{
	if (r->status != status)
		harness_fail_response(r, __FILE__, __LINE__, "expected %ld", status);
	response_free(r);
}

static int run(const char *fmt, const char *arg1, const char *arg2)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), fmt, getenv("KRING_BIN"), arg1, arg2);
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void next_cannot_leave_the_site(void **state)
{
	const struct server *s = *state;
	struct client *c = client_new(s);
	assert_true(api_signup(c, "ines", TEST_PASSWORD) > 0);
	client_free(c);
	const char *bad[] = {"/\t/evil.example", "/\\evil.example", "//evil.example", "/%09/x\r\n", "https://evil.example"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = client_new(s);
		char *csrf = page_csrf(c, "/login");
		struct response *r = http_post_form(c, "/login", STRS("csrf", csrf, "login", "ines", "password",
								     TEST_PASSWORD, "next", bad[i]), NULL);
		assert_int_equal(r->status, 303);
		assert_string_equal(response_header(r, "Location"), "/");
		response_free(r);
		client_free(c);
	}
	/* a plain path on the site is kept */
	c = client_new(s);
	char *csrf = page_csrf(c, "/login");
	struct response *r = http_post_form(c, "/login", STRS("csrf", csrf, "login", "ines", "password", TEST_PASSWORD,
							     "next", "/questions?status=accepted"), NULL);
	assert_string_equal(response_header(r, "Location"), "/questions?status=accepted");
	response_free(r);
	client_free(c);
}

/* Sets up a community "club" (visibility as given) hosted by admin "root". */
static struct member *club(const struct server *s, const char *visibility)
{
	assert_int_equal(kring_user_add(s, "root", "root@example.org", "Root", "--admin", TEST_PASSWORD), 0);
	struct client *c = client_new(s);
	struct response *r = html_login(c, "root", TEST_PASSWORD);
	response_free(r);
	struct member *root = harness_keep(calloc(1, sizeof(*root)));
	root->c = c;
	char *csrf = page_csrf(c, "/settings");
	snprintf(root->header, sizeof(root->header), "X-CSRF-Token: %s", csrf);
	root->headers[0] = root->header;
	char body[256];
	snprintf(body, sizeof(body), "{\"slug\":\"club\",\"name\":\"Club\",\"description\":\"Kept **text**\","
		 "\"visibility\":\"%s\",\"join_policy\":\"open\"}", visibility);
	expect(post(root, "/api/v1/c", body), 201);
	return root;
}

static void answers_go_with_their_question(void **state)
{
	const struct server *s = *state;
	struct member *root = club(s, "public");
	struct member *b = sign_in(s, "bea");
	expect(post(b, "/api/v1/c/club/join", "{}"), 200);
	int64_t q = id_of(post(root, "/api/v1/c/club/items", "{\"kind\":\"question\",\"title\":\"Doomed question\",\"tags\":[\"doom\"]}"));
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/items/%lld/answers", (long long)q);
	int64_t a = id_of(post(b, path, "{\"body\":\"An answer to it\"}"));
	/* answers take no tags of their own */
	snprintf(path, sizeof(path), "/api/v1/items/%lld/edit", (long long)a);
	expect(post(b, path, "{\"body\":\"An answer to it, edited\",\"tags\":[\"sneaky\"]}"), 200);
	struct response *r = http_get(b->c, "/api/v1/tags/sneaky", NULL);
	assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
	response_free(r);
	/* a comment on the answer counts on the answer, not on the question */
	snprintf(path, sizeof(path), "/api/v1/items/%lld/comments", (long long)a);
	expect(post(root, path, "{\"body\":\"Thanks\"}"), 201);
	r = http_get(b->c, "/api/v1/questions", NULL);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(r->json, "items"), 0),
							    "comment_count")), 0);
	response_free(r);
	/* deleting the question takes its answers along */
	snprintf(path, sizeof(path), "/api/v1/items/%lld/delete", (long long)q);
	expect(post(root, path, "{}"), 200);
	snprintf(path, sizeof(path), "/api/v1/items/%lld", (long long)a);
	expect(http_get(b->c, path, NULL), 404);
	snprintf(path, sizeof(path), "/api/v1/items/%lld/revisions", (long long)a);
	expect(http_get(b->c, path, NULL), 404);
	snprintf(path, sizeof(path), "/api/v1/items/%lld/comments", (long long)a);
	expect(post(b, path, "{\"body\":\"Too late\"}"), 404);
	r = http_get(b->c, "/api/v1/people/bea", NULL);
	assert_null(strstr(r->body, "Doomed question"));
	response_free(r);
	/* a second delete changes nothing */
	snprintf(path, sizeof(path), "/api/v1/items/%lld/delete", (long long)q);
	expect(post(root, path, "{}"), 404);
}

static void members_only_is_not_probed_by_visitors(void **state)
{
	const struct server *s = *state;
	club(s, "members");
	struct client *v = client_new(s);
	struct response *r = http_get(v, "/api/v1/questions?community=club", NULL);
	struct response *none = http_get(v, "/api/v1/questions?community=no-such-club", NULL);
	assert_int_equal(r->status, 404);
	assert_string_equal(r->body, none->body);
	response_free(r);
	response_free(none);
	client_free(v);
}

static void partial_community_edit_keeps_the_rest(void **state)
{
	struct member *root = club(*state, "public");
	expect(post(root, "/api/v1/c/club/edit", "{\"name\":\"Club renamed\"}"), 200);
	struct response *r = http_get(root->c, "/api/v1/c/club", NULL);
	assert_string_equal(json_string_value(json_object_get(r->json, "name")), "Club renamed");
	assert_string_equal(json_string_value(json_object_get(r->json, "description")), "Kept **text**");
	response_free(r);
}

static void past_needed_by_survives_an_edit(void **state)
{
	const struct server *s = *state;
	/* Only an import can date a question in the past. */
	char path[512];
	snprintf(path, sizeof(path), "%s/past.jsonl", s->dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"type\":\"person\",\"handle\":\"old\",\"name\":\"Old\",\"email\":\"old@example.org\",\"password\":\"an old password\"}\n"
	      "{\"type\":\"community\",\"slug\":\"past\",\"name\":\"Past\",\"visibility\":\"public\",\"join_policy\":\"open\",\"hosts\":[\"old\"]}\n"
	      "{\"type\":\"item\",\"ref\":\"q\",\"kind\":\"question\",\"community\":\"past\",\"author\":\"old\","
	      "\"title\":\"Late question\",\"needed_by_days\":-3,\"days_ago\":10}\n", f);
	fclose(f);
	assert_int_equal(run("'%s' import '%s' --db '%s' >/dev/null 2>&1", path, s->db), 0);
	struct client *c = client_new(s);
	struct response *r = html_login(c, "old", "an old password");
	assert_int_equal(r->status, 303);
	response_free(r);
	struct member m = {.c = c};
	char *csrf = page_csrf(c, "/settings");
	snprintf(m.header, sizeof(m.header), "X-CSRF-Token: %s", csrf);
	m.headers[0] = m.header;
	/* the edit form sends the stored date back unchanged */
	r = http_get(c, "/api/v1/items/1/edit", NULL);
	const char *date = json_string_value(json_object_get(json_object_get(r->json, "values"), "needed_by"));
	assert_int_equal(strlen(date), 10);
	char body[200];
	snprintf(body, sizeof(body), "{\"title\":\"Late question, clearer\",\"needed_by\":\"%s\"}", date);
	response_free(r);
	expect(post(&m, "/api/v1/items/1/edit", body), 200);
	/* a new date in the past is still refused */
	expect(post(&m, "/api/v1/items/1/edit", "{\"needed_by\":\"2001-01-01\"}"), 422);
	/* and a date that does not exist */
	expect(post(&m, "/api/v1/items/1/edit", "{\"needed_by\":\"2099-02-31\"}"), 422);
	client_free(c);
}

/* The import numbers its items itself: they follow the items before it,
 * and the items after it follow them. */
static void items_after_an_import_follow_its_items(void **state)
{
	const struct server *s = *state;
	struct member *root = club(s, "public");
	int64_t before = id_of(post(root, "/api/v1/c/club/items", "{\"kind\":\"question\",\"title\":\"Asked before\"}"));
	char path[512];
	snprintf(path, sizeof(path), "%s/thread.jsonl", s->dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"type\":\"person\",\"handle\":\"old\",\"name\":\"Old\",\"email\":\"old@example.org\"}\n"
	      "{\"type\":\"community\",\"slug\":\"past\",\"name\":\"Past\",\"visibility\":\"public\",\"join_policy\":\"open\",\"hosts\":[\"old\"]}\n"
	      "{\"type\":\"item\",\"ref\":\"q\",\"kind\":\"question\",\"community\":\"past\",\"author\":\"old\","
	      "\"title\":\"Imported question\"}\n"
	      "{\"type\":\"answer\",\"ref\":\"a\",\"question\":\"q\",\"author\":\"old\",\"body\":\"Imported answer\"}\n", f);
	fclose(f);
	assert_int_equal(run("'%s' import '%s' --db '%s' >/dev/null 2>&1", path, s->db), 0);
	int64_t after = id_of(post(root, "/api/v1/c/club/items", "{\"kind\":\"question\",\"title\":\"Asked after\"}"));
	assert_int_equal(after, before + 3);
	char item[64];
	snprintf(item, sizeof(item), "/api/v1/items/%lld", (long long)(before + 1));
	struct response *r = http_get(root->c, item, NULL);
	assert_int_equal(r->status, 200);
	assert_string_equal(json_string_value(json_path(r->json, "title")), "Imported question");
	json_t *answers = json_path(r->json, "answers");
	assert_int_equal(json_array_size(answers), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(answers, 0), "id")), before + 2);
	response_free(r);
}

static void import_applies_the_field_rules(void **state)
{
	const struct server *s = *state;
	const char *lines[][2] = {
		{"{\"type\":\"person\",\"handle\":\"../admin\",\"name\":\"X\",\"email\":\"x@example.org\"}", "A handle"},
		{"{\"type\":\"person\",\"handle\":\"okay\",\"name\":\"X\",\"email\":\"not-an-email\"}", "valid e-mail"},
		{"{\"type\":\"person\",\"handle\":\"okay\",\"name\":\"Two\\nlines\",\"email\":\"y@example.org\"}", "control characters"},
		{"{\"type\":\"org\",\"slug\":\"Bad Slug/x\",\"name\":\"X\"}", "short name"},
		{"{\"type\":\"org\",\"slug\":\"good\",\"name\":\"X\",\"website\":\"javascript:alert(1)\"}", "http://"},
		{"{\"type\":\"community\",\"slug\":\"Bad Slug\",\"name\":\"X\",\"visibility\":\"public\",\"join_policy\":\"open\"}", "An address"},
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char path[512], out[512];
		snprintf(path, sizeof(path), "%s/bad%zu.jsonl", s->dir, i);
		snprintf(out, sizeof(out), "%s/out%zu.txt", s->dir, i);
		FILE *f = fopen(path, "w");
		fprintf(f, "%s\n", lines[i][0]);
		fclose(f);
		char cmd[2048];
		snprintf(cmd, sizeof(cmd), "'%s' import '%s' --db '%s' >'%s' 2>&1", getenv("KRING_BIN"), path, s->db, out);
		int rc = system(cmd);
		assert_int_equal(WEXITSTATUS(rc), 1);
		f = fopen(out, "r");
		char text[1024] = "";
		size_t n = fread(text, 1, sizeof(text) - 1, f);
		text[n] = '\0';
		fclose(f);
		if (!strstr(text, "line 1: ") || !strstr(text, lines[i][1])) {
			fprintf(stderr, "import of %s said: %s\n", lines[i][0], text);
			fail();
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(next_cannot_leave_the_site, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(answers_go_with_their_question, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(members_only_is_not_probed_by_visitors, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(partial_community_edit_keeps_the_rest, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(past_needed_by_survives_an_edit, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(items_after_an_import_follow_its_items, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(import_applies_the_field_rules, server_setup, server_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
