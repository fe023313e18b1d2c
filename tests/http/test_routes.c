/* Every GET route answers in both representations — the HTML page in the
 * site layout and JSON under /api/v1 — on the demo content. The list of
 * routes is read from src/routes.c, so a new page without an entry here
 * fails this test. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

struct sample {
	const char *pattern;  /* as in routes.c */
	const char *path;     /* a path that matches it on the demo data */
	int html, json;       /* expected statuses for an admin who is a member of fika */
	bool bytes;           /* answers bytes of its own (an image, a file), not a page or JSON */
};

/* ITEM is replaced by the id of a question the admin asked, FILE by the
 * address of a template in the demo's method book, PREVIEW by the preview
 * address of the photo on the demo's fika article. */
static const struct sample samples[] = {
	{"/", "/", 200, 200},
	{"/healthz", "/healthz", 200, 200},
	{"/me", "/me", 303, 200},
	{"/signup", "/signup", 303, 200},
	{"/login", "/login", 303, 200},
	{"/logout", "/logout", 200, 200},
	{"/password/forgot", "/password/forgot", 200, 200},
	{"/password/reset/{token}", "/password/reset/a-link-that-never-was", 410, 410},
	{"/settings", "/settings", 200, 200},
	{"/settings/tokens", "/settings/tokens", 200, 200},
	{"/settings/follows", "/settings/follows", 200, 200},
	{"/settings/notifications", "/settings/notifications", 200, 200},
	{"/unsubscribe/{secret}/{list}", "/unsubscribe/a-secret-that-never-was/daily", 404, 404},
	{"/notifications", "/notifications", 200, 200},
	{"/settings/profile", "/settings/profile", 200, 200},
	{"/c", "/c", 200, 200},
	{"/c/new", "/c/new", 200, 200},
	{"/c/{slug}", "/c/fika-with-a-topic", 200, 200},
	{"/c/{slug}/edit", "/c/fika-with-a-topic/edit", 200, 200},
	{"/c/{slug}/members", "/c/fika-with-a-topic/members", 200, 200},
	{"/c/{slug}/webhooks", "/c/fika-with-a-topic/webhooks", 200, 200},
	{"/c/{slug}/new", "/c/fika-with-a-topic/new?kind=question", 200, 200},
	{"/ask", "/ask?community=fika-with-a-topic", 200, 200},
	{"/items/{id}", "/items/ITEM", 200, 200},
	{"/items/{id}/edit", "/items/ITEM/edit", 200, 200},
	{"/items/{id}/revisions", "/items/ITEM/revisions", 200, 200},
	{"/questions", "/questions?status=accepted&sort=active", 200, 200},
	{"/search", "/search?q=fika+-online&kind=article", 200, 200},
	{"/search/suggest", "/search/suggest?q=lean+co", 200, 200, true},
	{"/tags/{tag}", "/tags/facilitation", 200, 200},
	{"/tags/{tag}/experts", "/tags/facilitation/experts", 200, 200},
	{"/review", "/review?list=needs_review", 200, 200},
	{"/files/{sha}/{name}", "FILE", 200, 200, true},
	{"/files/{sha}/preview/{name}", "PREVIEW", 200, 200, true},
	{"/articles", "/articles?tag=facilitation&language=en", 200, 200},
	{"/methods", "/methods?max_duration=60&group_size=8&tag=facilitation", 200, 200},
	{"/events", "/events?type=fika&community=fika-with-a-topic", 200, 200},
	/* ITEM is a question, not an event. */
	{"/items/{id}/attendees.csv", "/items/ITEM/attendees.csv", 404, 404},
	{"/items/{id}/guests", "/items/ITEM/guests", 404, 404},
	{"/guests/{secret}", "/guests/a-secret-that-never-was", 404, 404},
	/* ITEM is a question, not a closed case. */
	{"/items/{id}/publish-lessons", "/items/ITEM/publish-lessons", 404, 404},
	{"/items/{id}/event.ics", "/items/ITEM/event.ics", 404, 404},
	{"/c/{slug}/events.ics", "/c/fika-with-a-topic/events.ics", 200, 200, true},
	{"/calendar/{secret}/events.ics", "/calendar/a-secret-that-never-was/events.ics", 404, 404, true},
	{"/admin/users", "/admin/users", 200, 200},
	{"/admin/settings", "/admin/settings", 200, 200},
	{"/admin/moderation-settings", "/admin/moderation-settings", 200, 200},
	{"/admin/mail", "/admin/mail", 200, 200},
	{"/admin/event-types", "/admin/event-types", 200, 200},
	{"/orgs", "/orgs", 200, 200},
	{"/orgs/new", "/orgs/new", 200, 200},
	{"/orgs/{slug}", "/orgs/alvbacka-kommun", 200, 200},
	{"/orgs/{slug}/edit", "/orgs/alvbacka-kommun/edit", 200, 200},
	{"/people", "/people?org=alvbacka-kommun", 200, 200},
	{"/people/{handle}", "/people/anna", 200, 200},
	{"/people/{handle}/avatar.svg", "/people/anna/avatar.svg", 200, 200, true},
	{"/c/{slug}/feed", "/c/fika-with-a-topic/feed", 200, 200, true},
	{"/tags/{tag}/feed", "/tags/facilitation/feed", 200, 200, true},
	{"/people/{handle}/feed", "/people/anna/feed", 200, 200, true},
	{"/search/feed", "/search/feed?q=fika", 200, 200, true},
	{"/feed/{secret}", "/feed/a-secret-that-never-was", 404, 404, true},
	{"/c/{slug}/subscribe", "/c/fika-with-a-topic/subscribe", 200, 200},
	{"/articles/subscribe", "/articles/subscribe?sent=1", 200, 200},
	{"/subscriptions/{secret}/confirm", "/subscriptions/a-secret-that-never-was/confirm", 404, 404},
	{"/subscriptions/{secret}/unsubscribe", "/subscriptions/a-secret-that-never-was/unsubscribe", 404, 404},
	{"/items/{id}/report", "/items/ITEM/report", 200, 200},
	{"/comments/{id}/report", "/comments/999999/report", 404, 404},
	{"/people/{handle}/report", "/people/anna/report", 200, 200},
	{"/settings/reports", "/settings/reports", 200, 200},
	{"/settings/standing", "/settings/standing", 200, 200},
	{"/moderation", "/moderation", 200, 200},
	{"/admin/audit", "/admin/audit?action=member.role", 200, 200},
	{"/c/{slug}/audit", "/c/fika-with-a-topic/audit", 200, 200},
	{"/c/{slug}/moderation-log", "/c/fika-with-a-topic/moderation-log", 200, 200},
	{"/admin/roles", "/admin/roles", 200, 200},
	{"/admin/premoderation", "/admin/premoderation", 200, 200},
	{"/c/{slug}/premoderation", "/c/fika-with-a-topic/premoderation", 200, 200},
	{"/conduct", "/conduct", 200, 200},
	{"/admin/conduct", "/admin/conduct", 200, 200},
};

static const struct sample *sample_for(const char *pattern)
{
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		if (strcmp(samples[i].pattern, pattern) == 0)
			return &samples[i];
	return NULL;
}

/* Every {"GET", "/…" line of src/routes.c has a sample. */
static void every_get_route_has_a_sample(void **state)
{
	(void)state;
	const char *src = getenv("KRING_SRC");
	assert_non_null(src);
	char path[4096];
	snprintf(path, sizeof(path), "%s/src/routes.c", src);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[1024];
	int routes = 0, missing = 0;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "{\"GET\", \"");
		if (!p)
			continue;
		p += 9;
		char *end = strchr(p, '"');
		assert_non_null(end);
		*end = '\0';
		routes++;
		if (!sample_for(p)) {
			fprintf(stderr, "GET %s has no sample in tests/http/test_routes.c\n", p);
			missing++;
		}
	}
	fclose(f);
	assert_true(routes >= 20);
	assert_int_equal(missing, 0);
}

static void load_demo(const struct server *s)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "'%s' import '%s/demo/demo.jsonl' --db '%s' >/dev/null 2>&1",
		 getenv("KRING_BIN"), getenv("KRING_SRC"), s->db);
	int rc = system(cmd);
	assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
}

/* The address under key ("url", "preview_url") of the first file that
 * has one on the demo item titled title in the list at list. */
static const char *demo_file(struct client *c, const char *list, const char *title, const char *key)
{
	struct response *r = http_get(c, list, NULL);
	assert_int_equal(r->status, 200);
	int64_t id = 0;
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(r->json, "items"), i, m)
		if (strcmp(json_string_value(json_object_get(m, "title")), title) == 0)
			id = json_integer_value(json_object_get(m, "id"));
	response_free(r);
	assert_true(id > 0);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/items/%lld", (long long)id);
	r = http_get(c, path, NULL);
	const char *url = NULL;
	json_array_foreach(json_object_get(r->json, "files"), i, m)
		if (!url)
			url = json_string_value(json_object_get(m, key));
	assert_non_null(url);
	char *copy = harness_strdup(url);
	response_free(r);
	return copy;
}

static void every_get_route_in_both_representations(void **state)
{
	struct server *s = *state;
	load_demo(s);
	assert_int_equal(kring_user_add(s, "root", "root@example.org", "Root", "--admin", TEST_PASSWORD), 0);
	struct client *c = client_new(s);
	struct response *r = html_login(c, "root", TEST_PASSWORD);
	assert_int_equal(r->status, 303);
	response_free(r);
	/* Join a public community and ask, so that the member pages and the
	 * author's pages have something to show. */
	char *csrf = page_csrf(c, "/settings");
	char header[128];
	snprintf(header, sizeof(header), "X-CSRF-Token: %s", csrf);
	const char *headers[] = {header, NULL};
	r = http_post_json(c, "/api/v1/c/fika-with-a-topic/join", "{}", headers);
	assert_int_equal(r->status, 200);
	response_free(r);
	r = http_post_json(c, "/api/v1/c/fika-with-a-topic/items",
			   "{\"kind\":\"question\",\"title\":\"Who brings the cake?\",\"body\":\"**Asking** for a friend\"}",
			   headers);
	assert_int_equal(r->status, 201);
	char item[32];
	snprintf(item, sizeof(item), "%lld", (long long)json_integer_value(json_object_get(r->json, "id")));
	response_free(r);

	const char *file = demo_file(c, "/api/v1/methods?tag=facilitation", "Lean coffee", "url");
	const char *preview = demo_file(c, "/api/v1/articles?community=fika-with-a-topic",
					"Fika with a topic: a 15-minute talk every other Thursday", "preview_url");

	int failures = 0;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		char path[256];
		const char *at = strstr(samples[i].path, "ITEM");
		if (at)
			snprintf(path, sizeof(path), "%.*s%s%s", (int)(at - samples[i].path), samples[i].path, item, at + 4);
		else
			snprintf(path, sizeof(path), "%s",
				 strcmp(samples[i].path, "FILE") == 0 ? file
				 : strcmp(samples[i].path, "PREVIEW") == 0 ? preview : samples[i].path);
		r = http_get(c, path, NULL);
		bool page = r->status == 200 && !samples[i].bytes && strcmp(path, "/healthz") != 0;
		if (r->status != samples[i].html ||
		    (page && (!strstr(r->body, "<html lang=") || !strstr(r->body, "</html>")))) {
			fprintf(stderr, "GET %s: expected %d and a page in the layout, got %ld\n", path,
				samples[i].html, r->status);
			failures++;
		}
		response_free(r);
		char api[300];
		snprintf(api, sizeof(api), "/api/v1%s", path);
		r = http_get(c, api, NULL);
		if (r->status != samples[i].json || (!samples[i].bytes && !json_is_object(r->json))) {
			fprintf(stderr, "GET %s: expected %d and a JSON object, got %ld\n", api, samples[i].json,
				r->status);
			failures++;
		}
		response_free(r);
	}
	client_free(c);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_get_route_has_a_sample),
		cmocka_unit_test_setup_teardown(every_get_route_in_both_representations, server_setup, server_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
