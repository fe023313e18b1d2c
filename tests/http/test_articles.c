/* test_articles: best practices ("articles") — one with every field read
 * back, the field rules (nothing stored when one is broken), Markdown made
 * inert in each section, editing with revisions, the catalogue at
 * /articles with its filters, facet counts and shareable facet addresses
 * for each kind of viewer, its pages, and who may see a private one. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ARTICLES_PER_PAGE 20

/* ---- the place ---------------------------------------------------------------------------- */

/* Organisations Acme, Birch and Cedar; the public communities fika
 * (English) and garden (Swedish) and the private board. asa (of Acme)
 * belongs to all three communities, bo (of Birch) to the public two, pia
 * (of no organisation) to garden and board; cai is a member of none; kim
 * and lena are people to contact, with profiles filled in. */
struct place {
	const struct server *srv;
	struct actor *admin, *asa, *bo, *pia, *cai, *kim, *lena, *visitor;
};

static void make_org(struct actor *admin, const char *slug, const char *name)
{
	struct response *r = apost(admin, "/api/v1/orgs", json_pack("{s:s, s:s}", "slug", slug, "name", name));
	assert_status(r, 201);
	response_free(r);
}

/* Saves profile fields (taken) through the API. */
static void set_profile(struct actor *a, json_t *fields)
{
	struct response *r = apost(a, "/api/v1/settings/profile", fields);
	assert_status(r, 200);
	response_free(r);
}

static void place_build(struct place *p, const struct server *s)
{
	p->srv = s;
	p->admin = staff(s, "root", "--admin");
	unlimited_posting(p->admin);
	make_org(p->admin, "acme", "Acme Water");
	make_org(p->admin, "birch", "Birch Works");
	make_org(p->admin, "cedar", "Cedar Council");
	p->asa = member(s, "asa");
	p->bo = member(s, "bo");
	p->pia = member(s, "pia");
	p->cai = member(s, "cai");
	p->kim = member(s, "kim");
	p->lena = member(s, "lena");
	p->visitor = visitor(s);
	set_profile(p->asa, json_pack("{s:s}", "org", "acme"));
	set_profile(p->bo, json_pack("{s:s}", "org", "birch"));
	set_profile(p->kim, json_pack("{s:s, s:s, s:s, s:s}", "name", "Kim Ek", "title", "Pump engineer",
				      "ask_me_about", "Pumps and valves", "org", "cedar"));
	set_profile(p->lena, json_pack("{s:s, s:s, s:s}", "name", "Lena Berg", "title", "Librarian",
				       "ask_me_about", "Reading circles"));

	make_community(p->admin, "fika", "Fika", "public", "open");
	make_community(p->admin, "board", "The Board", "private", "invite");
	/* garden speaks Swedish: articles there are Swedish unless told */
	struct response *r = apost(p->admin, "/api/v1/c",
				   json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "slug", "garden", "name", "Garden",
					     "description", "Growing things", "visibility", "public",
					     "join_policy", "open", "language", "sv"));
	assert_status(r, 201);
	response_free(r);
	bring_in(p->admin, "fika", p->asa);
	bring_in(p->admin, "garden", p->asa);
	bring_in(p->admin, "board", p->asa);
	bring_in(p->admin, "fika", p->bo);
	bring_in(p->admin, "garden", p->bo);
	bring_in(p->admin, "garden", p->pia);
	bring_in(p->admin, "board", p->pia);
}

/* ---- helpers ------------------------------------------------------------------------------ */

static const char *id_text(int64_t id)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%lld", (long long)id);
	return harness_strdup(buf);
}

/* The smallest valid article: a title, a summary and an approach. */
static json_t *article(const char *title)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "kind", "article", "title", title, "summary",
			 "What we learnt, in *short*.", "approach", "We tried it **this** way.");
}

/* 422 "invalid" with a message on the field in error.fields. */
/* A linked item as the article shows it: {id, kind, title, url}, taken
 * from the item itself. */
struct ref {
	int64_t id;
	const char *kind, *title, *url;
};

static struct ref ref_of(struct actor *a, int64_t id)
{
	struct response *r = get_item(a, id);
	assert_status(r, 200);
	struct ref ref = {.id = id, .kind = harness_strdup(response_jstr(r, "kind")),
			  .title = harness_strdup(response_jstr(r, "title")),
			  .url = harness_strdup(response_jstr(r, "url"))};
	response_free(r);
	return ref;
}

/* "12-some-slug": the reference an item's address ends in. */
static const char *slugged(const struct ref *ref)
{
	assert_int_equal(strncmp(ref->url, "/items/", 7), 0);
	return ref->url + 7;
}

/* The article's related items are exactly these, in this order. */
static void assert_related(const struct response *r, const struct ref *want, size_t n)
{
	json_t *list = json_path(r->json, "related");
	if (!json_is_array(list) || json_array_size(list) != n)
		harness_fail_response(r, __FILE__, __LINE__, "expected %zu related items", n);
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_array_get(list, i);
		if (json_integer_value(json_object_get(it, "id")) != want[i].id)
			harness_fail_response(r, __FILE__, __LINE__, "related item %zu is not %lld", i,
					      (long long)want[i].id);
		assert_string_equal(json_string_value(json_object_get(it, "kind")), want[i].kind);
		assert_string_equal(json_string_value(json_object_get(it, "title")), want[i].title);
		assert_string_equal(json_string_value(json_object_get(it, "url")), want[i].url);
	}
}

/* The article's contacts are exactly these handles, in this order. */
static void assert_contacts(const struct response *r, const char *const *handles)
{
	size_t n = 0;
	for (; handles[n]; n++) {
		const char *h = jat_str(r, "contacts", n, "handle");
		if (!h || strcmp(h, handles[n]) != 0)
			harness_fail_response(r, __FILE__, __LINE__, "contact %zu is %s, expected %s", n,
					      h ? h : "(none)", handles[n]);
	}
	if (jlen(r, "contacts") != n)
		harness_fail_response(r, __FILE__, __LINE__, "expected %zu contacts", n);
}

/* How many articles the catalogue lists for the viewer, over all pages. */
static size_t article_count(struct actor *a)
{
	struct pages p;
	return json_array_size(walk(a, "/api/v1/articles", &p));
}

static const char *day_text(int days_from_now)
{
	char buf[16];
	time_t t = time(NULL) + (time_t)days_from_now * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
	return harness_strdup(buf);
}

/* ---- one article, every field -------------------------------------------------------------- */

#define FULL_TITLE "Buddies for new members"
#define FULL_SUMMARY "Every newcomer gets a *buddy* for a month."
#define FULL_SITUATION "New members **felt lost** in the first weeks."
#define FULL_APPROACH "Pair each newcomer with a *buddy*:\n\n1. Meet in week one\n2. Talk every Friday"
#define FULL_RESULTS "Nine of ten stayed. Use `buddy-list` to keep track."

/* The article made in article_with_every_field, as any reader sees it;
 * related holds what this reader may see. */
static void check_full_article(const struct response *r, int64_t id, const struct ref *related, size_t nrelated)
{
	assert_int_equal(jint(r, "id"), id);
	assert_jstr(r, "kind", "article");
	assert_jstr(r, "title", FULL_TITLE);
	assert_jstr(r, "summary", FULL_SUMMARY);
	assert_non_null(strstr(response_jstr(r, "body_html"), "<em>buddy</em>"));
	char url[96];
	snprintf(url, sizeof url, "/items/%lld-buddies-for-new-members", (long long)id);
	assert_jstr(r, "url", url);
	assert_jstr(r, "language", "nl");
	assert_int_equal(jlen(r, "tags"), 2);
	assert_true(has_tag(json_path(r->json, "tags"), "mentoring"));
	assert_true(has_tag(json_path(r->json, "tags"), "onboarding"));
	assert_jstr(r, "org.slug", "cedar");
	assert_jstr(r, "org.name", "Cedar Council");
	assert_jstr(r, "community.slug", "fika");
	assert_jstr(r, "community.name", "Fika");
	assert_jstr(r, "author.handle", "asa");
	assert_jstr(r, "author.name", "Test asa");

	assert_jstr(r, "article.situation", FULL_SITUATION);
	assert_jstr(r, "article.approach", FULL_APPROACH);
	assert_jstr(r, "article.results", FULL_RESULTS);
	assert_non_null(strstr(response_jstr(r, "article.situation_html"), "<strong>felt lost</strong>"));
	const char *approach = response_jstr(r, "article.approach_html");
	assert_non_null(approach);
	assert_non_null(strstr(approach, "<em>buddy</em>"));
	assert_non_null(strstr(approach, "<li>Meet in week one</li>"));
	assert_non_null(strstr(response_jstr(r, "article.results_html"), "<code>buddy-list</code>"));

	/* contacts in the order given, each with their profile */
	assert_contacts(r, STRS("lena", "kim"));
	assert_string_equal(jat_str(r, "contacts", 0, "name"), "Lena Berg");
	assert_string_equal(jat_str(r, "contacts", 0, "title"), "Librarian");
	assert_string_equal(jat_str(r, "contacts", 0, "url"), "/people/lena");
	assert_string_equal(jat_str(r, "contacts", 0, "ask_me_about"), "Reading circles");
	assert_true(json_is_null(json_object_get(json_array_get(json_path(r->json, "contacts"), 0), "org")));
	assert_string_equal(jat_str(r, "contacts", 1, "name"), "Kim Ek");
	assert_string_equal(jat_str(r, "contacts", 1, "title"), "Pump engineer");
	assert_string_equal(jat_str(r, "contacts", 1, "url"), "/people/kim");
	assert_string_equal(jat_str(r, "contacts", 1, "ask_me_about"), "Pumps and valves");
	json_t *kim_org = json_object_get(json_array_get(json_path(r->json, "contacts"), 1), "org");
	assert_string_equal(json_string_value(json_object_get(kim_org, "slug")), "cedar");
	assert_string_equal(json_string_value(json_object_get(kim_org, "name")), "Cedar Council");

	assert_related(r, related, nrelated);
}

static void article_with_every_field(void **state)
{
	struct place p;
	place_build(&p, *state);
	struct ref q = ref_of(p.bo, ask(p.bo, "fika", "How do you welcome newcomers?", ""));
	struct ref hidden = ref_of(p.pia, new_item(p.pia, "article", "board", article("Board onboarding")));
	struct ref other = ref_of(p.bo, new_item(p.bo, "article", "garden", article("Garden buddies")));

	/* org: Cedar, though asa is of Acme; the related items by bare id and
	 * by the id with its slug */
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s,s], s:s, s:[s,s,s], s:[s,s], s:s}",
				 "kind", "article", "title", FULL_TITLE, "summary", FULL_SUMMARY,
				 "situation", FULL_SITUATION, "approach", FULL_APPROACH, "results", FULL_RESULTS,
				 "contacts", "lena", "kim", "org", "cedar",
				 "related", id_text(q.id), id_text(hidden.id), slugged(&other),
				 "tags", "Mentoring", "onboarding", "language", "nl");
	struct response *r = post_item(p.asa, "fika", body);
	assert_status(r, 201);
	int64_t id = jint(r, "id");
	assert_true(id > 0);
	const struct ref all[] = {q, hidden, other}, seen[] = {q, other};
	check_full_article(r, id, all, 3);
	response_free(r);

	/* read back: the author (on board) sees every related item; a member
	 * and a visitor who may not read the board see the others */
	r = get_item(p.asa, id);
	assert_status(r, 200);
	check_full_article(r, id, all, 3);
	response_free(r);
	struct actor *readers[] = {p.bo, p.cai, p.visitor};
	for (size_t i = 0; i < sizeof readers / sizeof *readers; i++) {
		r = get_item(readers[i], id);
		assert_status(r, 200);
		check_full_article(r, id, seen, 2);
		assert_body_lacks(r, "Board onboarding");
		response_free(r);
	}
	/* the page links each related item under its title */
	r = aget(p.asa, "%s", ref_of(p.asa, id).url);
	assert_status(r, 200);
	for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
		char link[512];
		snprintf(link, sizeof link, "<a href=\"%s\">%s</a>", all[i].url, all[i].title);
		assert_body_contains(r, link);
	}
	response_free(r);
	/* the address with its slug reads the same */
	r = aget(p.bo, "/api/v1/items/%lld-buddies-for-new-members", (long long)id);
	assert_status(r, 200);
	assert_jstr(r, "title", FULL_TITLE);
	response_free(r);
	/* the catalogue lists it with its summary as the excerpt */
	r = aget(p.visitor, "/api/v1/articles");
	assert_status(r, 200);
	assert_true(list_has_id(r, "items", id));
	assert_true(list_has_str(r, "items", "title", FULL_TITLE));
	assert_non_null(strstr(r->body, "Every newcomer gets a"));
	response_free(r);
}

/* The HTML composer and form: lists comma-separated, the answer a
 * redirect to the new article. */
static void article_from_the_form(void **state)
{
	struct place p;
	place_build(&p, *state);
	struct ref q = ref_of(p.bo, ask(p.bo, "fika", "Where do we keep the minutes?", ""));
	struct ref other = ref_of(p.bo, new_item(p.bo, "article", "fika", article("Minutes in one place")));

	struct response *r = aget(p.asa, "/c/fika/new?kind=article");
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	static const char *const inputs[] = {"name=\"title\"", "name=\"summary\"", "name=\"situation\"",
					     "name=\"approach\"", "name=\"results\"", "name=\"contacts\"",
					     "name=\"org\"", "name=\"related\"", "name=\"tags\""};
	for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
		assert_body_contains(r, inputs[i]);
	response_free(r);

	char related[96];
	snprintf(related, sizeof related, "%s, %lld", slugged(&other), (long long)q.id);
	r = fpost(p.asa, "/c/fika/items", STRS("kind", "article", "title", "Shared minutes", "summary",
					       "One folder for all minutes.", "approach", "Put them *there*.",
					       "contacts", "kim, lena", "related", related, "tags", "Minutes, admin"));
	assert_status(r, 303);
	const char *location = response_header(r, "Location");
	assert_non_null(location);
	assert_int_equal(strncmp(location, "/items/", 7), 0);
	int64_t id = strtoll(location + 7, NULL, 10);
	assert_true(id > 0);
	response_free(r);

	r = get_item(p.asa, id);
	assert_status(r, 200);
	assert_jstr(r, "kind", "article");
	assert_jstr(r, "summary", "One folder for all minutes.");
	assert_jstr(r, "article.approach", "Put them *there*.");
	assert_contacts(r, STRS("kim", "lena"));
	const struct ref want[] = {other, q};
	assert_related(r, want, 2);
	assert_int_equal(jlen(r, "tags"), 2);
	/* no org: the author's own */
	assert_jstr(r, "org.slug", "acme");
	response_free(r);
}

/* ---- field rules ----------------------------------------------------------------------------- */

static void article_field_errors(void **state)
{
	struct place p;
	place_build(&p, *state);
	/* bo writes: a member of fika but not of the board */
	int64_t secret = new_item(p.pia, "article", "board", article("Board secret"));
	json_t *eleven = json_array();
	for (int i = 0; i < 11; i++)
		json_array_append_new(eleven, json_string(id_text(ask(p.bo, "fika", "Linkable question", ""))));
	hold(eleven);
	size_t before = article_count(p.bo);

	struct {
		const char *field, *key;
		json_t *value; /* NULL: the key left out */
	} cases[] = {
		{"title", "title", NULL},
		{"title", "title", json_string("   ")},
		{"title", "title", json_string(repeat("t", 201))},
		{"summary", "summary", NULL},
		{"summary", "summary", json_string(repeat("s", 501))},
		{"approach", "approach", NULL},
		{"approach", "approach", json_string("")},
		{"approach", "approach", json_string(repeat("a", 20001))},
		{"situation", "situation", json_string(repeat("b", 20001))},
		{"results", "results", json_string(repeat("r", 20001))},
		{"contacts", "contacts", json_pack("[s,s,s,s,s,s]", "kim", "lena", "asa", "pia", "cai", "root")},
		{"contacts", "contacts", json_pack("[s,s]", "kim", "nobody-at-all")},
		{"org", "org", json_string("no-such-org")},
		{"related", "related", json_deep_copy(eleven)},
		{"related", "related", json_pack("[s]", "999999")},
		{"related", "related", json_pack("[s]", id_text(secret))},
		{"language", "language", json_string("de")},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		json_t *body = article("A valid title");
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
	/* every broken field is named at once */
	json_t *body = article("");
	json_object_del(body, "summary");
	json_object_set_new(body, "org", json_string("no-such-org"));
	struct response *r = post_item(p.bo, "fika", body);
	assert_invalid_field(r, "title");
	assert_invalid_field(r, "summary");
	assert_invalid_field(r, "org");
	assert_null(json_path(r->json, "error.fields.approach"));
	response_free(r);

	/* the form comes back with what was typed */
	r = fpost(p.bo, "/c/fika/items", STRS("kind", "article", "title", "Typed title 4711", "summary", "",
					      "approach", "Typed approach 4712", "contacts", "kim, nobody-at-all"));
	assert_status(r, 422);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "Typed title 4711");
	assert_body_contains(r, "Typed approach 4712");
	assert_body_contains(r, "kim, nobody-at-all");
	assert_body_contains(r, "name=\"csrf\"");
	response_free(r);

	/* nothing of it was stored */
	assert_int_equal(article_count(p.bo), before);
	assert_int_equal(article_count(p.asa), before + 1);

	/* the limits count characters, not bytes: 200 and 500 of "å" pass */
	body = article(repeat("å", 200));
	json_object_set_new(body, "summary", json_string(repeat("ä", 500)));
	int64_t id = new_item(p.bo, "article", "fika", body);
	r = get_item(p.bo, id);
	assert_jstr(r, "summary", repeat("ä", 500));
	response_free(r);
	assert_int_equal(article_count(p.bo), before + 1);
}

/* Who may post: as for questions. */
static void article_posting_rights(void **state)
{
	struct place p;
	place_build(&p, *state);
	size_t before = article_count(p.asa);
	/* a member of no community */
	struct response *r = post_item(p.cai, "fika", article("Outsider practice"));
	assert_error(r, 403, "not_member");
	response_free(r);
	/* a community one may not even see */
	r = post_item(p.bo, "board", article("Outsider practice"));
	assert_status(r, 404);
	response_free(r);
	/* a visitor */
	r = post_item(p.visitor, "fika", article("Visitor practice"));
	assert_status(r, 401);
	response_free(r);
	r = fpost(p.visitor, "/c/fika/items", STRS("kind", "article", "title", "Visitor practice", "summary",
						   "Short", "approach", "Long"));
	assert_status(r, 303);
	assert_header_contains(r, "Location", "/login");
	response_free(r);
	r = aget(p.cai, "/c/fika/new?kind=article");
	assert_status(r, 403);
	response_free(r);
	assert_int_equal(article_count(p.asa), before);
}

/* ---- Markdown is inert ------------------------------------------------------------------------ */

static void article_markup_is_inert(void **state)
{
	struct place p;
	place_build(&p, *state);
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kind", "article",
				 "title", "Hostile practice",
				 "summary", "<script>alert(4)</script> [s](javascript:alert(5))",
				 "situation", "Raw <script>alert(1)</script> and [a](javascript:alert(1))",
				 "approach",
				 "<img src=x onerror=alert(2)>\n\n[b](JavaScript:alert(2)) [ok](https://example.org/ok)",
				 "results", "<a href=\"javascript:alert(3)\">c</a>\n\n<iframe src=x></iframe>");
	int64_t id = new_item(p.asa, "article", "fika", body);

	struct response *r = get_item(p.bo, id);
	assert_status(r, 200);
	assert_inert(r, response_jstr(r, "body_html"), "body_html");
	assert_inert(r, response_jstr(r, "article.situation_html"), "situation_html");
	assert_inert(r, response_jstr(r, "article.approach_html"), "approach_html");
	assert_inert(r, response_jstr(r, "article.results_html"), "results_html");
	/* escaped, not dropped; a safe link stays a link */
	assert_non_null(strstr(response_jstr(r, "article.situation_html"), "&lt;script&gt;"));
	assert_non_null(strstr(response_jstr(r, "article.approach_html"), "href=\"https://example.org/ok\""));
	/* the raw text is kept as written */
	assert_jstr(r, "article.situation", "Raw <script>alert(1)</script> and [a](javascript:alert(1))");
	response_free(r);

	static const char *const pages[] = {"/items/%lld", "/articles", "/c/fika", "/items/%lld/revisions"};
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		r = aget(p.bo, pages[i], (long long)id);
		assert_status(r, 200);
		assert_body_lacks(r, "<script>alert");
		assert_body_lacks(r, "<img src=x");
		assert_body_lacks(r, "<iframe src=x");
		if (strcasestr_portable(r->body, "href=\"javascript:"))
			harness_fail_response(r, __FILE__, __LINE__, "a javascript: link");
		response_free(r);
	}
	/* the item page shows the escaped text */
	r = aget(p.bo, "/items/%lld", (long long)id);
	assert_body_contains(r, "&lt;script&gt;alert(1)");
	response_free(r);
}

/* ---- editing ----------------------------------------------------------------------------------- */

static void article_edit(void **state)
{
	struct place p;
	place_build(&p, *state);
	struct ref q = ref_of(p.bo, ask(p.bo, "fika", "Linked question", ""));
	struct ref q2 = ref_of(p.bo, ask(p.bo, "fika", "Another linked question", ""));
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:[s], s:[s], s:s}", "kind", "article",
				 "title", "Editable practice", "summary", "First summary", "situation", "First situation",
				 "approach", "First approach", "results", "First results", "contacts", "kim",
				 "related", id_text(q.id), "tags", "alpha", "org", "birch");
	int64_t id = new_item(p.asa, "article", "fika", body);
	assert_int_equal(revision_count(p.bo, id), 1);

	/* a partial edit keeps what it leaves out */
	struct response *r = item_edit(p.asa, id, json_pack("{s:s}", "approach", "Second **approach**"));
	assert_status(r, 200);
	assert_jstr(r, "article.approach", "Second **approach**");
	response_free(r);
	r = get_item(p.bo, id);
	assert_jstr(r, "article.approach", "Second **approach**");
	assert_non_null(strstr(response_jstr(r, "article.approach_html"), "<strong>approach</strong>"));
	assert_jstr(r, "title", "Editable practice");
	assert_jstr(r, "summary", "First summary");
	assert_jstr(r, "article.situation", "First situation");
	assert_jstr(r, "article.results", "First results");
	assert_jstr(r, "org.slug", "birch");
	assert_contacts(r, STRS("kim"));
	assert_related(r, &q, 1);
	assert_int_equal(jlen(r, "tags"), 1);
	response_free(r);
	assert_int_equal(revision_count(p.bo, id), 2);

	/* lists sent replace the lists; the other fields stay */
	r = item_edit(p.asa, id, json_pack("{s:[s,s], s:s}", "contacts", "lena", "kim", "summary", "Second summary"));
	assert_status(r, 200);
	response_free(r);
	r = get_item(p.bo, id);
	assert_contacts(r, STRS("lena", "kim"));
	assert_related(r, &q, 1);
	assert_jstr(r, "summary", "Second summary");
	assert_jstr(r, "article.approach", "Second **approach**");
	response_free(r);
	assert_int_equal(revision_count(p.bo, id), 3);
	r = item_edit(p.asa, id, json_pack("{s:[s], s:[], s:s}", "related", id_text(q2.id), "contacts", "org", "cedar"));
	assert_status(r, 200);
	response_free(r);
	r = get_item(p.bo, id);
	assert_related(r, &q2, 1);
	assert_int_equal(jlen(r, "contacts"), 0);
	assert_jstr(r, "org.slug", "cedar");
	response_free(r);
	assert_int_equal(revision_count(p.bo, id), 4);

	/* a broken edit changes nothing */
	const struct {
		const char *field;
		json_t *body;
	} bad[] = {
		{"title", json_pack("{s:s}", "title", "")},
		{"summary", json_pack("{s:s}", "summary", repeat("s", 501))},
		{"approach", json_pack("{s:s}", "approach", "")},
		{"contacts", json_pack("{s:[s]}", "contacts", "nobody-at-all")},
		{"related", json_pack("{s:[s]}", "related", "999999")},
		{"org", json_pack("{s:s}", "org", "no-such-org")},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		r = item_edit(p.asa, id, bad[i].body);
		assert_invalid_field(r, bad[i].field);
		response_free(r);
	}
	/* nobody but the author edits, and its moderators only with a note */
	r = item_edit(p.bo, id, json_pack("{s:s}", "title", "Hijacked"));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = item_edit(p.admin, id, json_pack("{s:s}", "title", "Hijacked"));
	assert_invalid_field(r, "note");
	response_free(r);
	r = get_item(p.bo, id);
	assert_jstr(r, "title", "Editable practice");
	assert_jstr(r, "summary", "Second summary");
	assert_jstr(r, "article.approach", "Second **approach**");
	assert_related(r, &q2, 1);
	assert_jstr(r, "org.slug", "cedar");
	response_free(r);
	assert_int_equal(revision_count(p.bo, id), 4);
}

/* ---- the catalogue: filters and facets ------------------------------------------------------- */

enum facet { F_TAG, F_ORG, F_COMMUNITY, F_LANGUAGE, NFACETS };
static const char *const facet_keys[NFACETS] = {"tag", "org", "community", "language"};

/* One article of the catalogue test: what is sent (org and language only
 * when send_*) and what it then is. */
struct shelf_item {
	const char *community, *author, *org, *language;
	bool send_org, send_language;
	const char *tags[3];
	int64_t id;
};

/* Eight public articles over two communities, three organisations (and
 * none), two languages and three tags, two on the private board. */
static struct shelf_item shelf[] = {
	{"fika", "asa", "acme", "en", false, true, {"water", "energy"}, 0},
	{"fika", "asa", "acme", "sv", true, true, {"water"}, 0},
	{"fika", "bo", "birch", "en", false, true, {"energy"}, 0},
	{"fika", "bo", "cedar", "en", true, true, {"water", "school"}, 0},
	{"garden", "bo", "birch", "sv", false, false, {"water"}, 0},
	{"garden", "asa", "birch", "en", true, true, {"school"}, 0},
	{"garden", "pia", "cedar", "sv", true, false, {"energy", "water"}, 0},
	{"garden", "pia", NULL, "en", false, true, {"water"}, 0},
	{"board", "pia", "acme", "en", true, true, {"water"}, 0},
	{"board", "asa", "acme", "sv", false, true, {"school", "energy"}, 0},
};
#define SHELF (sizeof shelf / sizeof *shelf)

static const char *org_name(const char *slug)
{
	return strcmp(slug, "acme") == 0 ? "Acme Water" : strcmp(slug, "birch") == 0 ? "Birch Works" : "Cedar Council";
}

static const char *community_name(const char *slug)
{
	return strcmp(slug, "fika") == 0 ? "Fika" : strcmp(slug, "garden") == 0 ? "Garden" : "The Board";
}

/* The filters of a catalogue address: each value, or NULL when none. */
struct filters {
	const char *v[NFACETS];
	const char *updated_since;
};

static bool shelf_has(const struct shelf_item *a, int f, const char *value)
{
	switch (f) {
	case F_TAG:
		for (int i = 0; i < 3 && a->tags[i]; i++)
			if (strcmp(a->tags[i], value) == 0)
				return true;
		return false;
	case F_ORG:
		return a->org && strcmp(a->org, value) == 0;
	case F_COMMUNITY:
		return strcmp(a->community, value) == 0;
	default:
		return strcmp(a->language, value) == 0;
	}
}

/* Whether the viewer may read it and it matches every filter but the
 * facet except (NFACETS: every filter). */
static bool shelf_matches(const struct shelf_item *a, bool insider, const struct filters *f, int except)
{
	if (!insider && strcmp(a->community, "board") == 0)
		return false;
	for (int k = 0; k < NFACETS; k++)
		if (k != except && f->v[k] && !shelf_has(a, k, f->v[k]))
			return false;
	return true;
}

static struct actor *author_of(const struct place *p, const char *handle)
{
	return strcmp(handle, "asa") == 0 ? p->asa : strcmp(handle, "bo") == 0 ? p->bo : p->pia;
}

static void shelf_fill(const struct place *p)
{
	for (size_t i = 0; i < SHELF; i++) {
		struct shelf_item *a = &shelf[i];
		char title[32];
		snprintf(title, sizeof title, "Shelf practice %zu", i);
		json_t *body = article(title);
		json_t *tags = json_array();
		for (int k = 0; k < 3 && a->tags[k]; k++)
			json_array_append_new(tags, json_string(a->tags[k]));
		json_object_set_new(body, "tags", tags);
		if (a->send_org)
			json_object_set_new(body, "org", json_string(a->org));
		if (a->send_language)
			json_object_set_new(body, "language", json_string(a->language));
		a->id = new_item(author_of(p, a->author), "article", a->community, body);
	}
}

/* Query text for the filters: "?tag=water&org=acme", or "". */
static const char *query_of(const struct filters *f)
{
	char q[256] = "";
	size_t n = 0;
	for (int k = 0; k <= NFACETS; k++) {
		const char *key = k < NFACETS ? facet_keys[k] : "updated_since";
		const char *v = k < NFACETS ? f->v[k] : f->updated_since;
		if (v)
			n += (size_t)snprintf(q + n, sizeof q - n, "%c%s=%s", n ? '&' : '?', key, v);
	}
	return harness_strdup(q);
}

/* Parses a facet's address, "/articles?KEY=VALUE&…", into filters. */
static struct filters parse_url(const struct response *r, const char *url)
{
	struct filters f = {0};
	if (!url || strncmp(url, "/articles", 9) != 0 || (url[9] && url[9] != '?'))
		harness_fail_response(r, __FILE__, __LINE__, "facet url \"%s\" is no /articles address",
				      url ? url : "(none)");
	char *query = harness_strdup(url[9] ? url + 10 : ""), *save = NULL;
	for (char *pair = strtok_r(query, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '=');
		if (!eq)
			harness_fail_response(r, __FILE__, __LINE__, "facet url \"%s\": \"%s\"", url, pair);
		*eq = '\0';
		char *v = curl_easy_unescape(NULL, eq + 1, 0, NULL);
		const char *value = harness_strdup(v);
		curl_free(v);
		int k = 0;
		while (k < NFACETS && strcmp(facet_keys[k], pair) != 0)
			k++;
		if (k < NFACETS)
			f.v[k] = *value ? value : NULL;
		else if (strcmp(pair, "updated_since") == 0)
			f.updated_since = *value ? value : NULL;
		else
			harness_fail_response(r, __FILE__, __LINE__, "facet url \"%s\" has \"%s\"", url, pair);
	}
	return f;
}

static bool same_value(const char *a, const char *b)
{
	return a ? b && strcmp(a, b) == 0 : !b;
}

static void assert_same_filters(const struct response *r, const struct filters *got, const struct filters *want,
				const char *what)
{
	for (int k = 0; k < NFACETS; k++)
		if (!same_value(got->v[k], want->v[k]))
			harness_fail_response(r, __FILE__, __LINE__, "%s: %s is \"%s\", expected \"%s\"", what,
					      facet_keys[k], got->v[k] ? got->v[k] : "", want->v[k] ? want->v[k] : "");
	if (!same_value(got->updated_since, want->updated_since))
		harness_fail_response(r, __FILE__, __LINE__, "%s: updated_since differs", what);
}

/* The facet f is exactly what the shelf gives the viewer under the
 * filters: each value with readable matches, its count, whether it is
 * selected, its address; sorted by count, then label. */
static void check_facet(const struct response *r, int f, bool insider, const struct filters *flt)
{
	char path[32];
	snprintf(path, sizeof path, "facets.%s", facet_keys[f]);
	json_t *entries = json_path(r->json, path), *e;
	if (!json_is_array(entries))
		harness_fail_response(r, __FILE__, __LINE__, "no array %s", path);
	/* every value the shelf has, with its count */
	const char *values[16];
	int counts[16], nvalues = 0;
	for (size_t i = 0; i < SHELF; i++) {
		const char *own[3] = {0};
		if (f == F_TAG)
			memcpy(own, shelf[i].tags, sizeof own);
		else
			own[0] = f == F_ORG ? shelf[i].org : f == F_COMMUNITY ? shelf[i].community : shelf[i].language;
		for (int k = 0; k < 3 && own[k]; k++) {
			int v = 0;
			while (v < nvalues && strcmp(values[v], own[k]) != 0)
				v++;
			if (v == nvalues) {
				values[nvalues] = own[k];
				counts[nvalues++] = 0;
			}
			if (shelf_matches(&shelf[i], insider, flt, f))
				counts[v]++;
		}
	}
	size_t want_entries = 0;
	for (int v = 0; v < nvalues; v++)
		want_entries += counts[v] > 0;
	if (json_array_size(entries) != want_entries)
		harness_fail_response(r, __FILE__, __LINE__, "%s has %zu entries, expected %zu", path,
				      json_array_size(entries), want_entries);
	size_t i;
	json_array_foreach(entries, i, e) {
		const char *value = json_string_value(json_object_get(e, "value"));
		const char *label = json_string_value(json_object_get(e, "label"));
		json_int_t count = json_integer_value(json_object_get(e, "count"));
		int v = 0;
		while (value && v < nvalues && strcmp(values[v], value) != 0)
			v++;
		if (!value || v == nvalues || !label || !*label || count != counts[v])
			harness_fail_response(r, __FILE__, __LINE__, "%s[%zu]: %s count %lld, expected %d", path, i,
					      value ? value : "(none)", (long long)count, v < nvalues ? counts[v] : 0);
		if (f == F_ORG)
			assert_string_equal(label, org_name(value));
		else if (f == F_COMMUNITY)
			assert_string_equal(label, community_name(value));
		else if (f == F_TAG)
			assert_string_equal(label, value);
		bool selected = same_value(flt->v[f], value);
		if (json_is_true(json_object_get(e, "selected")) != selected)
			harness_fail_response(r, __FILE__, __LINE__, "%s[%zu] (%s): selected should be %d", path, i,
					      value, selected);
		/* the address: these filters with the value added, or taken
		 * away when selected */
		struct filters want = *flt;
		want.v[f] = selected ? NULL : value;
		struct filters got = parse_url(r, json_string_value(json_object_get(e, "url")));
		assert_same_filters(r, &got, &want, value);
		if (i > 0) {
			json_t *prev = json_array_get(entries, i - 1);
			json_int_t pc = json_integer_value(json_object_get(prev, "count"));
			const char *pl = json_string_value(json_object_get(prev, "label"));
			if (count > pc || (count == pc && pl && strcmp(pl, label) > 0))
				harness_fail_response(r, __FILE__, __LINE__, "%s: %s (%lld) after %s (%lld)", path,
						      label, (long long)count, pl, (long long)pc);
		}
	}
}

/* GETs the catalogue at path (an /api/v1/articles address) as the viewer
 * and checks it whole against the shelf under the filters: the items,
 * newest first, the filters in effect and every facet. Returns the
 * response. */
static struct response *check_catalogue_at(struct actor *a, bool insider, const char *path,
					   const struct filters *f)
{
	struct response *r = aget(a, "%s", path);
	assert_status(r, 200);
	assert_non_null(response_jstr(r, "title"));
	assert_true(json_is_null(json_path(r->json, "next")));
	int64_t want[SHELF];
	size_t n = 0;
	for (size_t i = SHELF; i-- > 0;)
		if (shelf_matches(&shelf[i], insider, f, NFACETS))
			want[n++] = shelf[i].id;
	assert_ids(json_path(r->json, "items"), want, n);
	for (int k = 0; k <= NFACETS; k++) {
		char jp[32];
		const char *key = k < NFACETS ? facet_keys[k] : "updated_since";
		const char *v = k < NFACETS ? f->v[k] : f->updated_since;
		snprintf(jp, sizeof jp, "filters.%s", key);
		assert_jstr(r, jp, v ? v : "");
	}
	for (int k = 0; k < NFACETS; k++)
		check_facet(r, k, insider, f);
	return r;
}

static struct response *check_catalogue(struct actor *a, bool insider, const struct filters *f)
{
	char path[320];
	snprintf(path, sizeof path, "/api/v1/articles%s", query_of(f));
	return check_catalogue_at(a, insider, path, f);
}

/* Follows the address of the facet's entry that has value: it lists
 * what the entry promised. */
static void follow_facet(struct actor *a, bool insider, const struct response *from, int f, const char *value)
{
	char path[32];
	snprintf(path, sizeof path, "facets.%s", facet_keys[f]);
	json_t *entries = json_path(from->json, path), *e;
	size_t i;
	json_array_foreach(entries, i, e) {
		if (!same_value(json_string_value(json_object_get(e, "value")), value))
			continue;
		const char *url = json_string_value(json_object_get(e, "url"));
		struct filters target = parse_url(from, url);
		char api[320];
		snprintf(api, sizeof api, "/api/v1%s", url);
		struct response *r = check_catalogue_at(a, insider, api, &target);
		/* its count was the number of items behind it */
		if (!json_is_true(json_object_get(e, "selected")))
			assert_int_equal(json_integer_value(json_object_get(e, "count")), jlen(r, "items"));
		response_free(r);
		return;
	}
	harness_fail_response(from, __FILE__, __LINE__, "no %s entry \"%s\"", path, value);
}

/* The value of the facet's first entry. */
static const char *first_value(const struct response *r, int f)
{
	char path[32];
	snprintf(path, sizeof path, "facets.%s", facet_keys[f]);
	const char *v = json_string_value(json_object_get(json_array_get(json_path(r->json, path), 0), "value"));
	assert_non_null(v);
	return v;
}

/* The sum of a facet's counts (each article has one language: how many
 * the viewer may read under the other filters). */
static json_int_t facet_total(const struct response *r, const char *path)
{
	json_t *e;
	size_t i;
	json_int_t total = 0;
	json_array_foreach(json_path(r->json, path), i, e)
		total += json_integer_value(json_object_get(e, "count"));
	return total;
}

static void catalogue_filters_and_facets(void **state)
{
	struct place p;
	place_build(&p, *state);
	shelf_fill(&p);
	/* a question is no article */
	ask(p.asa, "fika", "Not an article", "");
	const struct filters none = {0};

	/* unfiltered, for each kind of viewer; the board's member sees exactly
	 * the two private articles more */
	struct response *rv = check_catalogue(p.visitor, false, &none);
	struct response *rc = check_catalogue(p.cai, false, &none);
	struct response *ri = check_catalogue(p.asa, true, &none);
	assert_int_equal(jlen(rv, "items"), SHELF - 2);
	assert_int_equal(jlen(ri, "items"), SHELF);
	assert_int_equal(facet_total(ri, "facets.language") - facet_total(rv, "facets.language"), 2);
	assert_int_equal(facet_total(rc, "facets.language"), facet_total(rv, "facets.language"));
	assert_false(list_has_str(rv, "facets.community", "value", "board"));
	assert_true(list_has_str(ri, "facets.community", "value", "board"));
	response_free(rc);
	response_free(ri);
	/* each facet's first address, followed, selects its value */
	for (int f = 0; f < NFACETS; f++)
		follow_facet(p.visitor, false, rv, f, first_value(rv, f));
	response_free(rv);

	/* single filters and combinations, for an outsider and an insider */
	const struct filters combos[] = {
		{.v = {[F_ORG] = "birch"}},
		{.v = {[F_TAG] = "water", [F_ORG] = "acme"}},
		{.v = {[F_COMMUNITY] = "garden", [F_LANGUAGE] = "sv"}},
		{.v = {[F_TAG] = "energy", [F_LANGUAGE] = "en", [F_COMMUNITY] = "fika"}},
		{.v = {[F_TAG] = "school", [F_ORG] = "cedar"}},
	};
	for (size_t i = 0; i < sizeof combos / sizeof *combos; i++) {
		struct response *r = check_catalogue(p.visitor, false, &combos[i]);
		/* the way back out: the selected entries' addresses */
		for (int f = 0; f < NFACETS; f++)
			if (combos[i].v[f])
				follow_facet(p.visitor, false, r, f, combos[i].v[f]);
		response_free(r);
		response_free(check_catalogue(p.asa, true, &combos[i]));
		response_free(check_catalogue(p.pia, true, &combos[i]));
	}
	/* the private community, for its members only */
	const struct filters board = {.v = {[F_COMMUNITY] = "board"}};
	response_free(check_catalogue(p.asa, true, &board));
	struct actor *outside[] = {p.visitor, p.cai, p.bo};
	for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
		struct response *r = aget(outside[i], "/api/v1/articles?community=board");
		assert_error(r, 404, "not_found");
		response_free(r);
	}

	/* updated_since: today holds everything, tomorrow nothing */
	struct filters since = {.updated_since = day_text(0)};
	response_free(check_catalogue(p.visitor, false, &since));
	since.updated_since = day_text(-1);
	since.v[F_TAG] = "water";
	response_free(check_catalogue(p.asa, true, &since));
	struct response *r = aget(p.asa, "/api/v1/articles?updated_since=%s", day_text(1));
	assert_status(r, 200);
	assert_int_equal(jlen(r, "items"), 0);
	for (int f = 0; f < NFACETS; f++) {
		char jp[32];
		snprintf(jp, sizeof jp, "facets.%s", facet_keys[f]);
		assert_int_equal(jlen(r, jp), 0);
	}
	assert_jstr(r, "filters.updated_since", day_text(1));
	response_free(r);

	/* malformed filters; unknown names */
	static const char *const bad[] = {"updated_since=yesterday", "updated_since=2026-02-30",
					  "updated_since=20260105", "language=xx",
					  "language=english"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		r = aget(p.visitor, "/api/v1/articles?%s", bad[i]);
		assert_error(r, 400, "bad_filter");
		response_free(r);
	}
	static const char *const unknown[] = {"org=nowhere", "community=nowhere"};
	for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++) {
		r = aget(p.visitor, "/api/v1/articles?%s", unknown[i]);
		assert_error(r, 404, "not_found");
		response_free(r);
	}

	/* the HTML catalogue: what the visitor may read, facets as links */
	r = aget(p.visitor, "/articles");
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "Shelf practice 0");
	assert_body_contains(r, "Shelf practice 7");
	assert_body_lacks(r, "Shelf practice 8");
	assert_body_lacks(r, "Shelf practice 9");
	assert_body_lacks(r, "Not an article");
	assert_body_contains(r, "href=\"/articles?tag=water\"");
	assert_body_contains(r, "href=\"/articles?org=birch\"");
	response_free(r);
	r = aget(p.visitor, "/articles?org=acme&tag=water");
	assert_status(r, 200);
	assert_body_contains(r, "Shelf practice 0");
	assert_body_lacks(r, "Shelf practice 3");
	response_free(r);
	r = aget(p.visitor, "/articles?updated_since=soon");
	assert_status(r, 400);
	assert_header_contains(r, "Content-Type", "text/html");
	response_free(r);
	r = aget(p.visitor, "/articles?community=board");
	assert_status(r, 404);
	response_free(r);
}

/* Moves an item's creation days into the past. */
static void backdate(const struct server *s, int64_t id, int days)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "UPDATE items SET created_at = created_at - %d, activity_at = activity_at - %d WHERE id = %lld",
		 days * 86400, days * 86400, (long long)id);
	run_sql(s, sql);
}

/* Lists the ids the catalogue holds for updated_since days from now. */
static void assert_since(struct actor *a, int days, const int64_t *want, size_t n)
{
	struct response *r = aget(a, "/api/v1/articles?updated_since=%s", day_text(days));
	assert_status(r, 200);
	assert_ids(json_path(r->json, "items"), want, n);
	/* the language counts agree with the list */
	assert_int_equal(facet_total(r, "facets.language"), n);
	response_free(r);
}

/* Older articles: their creation is moved back in the database (the API
 * cannot make the past), then one of them is edited. */
static void catalogue_updated_since(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t old = new_item(p.asa, "article", "fika", article("Old practice"));
	int64_t revived = new_item(p.asa, "article", "fika", article("Old practice, revised"));
	int64_t recent = new_item(p.asa, "article", "fika", article("Recent practice"));
	int64_t fresh = new_item(p.asa, "article", "fika", article("Fresh practice"));
	backdate(*state, old, 10);
	backdate(*state, revived, 10);
	backdate(*state, recent, 3);
	assert_since(p.bo, -20, (const int64_t[]){fresh, recent, revived, old}, 4);
	assert_since(p.bo, -5, (const int64_t[]){fresh, recent}, 2);

	struct response *r = item_edit(p.asa, revived, json_pack("{s:s}", "results", "It still works."));
	assert_status(r, 200);
	response_free(r);
	assert_since(p.bo, -20, (const int64_t[]){fresh, recent, revived, old}, 4);
	assert_since(p.bo, -5, (const int64_t[]){fresh, recent, revived}, 3);
	assert_since(p.bo, -1, (const int64_t[]){fresh, revived}, 2);
	assert_since(p.bo, 1, NULL, 0);
}

/* ---- pages ---------------------------------------------------------------------------------------- */

#define PAGED 45

static void catalogue_pages(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t ids[PAGED], even[PAGED];
	size_t neven = 0;
	for (int i = 0; i < PAGED; i++) {
		char title[32];
		snprintf(title, sizeof title, "Paged practice %02d", i);
		json_t *body = article(title);
		if (i % 2 == 0)
			json_object_set_new(body, "tags", json_pack("[s]", "even"));
		ids[i] = new_item(i % 3 ? p.asa : p.bo, "article", i % 4 ? "fika" : "garden", body);
	}
	/* a private one in the middle is not among the visitor's */
	new_item(p.pia, "article", "board", article("Paged secret"));

	int64_t want[PAGED];
	for (int i = 0; i < PAGED; i++)
		want[i] = ids[PAGED - 1 - i];
	for (int i = PAGED - 1; i >= 0; i--)
		if (i % 2 == 0)
			even[neven++] = ids[i];
	struct pages pg;
	json_t *all = walk(p.visitor, "/api/v1/articles", &pg);
	assert_int_equal(pg.n, 3);
	assert_int_equal(pg.sizes[0], ARTICLES_PER_PAGE);
	assert_int_equal(pg.sizes[1], ARTICLES_PER_PAGE);
	assert_int_equal(pg.sizes[2], PAGED - 2 * ARTICLES_PER_PAGE);
	assert_ids(all, want, PAGED);
	/* a filter holds across the pages */
	all = walk(p.bo, "/api/v1/articles?tag=even", &pg);
	assert_int_equal(pg.n, 2);
	assert_ids(all, even, neven);

	/* the HTML list links to its next page */
	struct response *r = aget(p.visitor, "/articles");
	assert_status(r, 200);
	assert_body_contains(r, "Paged practice 44");
	assert_body_lacks(r, "Paged practice 24");
	assert_body_contains(r, "cursor=");
	response_free(r);
	r = aget(p.visitor, "/api/v1/articles?cursor=garbage");
	assert_status(r, 400);
	response_free(r);
}

/* ---- who sees a private one; the page ------------------------------------------------------------- */

static void private_article_and_page(void **state)
{
	struct place p;
	place_build(&p, *state);
	json_t *body = article("Board practice");
	json_object_set_new(body, "contacts", json_pack("[s]", "kim"));
	int64_t secret = new_item(p.pia, "article", "board", body);

	struct actor *outside[] = {p.visitor, p.cai, p.bo};
	for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
		struct response *r = get_item(outside[i], secret);
		assert_error(r, 404, "not_found");
		assert_body_lacks(r, "Board practice");
		response_free(r);
		r = aget(outside[i], "/items/%lld", (long long)secret);
		assert_status(r, 404);
		assert_body_lacks(r, "Board practice");
		response_free(r);
		r = aget(outside[i], "/api/v1/articles");
		assert_false(list_has_id(r, "items", secret));
		response_free(r);
	}
	struct response *r = get_item(p.asa, secret);
	assert_status(r, 200);
	assert_jstr(r, "title", "Board practice");
	response_free(r);
	r = aget(p.asa, "/items/%lld", (long long)secret);
	assert_status(r, 200);
	assert_body_contains(r, "Board practice");
	response_free(r);

	/* a public article's page: its sections, its people linked */
	body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s,s]}", "kind", "article", "title", "Page practice",
			 "summary", "Summary text 301", "situation", "Situation text 302", "approach",
			 "Approach text **303**", "results", "Results text 304", "contacts", "kim", "lena");
	int64_t id = new_item(p.asa, "article", "fika", body);
	r = aget(p.visitor, "/items/%lld", (long long)id);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "Page practice");
	assert_body_contains(r, "Summary text 301");
	assert_body_contains(r, "Situation text 302");
	assert_body_contains(r, "Approach text <strong>303</strong>");
	assert_body_contains(r, "Results text 304");
	assert_body_contains(r, "href=\"/people/kim\"");
	assert_body_contains(r, "href=\"/people/lena\"");
	assert_body_contains(r, "Kim Ek");
	assert_body_contains(r, "Lena Berg");
	/* the sections in order */
	const char *sit = strstr(r->body, "Situation text 302"), *app = strstr(r->body, "Approach text");
	const char *res = strstr(r->body, "Results text 304");
	assert_true(sit && app && res && sit < app && app < res);
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(article_with_every_field),
		T(article_from_the_form),
		T(article_field_errors),
		T(article_posting_rights),
		T(article_markup_is_inert),
		T(article_edit),
		T(catalogue_filters_and_facets),
		T(catalogue_updated_since),
		T(catalogue_pages),
		T(private_article_and_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
