/* test_circles: intervision circles. A member starts a circle (private,
 * joined by invitation or request, with a purpose and room for a number of
 * members, which invitations and approvals cannot pass); a case is brought
 * only in a circle and taken through its rounds by a host, each round
 * refusing the contributions that do not fit it, and closed with lessons
 * learned; and nothing of a circle shows outside it: its page, its cases,
 * search, profiles, feeds and notifications of non-members. The circle's
 * sessions are events of the circle, as confidential as the rest of it,
 * whose attendance its hosts record; the case-bringer publishes a closed
 * case's lessons, anonymised and reviewed, as a best practice in a wider
 * community that shows nothing of the circle. */
#include "meetings.h"
#include "smtp_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* ---- sessions ------------------------------------------------------------------ */

static struct smtp_sink *sink;

static int smtp_setup(void **state)
{
	return smtp_server_setup(state, &sink, (int64_t)time(NULL));
}

static int smtp_teardown(void **state)
{
	return smtp_server_teardown(state, &sink, server_teardown);
}

/* A session of the circle: a meetup from starts for two hours, tagged. */
static int64_t plan_session(struct actor *a, const char *slug, const char *title, int64_t starts)
{
	return new_item(a, "event", slug,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}", "kind", "event", "title", title,
				  "body", "We take the next case through the rounds.", "event_type", "meetup",
				  "starts_at", utc_text(starts), "ends_at", utc_text(starts + 7200), "timezone", "UTC",
				  "location", "Room 2", "tags", "zebrafish-care"));
}

static void follow(struct actor *a, const char *path)
{
	struct response *r = apost(a, path, NULL);
	assert_status(r, 200);
	response_free(r);
}

/* How many of the mails to handle mention text in their subject or body. */
static int mails_mentioning(const char *handle, const char *text)
{
	char address[128];
	snprintf(address, sizeof address, "%s@example.com", handle);
	int found = 0;
	for (int i = 0; i < smtp_sink_count(sink); i++) {
		json_t *mail = mail_parse(smtp_sink_file(sink, i));
		const char *to = json_string_value(json_object_get(mail, "to_address"));
		const char *subject = json_string_value(json_object_get(mail, "subject"));
		const char *body = mail_part(mail, "text/plain");
		if (to && strcmp(to, address) == 0 &&
		    ((subject && strstr(subject, text)) || (body && strstr(body, text))))
			found++;
		json_decref(mail);
	}
	return found;
}

/* A circle's session is an event of the circle, planned from its page,
 * and shows nowhere outside it: not in the lists of events, the next
 * events, search, tags, profiles, feeds, notifications or digests of
 * anyone but its members. */
static void sessions_stay_in_the_circle(void **state)
{
	struct place *p = place_build(state);
	make_community(p->admin, "plaza", "Plaza", "public", "open");
	bring_in(p->admin, "plaza", p->eve);
	/* eve follows the author and the tag; cy, in the circle, the tag */
	follow(p->eve, "/api/v1/people/ana/follow");
	follow(p->eve, "/api/v1/tags/zebrafish-care/follow");
	follow(p->cy, "/api/v1/tags/zebrafish-care/follow");
	struct actor *who_follow[] = {p->eve, p->cy};
	for (size_t i = 0; i < 2; i++) {
		struct response *r = apost(who_follow[i], "/api/v1/settings/notifications",
					   json_pack("{s:s}", "post", "daily"));
		assert_status(r, 200);
		response_free(r);
	}
	struct response *r = apost(p->eve, "/api/v1/settings/feed", NULL);
	assert_status(r, 200);
	const char *feed = harness_strdup(strstr(response_jstr(r, "url"), "/feed/"));
	response_free(r);

	r = aget(p->bo, "/c/peers");
	assert_status(r, 200);
	assert_body_contains(r, "/c/peers/new?kind=event");
	response_free(r);
	r = aget(p->bo, "/c/peers/new?kind=event");
	assert_status(r, 200);
	response_free(r);
	int64_t s = plan_session(p->ana, "peers", "Zebrafish session", (int64_t)time(NULL) + 86400);
	jobs_settle(p->srv);
	beside_the_server();

	/* its members see it where events show */
	const char *seen[] = {"/api/v1/events", "/api/v1/events?tag=zebrafish-care", "/api/v1/events?community=peers"};
	for (size_t i = 0; i < sizeof seen / sizeof seen[0]; i++) {
		r = aget(p->cy, "%s", seen[i]);
		assert_status(r, 200);
		assert_true(list_has_id(r, "items", s));
		response_free(r);
	}
	r = aget(p->cy, "/api/v1/notifications");
	assert_body_contains(r, "Zebrafish session");
	response_free(r);

	/* nobody else does */
	const char *lists[] = {"/events", "/api/v1/events", "/api/v1/events?when=past", "/api/v1/events?type=meetup",
			       "/api/v1/events?tag=zebrafish-care", "/", "/api/v1/search?q=zebrafish",
			       "/search?q=session", "/tags/zebrafish-care", "/api/v1/tags/zebrafish-care",
			       "/tags/zebrafish-care/feed", "/people/ana", "/api/v1/people/ana", "/people/ana/feed",
			       "/search/feed?q=zebrafish", "/c/plaza", "/api/v1/notifications", feed};
	struct actor *outsiders[] = {p->eve, visitor(p->srv)};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		for (size_t w = 0; w < 2; w++) {
			r = aget(outsiders[w], "%s", lists[i]);
			assert_true(r->status == 200 || r->status == 401 || r->status == 404);
			assert_body_lacks(r, "Zebrafish session");
			assert_body_lacks(r, "Peer circle");
			response_free(r);
		}
	}
	r = get_item(p->eve, s);
	assert_status(r, 404);
	response_free(r);
	r = aget(p->eve, "/api/v1/events?community=peers");
	assert_status(r, 404);
	response_free(r);
	r = item_post(p->eve, s, "rsvp", json_pack("{s:s}", "answer", "going"));
	assert_status(r, 404);
	response_free(r);
	r = item_post(p->eve, s, "attendance", json_pack("{s:[]}", "present"));
	assert_status(r, 404);
	response_free(r);

	/* the digests: cy's has it, eve's has not */
	r = apost(p->admin, "/api/v1/admin/mail/digests", NULL);
	assert_status(r, 202);
	response_free(r);
	jobs_settle(p->srv);
	assert_true(mails_mentioning("cy", "Zebrafish session") > 0);
	assert_int_equal(mails_mentioning("eve", "Zebrafish session"), 0);
	assert_int_equal(mails_mentioning("eve", "Peer circle"), 0);
}

/* After a session's start the circle's hosts record who attended, from a
 * checklist of the circle's members; its members see it. */
static void hosts_record_attendance(void **state)
{
	struct place *p = place_build(state);
	int64_t s = plan_session(p->ana, "peers", "Second session", test_clock_now() + 3600);
	struct response *r = item_post(p->ana, s, "attendance", json_pack("{s:[s]}", "present", "bo"));
	assert_error(r, 409, "not_started");
	response_free(r);
	r = get_item(p->bo, s);
	assert_status(r, 200);
	assert_false(json_is_true(json_path(r->json, "event.session.can_record")));
	assert_int_equal(jlen(r, "event.session.members"), 3);
	response_free(r);

	test_clock_advance(3700);
	/* only its hosts record it */
	r = item_post(p->bo, s, "attendance", json_pack("{s:[s]}", "present", "bo"));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = item_post(p->eve, s, "attendance", json_pack("{s:[s]}", "present", "bo"));
	assert_status(r, 404);
	response_free(r);
	r = item_post(visitor(p->srv), s, "attendance", json_pack("{s:[s]}", "present", "bo"));
	assert_status(r, 401);
	response_free(r);
	/* of the circle's members only */
	r = item_post(p->ana, s, "attendance", json_pack("{s:[s, s]}", "present", "bo", "eve"));
	assert_status(r, 422);
	assert_invalid_field(r, "present");
	response_free(r);
	r = item_post(p->ana, s, "attendance", json_pack("{s:[s, s]}", "present", "bo", "@cy"));
	assert_status(r, 200);
	assert_int_equal(jint(r, "present_count"), 2);
	response_free(r);

	r = get_item(p->cy, s);
	assert_status(r, 200);
	assert_true(json_is_true(json_path(r->json, "event.session.recorded")));
	assert_int_equal(jint(r, "event.session.present_count"), 2);
	for (size_t i = 0; i < jlen(r, "event.session.members"); i++) {
		const char *handle = jat_str(r, "event.session.members", i, "handle");
		assert_int_equal(json_is_true(jat(r, "event.session.members", i, "present")), strcmp(handle, "ana") != 0);
	}
	response_free(r);
	r = aget(p->cy, "/items/%lld", (long long)s);
	assert_body_contains(r, "Who attended");
	assert_body_contains(r, "/people/bo");
	assert_body_lacks(r, "name=\"present\"");
	response_free(r);

	/* the host's checklist, as a form */
	r = aget(p->ana, "/items/%lld", (long long)s);
	assert_body_contains(r, "name=\"present\" value=\"bo\" checked");
	assert_body_contains(r, "name=\"present\" value=\"ana\">");
	response_free(r);
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/attendance", (long long)s);
	r = fpost(p->ana, path, STRS("present", "ana", "present", "cy"));
	assert_status(r, 303);
	response_free(r);
	r = get_item(p->cy, s);
	assert_int_equal(jint(r, "event.session.present_count"), 2);
	response_free(r);

	/* an event outside a circle keeps no attendance */
	make_community(p->admin, "plaza", "Plaza", "public", "open");
	int64_t talk = plan_session(p->admin, "plaza", "A talk", test_clock_now() - 60);
	r = item_post(p->admin, talk, "attendance", json_pack("{s:[]}", "present"));
	assert_status(r, 404);
	response_free(r);
	r = get_item(p->admin, talk);
	assert_null(json_path(r->json, "event.session"));
	response_free(r);
}

/* ---- publishing the lessons ---------------------------------------------------- */

static struct response *publish(struct actor *a, int64_t item, json_t *body)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/items/%lld/publish-lessons", (long long)item);
	return apost(a, path, body);
}

/* The case-bringer publishes a closed case's lessons as a best practice in
 * a community they may post in: a draft first, anonymised, which they
 * edit; then the article, by them, that shows nothing of the circle. */
static void lessons_are_published_anonymised(void **state)
{
	struct place *p = place_build(state);
	make_community(p->admin, "plaza", "Plaza", "public", "open");
	make_community(p->admin, "vault", "Vault", "private", "invite");
	bring_in(p->admin, "plaza", p->bo);
	struct response *r = apost(p->cy, "/api/v1/settings", json_pack("{s:s}", "name", "Cy Svensson"));
	assert_status(r, 200);
	response_free(r);
	r = apost(p->ana, "/api/v1/settings", json_pack("{s:s}", "name", "Ana de Vries"));
	assert_status(r, 200);
	response_free(r);
	/* bo has a circle of his own, too */
	r = start_circle(p->bo, json_pack("{s:s, s:s}", "slug", "bos", "name", "Bo's circle"));
	assert_status(r, 201);
	response_free(r);
	int64_t c = bring_case(p->bo, "peers", "Cy and a team that stopped talking",
			       "Since spring my team avoids me. Cy Svensson saw it in the Peer circle too; ask @cy.");
	char path[128];
	snprintf(path, sizeof path, "/api/v1/items/%lld/publish-lessons", (long long)c);

	/* only once it is closed */
	r = aget(p->bo, "%s", path);
	assert_error(r, 409, "not_closed");
	response_free(r);
	assert_int_equal(next_round(p->ana, c, "analysis", NULL), 200);
	assert_int_equal(next_round(p->ana, c, "advice", NULL), 200);
	assert_int_equal(next_round(p->ana, c, "reflection", NULL), 200);
	assert_int_equal(next_round(p->ana, c, "closed",
				   "As Cy said: name the loss before planning ahead. Thanks @ana and de Vries!"),
			 200);

	/* only by the case-bringer */
	r = aget(p->cy, "%s", path);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = aget(p->eve, "%s", path);
	assert_status(r, 404);
	response_free(r);
	r = aget(visitor(p->srv), "%s", path);
	assert_status(r, 401);
	response_free(r);
	r = publish(p->cy, c, json_pack("{s:s}", "step", "draft"));
	assert_error(r, 403, "forbidden");
	response_free(r);

	/* the draft: prefilled from the case, without the circle's names */
	r = aget(p->bo, "%s", path);
	assert_status(r, 200);
	assert_jstr(r, "values.title", "[a member] and a team that stopped talking");
	assert_jstr(r, "values.summary", "What would you do?");
	assert_jstr(r, "values.situation",
		    "Since spring my team avoids me. [a member] saw it in the [the circle] too; ask [a member].");
	/* a part of a name that is an ordinary word ("de") stays */
	assert_jstr(r, "values.approach",
		    "As [a member] said: name the loss before planning ahead. Thanks [a member] and de [a member]!");
	assert_true(list_has_str(r, "communities", "slug", "plaza"));
	assert_false(list_has_str(r, "communities", "slug", "peers"));
	assert_false(list_has_str(r, "communities", "slug", "bos"));
	response_free(r);
	/* the page, with its preview */
	r = aget(p->bo, "/items/%lld/publish-lessons", (long long)c);
	assert_status(r, 200);
	assert_body_contains(r, "name=\"approach\"");
	assert_body_contains(r, "value=\"publish\"");
	assert_body_lacks(r, "Cy Svensson");
	response_free(r);
	/* an edited draft comes back with its preview */
	r = publish(p->bo, c, json_pack("{s:s, s:s}", "step", "draft", "approach", "Name the *loss* first."));
	assert_status(r, 200);
	assert_jstr(r, "values.approach", "Name the *loss* first.");
	assert_non_null(strstr(response_jstr(r, "preview.approach_html"), "<em>loss</em>"));
	response_free(r);

	/* a community they may post in, no circle; what they typed is kept */
	const char *places[] = {"peers", "bos", "vault", "nowhere", ""};
	for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
		r = publish(p->bo, c, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "step", "publish", "community",
						places[i], "title", "Naming the loss", "summary", "Before planning.",
						"situation", "A team avoided its manager.", "approach", "Name the loss."));
		assert_status(r, 422);
		assert_invalid_field(r, "community");
		response_free(r);
	}
	snprintf(path, sizeof path, "/items/%lld/publish-lessons", (long long)c);
	r = fpost(p->bo, path, STRS("step", "publish", "community", "peers", "title", "Naming the loss", "summary",
				    "Before planning.", "approach", "Name the loss."));
	assert_status(r, 422);
	assert_body_contains(r, "value=\"Naming the loss\"");
	assert_body_contains(r, "Name the loss.</textarea>");
	response_free(r);
	/* the text may not name the circle or its other members */
	const char *named[][2] = {{"situation", "It came up in the peer CIRCLE."},
				  {"approach", "Ask @cy how."},
				  {"summary", "What Cy Svensson did."}};
	for (size_t i = 0; i < 3; i++) {
		json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "step", "publish", "community", "plaza", "title",
					 "Naming the loss", "summary", "Before planning.", "approach", "Name the loss.");
		json_object_set_new(body, named[i][0], json_string(named[i][1]));
		r = publish(p->bo, c, body);
		assert_status(r, 422);
		assert_invalid_field(r, named[i][0]);
		response_free(r);
	}
	assert_string_equal(sql_rows(p->srv, "SELECT COUNT(*) FROM items WHERE kind = 'article'"), "0\n");

	r = publish(p->bo, c,
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}", "step", "publish", "community", "plaza",
			      "title", "Naming the loss before planning ahead", "summary",
			      "A team that stopped talking to its manager.", "situation",
			      "Since spring my team avoided me.", "approach", "Name the *loss* first.", "results",
			      "The team talks again.", "tags", "leadership"));
	assert_status(r, 201);
	int64_t a = jint(r, "id");
	assert_jstr(r, "kind", "article");
	assert_jstr(r, "community.slug", "plaza");
	response_free(r);

	/* the case records it, for the circle */
	r = get_item(p->cy, c);
	assert_true(json_is_true(json_path(r->json, "case.lessons_published")));
	assert_int_equal(jint(r, "case.article.id"), a);
	response_free(r);
	r = aget(p->bo, "/items/%lld", (long long)c);
	assert_body_contains(r, "The lessons were published as a best practice.");
	assert_body_lacks(r, "/publish-lessons");
	response_free(r);
	r = publish(p->bo, c, json_pack("{s:s}", "step", "draft"));
	assert_error(r, 409, "published");
	response_free(r);

	/* the article is bo's, and shows nothing of the circle or the case */
	char case_link[64];
	snprintf(case_link, sizeof case_link, "/items/%lld-", (long long)c);
	struct actor *readers[] = {p->eve, visitor(p->srv)};
	for (size_t w = 0; w < 2; w++) {
		r = get_item(readers[w], a);
		assert_status(r, 200);
		assert_jstr(r, "author.handle", "bo");
		assert_jstr(r, "community.slug", "plaza");
		assert_jstr(r, "article.approach", "Name the *loss* first.");
		assert_true(has_tag(json_path(r->json, "tags"), "leadership"));
		assert_int_equal(jlen(r, "related"), 0);
		response_free(r);
		r = aget(readers[w], "/items/%lld", (long long)a);
		assert_status(r, 200);
		assert_body_contains(r, "Naming the loss before planning ahead");
		const char *absent[] = {"Peer circle", "/c/peers", "Cy Svensson", "@cy", case_link};
		for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
			assert_body_lacks(r, absent[i]);
		response_free(r);
	}
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
		cmocka_unit_test_setup_teardown(sessions_stay_in_the_circle, smtp_setup, smtp_teardown),
		cmocka_unit_test_setup_teardown(hosts_record_attendance, clock_server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(lessons_are_published_anonymised, server_setup, server_teardown),
	};
	return cmocka_run_group_tests_name("circles", tests, NULL, NULL);
}
