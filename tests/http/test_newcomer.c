/* test_newcomer: what a new member meets — the first-visit start of the
 * home page and its steps, asking from anywhere (/ask, joining an open
 * community on the way), reactions on comments, and the review link shown
 * only to experts and staff. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>

/* A public open community "fika" (asa is in it), a public community "club"
 * that takes requests, a private "board" (asa is in it), an archived open
 * "old"; nina is new and in none of them. */
struct place {
	struct actor *admin, *asa, *nina, *visitor;
};

static void place_build(struct place *p, const struct server *s)
{
	p->admin = staff(s, "root", "--admin");
	p->asa = member(s, "asa");
	p->nina = member(s, "nina");
	p->visitor = visitor(s);
	make_community(p->admin, "fika", "Fika", "public", "open");
	make_community(p->admin, "club", "The Club", "public", "request");
	make_community(p->admin, "board", "The Board", "private", "invite");
	make_community(p->admin, "old", "Old Times", "public", "open");
	bring_in(p->admin, "fika", p->asa);
	bring_in(p->admin, "board", p->asa);
	struct response *r = apost(p->admin, "/api/v1/c/old/archive", json_pack("{s:b}", "archived", 1));
	assert_status(r, 200);
	response_free(r);
}

static json_t *step_done(const struct response *r, size_t i)
{
	return jat(r, "start.steps", i, "done");
}

/* GETs the page at path as a: it must show every one of shown and none of
 * hidden. */
static void page_shows(struct actor *a, const char *path, const char *const *shown, const char *const *hidden)
{
	struct response *r = aget(a, "%s", path);
	assert_status(r, 200);
	for (size_t i = 0; shown[i]; i++)
		assert_body_contains(r, shown[i]);
	for (size_t i = 0; hidden[i]; i++)
		assert_body_lacks(r, hidden[i]);
	response_free(r);
}

/* ---- #7 the first-visit start ---------------------------------------------------------------- */

static void first_visit_start(void **state)
{
	struct place p;
	place_build(&p, *state);
	struct response *r = aget(p.nina, "/api/v1/");
	assert_status(r, 200);
	assert_true(json_is_true(json_path(r->json, "first_visit")));
	assert_false(json_is_true(json_path(r->json, "in_communities")));
	assert_int_equal(jlen(r, "start.steps"), 3);
	for (size_t i = 0; i < 3; i++)
		assert_true(json_is_false(step_done(r, i)));
	/* open communities to join, not the archived one nor the closed ones */
	assert_true(list_has_str(r, "start.communities", "slug", "fika"));
	assert_false(list_has_str(r, "start.communities", "slug", "old"));
	assert_false(list_has_str(r, "start.communities", "slug", "club"));
	assert_false(list_has_str(r, "start.communities", "slug", "board"));
	response_free(r);

	page_shows(p.nina, "/", STRS("Welcome, ", "action=\"/c/fika/join\"", "href=\"/ask\""),
		   STRS("Welcome back", "From your communities"));

	/* joining: the step is done, and she has been here before */
	r = apost(p.nina, "/api/v1/c/fika/join", NULL);
	assert_status(r, 200);
	response_free(r);
	r = aget(p.nina, "/api/v1/");
	assert_true(json_is_false(json_path(r->json, "first_visit")));
	assert_true(json_is_true(json_path(r->json, "in_communities")));
	assert_true(json_is_false(step_done(r, 0)));
	assert_true(json_is_true(step_done(r, 1)));
	assert_true(json_is_false(step_done(r, 2)));
	response_free(r);
	page_shows(p.nina, "/", STRS("Welcome back", "From your communities"), STRS(NULL));

	/* a profile with a bio, and a question: every step done, no start */
	r = apost(p.nina, "/api/v1/settings/profile", json_pack("{s:s, s:s}", "name", "Nina", "bio", "Planner."));
	assert_status(r, 200);
	response_free(r);
	r = aget(p.nina, "/api/v1/");
	assert_true(json_is_true(step_done(r, 0)));
	response_free(r);
	ask(p.nina, "fika", "Where do I start?", "");
	r = aget(p.nina, "/api/v1/");
	assert_true(json_is_null(json_path(r->json, "start")));
	response_free(r);

	/* a member puts the start away before finishing it */
	r = aget(p.asa, "/api/v1/");
	assert_true(json_is_object(json_path(r->json, "start")));
	response_free(r);
	r = fpost(p.asa, "/start/dismiss", STRS(NULL));
	assert_status(r, 303);
	response_free(r);
	r = aget(p.asa, "/api/v1/");
	assert_true(json_is_null(json_path(r->json, "start")));
	assert_true(json_is_false(json_path(r->json, "first_visit")));
	response_free(r);
	r = apost(p.visitor, "/api/v1/start/dismiss", NULL);
	assert_error(r, 401, "unauthorized");
	response_free(r);
}

/* ---- #8 asking from anywhere --------------------------------------------------------------------- */

static struct response *ask_at(struct actor *a, const char *community, const char *title)
{
	return apost(a, "/api/v1/ask", json_pack("{s:s, s:s, s:s, s:[s]}", "community", community, "title", title,
						 "body", "Any ideas?", "tags", "planning"));
}

static bool is_member_of(struct actor *a, const char *slug)
{
	struct response *r = aget(a, "/api/v1/c");
	bool in = false;
	for (size_t i = 0; i < jlen(r, "items"); i++)
		if (strcmp(jat_str(r, "items", i, "slug"), slug) == 0)
			in = json_is_true(jat(r, "items", i, "is_member"));
	response_free(r);
	return in;
}

static void ask_from_anywhere(void **state)
{
	struct place p;
	place_build(&p, *state);
	/* the form offers her communities and open ones */
	struct response *r = aget(p.asa, "/api/v1/ask");
	assert_status(r, 200);
	assert_true(list_has_str(r, "choices", "slug", "fika"));
	assert_true(list_has_str(r, "choices", "slug", "board"));
	assert_false(list_has_str(r, "choices", "slug", "club"));
	assert_false(list_has_str(r, "choices", "slug", "old"));
	response_free(r);
	page_shows(p.nina, "/ask", STRS("<select id=\"community\" name=\"community\"", "<option value=\"fika\">"),
		   STRS("value=\"board\""));

	/* in an open community she is not in: she joins it on the way */
	assert_false(is_member_of(p.nina, "fika"));
	r = ask_at(p.nina, "fika", "How do I plan a fika?");
	assert_status(r, 201);
	assert_jstr(r, "kind", "question");
	assert_jstr(r, "community.slug", "fika");
	assert_jstr(r, "joined.slug", "fika");
	assert_true(has_tag(json_path(r->json, "tags"), "planning"));
	response_free(r);
	assert_true(is_member_of(p.nina, "fika"));
	/* already a member: nothing joined */
	r = ask_at(p.nina, "fika", "And what about coffee?");
	assert_status(r, 201);
	assert_true(json_is_null(json_path(r->json, "joined")));
	response_free(r);

	/* the form: to the question, which says she joined */
	r = fpost(p.asa, "/ask", STRS("community", "board", "kind", "question", "title", "Board question",
				     "body", "", "tags", "", "language", "en"));
	assert_status(r, 303);
	assert_header_contains(r, "Location", "/items/");
	response_free(r);
	struct actor *olle = member(*state, "olle");
	r = fpost(olle, "/ask", STRS("community", "fika", "kind", "question", "title", "Fika with a topic?",
				    "body", "", "tags", "", "language", "en"));
	assert_status(r, 303);
	const char *to = response_header(r, "Location");
	assert_non_null(strstr(to, "?joined=1"));
	char *page = harness_strdup(to);
	response_free(r);
	r = aget(olle, "%s", page);
	assert_status(r, 200);
	assert_body_contains(r, "You joined Fika to ask there.");
	response_free(r);

	/* nothing is joined when the question is not right, and what she
	 * typed comes back */
	struct actor *ulf = member(*state, "ulf");
	r = fpost(ulf, "/ask", STRS("community", "fika", "kind", "question", "title", "",
				   "body", "Kept text", "tags", "", "language", "en"));
	assert_status(r, 422);
	assert_body_contains(r, "Kept text");
	assert_body_contains(r, "<option value=\"fika\" selected>");
	response_free(r);
	assert_false(is_member_of(ulf, "fika"));

	/* refused: a community that takes requests, a private one, an
	 * archived one, none at all, another kind — all alike */
	const char *refused[] = {"club", "board", "old", "nosuch", ""};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		r = ask_at(p.nina, refused[i], "Let me in?");
		assert_invalid_field(r, "community");
		response_free(r);
	}
	assert_false(is_member_of(p.nina, "club"));
	r = apost(p.nina, "/api/v1/ask", json_pack("{s:s, s:s, s:s}", "community", "fika", "kind", "article",
						   "title", "An article"));
	assert_invalid_field(r, "kind");
	response_free(r);

	/* visitors sign in first, and come back to /ask */
	r = aget(p.visitor, "/ask");
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/login?next=/ask");
	response_free(r);
	r = apost(p.visitor, "/api/v1/ask", json_pack("{s:s, s:s}", "community", "fika", "title", "Hi?"));
	assert_error(r, 401, "unauthorized");
	response_free(r);
}

/* ---- #9 reactions on comments -------------------------------------------------------------------- */

static int64_t comment_on(struct actor *a, int64_t item, const char *body)
{
	struct response *r = item_post(a, item, "comments", json_pack("{s:s}", "body", body));
	assert_status(r, 201);
	int64_t id = jint(r, "id");
	response_free(r);
	return id;
}

static struct response *react(struct actor *a, int64_t comment, const char *kind)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/comments/%lld/react", (long long)comment);
	return apost(a, path, kind ? json_pack("{s:s}", "kind", kind) : NULL);
}

static void comment_reactions(void **state)
{
	struct place p;
	place_build(&p, *state);
	bring_in(p.admin, "fika", p.nina);
	int64_t q = ask(p.asa, "fika", "Milk or not?", "");
	int64_t c = comment_on(p.asa, q, "Oat milk, always.");

	struct response *r = react(p.nina, c, "thanks");
	assert_status(r, 200);
	assert_int_equal(jint(r, "thanks"), 1);
	assert_int_equal(jint(r, "like"), 0);
	assert_int_equal(json_array_size(json_path(r->json, "mine")), 1);
	response_free(r);
	r = react(p.asa, c, "thanks");
	assert_int_equal(jint(r, "thanks"), 2);
	assert_int_equal(json_array_size(json_path(r->json, "mine")), 1);
	response_free(r);
	/* again: taken back */
	r = react(p.nina, c, "thanks");
	assert_status(r, 200);
	assert_int_equal(jint(r, "thanks"), 1);
	assert_int_equal(json_array_size(json_path(r->json, "mine")), 0);
	response_free(r);
	r = react(p.nina, c, "love");
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "kind");
	response_free(r);
	r = react(p.nina, c, NULL);
	assert_error(r, 422, "invalid");
	response_free(r);

	/* the form works without JavaScript, back to the comment */
	char path[64];
	snprintf(path, sizeof path, "/comments/%lld/react", (long long)c);
	r = fpost(p.nina, path, STRS("kind", "insightful"));
	assert_status(r, 303);
	char anchor[64];
	snprintf(anchor, sizeof anchor, "#comment-%lld", (long long)c);
	assert_header_contains(r, "Location", anchor);
	response_free(r);

	/* the item's JSON: each comment with its reactions and mine */
	r = get_item(p.nina, q);
	json_t *comment = json_array_get(json_path(r->json, "comments"), 0);
	json_t *reactions = json_object_get(comment, "reactions");
	assert_int_equal(json_integer_value(json_object_get(reactions, "thanks")), 1);
	assert_int_equal(json_integer_value(json_object_get(reactions, "insightful")), 1);
	assert_int_equal(json_array_size(json_object_get(reactions, "mine")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(reactions, "mine"), 0)), "insightful");
	response_free(r);
	/* and the page: buttons under the comment, hers pressed */
	r = aget(p.nina, "/items/%lld", (long long)q);
	snprintf(path, sizeof path, "action=\"/comments/%lld/react\"", (long long)c);
	assert_body_contains(r, path);
	assert_body_contains(r, "class=\"reaction on\" aria-pressed=\"true\">Insightful <span class=\"count\">1</span>");
	response_free(r);

	/* only who may see the item: a private community is not there */
	int64_t secret = ask(p.asa, "board", "Budget?", "");
	int64_t sc = comment_on(p.asa, secret, "Tight.");
	r = react(p.nina, sc, "like");
	assert_error(r, 404, "not_found");
	response_free(r);
	r = react(p.visitor, sc, "like");
	assert_error(r, 401, "unauthorized");
	response_free(r);
	r = react(p.nina, 999999, "like");
	assert_error(r, 404, "not_found");
	response_free(r);
	/* a member of the site who is not in the public community sees it but
	 * reacts as on items: after joining */
	struct actor *ola = member(*state, "ola");
	r = react(ola, c, "like");
	assert_error(r, 403, "not_member");
	response_free(r);
	/* a deleted comment takes no reactions */
	snprintf(path, sizeof path, "/api/v1/comments/%lld/delete", (long long)c);
	r = apost(p.asa, path, NULL);
	assert_status(r, 200);
	response_free(r);
	r = react(p.nina, c, "like");
	assert_error(r, 404, "not_found");
	response_free(r);
}

/* ---- #14 the review link ------------------------------------------------------------------------- */

static void review_link_for_experts_and_staff(void **state)
{
	struct place p;
	place_build(&p, *state);
	struct actor *mo = staff(*state, "mo", "--moderator");
	new_item(p.asa, "question", "fika", json_pack("{s:s, s:s, s:[s]}", "kind", "question", "title", "Tagged?",
						     "tags", "planning"));
	const char *const *link = STRS("href=\"/review\"");
	page_shows(p.nina, "/", STRS(NULL), link);
	page_shows(p.admin, "/", link, STRS(NULL));
	page_shows(mo, "/c", link, STRS(NULL));
	/* an expert in a tag */
	struct response *r = apost(p.admin, "/api/v1/tags/planning/experts", json_pack("{s:s}", "handle", "nina"));
	assert_status(r, 200);
	response_free(r);
	page_shows(p.nina, "/", link, STRS(NULL));
	page_shows(p.asa, "/", STRS(NULL), link);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(first_visit_start),
		T(ask_from_anywhere),
		T(comment_reactions),
		T(review_link_for_experts_and_staff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
