/* test_methods: the method book — a method with every field read back
 * (JSON and its page), the field rules one at a time (nothing stored when
 * one is broken, the form keeps what was typed), editing with revisions,
 * "I used this" marks, variations, the book at /methods with its
 * duration, group size and tag filters, its pages and who may see a
 * private method, and Markdown made inert in every field. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define METHODS_PER_PAGE 20

/* ---- the place ---------------------------------------------------------------------------- */

/* The organisation Acme; the public communities fika and garden and the
 * private board. asa (of Acme) belongs to all three, bo (of no
 * organisation) to fika and garden, pia to garden and board; cai is a
 * member of none. */
struct place {
	const struct server *srv;
	struct actor *admin, *asa, *bo, *pia, *cai, *visitor;
};

static void place_build(struct place *p, const struct server *s)
{
	p->srv = s;
	p->admin = staff(s, "root", "--admin");
	unlimited_posting(p->admin);
	struct response *r = apost(p->admin, "/api/v1/orgs", json_pack("{s:s, s:s}", "slug", "acme", "name", "Acme Water"));
	assert_status(r, 201);
	response_free(r);
	p->asa = member(s, "asa");
	p->bo = member(s, "bo");
	p->pia = member(s, "pia");
	p->cai = member(s, "cai");
	p->visitor = visitor(s);
	r = apost(p->asa, "/api/v1/settings/profile", json_pack("{s:s}", "org", "acme"));
	assert_status(r, 200);
	response_free(r);

	make_community(p->admin, "fika", "Fika", "public", "open");
	make_community(p->admin, "garden", "Garden", "public", "open");
	make_community(p->admin, "board", "The Board", "private", "invite");
	bring_in(p->admin, "fika", p->asa);
	bring_in(p->admin, "garden", p->asa);
	bring_in(p->admin, "board", p->asa);
	bring_in(p->admin, "fika", p->bo);
	bring_in(p->admin, "garden", p->bo);
	bring_in(p->admin, "garden", p->pia);
	bring_in(p->admin, "board", p->pia);
}

/* ---- helpers ------------------------------------------------------------------------------ */

/* n steps "Step 1" … "Step n", one a line (kept until teardown). */
static const char *n_steps(int n)
{
	size_t cap = (size_t)n * 16 + 1, len = 0;
	char *s = harness_keep(malloc(cap));
	assert_non_null(s);
	s[0] = '\0';
	for (int i = 1; i <= n; i++)
		len += (size_t)snprintf(s + len, cap - len, "%sStep %d", i > 1 ? "\n" : "", i);
	return s;
}

/* The smallest valid method. */
static json_t *method(const char *title)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:s}", "kind", "method", "title", title, "purpose",
			 "Why we do it, in *short*.", "duration", 30, "group_min", 2, "group_max", 8, "steps",
			 "Gather\nTalk\nClose");
}

/* A method with this duration, group range and tags (NULL-terminated). */
static json_t *method_sized(const char *title, int duration, int gmin, int gmax, const char *const *tags)
{
	json_t *body = method(title);
	json_object_set_new(body, "duration", json_integer(duration));
	json_object_set_new(body, "group_min", json_integer(gmin));
	json_object_set_new(body, "group_max", json_integer(gmax));
	json_t *t = json_array();
	for (size_t i = 0; tags && tags[i]; i++)
		json_array_append_new(t, json_string(tags[i]));
	json_object_set_new(body, "tags", t);
	return body;
}

/* The integer at a dotted path equals want (and is a JSON integer). */
#define assert_jint(resp, jpath, want) jint_at((resp), (jpath), (want), __FILE__, __LINE__)

static void jint_at(const struct response *r, const char *path, int64_t want, const char *file, int line)
{
	json_t *v = json_path(r->json, path);
	if (!json_is_integer(v) || json_integer_value(v) != want)
		harness_fail_response(r, file, line, "JSON %s is not the integer %lld", path, (long long)want);
}

/* 422 "invalid" with a message on the field in error.fields. */
/* How many methods the book lists for the viewer, over all pages. */
static size_t method_count(struct actor *a)
{
	struct pages p;
	return json_array_size(walk(a, "/api/v1/methods", &p));
}

/* The steps of the method are exactly these texts, numbered 1..n, each
 * with its html holding the text (the specification names the keys
 * "number", "text" and "text_html"). */
static void assert_steps(const struct response *r, const char *const *texts)
{
	size_t n = 0;
	for (; texts[n]; n++) {
		const char *t = jat_str(r, "method.steps", n, "text");
		if (!t || strcmp(t, texts[n]) != 0)
			harness_fail_response(r, __FILE__, __LINE__, "step %zu is \"%s\", expected \"%s\"", n + 1,
					      t ? t : "(none)", texts[n]);
		json_t *num = jat(r, "method.steps", n, "number");
		if (!json_is_integer(num) || json_integer_value(num) != (json_int_t)(n + 1))
			harness_fail_response(r, __FILE__, __LINE__, "step %zu is not numbered %zu", n + 1, n + 1);
		const char *html = jat_str(r, "method.steps", n, "text_html");
		if (!html || !strstr(html, texts[n]))
			harness_fail_response(r, __FILE__, __LINE__, "step %zu's html lacks its text", n + 1);
	}
	if (jlen(r, "method.steps") != n)
		harness_fail_response(r, __FILE__, __LINE__, "%zu steps, expected %zu", jlen(r, "method.steps"), n);
}

/* The text of an HTML page: tags dropped, runs of white space made one
 * space (kept until teardown). */
static const char *page_text(const char *html)
{
	size_t n = strlen(html);
	char *out = harness_keep(malloc(n + 1));
	assert_non_null(out);
	size_t o = 0;
	bool in_tag = false, space = false;
	for (const char *s = html; *s; s++) {
		if (in_tag) {
			if (*s == '>') {
				in_tag = false;
				space = true;
			}
			continue;
		}
		if (*s == '<') {
			in_tag = true;
			continue;
		}
		if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') {
			space = true;
			continue;
		}
		if (space && o > 0)
			out[o++] = ' ';
		space = false;
		out[o++] = *s;
	}
	out[o] = '\0';
	return out;
}

/* Whether the text matches the extended regular expression (ignoring case). */
static bool matches(const char *text, const char *pattern)
{
	regex_t re;
	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB), 0);
	bool m = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	return m;
}

/* ---- one method, every field ------------------------------------------------------------- */

#define FULL_TITLE "Silent brainstorm"
#define FULL_PURPOSE "Collect *many* ideas before anyone judges them."
#define FULL_WHEN "When a few **loud voices** dominate."
#define FULL_MATERIALS "- sticky notes\n- thick pens"
#define FULL_TIPS "Keep the `timer` visible."
#define FULL_STEPS "Explain the question\n\n   Write ideas alone, one per note  \n\n\nCluster the notes on the wall\n"

static const char *const full_steps[] = {"Explain the question", "Write ideas alone, one per note",
					 "Cluster the notes on the wall", NULL};

static void check_full_method(const struct response *r, int64_t id)
{
	assert_int_equal(jint(r, "id"), id);
	assert_jstr(r, "kind", "method");
	assert_jstr(r, "title", FULL_TITLE);
	assert_jstr(r, "purpose", FULL_PURPOSE);
	const char *body_html = response_jstr(r, "body_html");
	if (!body_html || !strstr(body_html, "<em>many</em>"))
		harness_fail_response(r, __FILE__, __LINE__, "body_html is not the purpose rendered");
	char url[96];
	snprintf(url, sizeof url, "/items/%lld-silent-brainstorm", (long long)id);
	assert_jstr(r, "url", url);
	assert_jstr(r, "community.slug", "fika");
	assert_jstr(r, "community.name", "Fika");
	assert_jstr(r, "author.handle", "asa");
	assert_jstr(r, "language", "sv");
	assert_int_equal(jlen(r, "tags"), 2);
	assert_true(has_tag(json_path(r->json, "tags"), "ideas"));
	assert_true(has_tag(json_path(r->json, "tags"), "workshop"));

	assert_jstr(r, "method.when_to_use", FULL_WHEN);
	assert_non_null(strstr(response_jstr(r, "method.when_to_use_html"), "<strong>loud voices</strong>"));
	assert_jint(r, "method.duration", 45);
	assert_jint(r, "method.group_min", 7);
	assert_jint(r, "method.group_max", 13);
	assert_jstr(r, "method.materials", FULL_MATERIALS);
	assert_non_null(strstr(response_jstr(r, "method.materials_html"), "<li>sticky notes</li>"));
	assert_jstr(r, "method.tips", FULL_TIPS);
	assert_non_null(strstr(response_jstr(r, "method.tips_html"), "<code>timer</code>"));
	assert_steps(r, full_steps);

	/* nobody used it yet, nobody varied it */
	assert_jint(r, "uses.count", 0);
	assert_true(json_is_false(json_path(r->json, "uses.mine")));
	assert_int_equal(jlen(r, "uses.items"), 0);
	assert_true(json_is_array(json_path(r->json, "uses.items")));
	assert_true(json_is_array(json_path(r->json, "variations")));
	assert_int_equal(jlen(r, "variations"), 0);
}

static void method_with_every_field(void **state)
{
	struct place p;
	place_build(&p, *state);
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:s, s:s, s:s, s:[s,s], s:s}", "kind",
				 "method", "title", FULL_TITLE, "purpose", FULL_PURPOSE, "when_to_use", FULL_WHEN,
				 "duration", 45, "group_min", 7, "group_max", 13, "materials", FULL_MATERIALS,
				 "steps", FULL_STEPS, "tips", FULL_TIPS, "tags", "Ideas", "workshop", "language",
				 "sv");
	struct response *r = post_item(p.asa, "fika", body);
	assert_status(r, 201);
	int64_t id = jint(r, "id");
	assert_true(id > 0);
	check_full_method(r, id);
	response_free(r);

	/* read back by the author, a member, an outsider and a visitor */
	struct actor *readers[] = {p.asa, p.bo, p.cai, p.visitor};
	for (size_t i = 0; i < sizeof readers / sizeof *readers; i++) {
		r = get_item(readers[i], id);
		assert_status(r, 200);
		check_full_method(r, id);
		response_free(r);
	}

	/* the book lists it with its purpose as the excerpt and its sizes */
	r = aget(p.visitor, "/api/v1/methods");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "items"), 1);
	assert_int_equal(json_integer_value(jat(r, "items", 0, "id")), id);
	assert_string_equal(jat_str(r, "items", 0, "title"), FULL_TITLE);
	const char *excerpt = jat_str(r, "items", 0, "excerpt");
	assert_non_null(excerpt);
	assert_non_null(strstr(excerpt, "Collect"));
	assert_non_null(strstr(excerpt, "ideas before anyone judges them"));
	char url[96];
	snprintf(url, sizeof url, "/items/%lld-silent-brainstorm", (long long)id);
	assert_string_equal(jat_str(r, "items", 0, "url"), url);
	assert_true(has_tag(jat(r, "items", 0, "tags"), "ideas"));
	assert_string_equal(json_string_value(json_object_get(jat(r, "items", 0, "community"), "slug")), "fika");
	assert_int_equal(json_integer_value(jat(r, "items", 0, "duration")), 45);
	assert_int_equal(json_integer_value(jat(r, "items", 0, "group_min")), 7);
	assert_int_equal(json_integer_value(jat(r, "items", 0, "group_max")), 13);
	assert_true(json_is_integer(jat(r, "items", 0, "use_count")));
	assert_int_equal(json_integer_value(jat(r, "items", 0, "use_count")), 0);
	response_free(r);

	/* the page: the numbered steps in order, duration, group size,
	 * materials, tips and when to use it */
	r = aget(p.visitor, "/items/%lld", (long long)id);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, FULL_TITLE);
	assert_body_contains(r, "<em>many</em>");
	assert_body_contains(r, "<strong>loud voices</strong>");
	assert_body_contains(r, "sticky notes");
	assert_body_contains(r, "<code>timer</code>");
	const char *s1 = strstr(r->body, full_steps[0]), *s2 = strstr(r->body, full_steps[1]),
		   *s3 = strstr(r->body, full_steps[2]);
	if (!s1 || !s2 || !s3 || !(s1 < s2 && s2 < s3))
		harness_fail_response(r, __FILE__, __LINE__, "the steps are not all shown, in order");
	const char *text = page_text(r->body);
	if (!strstr(r->body, "<ol") && !matches(text, "(^|[^0-9])1[.):]? ?Explain the question"))
		harness_fail_response(r, __FILE__, __LINE__, "the steps are not numbered");
	if (!matches(text, "(^|[^0-9])45 ?min"))
		harness_fail_response(r, __FILE__, __LINE__, "the page does not show the duration, 45 min");
	if (!matches(text, "(^|[^0-9])7[^0-9]{1,24}13([^0-9]|$)"))
		harness_fail_response(r, __FILE__, __LINE__, "the page does not show the group size, 7 to 13");
	response_free(r);
}

/* The composer and the form: numbers as text, steps in a textarea with
 * the browser's CRLF line ends. */
static void method_from_the_form(void **state)
{
	struct place p;
	place_build(&p, *state);
	struct response *r = aget(p.asa, "/c/fika/new?kind=method");
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	static const char *const inputs[] = {"name=\"title\"", "name=\"purpose\"", "name=\"when_to_use\"",
					     "name=\"duration\"", "name=\"group_min\"", "name=\"group_max\"",
					     "name=\"materials\"", "name=\"steps\"", "name=\"tips\"",
					     "name=\"tags\""};
	for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
		assert_body_contains(r, inputs[i]);
	response_free(r);

	r = fpost(p.asa, "/c/fika/items",
		  STRS("kind", "method", "title", "Walk and talk", "purpose", "Think while walking.", "duration", "30",
		       "group_min", "2", "group_max", "2", "steps", "Pick a route\r\n\r\n  Walk  \r\nShare one insight\r\n",
		       "materials", "Shoes", "tags", "Outdoor, pairs"));
	assert_status(r, 303);
	const char *location = response_header(r, "Location");
	assert_non_null(location);
	assert_int_equal(strncmp(location, "/items/", 7), 0);
	int64_t id = strtoll(location + 7, NULL, 10);
	assert_true(id > 0);
	response_free(r);

	r = get_item(p.bo, id);
	assert_status(r, 200);
	assert_jstr(r, "kind", "method");
	assert_jstr(r, "title", "Walk and talk");
	assert_jstr(r, "purpose", "Think while walking.");
	assert_jint(r, "method.duration", 30);
	assert_jint(r, "method.group_min", 2);
	assert_jint(r, "method.group_max", 2);
	assert_jstr(r, "method.materials", "Shoes");
	assert_steps(r, STRS("Pick a route", "Walk", "Share one insight"));
	assert_int_equal(jlen(r, "tags"), 2);
	assert_true(has_tag(json_path(r->json, "tags"), "outdoor"));
	assert_true(has_tag(json_path(r->json, "tags"), "pairs"));
	response_free(r);
}

/* ---- field rules ------------------------------------------------------------------------------ */

static void method_field_errors(void **state)
{
	struct place p;
	place_build(&p, *state);
	size_t before = method_count(p.bo);

	struct {
		const char *field, *key;
		json_t *value; /* NULL: the key left out */
	} cases[] = {
		{"title", "title", NULL},
		{"title", "title", json_string("   ")},
		{"title", "title", json_string(repeat("t", 201))},
		{"purpose", "purpose", NULL},
		{"purpose", "purpose", json_string("")},
		{"purpose", "purpose", json_string(repeat("p", 1001))},
		{"when_to_use", "when_to_use", json_string(repeat("w", 5001))},
		{"duration", "duration", NULL},
		{"duration", "duration", json_integer(0)},
		{"duration", "duration", json_integer(4)},
		{"duration", "duration", json_integer(1441)},
		{"duration", "duration", json_integer(-30)},
		{"group_min", "group_min", NULL},
		{"group_min", "group_min", json_integer(0)},
		{"group_min", "group_min", json_integer(1001)},
		{"group_max", "group_max", NULL},
		{"group_max", "group_max", json_integer(0)},
		{"group_max", "group_max", json_integer(1001)},
		{"group_max", "group_max", json_integer(1)}, /* below group_min 2 */
		{"materials", "materials", json_string(repeat("m", 5001))},
		{"steps", "steps", NULL},
		{"steps", "steps", json_string("")},
		{"steps", "steps", json_string("\n  \n\n")},
		{"steps", "steps", json_string(n_steps(31))},
		{"steps", "steps", json_string(repeat("s", 1001))},
		{"tips", "tips", json_string(repeat("t", 5001))},
		{"language", "language", json_string("de")},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		json_t *body = method("A valid title");
		if (cases[i].value)
			json_object_set_new(body, cases[i].key, cases[i].value);
		else
			json_object_del(body, cases[i].key);
		struct response *r = post_item(p.bo, "fika", body);
		if (r->status != 422)
			print_error("case %zu: %s\n", i, cases[i].field);
		assert_invalid_field(r, cases[i].field);
		response_free(r);
	}
	/* a long step among good ones; group_max below group_min, both large */
	json_t *body = method("A valid title");
	char *steps = NULL;
	assert_true(asprintf(&steps, "Fine step\n%s\nAnother fine step", repeat("x", 1001)) > 0);
	json_object_set_new(body, "steps", json_string(harness_keep(steps)));
	struct response *r = post_item(p.bo, "fika", body);
	assert_invalid_field(r, "steps");
	response_free(r);
	body = method("A valid title");
	json_object_set_new(body, "group_min", json_integer(50));
	json_object_set_new(body, "group_max", json_integer(49));
	r = post_item(p.bo, "fika", body);
	assert_invalid_field(r, "group_max");
	assert_null(json_path(r->json, "error.fields.group_min"));
	response_free(r);

	/* numbers as JSON strings are a malformed request */
	body = method("A valid title");
	json_object_set_new(body, "duration", json_string("60"));
	r = post_item(p.bo, "fika", body);
	assert_error(r, 400, "bad_json");
	assert_jstr(r, "error.field", "duration");
	response_free(r);
	body = method("A valid title");
	json_object_set_new(body, "group_max", json_string("8"));
	r = post_item(p.bo, "fika", body);
	assert_error(r, 400, "bad_json");
	response_free(r);

	/* every broken field is named at once */
	body = method("");
	json_object_set_new(body, "duration", json_integer(2));
	json_object_del(body, "steps");
	r = post_item(p.bo, "fika", body);
	assert_invalid_field(r, "title");
	assert_invalid_field(r, "duration");
	assert_invalid_field(r, "steps");
	assert_null(json_path(r->json, "error.fields.purpose"));
	assert_null(json_path(r->json, "error.fields.group_min"));
	response_free(r);

	/* the form comes back with what was typed */
	r = fpost(p.bo, "/c/fika/items",
		  STRS("kind", "method", "title", "Typed title 4711", "purpose", "Typed purpose 4712", "duration",
		       "soon", "group_min", "3", "group_max", "9", "steps", "Typed step 4713\r\nTyped step 4714",
		       "materials", "Typed materials 4715", "tips", "Typed tips 4716", "when_to_use",
		       "Typed when 4717"));
	assert_status(r, 422);
	assert_header_contains(r, "Content-Type", "text/html");
	static const char *const typed[] = {"Typed title 4711", "Typed purpose 4712", "Typed step 4713",
					    "Typed step 4714", "Typed materials 4715", "Typed tips 4716",
					    "Typed when 4717", "soon", "name=\"csrf\""};
	for (size_t i = 0; i < sizeof typed / sizeof *typed; i++)
		assert_body_contains(r, typed[i]);
	response_free(r);
	r = fpost(p.bo, "/c/fika/items",
		  STRS("kind", "method", "title", "Typed title 4721", "purpose", "Typed purpose 4722", "duration", "60",
		       "group_min", "9", "group_max", "3", "steps", "Typed step 4723"));
	assert_status(r, 422);
	assert_body_contains(r, "Typed title 4721");
	assert_body_contains(r, "Typed step 4723");
	response_free(r);

	/* nothing of it was stored */
	assert_int_equal(method_count(p.bo), before);

	/* the edges pass: 200 characters, 1000, 5000; 5 and 1440 minutes;
	 * 1 and 1000 people; 30 steps, a step of 1000 characters (counted in
	 * characters, not bytes) */
	body = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:s, s:s, s:s}", "kind", "method", "title",
			 repeat("å", 200), "purpose", repeat("ä", 1000), "when_to_use", repeat("w", 5000), "duration",
			 5, "group_min", 1, "group_max", 1000, "materials", repeat("m", 5000), "steps", n_steps(30),
			 "tips", repeat("ö", 5000));
	int64_t id = new_item(p.bo, "method", "fika", body);
	r = get_item(p.bo, id);
	assert_status(r, 200);
	assert_jstr(r, "title", repeat("å", 200));
	assert_jstr(r, "purpose", repeat("ä", 1000));
	assert_jstr(r, "method.tips", repeat("ö", 5000));
	assert_jint(r, "method.duration", 5);
	assert_jint(r, "method.group_min", 1);
	assert_jint(r, "method.group_max", 1000);
	assert_int_equal(jlen(r, "method.steps"), 30);
	assert_int_equal(json_integer_value(jat(r, "method.steps", 29, "number")), 30);
	assert_string_equal(jat_str(r, "method.steps", 29, "text"), "Step 30");
	response_free(r);

	body = method("Long step and a whole day");
	json_object_set_new(body, "duration", json_integer(1440));
	json_object_set_new(body, "group_min", json_integer(1000));
	json_object_set_new(body, "group_max", json_integer(1000));
	json_object_set_new(body, "steps", json_string(repeat("é", 1000)));
	id = new_item(p.bo, "method", "fika", body);
	r = get_item(p.bo, id);
	assert_jint(r, "method.duration", 1440);
	assert_jint(r, "method.group_min", 1000);
	assert_steps(r, STRS(repeat("é", 1000)));
	response_free(r);
	assert_int_equal(method_count(p.bo), before + 2);
}

/* Who may post: as for questions. */
static void method_posting_rights(void **state)
{
	struct place p;
	place_build(&p, *state);
	struct response *r = post_item(p.cai, "fika", method("Outsider method"));
	assert_error(r, 403, "not_member");
	response_free(r);
	r = post_item(p.bo, "board", method("Outsider method"));
	assert_status(r, 404);
	response_free(r);
	r = post_item(p.visitor, "fika", method("Visitor method"));
	assert_status(r, 401);
	response_free(r);
	assert_int_equal(method_count(p.asa), 0);
}

/* ---- editing ---------------------------------------------------------------------------------- */

static void method_edit(void **state)
{
	struct place p;
	place_build(&p, *state);
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:s, s:s, s:s, s:[s]}", "kind", "method",
				 "title", "Editable method", "purpose", "First purpose", "when_to_use", "First when",
				 "duration", 60, "group_min", 4, "group_max", 12, "materials", "First materials",
				 "steps", "First one\nFirst two\nFirst three", "tips", "First tips", "tags", "alpha");
	int64_t id = new_item(p.asa, "method", "fika", body);
	assert_int_equal(revision_count(p.bo, id), 1);

	/* a partial edit keeps what it leaves out */
	struct response *r = item_edit(p.asa, id, json_pack("{s:i}", "duration", 90));
	assert_status(r, 200);
	assert_jint(r, "method.duration", 90);
	response_free(r);
	r = get_item(p.bo, id);
	assert_status(r, 200);
	assert_jint(r, "method.duration", 90);
	assert_jstr(r, "title", "Editable method");
	assert_jstr(r, "purpose", "First purpose");
	assert_jstr(r, "method.when_to_use", "First when");
	assert_jstr(r, "method.materials", "First materials");
	assert_jstr(r, "method.tips", "First tips");
	assert_jint(r, "method.group_min", 4);
	assert_jint(r, "method.group_max", 12);
	assert_steps(r, STRS("First one", "First two", "First three"));
	assert_int_equal(jlen(r, "tags"), 1);
	response_free(r);
	assert_int_equal(revision_count(p.bo, id), 2);

	/* steps sent replace the steps; the purpose renders anew */
	r = item_edit(p.asa, id, json_pack("{s:s, s:s}", "steps", "Second one\n\nSecond two", "purpose", "Second **purpose**"));
	assert_status(r, 200);
	response_free(r);
	r = get_item(p.bo, id);
	assert_steps(r, STRS("Second one", "Second two"));
	assert_jstr(r, "purpose", "Second **purpose**");
	assert_non_null(strstr(response_jstr(r, "body_html"), "<strong>purpose</strong>"));
	assert_jint(r, "method.duration", 90);
	assert_jstr(r, "method.tips", "First tips");
	response_free(r);
	assert_int_equal(revision_count(p.bo, id), 3);
	/* the book's excerpt follows the purpose */
	r = aget(p.bo, "/api/v1/methods");
	assert_non_null(strstr(jat_str(r, "items", 0, "excerpt"), "Second"));
	response_free(r);

	/* both bounds at once are checked against each other, not against
	 * the old ones */
	r = item_edit(p.asa, id, json_pack("{s:i, s:i, s:s, s:s, s:s}", "group_min", 15, "group_max", 20, "materials",
				      "Second materials", "when_to_use", "Second when", "tips", "Second tips"));
	assert_status(r, 200);
	response_free(r);
	r = get_item(p.bo, id);
	assert_jint(r, "method.group_min", 15);
	assert_jint(r, "method.group_max", 20);
	assert_jstr(r, "method.materials", "Second materials");
	assert_jstr(r, "method.when_to_use", "Second when");
	assert_jstr(r, "method.tips", "Second tips");
	assert_jstr(r, "title", "Editable method");
	response_free(r);
	assert_int_equal(revision_count(p.bo, id), 4);

	/* a broken edit changes nothing; one bound is checked against the
	 * other as stored */
	const struct {
		const char *field;
		json_t *body;
	} bad[] = {
		{"title", json_pack("{s:s}", "title", "")},
		{"purpose", json_pack("{s:s}", "purpose", repeat("p", 1001))},
		{"duration", json_pack("{s:i}", "duration", 4)},
		{"duration", json_pack("{s:i}", "duration", 1441)},
		{"group_max", json_pack("{s:i}", "group_max", 14)},
		{"group_max", json_pack("{s:i}", "group_max", 1001)},
		{"group_min", json_pack("{s:i}", "group_min", 0)},
		{"steps", json_pack("{s:s}", "steps", "")},
		{"steps", json_pack("{s:s}", "steps", n_steps(31))},
		{"tips", json_pack("{s:s}", "tips", repeat("t", 5001))},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		r = item_edit(p.asa, id, bad[i].body);
		if (r->status != 422)
			print_error("bad edit %zu: %s\n", i, bad[i].field);
		assert_invalid_field(r, bad[i].field);
		response_free(r);
	}
	/* group_min above the stored group_max: an error on either bound */
	r = item_edit(p.asa, id, json_pack("{s:i}", "group_min", 21));
	if (r->status != 422 || (!json_path(r->json, "error.fields.group_min") &&
				 !json_path(r->json, "error.fields.group_max")))
		harness_fail_response(r, __FILE__, __LINE__, "group_min 21 above group_max 20 was not refused");
	response_free(r);
	/* nobody but the author edits, and its moderators only with a note */
	r = item_edit(p.bo, id, json_pack("{s:s}", "title", "Hijacked"));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = item_edit(p.admin, id, json_pack("{s:s}", "title", "Hijacked"));
	assert_invalid_field(r, "note");
	response_free(r);
	r = item_edit(p.visitor, id, json_pack("{s:s}", "title", "Hijacked"));
	assert_status(r, 401);
	response_free(r);
	r = get_item(p.bo, id);
	assert_jstr(r, "title", "Editable method");
	assert_jstr(r, "purpose", "Second **purpose**");
	assert_jint(r, "method.duration", 90);
	assert_jint(r, "method.group_min", 15);
	assert_jint(r, "method.group_max", 20);
	assert_jstr(r, "method.tips", "Second tips");
	assert_steps(r, STRS("Second one", "Second two"));
	response_free(r);
	assert_int_equal(revision_count(p.bo, id), 4);
}

/* ---- "I used this" ---------------------------------------------------------------------------- */

static struct response *use(struct actor *a, int64_t id, const char *note)
{
	return item_post(a, id, "uses", note ? json_pack("{s:s}", "note", note) : json_object());
}

/* The uses object at prefix ("" for the top level, "uses." in an item):
 * its count, whether the viewer's is among them, and its marks' handles
 * newest first. */
static void assert_uses(const struct response *r, const char *prefix, int count, bool mine,
			const char *const *handles)
{
	char path[64];
	snprintf(path, sizeof path, "%scount", prefix);
	json_t *c = json_path(r->json, path);
	if (!json_is_integer(c) || json_integer_value(c) != count)
		harness_fail_response(r, __FILE__, __LINE__, "%s is not %d", path, count);
	snprintf(path, sizeof path, "%smine", prefix);
	json_t *m = json_path(r->json, path);
	if (!json_is_boolean(m) || json_is_true(m) != mine)
		harness_fail_response(r, __FILE__, __LINE__, "%s is not %s", path, mine ? "true" : "false");
	snprintf(path, sizeof path, "%sitems", prefix);
	size_t n = 0;
	for (; handles[n]; n++) {
		const char *h = json_string_value(json_object_get(jat(r, path, n, "author"), "handle"));
		if (!h || strcmp(h, handles[n]) != 0)
			harness_fail_response(r, __FILE__, __LINE__, "%s[%zu] is by %s, expected %s", path, n,
					      h ? h : "(none)", handles[n]);
		if (!json_is_string(json_object_get(jat(r, path, n, "author"), "name")))
			harness_fail_response(r, __FILE__, __LINE__, "%s[%zu] has no author name", path, n);
		if (!jat(r, path, n, "created_at"))
			harness_fail_response(r, __FILE__, __LINE__, "%s[%zu] has no created_at", path, n);
	}
	if (jlen(r, path) != n)
		harness_fail_response(r, __FILE__, __LINE__, "%s holds %zu, expected %zu", path, jlen(r, path), n);
}

static void method_uses(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = new_item(p.pia, "method", "garden", method("Used method"));

	/* the first mark */
	struct response *r = use(p.asa, id, "Worked well with twelve people.");
	assert_status(r, 201);
	assert_uses(r, "", 1, true, STRS("asa"));
	assert_string_equal(jat_str(r, "items", 0, "note"), "Worked well with twelve people.");
	assert_string_equal(json_string_value(json_object_get(jat(r, "items", 0, "author"), "name")), "Test asa");
	assert_string_equal(json_string_value(json_object_get(jat(r, "items", 0, "org"), "slug")), "acme");
	assert_string_equal(json_string_value(json_object_get(jat(r, "items", 0, "org"), "name")), "Acme Water");
	response_free(r);

	/* again: the note replaced, still one */
	r = use(p.asa, id, "Better with a timer.");
	assert_status(r, 200);
	assert_uses(r, "", 1, true, STRS("asa"));
	assert_string_equal(jat_str(r, "items", 0, "note"), "Better with a timer.");
	response_free(r);
	r = get_item(p.asa, id);
	assert_uses(r, "uses.", 1, true, STRS("asa"));
	assert_string_equal(jat_str(r, "uses.items", 0, "note"), "Better with a timer.");
	response_free(r);

	/* another member, a second later (marks are timed in seconds), without
	 * a note: newest first; bo has no org */
	test_clock_advance(1);
	r = use(p.bo, id, NULL);
	assert_status(r, 201);
	assert_uses(r, "", 2, true, STRS("bo", "asa"));
	assert_true(json_is_null(jat(r, "items", 0, "org")));
	response_free(r);
	/* as each viewer sees it */
	r = get_item(p.asa, id);
	assert_uses(r, "uses.", 2, true, STRS("bo", "asa"));
	assert_string_equal(jat_str(r, "uses.items", 1, "note"), "Better with a timer.");
	response_free(r);
	r = get_item(p.pia, id);
	assert_uses(r, "uses.", 2, false, STRS("bo", "asa"));
	response_free(r);
	r = get_item(p.visitor, id);
	assert_uses(r, "uses.", 2, false, STRS("bo", "asa"));
	response_free(r);
	/* the book counts them */
	r = aget(p.visitor, "/api/v1/methods");
	assert_int_equal(json_integer_value(jat(r, "items", 0, "use_count")), 2);
	response_free(r);

	/* the author may mark their own, a second later */
	test_clock_advance(1);
	r = use(p.pia, id, "Mine, and it works.");
	assert_status(r, 201);
	assert_uses(r, "", 3, true, STRS("pia", "bo", "asa"));
	response_free(r);

	/* withdrawn: only one's own */
	r = item_post(p.asa, id, "uses/delete", NULL);
	assert_status(r, 200);
	assert_uses(r, "", 2, false, STRS("pia", "bo"));
	response_free(r);
	r = get_item(p.bo, id);
	assert_uses(r, "uses.", 2, true, STRS("pia", "bo"));
	response_free(r);
	r = get_item(p.asa, id);
	assert_uses(r, "uses.", 2, false, STRS("pia", "bo"));
	response_free(r);
	/* marked again after withdrawing, a second later: a new mark, the
	 * newest */
	test_clock_advance(1);
	r = use(p.asa, id, "Back again.");
	if (r->status != 201 && r->status != 200)
		harness_fail_response(r, __FILE__, __LINE__, "marking again after withdrawing failed");
	assert_uses(r, "", 3, true, STRS("asa", "pia", "bo"));
	response_free(r);

	/* who may not */
	r = use(p.cai, id, "Outsider note");
	assert_error(r, 403, "not_member");
	response_free(r);
	r = use(p.visitor, id, "Visitor note");
	assert_status(r, 401);
	response_free(r);
	r = item_post(p.visitor, id, "uses/delete", NULL);
	assert_status(r, 401);
	response_free(r);
	r = use(p.bo, id, repeat("n", 501));
	assert_invalid_field(r, "note");
	response_free(r);
	int64_t q = ask(p.bo, "garden", "A question, not a method", "");
	r = use(p.bo, q, "On a question");
	assert_error(r, 404, "not_found");
	response_free(r);
	r = item_post(p.bo, q, "uses/delete", NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	r = use(p.bo, 999999, "On nothing");
	assert_error(r, 404, "not_found");
	response_free(r);
	/* none of it counted; a 500-character note is fine (bo marks again:
	 * still three) */
	r = use(p.bo, id, repeat("ü", 500));
	assert_status(r, 200);
	assert_jint(r, "count", 3);
	assert_true(json_is_true(json_path(r->json, "mine")));
	assert_int_equal(jlen(r, "items"), 3);
	bool found = false;
	for (size_t i = 0; i < 3; i++) {
		const char *h = json_string_value(json_object_get(jat(r, "items", i, "author"), "handle"));
		if (h && strcmp(h, "bo") == 0) {
			assert_string_equal(jat_str(r, "items", i, "note"), repeat("ü", 500));
			found = true;
		}
	}
	assert_true(found);
	response_free(r);

	/* newest first also within one second: bo, then asa (whose account is
	 * older) right after */
	int64_t other = new_item(p.pia, "method", "garden", method("Quickly used method"));
	test_clock_advance(1);
	r = use(p.bo, other, "First");
	assert_status(r, 201);
	response_free(r);
	r = use(p.asa, other, "Second");
	assert_status(r, 201);
	assert_uses(r, "", 2, true, STRS("asa", "bo"));
	response_free(r);

	/* a private method: a member of its community marks it, others do not
	 * even see it */
	int64_t secret = new_item(p.pia, "method", "board", method("Board method"));
	r = use(p.asa, secret, NULL);
	assert_status(r, 201);
	assert_uses(r, "", 1, true, STRS("asa"));
	response_free(r);
	r = use(p.bo, secret, NULL);
	assert_status(r, 404);
	response_free(r);
}

/* ---- variations ------------------------------------------------------------------------------- */

static void method_variations(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = new_item(p.asa, "method", "fika", method("Varied method"));

	struct response *r = item_post(p.bo, id, "variations",
				       json_pack("{s:s, s:s}", "title", "For remote teams", "body",
						 "Use a *shared board* instead of notes."));
	assert_status(r, 201);
	int64_t v1 = jint(r, "id");
	assert_true(v1 > 0);
	assert_jstr(r, "title", "For remote teams");
	assert_jstr(r, "body", "Use a *shared board* instead of notes.");
	assert_non_null(strstr(response_jstr(r, "body_html"), "<em>shared board</em>"));
	assert_jstr(r, "author.handle", "bo");
	assert_jstr(r, "author.name", "Test bo");
	assert_non_null(json_path(r->json, "created_at"));
	response_free(r);
	r = item_post(p.asa, id, "variations",
		      json_pack("{s:s, s:s}", "title", "With children", "body", "Halve the time."));
	assert_status(r, 201);
	int64_t v2 = jint(r, "id");
	assert_true(v2 > 0 && v2 != v1);
	response_free(r);

	/* oldest first, as anyone who may read the method sees them */
	struct actor *readers[] = {p.asa, p.cai, p.visitor};
	for (size_t i = 0; i < sizeof readers / sizeof *readers; i++) {
		r = get_item(readers[i], id);
		assert_status(r, 200);
		assert_int_equal(jlen(r, "variations"), 2);
		assert_int_equal(json_integer_value(jat(r, "variations", 0, "id")), v1);
		assert_int_equal(json_integer_value(jat(r, "variations", 1, "id")), v2);
		assert_string_equal(jat_str(r, "variations", 0, "title"), "For remote teams");
		assert_string_equal(jat_str(r, "variations", 0, "body"), "Use a *shared board* instead of notes.");
		assert_non_null(strstr(jat_str(r, "variations", 0, "body_html"), "<em>shared board</em>"));
		assert_string_equal(json_string_value(json_object_get(jat(r, "variations", 0, "author"), "handle")), "bo");
		assert_string_equal(jat_str(r, "variations", 1, "title"), "With children");
		assert_string_equal(json_string_value(json_object_get(jat(r, "variations", 1, "author"), "handle")), "asa");
		assert_non_null(jat(r, "variations", 1, "created_at"));
		response_free(r);
	}

	/* who may not; what is not valid */
	r = item_post(p.cai, id, "variations", json_pack("{s:s, s:s}", "title", "Outsider", "body", "No."));
	assert_error(r, 403, "not_member");
	response_free(r);
	r = item_post(p.visitor, id, "variations", json_pack("{s:s, s:s}", "title", "Visitor", "body", "No."));
	assert_status(r, 401);
	response_free(r);
	const struct {
		const char *field;
		json_t *body;
	} bad[] = {
		{"title", json_pack("{s:s}", "body", "A body")},
		{"title", json_pack("{s:s, s:s}", "title", "  ", "body", "A body")},
		{"title", json_pack("{s:s, s:s}", "title", repeat("t", 201), "body", "A body")},
		{"body", json_pack("{s:s}", "title", "A title")},
		{"body", json_pack("{s:s, s:s}", "title", "A title", "body", "")},
		{"body", json_pack("{s:s, s:s}", "title", "A title", "body", repeat("b", 5001))},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		r = item_post(p.bo, id, "variations", bad[i].body);
		if (r->status != 422)
			print_error("bad variation %zu: %s\n", i, bad[i].field);
		assert_invalid_field(r, bad[i].field);
		response_free(r);
	}
	/* the edges pass */
	r = item_post(p.bo, id, "variations", json_pack("{s:s, s:s}", "title", repeat("å", 200), "body", repeat("b", 5000)));
	assert_status(r, 201);
	response_free(r);

	/* markup in a variation is inert */
	r = item_post(p.bo, id, "variations",
		      json_pack("{s:s, s:s}", "title", "<script>alert(7)</script> title", "body",
				"<script>alert(8)</script> [x](javascript:alert(9)) <img src=x onerror=alert(10)>"));
	assert_status(r, 201);
	assert_inert(r, response_jstr(r, "body_html"), "variation body_html");
	assert_non_null(strstr(response_jstr(r, "body_html"), "&lt;script&gt;"));
	response_free(r);
	r = get_item(p.visitor, id);
	assert_int_equal(jlen(r, "variations"), 4);
	assert_string_equal(jat_str(r, "variations", 3, "body"),
			    "<script>alert(8)</script> [x](javascript:alert(9)) <img src=x onerror=alert(10)>");
	assert_inert(r, jat_str(r, "variations", 3, "body_html"), "variation body_html");
	response_free(r);
	r = aget(p.visitor, "/items/%lld", (long long)id);
	assert_status(r, 200);
	assert_body_lacks(r, "<script>alert");
	assert_body_lacks(r, "<img src=x");
	if (strcasestr_portable(r->body, "href=\"javascript:"))
		harness_fail_response(r, __FILE__, __LINE__, "a javascript: link");
	response_free(r);

	/* no variations on a question; none on a private method for outsiders */
	int64_t q = ask(p.bo, "fika", "Not a method", "");
	r = item_post(p.bo, q, "variations", json_pack("{s:s, s:s}", "title", "On a question", "body", "No."));
	assert_status(r, 404);
	response_free(r);
	int64_t secret = new_item(p.pia, "method", "board", method("Board method"));
	r = item_post(p.bo, secret, "variations", json_pack("{s:s, s:s}", "title", "Peek", "body", "No."));
	assert_status(r, 404);
	response_free(r);
	r = item_post(p.asa, secret, "variations", json_pack("{s:s, s:s}", "title", "Board variation", "body", "Yes."));
	assert_status(r, 201);
	response_free(r);
}

/* ---- the book: filters ------------------------------------------------------------------------ */

struct shelf_item {
	const char *community, *author;
	int duration, gmin, gmax;
	const char *tags[3];
	int64_t id;
};

/* Eight public methods over two communities, two on the private board. */
static struct shelf_item shelf[] = {
	{"fika", "asa", 15, 1, 5, {"icebreaker"}, 0},
	{"fika", "bo", 30, 2, 8, {"icebreaker", "remote"}, 0},
	{"fika", "asa", 60, 4, 12, {"retro"}, 0},
	{"garden", "pia", 60, 8, 30, {"retro", "remote"}, 0},
	{"garden", "bo", 90, 3, 3, {"planning"}, 0},
	{"garden", "asa", 120, 10, 100, {"planning", "retro"}, 0},
	{"fika", "bo", 240, 1, 1000, {"strategy"}, 0},
	{"garden", "pia", 45, 5, 6, {"remote"}, 0},
	{"board", "pia", 30, 2, 6, {"icebreaker"}, 0},
	{"board", "asa", 180, 6, 20, {"retro"}, 0},
};
#define SHELF (sizeof shelf / sizeof *shelf)

/* A book address's filters: 0 or NULL when not set. */
struct filters {
	const char *tag;
	int max_duration, group_size;
};

static bool shelf_matches(const struct shelf_item *m, bool insider, const struct filters *f)
{
	if (!insider && strcmp(m->community, "board") == 0)
		return false;
	if (f->max_duration && m->duration > f->max_duration)
		return false;
	if (f->group_size && (f->group_size < m->gmin || f->group_size > m->gmax))
		return false;
	if (f->tag) {
		bool has = false;
		for (int i = 0; i < 3 && m->tags[i]; i++)
			has = has || strcmp(m->tags[i], f->tag) == 0;
		if (!has)
			return false;
	}
	return true;
}

static struct actor *author_of(const struct place *p, const char *handle)
{
	return strcmp(handle, "asa") == 0 ? p->asa : strcmp(handle, "bo") == 0 ? p->bo : p->pia;
}

static void shelf_fill(const struct place *p)
{
	for (size_t i = 0; i < SHELF; i++) {
		struct shelf_item *m = &shelf[i];
		char title[32];
		snprintf(title, sizeof title, "Shelf method %zu", i);
		const char *tags[4] = {m->tags[0], m->tags[1], m->tags[2], NULL};
		m->id = new_item(author_of(p, m->author), "method", m->community,
				   method_sized(title, m->duration, m->gmin, m->gmax, tags));
	}
}

static const char *query_of(const struct filters *f)
{
	char q[128] = "";
	size_t n = 0;
	if (f->tag)
		n += (size_t)snprintf(q + n, sizeof q - n, "%ctag=%s", n ? '&' : '?', f->tag);
	if (f->max_duration)
		n += (size_t)snprintf(q + n, sizeof q - n, "%cmax_duration=%d", n ? '&' : '?', f->max_duration);
	if (f->group_size)
		n += (size_t)snprintf(q + n, sizeof q - n, "%cgroup_size=%d", n ? '&' : '?', f->group_size);
	return harness_strdup(q);
}

static const char *num_text(int v)
{
	char buf[16] = "";
	if (v)
		snprintf(buf, sizeof buf, "%d", v);
	return harness_strdup(buf);
}

/* An option's value equals want, as a number or as its text. */
static bool value_is(json_t *v, int want)
{
	if (json_is_integer(v))
		return json_integer_value(v) == want;
	return json_is_string(v) && atoi(json_string_value(v)) == want;
}

/* GETs the book with the filters as the viewer and checks it whole: the
 * items newest first with their sizes and tags, the filters echoed, the
 * duration options. */
static void check_book(struct actor *a, bool insider, const struct filters *f)
{
	struct response *r = aget(a, "/api/v1/methods%s", query_of(f));
	assert_status(r, 200);
	assert_true(json_is_null(json_path(r->json, "next")));
	int64_t want[SHELF];
	const struct shelf_item *wm[SHELF];
	size_t n = 0;
	for (size_t i = SHELF; i-- > 0;)
		if (shelf_matches(&shelf[i], insider, f)) {
			wm[n] = &shelf[i];
			want[n++] = shelf[i].id;
		}
	json_t *items = json_path(r->json, "items");
	for (size_t i = 0; i < n && i < json_array_size(items); i++)
		if (json_integer_value(json_object_get(json_array_get(items, i), "id")) != want[i])
			harness_fail_response(r, __FILE__, __LINE__, "%s: item %zu is not %lld", query_of(f), i,
					      (long long)want[i]);
	if (json_array_size(items) != n)
		harness_fail_response(r, __FILE__, __LINE__, "%s: %zu items, expected %zu", query_of(f),
				      json_array_size(items), n);
	for (size_t i = 0; i < n; i++) {
		if (json_integer_value(jat(r, "items", i, "duration")) != wm[i]->duration ||
		    json_integer_value(jat(r, "items", i, "group_min")) != wm[i]->gmin ||
		    json_integer_value(jat(r, "items", i, "group_max")) != wm[i]->gmax)
			harness_fail_response(r, __FILE__, __LINE__, "item %zu: wrong duration or group size", i);
		if (!has_tag(jat(r, "items", i, "tags"), wm[i]->tags[0]))
			harness_fail_response(r, __FILE__, __LINE__, "item %zu lacks its tag %s", i, wm[i]->tags[0]);
		const char *slug = json_string_value(json_object_get(jat(r, "items", i, "community"), "slug"));
		if (!slug || strcmp(slug, wm[i]->community) != 0)
			harness_fail_response(r, __FILE__, __LINE__, "item %zu: community is not %s", i, wm[i]->community);
	}
	assert_jstr(r, "filters.tag", f->tag ? f->tag : "");
	assert_jstr(r, "filters.max_duration", num_text(f->max_duration));
	assert_jstr(r, "filters.group_size", num_text(f->group_size));
	static const int options[] = {30, 60, 120, 240};
	if (jlen(r, "duration_options") != 4)
		harness_fail_response(r, __FILE__, __LINE__, "duration_options does not hold 4 options");
	for (size_t i = 0; i < 4; i++) {
		if (!value_is(jat(r, "duration_options", i, "value"), options[i]))
			harness_fail_response(r, __FILE__, __LINE__, "duration option %zu is not %d", i, options[i]);
		const char *label = jat_str(r, "duration_options", i, "label");
		if (!label || !*label)
			harness_fail_response(r, __FILE__, __LINE__, "duration option %zu has no label", i);
		bool selected = f->max_duration == options[i];
		json_t *sel = jat(r, "duration_options", i, "selected");
		if (!json_is_boolean(sel) || json_is_true(sel) != selected)
			harness_fail_response(r, __FILE__, __LINE__, "duration option %d: selected should be %d",
					      options[i], selected);
	}
	response_free(r);
}

static void book_filters(void **state)
{
	struct place p;
	place_build(&p, *state);
	shelf_fill(&p);
	/* a question is no method */
	ask(p.asa, "fika", "Not a method", "");
	/* uses: shelf 2 twice, shelf 3 once, a board one once */
	struct response *r = use(p.asa, shelf[2].id, NULL);
	assert_status(r, 201);
	response_free(r);
	r = use(p.bo, shelf[2].id, "Good");
	assert_status(r, 201);
	response_free(r);
	r = use(p.bo, shelf[3].id, NULL);
	assert_status(r, 201);
	response_free(r);
	r = use(p.pia, shelf[8].id, NULL);
	assert_status(r, 201);
	response_free(r);

	const struct filters filters[] = {
		{0},
		{.max_duration = 60},
		{.max_duration = 59},
		{.max_duration = 30},
		{.max_duration = 14},
		{.max_duration = 15},
		{.max_duration = 1440},
		{.max_duration = 240},
		{.group_size = 4},
		{.group_size = 12},
		{.group_size = 13},
		{.group_size = 3},
		{.group_size = 1},
		{.group_size = 1000},
		{.group_size = 100},
		{.group_size = 101},
		{.tag = "retro"},
		{.tag = "icebreaker"},
		{.tag = "nothing-tagged"},
		{.tag = "retro", .max_duration = 60},
		{.tag = "remote", .group_size = 6},
		{.max_duration = 60, .group_size = 5},
		{.tag = "retro", .max_duration = 120, .group_size = 10},
		{.tag = "planning", .max_duration = 90, .group_size = 3},
	};
	struct actor *outsiders[] = {p.visitor, p.cai, p.bo};
	for (size_t i = 0; i < sizeof filters / sizeof *filters; i++) {
		for (size_t k = 0; k < sizeof outsiders / sizeof *outsiders; k++)
			check_book(outsiders[k], false, &filters[i]);
		check_book(p.asa, true, &filters[i]);
		check_book(p.pia, true, &filters[i]);
	}

	/* use counts in the summaries; private ones hidden from outsiders */
	r = aget(p.visitor, "/api/v1/methods");
	assert_status(r, 200);
	for (size_t i = 0; i < jlen(r, "items"); i++) {
		int64_t id = json_integer_value(jat(r, "items", i, "id"));
		json_int_t want = id == shelf[2].id ? 2 : id == shelf[3].id ? 1 : 0;
		if (!json_is_integer(jat(r, "items", i, "use_count")) ||
		    json_integer_value(jat(r, "items", i, "use_count")) != want)
			harness_fail_response(r, __FILE__, __LINE__, "item %lld: use_count is not %lld", (long long)id,
					      (long long)want);
	}
	assert_false(list_has_id(r, "items", shelf[8].id));
	assert_false(list_has_id(r, "items", shelf[9].id));
	assert_body_lacks(r, "Shelf method 8");
	response_free(r);
	r = aget(p.asa, "/api/v1/methods?tag=icebreaker");
	assert_true(list_has_id(r, "items", shelf[8].id));
	for (size_t i = 0; i < jlen(r, "items"); i++)
		if (json_integer_value(jat(r, "items", i, "id")) == shelf[8].id)
			assert_int_equal(json_integer_value(jat(r, "items", i, "use_count")), 1);
	response_free(r);

	/* a private method's own address */
	struct actor *outside[] = {p.visitor, p.cai, p.bo};
	for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
		r = get_item(outside[i], shelf[9].id);
		assert_error(r, 404, "not_found");
		assert_body_lacks(r, "Shelf method 9");
		response_free(r);
		r = aget(outside[i], "/items/%lld", (long long)shelf[9].id);
		assert_status(r, 404);
		assert_body_lacks(r, "Shelf method 9");
		response_free(r);
	}
	r = get_item(p.pia, shelf[9].id);
	assert_status(r, 200);
	assert_jstr(r, "title", "Shelf method 9");
	response_free(r);

	/* malformed filters */
	static const char *const bad[] = {"max_duration=0", "max_duration=-5", "max_duration=abc",
					  "max_duration=1441", "max_duration=60.5", "max_duration=60min",
					  "max_duration=1e3", "group_size=0", "group_size=-1", "group_size=1001",
					  "group_size=two", "group_size=3.5", "group_size=99999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		r = aget(p.visitor, "/api/v1/methods?%s", bad[i]);
		assert_error(r, 400, "bad_filter");
		char field[32];
		snprintf(field, sizeof field, "%.*s", (int)(strchr(bad[i], '=') - bad[i]), bad[i]);
		assert_jstr(r, "error.field", field);
		response_free(r);
	}
	/* empty values, as a filter form sends for "any", are no filter */
	r = aget(p.visitor, "/api/v1/methods?tag=&max_duration=&group_size=");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "items"), 8);
	assert_jstr(r, "filters.tag", "");
	assert_jstr(r, "filters.max_duration", "");
	assert_jstr(r, "filters.group_size", "");
	response_free(r);
	r = aget(p.visitor, "/api/v1/methods?tag=retro&max_duration=60&group_size=5000");
	assert_error(r, 400, "bad_filter");
	assert_jstr(r, "error.field", "group_size");
	response_free(r);

	/* the HTML book */
	r = aget(p.visitor, "/methods");
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "Shelf method 0");
	assert_body_contains(r, "Shelf method 7");
	assert_body_lacks(r, "Shelf method 8");
	assert_body_lacks(r, "Shelf method 9");
	assert_body_lacks(r, "Not a method");
	response_free(r);
	r = aget(p.asa, "/methods");
	assert_status(r, 200);
	assert_body_contains(r, "Shelf method 9");
	response_free(r);
	r = aget(p.visitor, "/methods?max_duration=30&group_size=2");
	assert_status(r, 200);
	assert_body_contains(r, "Shelf method 0");
	assert_body_contains(r, "Shelf method 1");
	assert_body_lacks(r, "Shelf method 2");
	assert_body_lacks(r, "Shelf method 7");
	response_free(r);
	r = aget(p.visitor, "/methods?tag=planning");
	assert_status(r, 200);
	assert_body_contains(r, "Shelf method 4");
	assert_body_contains(r, "Shelf method 5");
	assert_body_lacks(r, "Shelf method 3");
	response_free(r);
	r = aget(p.visitor, "/methods?group_size=many");
	assert_status(r, 400);
	assert_header_contains(r, "Content-Type", "text/html");
	response_free(r);
}

/* ---- the book: pages -------------------------------------------------------------------------- */

#define PAGED 45

static void book_pages(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t ids[PAGED], quick[PAGED];
	size_t nquick = 0;
	for (int i = 0; i < PAGED; i++) {
		char title[32];
		snprintf(title, sizeof title, "Paged method %02d", i);
		json_t *body = method_sized(title, i % 2 ? 90 : 30, 2, 10 + i, NULL);
		ids[i] = new_item(i % 3 ? p.asa : p.bo, "method", i % 4 ? "fika" : "garden", body);
		if (i == 20)
			/* a private one in the middle is not among the visitor's */
			new_item(p.pia, "method", "board", method("Paged secret"));
	}
	int64_t want[PAGED];
	for (int i = 0; i < PAGED; i++)
		want[i] = ids[PAGED - 1 - i];
	for (int i = PAGED - 1; i >= 0; i--)
		if (i % 2 == 0)
			quick[nquick++] = ids[i];

	struct pages pg;
	json_t *all = walk(p.visitor, "/api/v1/methods", &pg);
	assert_int_equal(pg.n, 3);
	assert_int_equal(pg.sizes[0], METHODS_PER_PAGE);
	assert_int_equal(pg.sizes[1], METHODS_PER_PAGE);
	assert_int_equal(pg.sizes[2], PAGED - 2 * METHODS_PER_PAGE);
	assert_ids(all, want, PAGED);
	/* the member of the board sees one more, in its place */
	all = walk(p.pia, "/api/v1/methods", &pg);
	assert_int_equal(json_array_size(all), PAGED + 1);
	/* filters hold across the pages */
	all = walk(p.bo, "/api/v1/methods?max_duration=30", &pg);
	assert_int_equal(pg.n, 2);
	assert_int_equal(pg.sizes[0], METHODS_PER_PAGE);
	assert_ids(all, quick, nquick);
	/* group_size 40: the methods whose maximum 10 + i is at least 40 */
	all = walk(p.bo, "/api/v1/methods?group_size=40&max_duration=240", &pg);
	int64_t big[PAGED];
	size_t nbig = 0;
	for (int i = PAGED - 1; i >= 30; i--)
		big[nbig++] = ids[i];
	assert_ids(all, big, nbig);

	/* the HTML book links to its next page */
	struct response *r = aget(p.visitor, "/methods");
	assert_status(r, 200);
	assert_body_contains(r, "Paged method 44");
	assert_body_lacks(r, "Paged method 24");
	assert_body_contains(r, "cursor=");
	response_free(r);
	/* its next page keeps the filter */
	r = aget(p.visitor, "/methods?max_duration=30");
	assert_status(r, 200);
	assert_body_contains(r, "Paged method 44");
	assert_body_lacks(r, "Paged method 04");
	const char *c = strstr(r->body, "cursor=");
	assert_non_null(c);
	const char *start = c, *end = strchr(c, '"');
	while (start > r->body && start[-1] != '"')
		start--;
	assert_non_null(end);
	/* the address, its &amp; made & again */
	char next[1024];
	size_t n = 0;
	for (const char *q = start; q < end && n + 1 < sizeof next; q++) {
		next[n++] = *q;
		if (strncmp(q, "&amp;", 5) == 0)
			q += 4;
	}
	next[n] = '\0';
	if (!strstr(next, "max_duration=30"))
		harness_fail_response(r, __FILE__, __LINE__, "the next page's address %s drops the filter", next);
	response_free(r);
	r = aget(p.visitor, "%s", next);
	assert_status(r, 200);
	assert_body_contains(r, "Paged method 04");
	assert_body_contains(r, "Paged method 00");
	assert_body_lacks(r, "Paged method 44");
	assert_body_lacks(r, "Paged method 03");
	response_free(r);
	r = aget(p.visitor, "/api/v1/methods?cursor=garbage");
	assert_status(r, 400);
	response_free(r);
}

/* ---- Markdown is inert ------------------------------------------------------------------------- */

static void method_markup_is_inert(void **state)
{
	struct place p;
	place_build(&p, *state);
	json_t *body = json_pack(
		"{s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:s, s:s, s:s}", "kind", "method", "title",
		"Hostile <script>alert(0)</script> method", "purpose",
		"<script>alert(1)</script> [p](javascript:alert(1))", "when_to_use",
		"Raw <script>alert(2)</script> and [w](javascript:alert(2))", "duration", 30, "group_min", 2,
		"group_max", 9, "materials", "<img src=x onerror=alert(3)>\n\n[m](JavaScript:alert(3)) [ok](https://example.org/ok)",
		"steps", "<script>alert(4)</script>\n[s](javascript:alert(5))\n<a href=\"javascript:alert(6)\">c</a>\n<iframe src=x></iframe>",
		"tips", "<a href=\"javascript:alert(7)\">t</a>\n\n<iframe src=x></iframe>");
	int64_t id = new_item(p.asa, "method", "fika", body);

	struct response *r = get_item(p.bo, id);
	assert_status(r, 200);
	assert_inert(r, response_jstr(r, "body_html"), "body_html");
	assert_inert(r, response_jstr(r, "method.when_to_use_html"), "when_to_use_html");
	assert_inert(r, response_jstr(r, "method.materials_html"), "materials_html");
	assert_inert(r, response_jstr(r, "method.tips_html"), "tips_html");
	assert_int_equal(jlen(r, "method.steps"), 4);
	for (size_t i = 0; i < 4; i++)
		assert_inert(r, jat_str(r, "method.steps", i, "text_html"), "a step's text_html");
	/* escaped, not dropped; a safe link stays a link; the raw text kept */
	assert_non_null(strstr(response_jstr(r, "method.when_to_use_html"), "&lt;script&gt;"));
	assert_non_null(strstr(jat_str(r, "method.steps", 0, "text_html"), "&lt;script&gt;"));
	assert_non_null(strstr(response_jstr(r, "method.materials_html"), "href=\"https://example.org/ok\""));
	assert_jstr(r, "method.when_to_use", "Raw <script>alert(2)</script> and [w](javascript:alert(2))");
	assert_string_equal(jat_str(r, "method.steps", 0, "text"), "<script>alert(4)</script>");
	response_free(r);

	/* a note and a variation with markup too */
	r = use(p.bo, id, "<script>alert(11)</script> <b>bold</b>");
	assert_status(r, 201);
	assert_string_equal(jat_str(r, "items", 0, "note"), "<script>alert(11)</script> <b>bold</b>");
	response_free(r);
	r = item_post(p.bo, id, "variations",
		      json_pack("{s:s, s:s}", "title", "<script>alert(12)</script>", "body",
				"<script>alert(13)</script> [v](javascript:alert(13))"));
	assert_status(r, 201);
	response_free(r);

	static const char *const pages[] = {"/items/%lld", "/methods", "/c/fika", "/items/%lld/revisions",
					    "/methods?max_duration=30", "/items/%lld/edit"};
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		r = aget(strstr(pages[i], "edit") ? p.asa : p.bo, pages[i], (long long)id);
		assert_status(r, 200);
		assert_body_lacks(r, "<script>alert");
		assert_body_lacks(r, "<img src=x");
		assert_body_lacks(r, "<iframe src=x");
		assert_body_lacks(r, "<b>bold</b>");
		if (strcasestr_portable(r->body, "href=\"javascript:"))
			harness_fail_response(r, __FILE__, __LINE__, "a javascript: link on %s", pages[i]);
		response_free(r);
	}
	/* the page shows the escaped text of the when, the steps and the note */
	r = aget(p.bo, "/items/%lld", (long long)id);
	assert_body_contains(r, "&lt;script&gt;alert(2)");
	assert_body_contains(r, "&lt;script&gt;alert(4)");
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)
/* Tests that move the server's clock. */
#define C(f) cmocka_unit_test_setup_teardown(f, clock_server_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(method_with_every_field),
		T(method_from_the_form),
		T(method_field_errors),
		T(method_posting_rights),
		T(method_edit),
		C(method_uses),
		T(method_variations),
		T(book_filters),
		T(book_pages),
		T(method_markup_is_inert),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
