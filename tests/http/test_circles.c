/* test_circles: intervision circles. A member starts a circle (private,
 * joined by invitation or request, with a purpose and room for a number of
 * members, which invitations and approvals cannot pass); a case is brought
 * only in a circle and taken through its rounds by a host, each round
 * refusing the contributions that do not fit it, and closed with lessons
 * learned; and nothing of a circle shows outside it: its page, its cases,
 * search, profiles, feeds and notifications of non-members. */
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the place ------------------------------------------------------------------ */

/* ana hosts the circle "peers" (room for 4) with bo and cy in it; bo
 * brings a case. eve is a member of the site only. */
struct place {
	const struct server *srv;
	struct actor *admin, *ana, *bo, *cy, *eve;
};

static struct response *start_circle(struct actor *a, json_t *fields)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", "circle", "slug", "peers", "name", "Peer circle",
				 "description", "Managers who consult each other.", "purpose",
				 "We take one real case a session through the rounds.");
	if (fields)
		json_object_update(body, fields);
	json_decref(fields);
	return apost(a, "/api/v1/c", body);
}

static struct place *place_build(void **state)
{
	static struct place p;
	memset(&p, 0, sizeof p);
	p.srv = *state;
	sign_up_cast(p.srv, &p.admin, &p.ana, &p.bo, &p.eve);
	p.cy = member(p.srv, "cy");
	struct response *r = start_circle(p.ana, json_pack("{s:i, s:s}", "member_limit", 4, "cadence",
							  "Every two weeks for twelve weeks"));
	assert_status(r, 201);
	response_free(r);
	bring_in(p.ana, "peers", p.bo);
	bring_in(p.ana, "peers", p.cy);
	return &p;
}

static int64_t bring_case(struct actor *a, const char *slug, const char *title, const char *situation)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/c/%s/items", slug);
	struct response *r = apost(a, path, json_pack("{s:s, s:s, s:s, s:s}", "kind", "case", "title", title,
						      "situation", situation, "question", "What would you do?"));
	assert_status(r, 201);
	int64_t id = jint(r, "id");
	response_free(r);
	return id;
}

static long contribute(struct actor *a, int64_t item, const char *body)
{
	struct response *r = item_post(a, item, "comments", json_pack("{s:s}", "body", body));
	long status = r->status;
	response_free(r);
	return status;
}

static long next_round(struct actor *a, int64_t item, const char *round, const char *lessons)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/items/%lld/round", (long long)item);
	json_t *body = json_pack("{s:s}", "round", round);
	if (lessons)
		json_object_set_new(body, "lessons", json_string(lessons));
	struct response *r = apost(a, path, body);
	long status = r->status;
	response_free(r);
	return status;
}

static const char *round_of(struct actor *a, int64_t item)
{
	struct response *r = get_item(a, item);
	assert_status(r, 200);
	const char *round = harness_strdup(json_string_value(json_path(r->json, "case.round")));
	response_free(r);
	return round;
}

/* ---- tests --------------------------------------------------------------------- */

/* Any member starts a circle; it is private, nobody joins it unasked, and
 * it has a purpose and room for 2 to 30. */
static void members_start_circles(void **state)
{
	struct place *p = place_build(state);
	struct response *r = aget(p->ana, "/api/v1/c/peers");
	assert_status(r, 200);
	assert_jstr(r, "kind", "circle");
	assert_jstr(r, "visibility", "private");
	assert_jstr(r, "join_policy", "invite");
	assert_int_equal(jint(r, "circle.member_limit"), 4);
	assert_int_equal(jint(r, "circle.members"), 3);
	assert_int_equal(jint(r, "circle.seats_left"), 1);
	assert_string_equal(json_string_value(json_path(r->json, "circle.cadence")), "Every two weeks for twelve weeks");
	response_free(r);

	static const struct {
		const char *field, *value;
	} wrong[] = {
		{"visibility", "public"}, {"join_policy", "open"}, {"purpose", ""}, {"cadence", "a\nb"},
	};
	for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
		r = start_circle(p->eve, json_pack("{s:s, s:s}", "slug", "other", wrong[i].field, wrong[i].value));
		assert_status(r, 422);
		assert_invalid_field(r, wrong[i].field);
		response_free(r);
	}
	const int limits[] = {1, 31};
	for (size_t i = 0; i < 2; i++) {
		r = start_circle(p->eve, json_pack("{s:s, s:i}", "slug", "other", "member_limit", limits[i]));
		assert_status(r, 422);
		assert_invalid_field(r, "member_limit");
		response_free(r);
	}
	/* a community is still the admins' to start */
	r = apost(p->eve, "/api/v1/c", json_pack("{s:s, s:s, s:s}", "slug", "club", "name", "Club", "visibility", "public"));
	assert_status(r, 403);
	response_free(r);
	r = start_circle(p->eve, json_pack("{s:s}", "slug", "eves"));
	assert_status(r, 201);
	response_free(r);
	/* the form */
	r = aget(p->eve, "/c/new?kind=circle");
	assert_status(r, 200);
	assert_body_contains(r, "name=\"purpose\"");
	assert_body_contains(r, "name=\"member_limit\"");
	assert_body_lacks(r, "value=\"public\"");
	response_free(r);
}

/* Members and open invitations together stay within the room. */
static void invitations_and_approvals_keep_within_the_room(void **state)
{
	struct place *p = place_build(state);
	struct actor *dee = member(p->srv, "dee");
	/* ana, bo, cy and an invitation to dee: full */
	struct response *r = apost(p->ana, "/api/v1/c/peers/invite", json_pack("{s:s}", "handle", "dee"));
	assert_status(r, 200);
	response_free(r);
	r = apost(p->ana, "/api/v1/c/peers/invite", json_pack("{s:s}", "handle", "eve"));
	assert_status(r, 409);
	assert_jstr(r, "error.code", "circle_full");
	response_free(r);
	/* dee accepts: her seat was hers already */
	r = apost(dee, "/api/v1/c/peers/join", NULL);
	assert_status(r, 200);
	response_free(r);
	/* cy leaves: room for eve */
	r = apost(p->cy, "/api/v1/c/peers/leave", NULL);
	assert_status(r, 200);
	response_free(r);
	r = apost(p->ana, "/api/v1/c/peers/invite", json_pack("{s:s}", "handle", "eve"));
	assert_status(r, 200);
	response_free(r);
	/* the limit cannot go below who is in it */
	r = apost(p->ana, "/api/v1/c/peers/edit", json_pack("{s:i}", "member_limit", 3));
	assert_status(r, 422);
	assert_invalid_field(r, "member_limit");
	response_free(r);

	/* On request: a request holds no seat, an approval needs one. */
	r = start_circle(p->eve, json_pack("{s:s, s:s, s:i}", "slug", "asking", "join_policy", "request",
					  "member_limit", 2));
	assert_status(r, 201);
	response_free(r);
	r = apost(p->eve, "/api/v1/c/asking/invite", json_pack("{s:s}", "handle", "ana"));
	assert_status(r, 200);
	response_free(r);
	r = apost(p->bo, "/api/v1/c/asking/join", NULL);
	assert_status(r, 404); /* private: bo does not know it */
	response_free(r);
}

/* A case is brought in a circle only, and taken through the rounds. */
static void a_case_goes_through_the_rounds(void **state)
{
	struct place *p = place_build(state);
	make_community(p->admin, "plaza", "Plaza", "public", "open");
	bring_in(p->admin, "plaza", p->bo);
	struct response *r = apost(p->bo, "/api/v1/c/plaza/items",
				   json_pack("{s:s, s:s, s:s, s:s}", "kind", "case", "title", "Out of place", "situation",
					     "Here?", "question", "Why not?"));
	assert_true(r->status == 404 || r->status == 422);
	response_free(r);
	r = aget(p->bo, "/c/plaza/new?kind=case");
	assert_true(r->status == 404 || r->status == 422);
	response_free(r);

	int64_t c = bring_case(p->bo, "peers", "A team that stopped talking", "Since spring my team avoids me.");
	assert_string_equal(round_of(p->cy, c), "clarifying");
	/* clarifying: questions only; the case-bringer answers */
	assert_int_equal(contribute(p->cy, c, "Talk to them one by one."), 422);
	assert_int_equal(contribute(p->cy, c, "When did it start?"), 201);
	assert_int_equal(contribute(p->bo, c, "After the reorganisation."), 201);
	/* only a host moves it on, one round at a time */
	assert_int_equal(next_round(p->bo, c, "analysis", NULL), 403);
	assert_int_equal(next_round(p->ana, c, "advice", NULL), 409);
	assert_int_equal(next_round(p->ana, c, "analysis", NULL), 200);
	assert_int_equal(next_round(p->ana, c, "analysis", NULL), 409);
	/* analysis and advice: the case-bringer listens */
	assert_int_equal(contribute(p->bo, c, "But I think"), 422);
	assert_int_equal(contribute(p->cy, c, "The reorganisation broke their trust."), 201);
	assert_int_equal(next_round(p->ana, c, "advice", NULL), 200);
	assert_int_equal(contribute(p->bo, c, "Maybe"), 422);
	assert_int_equal(contribute(p->ana, c, "Hold a retrospective on the reorganisation."), 201);
	/* reflection: only the case-bringer */
	assert_int_equal(next_round(p->ana, c, "reflection", NULL), 200);
	assert_int_equal(contribute(p->cy, c, "Also"), 422);
	assert_int_equal(contribute(p->bo, c, "I will hold the retrospective next week."), 201);
	/* closing takes the lessons */
	assert_int_equal(next_round(p->ana, c, "closed", NULL), 422);
	assert_int_equal(next_round(p->ana, c, "closed", "Name the loss before planning ahead."), 200);
	assert_int_equal(contribute(p->bo, c, "One more?"), 422);
	assert_int_equal(next_round(p->ana, c, "closed", "Again"), 409);

	/* each contribution in its round */
	r = get_item(p->cy, c);
	assert_status(r, 200);
	assert_string_equal(json_string_value(json_path(r->json, "case.round")), "closed");
	const size_t counts[] = {2, 1, 1, 1, 0};
	json_t *rounds = json_path(r->json, "case.rounds");
	assert_int_equal(json_array_size(rounds), 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(json_array_size(json_object_get(json_array_get(rounds, i), "contributions")), counts[i]);
	assert_non_null(strstr(json_string_value(json_path(r->json, "case.lessons_html")), "Name the loss"));
	response_free(r);
	/* the page shows the rounds and the lessons */
	r = aget(p->cy, "/items/%lld", (long long)c);
	assert_status(r, 200);
	assert_body_contains(r, "Lessons learned");
	assert_body_contains(r, "The reorganisation broke their trust.");
	assert_body_contains(r, "aria-current=\"step\"");
	response_free(r);
}

/* Outside the circle nothing of it shows. */
static void nothing_of_a_circle_shows_outside(void **state)
{
	struct place *p = place_build(state);
	struct response *r = apost(p->eve, "/api/v1/people/bo/follow", NULL);
	assert_status(r, 200);
	response_free(r);
	int64_t c = bring_case(p->bo, "peers", "The zebrafish budget", "Our zebrafish budget was cut.");
	assert_int_equal(contribute(p->cy, c, "Who cut the zebrafish budget?"), 201);
	beside_the_server();

	const char *hidden[] = {"/api/v1/c/peers", "/c/peers", "/c/peers/members"};
	for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
		r = aget(p->eve, "%s", hidden[i]);
		assert_status(r, 404);
		response_free(r);
	}
	r = get_item(p->eve, c);
	assert_status(r, 404);
	response_free(r);
	const char *lists[] = {"/api/v1/c", "/api/v1/search?q=zebrafish", "/api/v1/people/bo", "/people/bo/feed",
			       "/api/v1/notifications", "/api/v1/search?q=circle"};
	struct actor *visitor_eve = visitor(p->srv);
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		struct actor *who[] = {p->eve, visitor_eve};
		for (size_t w = 0; w < 2; w++) {
			if (w == 1 && strstr(lists[i], "notifications"))
				continue;
			r = aget(who[w], "%s", lists[i]);
			assert_true(r->status == 200 || r->status == 401);
			assert_body_lacks(r, "zebrafish budget");
			assert_body_lacks(r, "Peer circle");
			response_free(r);
		}
	}
	/* its members find it */
	r = aget(p->cy, "/api/v1/search?q=zebrafish");
	assert_status(r, 200);
	assert_true(list_has_id(r, "items", c));
	response_free(r);
	r = aget(p->cy, "/api/v1/c");
	assert_body_contains(r, "Peer circle");
	response_free(r);
}

/* kring import takes circles and their cases; a case outside a circle is
 * refused with the line's number. */
static void circles_and_cases_are_imported(void **state)
{
	const struct server *s = *state;
	char path[512];
	snprintf(path, sizeof path, "%s/circle.jsonl", s->dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"type\": \"person\", \"handle\": \"lena\", \"name\": \"Lena\", \"email\": \"lena@example.org\"}\n"
	      "{\"type\": \"community\", \"slug\": \"peers\", \"name\": \"Peers\", \"kind\": \"circle\","
	      " \"visibility\": \"private\", \"join_policy\": \"invite\", \"hosts\": [\"lena\"],"
	      " \"circle\": {\"purpose\": \"Cases from the ward.\", \"member_limit\": 6, \"cadence\": \"Monthly\"}}\n"
	      "{\"type\": \"item\", \"ref\": \"c1\", \"kind\": \"case\", \"author\": \"lena\", \"community\": \"peers\","
	      " \"title\": \"Night shifts\", \"situation\": \"Too many.\", \"question\": \"How to say no?\","
	      " \"round\": \"analysis\"}\n",
	      f);
	assert_int_equal(fclose(f), 0);
	char *out;
	int rc = kring_command(&out, NULL, NULL, NULL, "import '%s' --db '%s'", path, s->db);
	if (rc != 0)
		fail_msg("kring import failed (%d): %s", rc, out);
	assert_string_equal(sql_rows(s, "SELECT c.kind, ci.member_limit, ci.cadence FROM communities c"
					" JOIN circles ci ON ci.community_id = c.id WHERE c.slug = 'peers'"),
			    "circle|6|Monthly\n");
	assert_string_equal(sql_rows(s, "SELECT k.question, k.round FROM cases k JOIN items i ON i.id = k.item_id"
					" WHERE i.title = 'Night shifts'"),
			    "How to say no?|analysis\n");

	snprintf(path, sizeof path, "%s/misplaced.jsonl", s->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"type\": \"person\", \"handle\": \"mo\", \"name\": \"Mo\", \"email\": \"mo@example.org\"}\n"
	      "{\"type\": \"community\", \"slug\": \"plaza\", \"name\": \"Plaza\", \"visibility\": \"public\","
	      " \"join_policy\": \"open\", \"hosts\": [\"mo\"]}\n"
	      "{\"type\": \"item\", \"ref\": \"c2\", \"kind\": \"case\", \"author\": \"mo\", \"community\": \"plaza\","
	      " \"title\": \"Here?\", \"situation\": \"No.\", \"question\": \"Why?\"}\n",
	      f);
	assert_int_equal(fclose(f), 0);
	rc = kring_command(&out, NULL, NULL, NULL, "import '%s' --db '%s'", path, s->db);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(out, "line 3: a case belongs in a circle"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(members_start_circles, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(invitations_and_approvals_keep_within_the_room, server_setup,
						server_teardown),
		cmocka_unit_test_setup_teardown(a_case_goes_through_the_rounds, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(nothing_of_a_circle_shows_outside, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(circles_and_cases_are_imported, server_setup, server_teardown),
	};
	return cmocka_run_group_tests_name("circles", tests, NULL, NULL);
}
