/* test_people: organisations (admin forms, pages), profiles (edit, page,
 * avatar), the people directory (filters, keyset pagination), both
 * representations of every route, validation and escaping. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

#define XSS_SCRIPT "<script>alert(1)</script>"
#define XSS_ATTR "\"><svg onload=alert(1)>"

/* ---- helpers ---------------------------------------------------------------- */

/* json_path with array indexes too ("items.0.handle"); the harness's
 * assertions in this file use it through the macros below. */
static json_t *jpath(json_t *root, const char *path)
{
	json_t *cur = root;
	const char *p = path;
	while (cur && *p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		char key[128];
		if (len >= sizeof key)
			return NULL;
		memcpy(key, p, len);
		key[len] = '\0';
		if (json_is_array(cur) && key[0] >= '0' && key[0] <= '9')
			cur = json_array_get(cur, strtoul(key, NULL, 10));
		else
			cur = json_is_object(cur) ? json_object_get(cur, key) : NULL;
		p += len + (dot ? 1 : 0);
	}
	return cur;
}

static const char *jstr(const struct response *r, const char *path)
{
	json_t *v = jpath(r->json, path);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

#define json_path(root, path) jpath((root), (path))
#define response_jstr(r, path) jstr((r), (path))

static char *csrf_header(struct client *c)
{
	char *token = page_csrf(c, "/settings");
	assert_non_null(token);
	char *h = harness_keep(malloc(strlen(token) + 32));
	sprintf(h, "X-CSRF-Token: %s", token);
	return h;
}

static struct client *admin_client(const struct server *s)
{
	assert_int_equal(kring_user_add(s, "admin", "admin@example.com", "Site Admin", "--admin",
					TEST_PASSWORD), 0);
	struct client *c = client_new(s);
	struct response *r = html_login(c, "admin", TEST_PASSWORD);
	assert_status(r, 303);
	response_free(r);
	return c;
}

/* Creates an organisation through the API as the admin client. */
static void create_org(struct client *admin, const char *slug, const char *name)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "slug", slug, "name", name, "description",
				 "We make **things**.", "website", "https://example.com/");
	struct response *r = http_post_jsonv(admin, "/api/v1/orgs", body, STRS(csrf_header(admin)));
	assert_status(r, 201);
	assert_jstr(r, "slug", slug);
	response_free(r);
}

/* Saves profile fields through the API for a signed-in client. */
static struct response *save_profile(struct client *c, json_t *fields)
{
	return http_post_jsonv(c, "/api/v1/settings/profile", fields, STRS(csrf_header(c)));
}

static bool valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t len = c < 0x80 ? 1 : (c >= 0xC2 && c < 0xE0) ? 2 : (c >= 0xE0 && c < 0xF0) ? 3
			: (c >= 0xF0 && c < 0xF5) ? 4 : 0;
		if (!len || i + len > n)
			return false;
		for (size_t k = 1; k < len; k++)
			if ((p[i + k] & 0xC0) != 0x80)
				return false;
		i += len;
	}
	return true;
}

/* No payload reaches a page unescaped. */
static void assert_no_raw_payloads(const struct response *r)
{
	assert_body_lacks(r, "<script>alert");
	assert_body_lacks(r, "<svg onload");
	assert_body_lacks(r, "\"><svg");
	assert_body_lacks(r, "href=\"javascript:");
	if (!valid_utf8(r->body, r->body_len))
		harness_fail_response(r, __FILE__, __LINE__, "body is not valid UTF-8");
}

static size_t json_len(const struct response *r, const char *path)
{
	return json_array_size(json_path(r->json, path));
}

static bool json_array_has_string(json_t *array, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(array, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* ---- organisations -------------------------------------------------------------- */

static void orgs_admin_creates_and_edits(void **state)
{
	struct client *admin = admin_client(*state);

	struct response *r = http_get(admin, "/orgs/new", NULL);
	assert_status(r, 200);
	assert_body_contains(r, "name=\"slug\"");
	assert_body_contains(r, "name=\"website\"");
	response_free(r);
	r = http_get(admin, "/api/v1/orgs/new", NULL);
	assert_status(r, 200);
	response_free(r);

	char *csrf = page_csrf(admin, "/orgs/new");
	r = http_post_form(admin, "/orgs",
			   STRS("slug", "acme", "name", "Acme Municipality", "description",
				"We *build* roads.", "website", "https://acme.example/", "csrf", csrf),
			   NULL);
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/orgs/acme");
	response_free(r);

	r = http_get(admin, "/orgs/acme", NULL);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "Acme Municipality");
	assert_body_contains(r, "<em>build</em>");
	assert_body_contains(r, "href=\"https://acme.example/\"");
	assert_body_contains(r, "href=\"/orgs/acme/edit\"");
	response_free(r);

	r = http_get(admin, "/api/v1/orgs/acme", NULL);
	assert_status(r, 200);
	assert_jstr(r, "org.slug", "acme");
	assert_jstr(r, "org.name", "Acme Municipality");
	assert_jstr(r, "org.description", "We *build* roads.");
	assert_jstr(r, "org.website", "https://acme.example/");
	assert_non_null(strstr(response_jstr(r, "org.description_html"), "<em>build</em>"));
	assert_true(json_is_array(json_path(r->json, "people")));
	assert_true(json_is_array(json_path(r->json, "items")));
	response_free(r);

	/* JSON create */
	create_org(admin, "beta-corp", "Beta Corp");

	r = http_get(admin, "/api/v1/orgs", NULL);
	assert_status(r, 200);
	assert_int_equal(json_len(r, "items"), 2);
	assert_jstr(r, "items.0.slug", "acme");
	assert_jstr(r, "items.1.slug", "beta-corp");
	assert_int_equal(json_integer_value(json_path(r->json, "items.0.member_count")), 0);
	assert_true(json_is_null(json_path(r->json, "next")));
	response_free(r);
	r = http_get(admin, "/orgs", NULL);
	assert_status(r, 200);
	assert_body_contains(r, "href=\"/orgs/beta-corp\"");
	assert_body_contains(r, "href=\"/orgs/new\"");
	response_free(r);

	/* edit: the form, a form post, a JSON post that changes one field */
	r = http_get(admin, "/orgs/acme/edit", NULL);
	assert_status(r, 200);
	assert_body_contains(r, "value=\"Acme Municipality\"");
	assert_body_contains(r, "action=\"/orgs/acme/edit\"");
	response_free(r);
	r = http_get(admin, "/api/v1/orgs/acme/edit", NULL);
	assert_status(r, 200);
	assert_jstr(r, "values.name", "Acme Municipality");
	response_free(r);
	csrf = page_csrf(admin, "/orgs/acme/edit");
	r = http_post_form(admin, "/orgs/acme/edit",
			   STRS("slug", "acme", "name", "Acme Town", "description", "Roads.",
				"website", "", "csrf", csrf),
			   NULL);
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/orgs/acme");
	response_free(r);
	r = http_post_json(admin, "/api/v1/orgs/acme/edit", "{\"website\":\"HTTP://acme.example/x\"}",
			   STRS(csrf_header(admin)));
	assert_status(r, 200);
	assert_jstr(r, "name", "Acme Town");
	assert_jstr(r, "description", "Roads.");
	assert_jstr(r, "website", "http://acme.example/x");
	response_free(r);

	/* a new slug moves the page */
	r = http_post_json(admin, "/api/v1/orgs/beta-corp/edit", "{\"slug\":\"beta\"}",
			   STRS(csrf_header(admin)));
	assert_status(r, 200);
	assert_jstr(r, "url", "/orgs/beta");
	response_free(r);
	r = http_get(admin, "/api/v1/orgs/beta-corp", NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	r = http_get(admin, "/orgs/nowhere", NULL);
	assert_status(r, 404);
	assert_header_contains(r, "Content-Type", "text/html");
	response_free(r);
	r = http_get(admin, "/orgs/nowhere/edit", NULL);
	assert_status(r, 404);
	response_free(r);
	client_free(admin);
}

static void orgs_only_admins_create_or_edit(void **state)
{
	struct client *admin = admin_client(*state);
	create_org(admin, "acme", "Acme");

	/* a member: 403 on every admin route, in both representations */
	struct client *m = signed_in_client(*state, "maria", NULL);
	struct response *r = http_get(m, "/orgs/new", NULL);
	assert_status(r, 403);
	response_free(r);
	r = http_get(m, "/api/v1/orgs/new", NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	char *csrf = page_csrf(m, "/orgs");
	r = http_post_form(m, "/orgs", STRS("slug", "evil", "name", "Evil", "csrf", csrf), NULL);
	assert_status(r, 403);
	response_free(r);
	r = http_post_json(m, "/api/v1/orgs", "{\"slug\":\"evil\",\"name\":\"Evil\"}", STRS(csrf_header(m)));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = http_get(m, "/orgs/acme/edit", NULL);
	assert_status(r, 403);
	response_free(r);
	r = http_post_json(m, "/api/v1/orgs/acme/edit", "{\"name\":\"Mine\"}", STRS(csrf_header(m)));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = http_get(m, "/orgs", NULL);
	assert_status(r, 200);
	assert_body_lacks(r, "href=\"/orgs/new\"");
	assert_body_lacks(r, "/orgs/acme/edit");
	response_free(r);

	/* a visitor: sent to sign in (HTML), 401 (API) */
	struct client *v = client_new(*state);
	r = http_get(v, "/orgs/new", NULL);
	assert_status(r, 303);
	assert_header_contains(r, "Location", "/login?next=");
	response_free(r);
	r = http_post_json(v, "/api/v1/orgs", "{\"slug\":\"evil\",\"name\":\"Evil\"}", NULL);
	assert_true(r->status == 401 || r->status == 403);
	response_free(r);
	r = http_get(v, "/api/v1/orgs/acme/edit", NULL);
	assert_error(r, 401, "unauthorized");
	response_free(r);

	/* an admin without the CSRF token */
	r = http_post_form(admin, "/orgs", STRS("slug", "nocsrf", "name", "No CSRF"), NULL);
	assert_status(r, 403);
	response_free(r);
	r = http_post_json(admin, "/api/v1/orgs", "{\"slug\":\"nocsrf\",\"name\":\"No CSRF\"}", NULL);
	assert_error(r, 403, "csrf_failed");
	response_free(r);

	/* nothing was created or changed */
	r = http_get(v, "/api/v1/orgs", NULL);
	assert_status(r, 200);
	assert_int_equal(json_len(r, "items"), 1);
	assert_jstr(r, "items.0.name", "Acme");
	response_free(r);
	client_free(v);
	client_free(m);
	client_free(admin);
}

static void orgs_validation_keeps_input(void **state)
{
	struct client *admin = admin_client(*state);
	create_org(admin, "acme", "Acme");

	char *csrf = page_csrf(admin, "/orgs/new");
	struct response *r = http_post_form(admin, "/orgs",
		STRS("slug", "Bad Slug!", "name", "Typed Name 42", "description", "Typed description 42",
		     "website", "javascript:alert(1)", "csrf", csrf), NULL);
	assert_status(r, 422);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "Typed Name 42");
	assert_body_contains(r, "Typed description 42");
	assert_body_contains(r, "field-error");
	assert_body_contains(r, "name=\"csrf\"");
	response_free(r);

	r = http_post_json(admin, "/api/v1/orgs",
			   "{\"slug\":\"x\",\"name\":\"\",\"website\":\"javascript:alert(1)\"}",
			   STRS(csrf_header(admin)));
	assert_error(r, 422, "invalid");
	assert_non_null(response_jstr(r, "error.fields.slug"));
	assert_non_null(response_jstr(r, "error.fields.name"));
	assert_non_null(response_jstr(r, "error.fields.website"));
	response_free(r);

	static const char *const bad_websites[] = {
		"ftp://example.com", "https://", "https://exa mple.com", "https://example.com/\"><svg",
		"//example.com", "data:text/html,hi", "https://<script>/",
	};
	for (size_t i = 0; i < sizeof bad_websites / sizeof *bad_websites; i++) {
		json_t *body = json_pack("{s:s, s:s, s:s}", "slug", "web", "name", "Web",
					 "website", bad_websites[i]);
		r = http_post_jsonv(admin, "/api/v1/orgs", body, STRS(csrf_header(admin)));
		assert_error(r, 422, "invalid");
		assert_jstr(r, "error.field", "website");
		response_free(r);
	}
	/* slug rules: length, characters, reserved, taken */
	static const char *const bad_slugs[] = {"a", "with space", "under_score", "new", "åäö",
		"a2345678901234567890123456789012345678901234567890123456789012345"};
	for (size_t i = 0; i < sizeof bad_slugs / sizeof *bad_slugs; i++) {
		json_t *body = json_pack("{s:s, s:s}", "slug", bad_slugs[i], "name", "Slug test");
		r = http_post_jsonv(admin, "/api/v1/orgs", body, STRS(csrf_header(admin)));
		assert_error(r, 422, "invalid");
		assert_jstr(r, "error.field", "slug");
		response_free(r);
	}
	r = http_post_json(admin, "/api/v1/orgs", "{\"slug\":\"acme\",\"name\":\"Again\"}",
			   STRS(csrf_header(admin)));
	assert_error(r, 409, "taken");
	assert_jstr(r, "error.field", "slug");
	response_free(r);
	/* a name of 101 characters; control characters */
	char long_name[102];
	memset(long_name, 'n', 101);
	long_name[101] = '\0';
	json_t *body = json_pack("{s:s, s:s}", "slug", "long", "name", long_name);
	r = http_post_jsonv(admin, "/api/v1/orgs", body, STRS(csrf_header(admin)));
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "name");
	response_free(r);
	r = http_post_json(admin, "/api/v1/orgs", "{\"slug\":\"ctl\",\"name\":\"Bell\\u0007\"}",
			   STRS(csrf_header(admin)));
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "name");
	response_free(r);
	/* unknown fields are refused */
	r = http_post_json(admin, "/api/v1/orgs", "{\"slug\":\"unk\",\"name\":\"U\",\"logo\":\"x\"}",
			   STRS(csrf_header(admin)));
	assert_error(r, 400, "unknown_field");
	response_free(r);

	r = http_get(admin, "/api/v1/orgs", NULL);
	assert_int_equal(json_len(r, "items"), 1);
	response_free(r);
	client_free(admin);
}

static void orgs_escape_every_field(void **state)
{
	struct client *admin = admin_client(*state);
	json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "slug", "xss",
				 "name", XSS_SCRIPT XSS_ATTR,
				 "description", XSS_SCRIPT " " XSS_ATTR " [click](javascript:alert(1)) <b>x</b>",
				 "website", "https://example.com/?q=a&b=c");
	struct response *r = http_post_jsonv(admin, "/api/v1/orgs", body, STRS(csrf_header(admin)));
	assert_status(r, 201);
	response_free(r);
	/* a website that breaks out of an attribute is refused */
	r = http_post_json(admin, "/api/v1/orgs/xss/edit",
			   "{\"website\":\"https://example.com/\\\"><svg onload=alert(1)>\"}",
			   STRS(csrf_header(admin)));
	assert_error(r, 422, "invalid");
	response_free(r);

	static const char *const pages[] = {"/orgs", "/orgs/xss", "/orgs/xss/edit", "/people"};
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		r = http_get(admin, pages[i], NULL);
		assert_status(r, 200);
		assert_no_raw_payloads(r);
		response_free(r);
	}
	r = http_get(admin, "/orgs/xss", NULL);
	assert_body_contains(r, "&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_body_contains(r, "href=\"https://example.com/?q=a&amp;b=c\"");
	response_free(r);

	/* the form shown again with errors escapes what was typed */
	char *csrf = page_csrf(admin, "/orgs/new");
	r = http_post_form(admin, "/orgs",
			   STRS("slug", XSS_ATTR, "name", XSS_ATTR, "description", XSS_SCRIPT,
				"website", "javascript:alert(1)//" XSS_ATTR, "csrf", csrf), NULL);
	assert_status(r, 422);
	assert_no_raw_payloads(r);
	assert_body_contains(r, "&quot;&gt;&lt;svg onload=alert(1)&gt;");
	response_free(r);

	/* broken UTF-8 in every field: refused, the form comes back repaired */
	static const char *const fields[] = {"slug", "name", "description", "website"};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		csrf = page_csrf(admin, "/orgs/new");
		const char *f[] = {"slug", "utf", "name", "UTF", "description", "d", "website", "",
				   "csrf", csrf, NULL};
		for (int k = 0; f[k]; k += 2)
			if (strcmp(f[k], fields[i]) == 0)
				f[k + 1] = "bad \xff\xfe bytes " XSS_SCRIPT;
		r = http_post_form(admin, "/orgs", f, NULL);
		assert_status(r, 400);
		assert_no_raw_payloads(r);
		assert_body_lacks(r, "\xff");
		response_free(r);
		r = http_post_json(admin, "/api/v1/orgs/xss/edit", "{\"name\":\"bad \xff\"}",
				   STRS(csrf_header(admin)));
		assert_error(r, 400, "bad_encoding");
		response_free(r);
	}
	r = http_get(admin, "/api/v1/orgs", NULL);
	assert_int_equal(json_len(r, "items"), 1);
	response_free(r);
	client_free(admin);
}

/* The text of the details line of the organisation card linking to
 * /orgs/slug on the page (tags removed, no-break spaces as spaces). */
static char *card_details(const struct response *r, const char *slug)
{
	char link[64];
	snprintf(link, sizeof link, "href=\"/orgs/%s\"", slug);
	const char *card = strstr(r->body, link);
	const char *p = card ? strstr(card, "<p class=\"muted\">") : NULL;
	const char *end = p ? strstr(p, "</p>") : NULL;
	const char *card_end = card ? strstr(card, "</li>") : NULL;
	if (!end || end > card_end)
		harness_fail_response(r, __FILE__, __LINE__, "no details on the card of %s", slug);
	char *text = harness_keep(calloc(1, (size_t)(end - p) + 1));
	size_t n = 0;
	bool in_tag = false;
	for (const char *c = p + strlen("<p class=\"muted\">"); c < end; c++) {
		if (*c == '<' || *c == '>') {
			in_tag = *c == '<';
		} else if (!in_tag && strncmp(c, "&nbsp;", 6) == 0) {
			text[n++] = ' ';
			c += 5;
		} else if (!in_tag) {
			text[n++] = *c;
		}
	}
	while (n && text[n - 1] == ' ')
		text[--n] = '\0';
	return text;
}

/* An organisation card shows the people count (when anybody chose it)
 * and the website's host (linking to the whole address), with a
 * separator only between the two: each combination of with and without
 * people and website. The organisation's page shows the host too. */
static void orgs_cards_show_host_without_dangling_separators(void **state)
{
	struct client *admin = admin_client(*state);
	static const struct {
		const char *slug, *website, *host, *member, *details;
	} orgs[] = {
		{"alpha", "https://www.Lindewaard.se/kommun/naringsliv/samverkan-och-utveckling-i-regionen?lang=sv",
		 "lindewaard.se", "anna", "1 person \xc2\xb7 lindewaard.se"},
		{"bravo", "http://bravo.example", "bravo.example", NULL, "bravo.example"},
		{"charlie", "", "", "bert", "1 person"},
		{"delta", "", "", NULL, ""},
	};
	for (size_t i = 0; i < sizeof orgs / sizeof *orgs; i++) {
		json_t *body = json_pack("{s:s, s:s, s:s}", "slug", orgs[i].slug, "name", orgs[i].slug, "website",
					 orgs[i].website);
		struct response *r = http_post_jsonv(admin, "/api/v1/orgs", body, STRS(csrf_header(admin)));
		assert_status(r, 201);
		assert_jstr(r, "website_host", orgs[i].host);
		response_free(r);
		if (orgs[i].member) {
			struct client *c = signed_in_client(*state, orgs[i].member, NULL);
			r = save_profile(c, json_pack("{s:s}", "org", orgs[i].slug));
			assert_status(r, 200);
			response_free(r);
			client_free(c);
		}
	}

	struct client *v = client_new(*state);
	struct response *r = http_get(v, "/orgs", NULL);
	assert_status(r, 200);
	for (size_t i = 0; i < sizeof orgs / sizeof *orgs; i++) {
		const char *details = card_details(r, orgs[i].slug);
		if (strcmp(details, orgs[i].details) != 0)
			harness_fail_response(r, __FILE__, __LINE__, "card %s says \"%s\", expected \"%s\"", orgs[i].slug,
					      details, orgs[i].details);
	}
	char link[200];
	snprintf(link, sizeof link, "<a href=\"%s\" rel=\"nofollow noopener noreferrer\">lindewaard.se</a>",
		 orgs[0].website);
	assert_body_contains(r, link);
	assert_body_lacks(r, ">https://");
	response_free(r);
	r = http_get(v, "/api/v1/orgs", NULL);
	assert_jstr(r, "items.0.website_host", "lindewaard.se");
	assert_jstr(r, "items.0.website", orgs[0].website);
	assert_jstr(r, "items.3.website_host", "");
	response_free(r);

	r = http_get(v, "/orgs/alpha", NULL);
	assert_status(r, 200);
	assert_body_contains(r, link);
	assert_body_lacks(r, ">https://");
	response_free(r);
	r = http_get(v, "/api/v1/orgs/bravo", NULL);
	assert_jstr(r, "org.website_host", "bravo.example");
	response_free(r);
	client_free(v);
	client_free(admin);
}

/* ---- profiles ------------------------------------------------------------------- */

static void profile_edit_and_show(void **state)
{
	struct client *admin = admin_client(*state);
	create_org(admin, "acme", "Acme Municipality");
	struct client *c = signed_in_client(*state, "karin", NULL);

	struct response *r = http_get(c, "/settings/profile", NULL);
	assert_status(r, 200);
	assert_body_contains(r, "value=\"karin\"");
	assert_body_contains(r, "name=\"expertise_expert\"");
	assert_body_contains(r, "value=\"acme\"");
	assert_body_contains(r, "Svenska");
	response_free(r);
	r = http_get(c, "/api/v1/settings/profile", NULL);
	assert_status(r, 200);
	assert_jstr(r, "handle", "karin");
	assert_jstr(r, "values.name", "Test karin");
	response_free(r);

	char *csrf = page_csrf(c, "/settings/profile");
	r = http_post_form(c, "/settings/profile",
			   STRS("name", "Karin Lind", "title", "Traffic planner", "org", "acme",
				"bio", "I plan **roads**.", "ask_me_about", "Roundabouts and bike lanes",
				"expertise_expert", "Traffic Planning, GIS",
				"expertise_practising", "PostgreSQL", "expertise_learning", "Rust, gis",
				"languages", "", "languages", "sv", "languages", "en",
				"location", "Umeå", "csrf", csrf),
			   NULL);
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/settings/profile?saved=1");
	response_free(r);

	r = http_get(c, "/settings/profile?saved=1", NULL);
	assert_status(r, 200);
	assert_body_contains(r, "value=\"Traffic planner\"");
	assert_body_contains(r, "gis, traffic-planning");
	response_free(r);

	/* the profile page, signed out */
	struct client *v = client_new(*state);
	r = http_get(v, "/people/karin", NULL);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "Karin Lind");
	assert_body_contains(r, "Traffic planner");
	assert_body_contains(r, "href=\"/orgs/acme\"");
	assert_body_contains(r, "<strong>roads</strong>");
	assert_body_contains(r, "Roundabouts and bike lanes");
	assert_body_contains(r, "href=\"/tags/traffic-planning\"");
	assert_body_contains(r, "href=\"/tags/postgresql\"");
	assert_body_contains(r, "href=\"/tags/rust\"");
	assert_body_contains(r, "Svenska");
	assert_body_contains(r, "English");
	assert_body_contains(r, "Umeå");
	assert_body_contains(r, "src=\"/people/karin/avatar.svg");
	assert_body_lacks(r, "href=\"/settings/profile\"");
	response_free(r);

	r = http_get(v, "/api/v1/people/karin", NULL);
	assert_status(r, 200);
	assert_jstr(r, "person.handle", "karin");
	assert_jstr(r, "person.name", "Karin Lind");
	assert_jstr(r, "person.title", "Traffic planner");
	assert_jstr(r, "person.org.slug", "acme");
	assert_jstr(r, "person.ask_me_about", "Roundabouts and bike lanes");
	assert_jstr(r, "person.location", "Umeå");
	assert_jstr(r, "person.bio", "I plan **roads**.");
	assert_non_null(strstr(response_jstr(r, "person.bio_html"), "<strong>roads</strong>"));
	json_t *expert = json_path(r->json, "person.expertise.expert");
	assert_int_equal(json_array_size(expert), 2);
	assert_true(json_array_has_string(expert, "gis"));
	assert_true(json_array_has_string(expert, "traffic-planning"));
	/* a tag listed at two levels keeps the higher one */
	assert_int_equal(json_array_size(json_path(r->json, "person.expertise.learning")), 1);
	assert_jstr(r, "person.expertise.learning.0", "rust");
	assert_jstr(r, "person.expertise.practising.0", "postgresql");
	/* languages in the list's order, with their names */
	assert_jstr(r, "person.languages.0.code", "en");
	assert_jstr(r, "person.languages.1.code", "sv");
	assert_jstr(r, "person.languages.1.name", "Svenska");
	assert_int_equal(json_len(r, "person.languages"), 2);
	assert_true(json_is_array(json_path(r->json, "communities")));
	assert_true(json_is_array(json_path(r->json, "items")));
	assert_non_null(response_jstr(r, "person.avatar_url"));
	assert_null(json_path(r->json, "person.email"));
	response_free(r);

	/* the owner sees the edit link */
	r = http_get(c, "/people/karin", NULL);
	assert_body_contains(r, "href=\"/settings/profile\"");
	response_free(r);

	r = http_get(v, "/people/nobody", NULL);
	assert_status(r, 404);
	response_free(r);
	r = http_get(v, "/api/v1/people/nobody", NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	r = http_get(v, "/settings/profile", NULL);
	assert_status(r, 303);
	response_free(r);
	r = http_get(v, "/api/v1/settings/profile", NULL);
	assert_error(r, 401, "unauthorized");
	response_free(r);
	client_free(v);
	client_free(c);
	client_free(admin);
}

static void profile_api_partial_update(void **state)
{
	struct client *c = signed_in_client(*state, "olle", NULL);
	struct response *r = save_profile(c, json_pack("{s:s, s:[s,s], s:[s], s:s}",
		"title", "Nurse", "languages", "fi", "da", "expertise_expert", "Wound care",
		"location", "Oulu"));
	assert_status(r, 200);
	assert_jstr(r, "title", "Nurse");
	assert_jstr(r, "name", "Test olle");
	assert_jstr(r, "languages.0.code", "fi");
	assert_jstr(r, "languages.1.code", "da");
	assert_jstr(r, "expertise.expert.0", "wound-care");
	response_free(r);

	/* fields left out keep their values */
	r = save_profile(c, json_pack("{s:s}", "bio", "Hello"));
	assert_status(r, 200);
	assert_jstr(r, "title", "Nurse");
	assert_jstr(r, "bio", "Hello");
	assert_jstr(r, "location", "Oulu");
	assert_jstr(r, "expertise.expert.0", "wound-care");
	assert_int_equal(json_len(r, "languages"), 2);
	response_free(r);

	/* expertise fields replace the expertise; an empty list clears languages */
	r = save_profile(c, json_pack("{s:s, s:[]}", "expertise_learning", "triage, Triage ,",
				      "languages"));
	assert_status(r, 200);
	assert_int_equal(json_len(r, "expertise.expert"), 0);
	assert_int_equal(json_len(r, "expertise.learning"), 1);
	assert_jstr(r, "expertise.learning.0", "triage");
	assert_int_equal(json_len(r, "languages"), 0);
	response_free(r);
	client_free(c);
}

static void profile_validation_keeps_input(void **state)
{
	struct client *c = signed_in_client(*state, "pia", NULL);
	char long101[102], long301[302], long5001[5002];
	memset(long101, 'x', 101);
	long101[101] = '\0';
	memset(long301, 'y', 301);
	long301[301] = '\0';
	memset(long5001, 'z', 5001);
	long5001[5001] = '\0';

	static const struct {
		const char *field, *value;
	} bad[] = {
		{"name", ""},
		{"title", NULL /* 101 */},
		{"location", NULL /* 101 */},
		{"ask_me_about", NULL /* 301 */},
		{"bio", NULL /* 5001 */},
		{"title", "Tab\tand bell\a"},
		{"ask_me_about", "two\nlines"},
		{"org", "no-such-org"},
		{"languages", "en,xx"},
		{"expertise_expert", "ok, !!!"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *value = bad[i].value;
		if (!value)
			value = strcmp(bad[i].field, "ask_me_about") == 0 ? long301
				: strcmp(bad[i].field, "bio") == 0 ? long5001 : long101;
		json_t *body = json_pack("{s:s}", bad[i].field, value);
		struct response *r = save_profile(c, body);
		assert_error(r, 422, "invalid");
		assert_jstr(r, "error.field", bad[i].field);
		response_free(r);
	}
	/* the limits themselves are fine */
	long101[100] = '\0';
	long301[300] = '\0';
	long5001[5000] = '\0';
	struct response *r = save_profile(c, json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", long101,
		"title", long101, "location", long101, "ask_me_about", long301, "bio", long5001));
	assert_status(r, 200);
	response_free(r);
	/* at most 20 areas of expertise */
	r = save_profile(c, json_pack("{s:s, s:s}", "expertise_expert", "a1,a2,a3,a4,a5,a6,a7,a8,a9,a10",
				      "expertise_learning", "b1,b2,b3,b4,b5,b6,b7,b8,b9,b10"));
	assert_status(r, 200);
	response_free(r);
	r = save_profile(c, json_pack("{s:s, s:s, s:s}", "expertise_expert", "a1,a2,a3,a4,a5,a6,a7,a8,a9,a10",
				      "expertise_learning", "b1,b2,b3,b4,b5,b6,b7,b8,b9,b10",
				      "expertise_practising", "c1"));
	assert_error(r, 422, "invalid");
	response_free(r);
	/* a wrong type */
	r = http_post_json(c, "/api/v1/settings/profile", "{\"languages\":[1,2]}", STRS(csrf_header(c)));
	assert_error(r, 400, "bad_json");
	response_free(r);

	/* HTML: 422, the form again with everything typed */
	long101[100] = 'x';
	char *csrf = page_csrf(c, "/settings/profile");
	r = http_post_form(c, "/settings/profile",
			   STRS("name", "Pia Typed", "title", long101, "bio", "Typed bio 77",
				"ask_me_about", "Typed ask 77", "location", "Typed place 77",
				"expertise_practising", "typed-tag-77", "languages", "nl", "csrf", csrf),
			   NULL);
	assert_status(r, 422);
	assert_body_contains(r, "Pia Typed");
	assert_body_contains(r, "Typed bio 77");
	assert_body_contains(r, "Typed ask 77");
	assert_body_contains(r, "Typed place 77");
	assert_body_contains(r, "typed-tag-77");
	assert_body_contains(r, "value=\"nl\" checked");
	assert_body_contains(r, "field-error");
	response_free(r);

	/* nothing of the failed posts was saved */
	r = http_get(c, "/api/v1/people/pia", NULL);
	assert_status(r, 200);
	assert_int_equal(json_len(r, "person.expertise.expert"), 10);
	assert_int_equal(json_len(r, "person.expertise.practising"), 0);
	assert_int_equal(json_len(r, "person.languages"), 0);
	response_free(r);
	client_free(c);
}

static void profile_escapes_every_field(void **state)
{
	struct client *admin = admin_client(*state);
	create_org(admin, "acme", "Acme");
	struct client *c = signed_in_client(*state, "xena", NULL);
	struct response *r = save_profile(c, json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		"name", XSS_SCRIPT " " XSS_ATTR,
		"title", XSS_ATTR XSS_SCRIPT,
		"bio", XSS_SCRIPT "\n\n" XSS_ATTR "\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
		"ask_me_about", XSS_SCRIPT XSS_ATTR,
		"location", XSS_ATTR,
		"expertise_expert", XSS_SCRIPT ", " XSS_ATTR,
		"org", "acme"));
	assert_status(r, 200);
	response_free(r);

	static const char *const pages[] = {"/people/xena", "/people", "/orgs/acme", "/settings/profile",
					    "/people?tag=script-alert-1-script", "/orgs"};
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		r = http_get(c, pages[i], NULL);
		assert_status(r, 200);
		assert_no_raw_payloads(r);
		assert_body_lacks(r, "<img src=x");
		response_free(r);
	}
	r = http_get(c, "/people/xena", NULL);
	assert_body_contains(r, "&lt;script&gt;alert(1)&lt;/script&gt;");
	response_free(r);

	/* a filter value is shown escaped too */
	r = http_get(c, "/people?tag=%22%3E%3Csvg%20onload%3Dalert(1)%3E&org=%22%3E%3Cscript%3E", NULL);
	assert_status(r, 200);
	assert_no_raw_payloads(r);
	response_free(r);

	/* the form shown again escapes what was typed */
	char *csrf = page_csrf(c, "/settings/profile");
	r = http_post_form(c, "/settings/profile",
			   STRS("name", XSS_ATTR, "title", XSS_SCRIPT, "bio", XSS_ATTR, "ask_me_about",
				XSS_ATTR, "location", XSS_ATTR, "org", XSS_ATTR, "languages", XSS_ATTR,
				"expertise_learning", XSS_ATTR, "csrf", csrf),
			   NULL);
	assert_status(r, 422);
	assert_no_raw_payloads(r);
	response_free(r);

	/* broken UTF-8 in every field: refused, nothing raw comes back */
	static const char *const fields[] = {"name", "title", "bio", "ask_me_about", "location", "org",
					     "languages", "expertise_expert", "expertise_practising",
					     "expertise_learning"};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		csrf = page_csrf(c, "/settings/profile");
		r = http_post_form(c, "/settings/profile",
				   STRS(fields[i], "bad \xc3\x28 \xff bytes" XSS_SCRIPT, "csrf", csrf), NULL);
		assert_status(r, 400);
		assert_no_raw_payloads(r);
		response_free(r);
	}
	r = http_post_json(c, "/api/v1/settings/profile", "{\"bio\":\"bad \xff\"}", STRS(csrf_header(c)));
	assert_error(r, 400, "bad_encoding");
	response_free(r);
	client_free(c);
	client_free(admin);
}

static void avatar_svg_escapes_name(void **state)
{
	struct client *c = signed_in_client(*state, "anna", NULL);
	struct response *r = save_profile(c, json_pack("{s:s}", "name", "anna \"<b>&'</b>\" " XSS_SCRIPT));
	assert_status(r, 200);
	const char *url = response_jstr(r, "avatar_url");
	assert_non_null(url);
	char *avatar_url = harness_strdup(url);
	response_free(r);

	struct client *v = client_new(*state);
	r = http_get(v, avatar_url, NULL);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "image/svg+xml");
	assert_header_contains(r, "Cache-Control", "max-age=");
	assert_true(strncmp(r->body, "<svg", 4) == 0);
	assert_body_contains(r, "xmlns=\"http://www.w3.org/2000/svg\"");
	assert_body_lacks(r, "<script");
	assert_body_lacks(r, "<b>");
	assert_body_lacks(r, "href");
	assert_body_contains(r, "&lt;script&gt;");
	assert_body_contains(r, ">AS</text>"); /* anna … <script>alert(1)</script> */
	const char *etag = response_header(r, "ETag");
	assert_non_null(etag);
	char header[128];
	snprintf(header, sizeof header, "If-None-Match: %s", etag);
	response_free(r);
	r = http_get(v, avatar_url, STRS(header));
	assert_status(r, 304);
	response_free(r);
	r = http_get(v, "/api/v1/people/anna/avatar.svg", NULL);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "image/svg+xml");
	response_free(r);

	/* initials of the first and the last word, in upper case */
	r = save_profile(c, json_pack("{s:s}", "name", "åsa maria öberg"));
	assert_status(r, 200);
	response_free(r);
	r = http_get(v, "/people/anna/avatar.svg", NULL);
	assert_body_contains(r, ">ÅÖ</text>");
	response_free(r);
	r = http_get(v, "/people/nobody/avatar.svg", NULL);
	assert_status(r, 404);
	response_free(r);
	client_free(v);
	client_free(c);
}

/* ---- organisations and their people --------------------------------------------------- */

static void member_chooses_org_and_appears_on_its_page(void **state)
{
	struct client *admin = admin_client(*state);
	create_org(admin, "acme", "Acme Municipality");
	create_org(admin, "beta", "Beta");
	struct client *c = signed_in_client(*state, "lena", NULL);

	char *csrf = page_csrf(c, "/settings/profile");
	struct response *r = http_post_form(c, "/settings/profile",
		STRS("name", "Lena Ek", "org", "acme", "title", "Engineer", "csrf", csrf), NULL);
	assert_status(r, 303);
	response_free(r);

	struct client *v = client_new(*state);
	r = http_get(v, "/orgs/acme", NULL);
	assert_status(r, 200);
	assert_body_contains(r, "Lena Ek");
	assert_body_contains(r, "href=\"/people/lena\"");
	response_free(r);
	r = http_get(v, "/api/v1/orgs/acme", NULL);
	assert_int_equal(json_len(r, "people"), 1);
	assert_jstr(r, "people.0.handle", "lena");
	assert_jstr(r, "people.0.title", "Engineer");
	assert_int_equal(json_integer_value(json_path(r->json, "org.member_count")), 1);
	response_free(r);
	r = http_get(v, "/api/v1/orgs", NULL);
	assert_jstr(r, "items.0.slug", "acme");
	assert_int_equal(json_integer_value(json_path(r->json, "items.0.member_count")), 1);
	assert_int_equal(json_integer_value(json_path(r->json, "items.1.member_count")), 0);
	response_free(r);

	/* moving to another organisation, then to none */
	r = save_profile(c, json_pack("{s:s}", "org", "beta"));
	assert_status(r, 200);
	assert_jstr(r, "org.slug", "beta");
	response_free(r);
	r = http_get(v, "/api/v1/orgs/acme", NULL);
	assert_int_equal(json_len(r, "people"), 0);
	response_free(r);
	r = save_profile(c, json_pack("{s:s}", "org", ""));
	assert_status(r, 200);
	assert_true(json_is_null(json_path(r->json, "org")));
	response_free(r);
	r = http_get(v, "/api/v1/orgs/beta", NULL);
	assert_int_equal(json_len(r, "people"), 0);
	response_free(r);
	client_free(v);
	client_free(c);
	client_free(admin);
}

/* What members of an organisation shared shows on its page and on their
 * profiles, filtered by the visibility rule. */
static void shared_items_follow_visibility(void **state)
{
	struct client *admin = admin_client(*state);
	create_org(admin, "acme", "Acme");
	struct client *c = signed_in_client(*state, "rut", NULL);
	struct response *r = save_profile(c, json_pack("{s:s}", "org", "acme"));
	assert_status(r, 200);
	response_free(r);

	/* a public and a members-only community, a question in each */
	static const char *const kinds[][2] = {{"open-talk", "public"}, {"inner", "members"}};
	for (int i = 0; i < 2; i++) {
		json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "slug", kinds[i][0], "name", kinds[i][0],
					 "visibility", kinds[i][1], "join_policy", "open");
		r = http_post_jsonv(admin, "/api/v1/c", body, STRS(csrf_header(admin)));
		assert_status(r, 201);
		response_free(r);
		char path[64];
		snprintf(path, sizeof path, "/api/v1/c/%s/join", kinds[i][0]);
		r = http_post_json(c, path, "{}", STRS(csrf_header(c)));
		assert_status(r, 200);
		response_free(r);
		snprintf(path, sizeof path, "/api/v1/c/%s/items", kinds[i][0]);
		json_t *item = json_pack("{s:s, s:s, s:s}", "kind", "question",
					 "title", i == 0 ? "Public question here" : "Members question here",
					 "body", "How do we do this?");
		r = http_post_jsonv(c, path, item, STRS(csrf_header(c)));
		assert_status(r, 201);
		response_free(r);
	}

	struct client *v = client_new(*state);
	static const char *const paths[] = {"/api/v1/orgs/acme", "/api/v1/people/rut"};
	for (int i = 0; i < 2; i++) {
		r = http_get(v, paths[i], NULL);
		assert_status(r, 200);
		assert_int_equal(json_len(r, "items"), 1);
		assert_jstr(r, "items.0.title", "Public question here");
		response_free(r);
		r = http_get(c, paths[i], NULL);
		assert_int_equal(json_len(r, "items"), 2);
		response_free(r);
	}
	r = http_get(v, "/orgs/acme", NULL);
	assert_body_contains(r, "Public question here");
	assert_body_lacks(r, "Members question here");
	response_free(r);
	r = http_get(v, "/people/rut", NULL);
	assert_body_contains(r, "Public question here");
	assert_body_lacks(r, "Members question here");
	assert_body_contains(r, "href=\"/c/open-talk\"");
	assert_body_lacks(r, "href=\"/c/inner\"");
	response_free(r);
	r = http_get(v, "/api/v1/people/rut", NULL);
	assert_int_equal(json_len(r, "communities"), 1);
	response_free(r);
	r = http_get(v, "/api/v1/orgs/acme?cursor=garbage", NULL);
	assert_error(r, 400, "bad_cursor");
	response_free(r);
	client_free(v);
	client_free(c);
	client_free(admin);
}

/* ---- the directory --------------------------------------------------------------------- */

static void directory_filters_and_keyset_pages(void **state)
{
	struct client *admin = admin_client(*state);
	create_org(admin, "acme", "Acme");
	struct client *v = client_new(*state);
	/* 34 more members: "Test p00" … "Test p33" */
	for (int i = 0; i < 34; i++) {
		char handle[16];
		snprintf(handle, sizeof handle, "p%02d", i);
		assert_true(api_signup(v, handle, TEST_PASSWORD) > 0);
	}
	struct client *c = signed_in_client(*state, "zed", NULL);
	struct response *r = save_profile(c, json_pack("{s:s, s:s, s:s, s:s, s:[s]}", "name", "Zed Expert",
		"org", "acme", "expertise_expert", "Fika, soil", "expertise_learning", "Rust",
		"languages", "nl"));
	assert_status(r, 200);
	response_free(r);
	/* 36 people in all: admin, p00…p33, zed */

	r = http_get(v, "/api/v1/people", NULL);
	assert_status(r, 200);
	assert_int_equal(json_len(r, "items"), 30);
	const char *next = response_jstr(r, "next");
	assert_non_null(next);
	char *cursor = harness_strdup(next);
	assert_jstr(r, "items.0.handle", "admin"); /* "Site Admin" < "Test p00" (case-insensitive) */
	assert_jstr(r, "items.1.handle", "p00");
	assert_jstr(r, "items.29.handle", "p28");
	assert_non_null(response_jstr(r, "items.0.avatar_url"));
	assert_non_null(response_jstr(r, "items.0.url"));
	response_free(r);

	char path[512];
	snprintf(path, sizeof path, "/api/v1/people?cursor=%s", cursor);
	r = http_get(v, path, NULL);
	assert_status(r, 200);
	assert_int_equal(json_len(r, "items"), 6);
	assert_jstr(r, "items.0.handle", "p29");
	assert_jstr(r, "items.4.handle", "p33");
	assert_jstr(r, "items.5.handle", "zed");
	assert_true(json_is_null(json_path(r->json, "next")));
	assert_jstr(r, "items.5.org.slug", "acme");
	assert_jstr(r, "items.5.expertise.0.tag", "fika");
	assert_jstr(r, "items.5.expertise.0.level", "expert");
	assert_jstr(r, "items.5.expertise.2.tag", "rust");
	response_free(r);

	/* newest first */
	r = http_get(v, "/api/v1/people?sort=newest", NULL);
	assert_int_equal(json_len(r, "items"), 30);
	assert_jstr(r, "items.0.handle", "zed");
	assert_jstr(r, "items.1.handle", "p33");
	cursor = harness_strdup(response_jstr(r, "next"));
	response_free(r);
	snprintf(path, sizeof path, "/api/v1/people?sort=newest&cursor=%s", cursor);
	r = http_get(v, path, NULL);
	assert_int_equal(json_len(r, "items"), 6);
	assert_jstr(r, "items.5.handle", "admin");
	assert_true(json_is_null(json_path(r->json, "next")));
	response_free(r);
	/* a cursor of one order is not valid in the other */
	snprintf(path, sizeof path, "/api/v1/people?cursor=%s", cursor);
	r = http_get(v, path, NULL);
	assert_error(r, 400, "bad_cursor");
	response_free(r);
	r = http_get(v, "/api/v1/people?cursor=bm90LWEtY3Vyc29y", NULL);
	assert_error(r, 400, "bad_cursor");
	response_free(r);
	r = http_get(v, "/api/v1/people?sort=sideways", NULL);
	assert_status(r, 400);
	response_free(r);

	/* filters */
	static const char *const filters[] = {"tag=fika", "tag=Soil", "org=acme", "language=nl",
					      "tag=rust&org=acme&language=nl"};
	for (size_t i = 0; i < sizeof filters / sizeof *filters; i++) {
		snprintf(path, sizeof path, "/api/v1/people?%s", filters[i]);
		r = http_get(v, path, NULL);
		assert_status(r, 200);
		assert_int_equal(json_len(r, "items"), 1);
		assert_jstr(r, "items.0.handle", "zed");
		response_free(r);
	}
	static const char *const empty[] = {"tag=nothing", "org=nowhere", "language=en", "language=xx",
					    "tag=fika&language=sv"};
	for (size_t i = 0; i < sizeof empty / sizeof *empty; i++) {
		snprintf(path, sizeof path, "/api/v1/people?%s", empty[i]);
		r = http_get(v, path, NULL);
		assert_status(r, 200);
		assert_int_equal(json_len(r, "items"), 0);
		response_free(r);
	}
	r = http_get(v, "/api/v1/people?colour=blue", NULL);
	assert_status(r, 200);
	assert_header_equal(r, "X-Kring-Ignored-Parameters", "colour");
	response_free(r);

	/* HTML: the page, its filter form and the link to the next page */
	r = http_get(v, "/people", NULL);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "href=\"/people/p00\"");
	assert_body_lacks(r, "href=\"/people/zed\"");
	assert_body_contains(r, "/people?cursor=");
	assert_body_contains(r, "<label for=\"q\">");
	assert_body_contains(r, "<option value=\"acme\"");
	response_free(r);
	r = http_get(v, "/people?tag=fika&org=acme", NULL);
	assert_status(r, 200);
	assert_body_contains(r, "href=\"/people/zed\"");
	assert_body_contains(r, "href=\"/tags/fika\"");
	assert_body_lacks(r, "href=\"/people/p00\"");
	assert_body_contains(r, "<option value=\"acme\" selected");
	response_free(r);
	client_free(c);
	client_free(v);
	client_free(admin);
}

/* The handles of the directory at path, space-separated, in order. */
static const char *handles_at(struct client *c, const char *path)
{
	static char out[512];
	struct response *r = http_get(c, path, NULL);
	assert_status(r, 200);
	out[0] = '\0';
	for (size_t i = 0; i < json_len(r, "items"); i++)
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? " " : "",
			 json_string_value(json_path(json_array_get(json_path(r->json, "items"), i), "handle")));
	response_free(r);
	return out;
}

/* The directory's box (q) finds names, handles, expertise, "ask me
 * about" and organisations through the search's analysis; the tag
 * parameter of links from tag pages stays an exact tag. */
static void directory_box_finds_names_and_expertise(void **state)
{
	struct client *admin = admin_client(*state);
	create_org(admin, "lindewaard", "Gemeente Lindewaard");
	struct client *v = client_new(*state);
	struct client *erik = signed_in_client(*state, "erik", NULL);
	struct response *r = save_profile(erik, json_pack("{s:s, s:s, s:s}", "name", "Erik Dahl", "org", "lindewaard",
							  "expertise_practising", "lean"));
	assert_status(r, 200);
	response_free(r);
	struct client *anna = signed_in_client(*state, "anna", NULL);
	r = save_profile(anna, json_pack("{s:s, s:s, s:s}", "name", "Anna Lindqvist", "expertise_expert",
					 "online-workshops", "ask_me_about", "Förbättringsarbete i hemtjänsten, with Erik"));
	assert_status(r, 200);
	response_free(r);
	/* a member who only signed up is found by name and handle */
	struct client *ulla = signed_in_client(*state, "ulla", NULL);

	assert_string_equal(handles_at(v, "/api/v1/people?q=workshop"), "anna");
	/* a match in the name before one elsewhere, though "Anna" sorts first */
	assert_string_equal(handles_at(v, "/api/v1/people?q=Erik"), "erik anna");
	/* or by name, or newest first, when asked */
	assert_string_equal(handles_at(v, "/api/v1/people?q=Erik&sort=name"), "anna erik");
	assert_string_equal(handles_at(v, "/api/v1/people?q=Erik&sort=newest"), "anna erik");
	assert_string_equal(handles_at(v, "/api/v1/people?q=gemeente"), "erik");
	assert_string_equal(handles_at(v, "/api/v1/people?q=f%C3%B6rb%C3%A4ttring"), "anna");
	assert_string_equal(handles_at(v, "/api/v1/people?q=ulla"), "ulla");
	assert_string_equal(handles_at(v, "/api/v1/people?q=nobody-at-all"), "");
	/* with the other filters */
	assert_string_equal(handles_at(v, "/api/v1/people?q=workshop&org=lindewaard"), "");
	assert_string_equal(handles_at(v, "/api/v1/people?q=lean&org=lindewaard"), "erik");
	/* the tag of a tag page's link is exact */
	assert_string_equal(handles_at(v, "/api/v1/people?tag=workshop"), "");
	assert_string_equal(handles_at(v, "/api/v1/people?tag=online-workshops"), "anna");
	r = http_get(v, "/api/v1/people?q=workshop&cursor=x", NULL);
	assert_error(r, 400, "bad_cursor");
	response_free(r);

	/* the page: one box that keeps what was typed */
	r = http_get(v, "/people?q=workshop", NULL);
	assert_status(r, 200);
	assert_body_contains(r, "name=\"q\" value=\"workshop\"");
	assert_body_contains(r, "href=\"/people/anna\"");
	assert_body_lacks(r, "href=\"/people/erik\"");
	response_free(r);
	client_free(ulla);
	client_free(anna);
	client_free(erik);
	client_free(v);
	client_free(admin);
}

static void layout_links_people_and_orgs(void **state)
{
	struct client *v = client_new(*state);
	struct response *r = http_get(v, "/", NULL);
	assert_status(r, 200);
	assert_body_contains(r, "href=\"/people\"");
	assert_body_contains(r, "href=\"/orgs\"");
	response_free(r);
	r = http_get(v, "/orgs", NULL);
	assert_status(r, 200);
	response_free(r);
	client_free(v);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(orgs_admin_creates_and_edits),
		T(orgs_only_admins_create_or_edit),
		T(orgs_validation_keeps_input),
		T(orgs_escape_every_field),
		T(orgs_cards_show_host_without_dangling_separators),
		T(profile_edit_and_show),
		T(profile_api_partial_update),
		T(profile_validation_keeps_input),
		T(profile_escapes_every_field),
		T(avatar_svg_escapes_name),
		T(member_chooses_org_and_appears_on_its_page),
		T(shared_items_follow_visibility),
		T(directory_filters_and_keyset_pages),
		T(directory_box_finds_names_and_expertise),
		T(layout_links_people_and_orgs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
