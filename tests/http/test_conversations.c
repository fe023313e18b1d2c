/* test_conversations: questions, answers and accepting one; updates;
 * editing with revisions; soft deletion; tags; comments (plain text);
 * reactions; Markdown in bodies; keyset pagination of the question list;
 * hostile text in titles, bodies, tags and comments. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>


/* A public community "fika" hosted by hedda, with members asa and bo; an
 * admin founded it and a moderator is around (not a member). */
struct place {
	struct actor *admin, *host, *asa, *bo, *mod;
};

static void place_build(struct place *p, const struct server *s)
{
	p->admin = staff(s, "root", "--admin");
	unlimited_posting(p->admin);
	p->mod = staff(s, "mod", "--moderator");
	p->host = member(s, "hedda");
	p->asa = member(s, "asa");
	p->bo = member(s, "bo");
	make_community(p->admin, "fika", "Fika", "public", "open");
	bring_in(p->admin, "fika", p->host);
	bring_in(p->admin, "fika", p->asa);
	bring_in(p->admin, "fika", p->bo);
	set_role(p->admin, "fika", "hedda", "host");
	struct response *r = apost(p->admin, "/api/v1/c/fika/leave", NULL);
	assert_status(r, 200);
	response_free(r);
}

static const char *date_in_days(int days)
{
	static char buf[16];
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
	return buf;
}

static int64_t answer(struct actor *a, int64_t q, const char *body)
{
	struct response *r = item_post(a, q, "answers", json_pack("{s:s}", "body", body));
	assert_status(r, 201);
	assert_jstr(r, "kind", "answer");
	int64_t id = jint(r, "id");
	assert_true(id > 0);
	response_free(r);
	return id;
}

static const char *status_of(struct actor *a, int64_t q)
{
	struct response *r = aget(a, "/api/v1/items/%lld", (long long)q);
	assert_status(r, 200);
	const char *s = harness_strdup(response_jstr(r, "status") ? response_jstr(r, "status") : "(none)");
	response_free(r);
	return s;
}

static bool in_status_list(struct actor *a, const char *status, int64_t q)
{
	struct response *r = aget(a, "/api/v1/questions?status=%s", status);
	assert_status(r, 200);
	bool has = list_has_id(r, "items", q);
	response_free(r);
	return has;
}

/* ---- questions and answers --------------------------------------------------- */

static void ask_answer_accept(void **state)
{
	struct place p;
	place_build(&p, *state);
	const char *needed = date_in_days(7);
	struct response *r = apost(p.asa, "/api/v1/c/fika/items",
				   json_pack("{s:s, s:s, s:s, s:[s,s], s:s}", "kind", "question", "title",
					     "How do we run a fika with a topic?", "body", "We tried **once**.",
					     "tags", "fika", "Facilitation", "needed_by", needed));
	assert_status(r, 201);
	int64_t q = jint(r, "id");
	assert_true(q > 0);
	assert_jstr(r, "kind", "question");
	assert_jstr(r, "title", "How do we run a fika with a topic?");
	assert_jstr(r, "community.slug", "fika");
	assert_jstr(r, "author.handle", "asa");
	assert_non_null(strstr(response_jstr(r, "body_html"), "<strong>once</strong>"));
	assert_true(jint(r, "needed_by") > time(NULL));
	json_t *tags = json_path(r->json, "tags");
	assert_int_equal(json_array_size(tags), 2);
	assert_string_equal(json_string_value(json_array_get(tags, 0)), "facilitation");
	assert_string_equal(json_string_value(json_array_get(tags, 1)), "fika");
	response_free(r);
	assert_string_equal(status_of(p.bo, q), "unanswered");
	assert_true(in_status_list(p.bo, "unanswered", q));
	assert_false(in_status_list(p.bo, "answered", q));

	int64_t a1 = answer(p.bo, q, "Pick one question and **one** host.");
	int64_t a2 = answer(p.host, q, "Bring cinnamon buns.");
	assert_string_equal(status_of(p.bo, q), "answered");
	assert_false(in_status_list(p.bo, "unanswered", q));
	assert_true(in_status_list(p.bo, "answered", q));
	r = aget(p.bo, "/api/v1/items/%lld", (long long)q);
	assert_int_equal(jint(r, "answer_count"), 2);
	assert_int_equal(json_array_size(json_path(r->json, "answers")), 2);
	response_free(r);

	/* someone who neither asked nor hosts cannot accept */
	r = item_post(p.bo, q, "accept", json_pack("{s:I}", "answer", (json_int_t)a1));
	assert_error(r, 403, "forbidden");
	response_free(r);
	/* the asker accepts */
	r = item_post(p.asa, q, "accept", json_pack("{s:I}", "answer", (json_int_t)a1));
	assert_status(r, 200);
	assert_int_equal(jint(r, "accepted_answer"), a1);
	assert_jstr(r, "status", "accepted");
	response_free(r);
	assert_string_equal(status_of(p.bo, q), "accepted");
	assert_true(in_status_list(p.bo, "accepted", q));
	assert_false(in_status_list(p.bo, "answered", q));
	r = aget(p.bo, "/api/v1/items/%lld", (long long)q);
	json_t *first = json_array_get(json_path(r->json, "answers"), 0);
	assert_int_equal(json_integer_value(json_object_get(first, "id")), a1);
	assert_true(json_is_true(json_object_get(first, "accepted")));
	response_free(r);
	/* switching to another answer */
	r = item_post(p.asa, q, "accept", json_pack("{s:I}", "answer", (json_int_t)a2));
	assert_status(r, 200);
	assert_int_equal(jint(r, "accepted_answer"), a2);
	response_free(r);
	/* accepting the accepted answer again takes it back */
	r = item_post(p.asa, q, "accept", json_pack("{s:I}", "answer", (json_int_t)a2));
	assert_status(r, 200);
	assert_true(json_is_null(json_path(r->json, "accepted_answer")));
	assert_jstr(r, "status", "answered");
	response_free(r);
	assert_string_equal(status_of(p.bo, q), "answered");
	assert_false(in_status_list(p.bo, "accepted", q));
	/* the host may accept too (form post, as the page does) */
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/accept", (long long)q);
	char id_text[24];
	snprintf(id_text, sizeof id_text, "%lld", (long long)a1);
	r = fpost(p.host, path, STRS("answer", id_text));
	assert_status(r, 303);
	response_free(r);
	assert_string_equal(status_of(p.bo, q), "accepted");
	/* an answer of another question, or no answer, is refused */
	int64_t other = ask(p.bo, "fika", "Another question", "");
	int64_t foreign = answer(p.asa, other, "Elsewhere");
	r = item_post(p.asa, q, "accept", json_pack("{s:I}", "answer", (json_int_t)foreign));
	assert_error(r, 422, "invalid");
	response_free(r);
	r = item_post(p.asa, q, "accept", json_pack("{s:s}", "answer", "abc"));
	assert_status(r, 400);
	response_free(r);
	/* answers are not answered */
	r = item_post(p.asa, a1, "answers", json_pack("{s:s}", "body", "nested"));
	assert_status(r, 404);
	response_free(r);
	/* an empty answer keeps the form */
	r = item_post(p.bo, q, "answers", json_pack("{s:s}", "body", "   "));
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "body");
	response_free(r);
	/* the HTML page shows it all */
	r = aget(p.bo, "/items/%lld", (long long)q);
	assert_status(r, 200);
	assert_body_contains(r, "How do we run a fika with a topic?");
	assert_body_contains(r, "Bring cinnamon buns.");
	response_free(r);
}

static void question_field_errors(void **state)
{
	struct place p;
	place_build(&p, *state);
	struct {
		const char *title, *needed_by, *field;
	} cases[] = {
		{"", NULL, "title"},
		{"Valid title", "next week", "needed_by"},
		{"Valid title", "2024-13-01", "needed_by"},
		{"Valid title", "2001-01-01", "needed_by"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *body = json_pack("{s:s, s:s}", "kind", "question", "title", cases[i].title);
		if (cases[i].needed_by)
			json_object_set_new(body, "needed_by", json_string(cases[i].needed_by));
		struct response *r = apost(p.asa, "/api/v1/c/fika/items", body);
		assert_error(r, 422, "invalid");
		assert_jstr(r, "error.field", cases[i].field);
		response_free(r);
	}
	char title[300];
	memset(title, 't', 201);
	title[201] = '\0';
	struct response *r = apost(p.asa, "/api/v1/c/fika/items",
				   json_pack("{s:s, s:s}", "kind", "question", "title", title));
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "title");
	response_free(r);
	r = apost(p.asa, "/api/v1/c/fika/items", json_pack("{s:s, s:s}", "kind", "poem", "title", "Roses"));
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "kind");
	response_free(r);
	/* the composer form keeps what was typed */
	r = fpost(p.asa, "/c/fika/items", STRS("kind", "question", "title", "", "body", "Typed body 4711",
					       "tags", "alpha, beta", "needed_by", "soon"));
	assert_status(r, 422);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "Typed body 4711");
	assert_body_contains(r, "alpha, beta");
	response_free(r);
	r = aget(p.asa, "/api/v1/questions");
	assert_int_equal(json_array_size(json_path(r->json, "items")), 0);
	response_free(r);
}

/* ---- updates ------------------------------------------------------------------------ */

static void updates_in_community_and_on_profile(void **state)
{
	struct place p;
	place_build(&p, *state);
	struct response *r = apost(p.asa, "/api/v1/c/fika/items",
				   json_pack("{s:s, s:s}", "kind", "update", "body", "Working on the **agenda**."));
	assert_status(r, 201);
	assert_jstr(r, "kind", "update");
	assert_jstr(r, "community.slug", "fika");
	int64_t u1 = jint(r, "id");
	response_free(r);
	r = apost(p.asa, "/api/v1/items", json_pack("{s:s, s:s, s:[s]}", "kind", "update", "body",
						     "Out of office until Monday.", "tags", "status"));
	assert_status(r, 201);
	assert_jstr(r, "kind", "update");
	assert_true(json_is_null(json_path(r->json, "community")));
	int64_t u2 = jint(r, "id");
	response_free(r);
	/* a question cannot be put on a profile; an empty update is refused */
	r = apost(p.asa, "/api/v1/items", json_pack("{s:s, s:s}", "kind", "question", "body", "?"));
	assert_error(r, 422, "invalid");
	response_free(r);
	r = apost(p.asa, "/api/v1/items", json_pack("{s:s, s:s}", "kind", "update", "body", ""));
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "body");
	response_free(r);
	/* the community stream holds the update; the question list does not */
	r = aget(p.bo, "/api/v1/c/fika");
	assert_true(list_has_id(r, "stream.items", u1));
	response_free(r);
	r = aget(p.bo, "/api/v1/questions");
	assert_false(list_has_id(r, "items", u1));
	response_free(r);
	/* profile updates are for signed-in members */
	r = aget(p.bo, "/api/v1/items/%lld", (long long)u2);
	assert_status(r, 200);
	assert_jstr(r, "body", "Out of office until Monday.");
	response_free(r);
	r = aget(p.bo, "/api/v1/people/asa");
	assert_true(list_has_id(r, "items", u2));
	assert_true(list_has_id(r, "items", u1));
	response_free(r);
	struct actor *v = visitor(*state);
	r = aget(v, "/api/v1/items/%lld", (long long)u2);
	assert_status(r, 404);
	response_free(r);
	r = aget(v, "/api/v1/people/asa");
	assert_false(list_has_id(r, "items", u2));
	response_free(r);
	r = aget(v, "/api/v1/items/%lld", (long long)u1);
	assert_status(r, 200);
	response_free(r);
	/* an update of more than 5000 characters belongs in an article */
	char *big = malloc(5002);
	assert_non_null(big);
	memset(big, 'u', 5001);
	big[5001] = '\0';
	r = apost(p.asa, "/api/v1/items", json_pack("{s:s, s:s}", "kind", "update", "body", big));
	free(big);
	assert_error(r, 422, "invalid");
	response_free(r);
}

/* ---- editing ------------------------------------------------------------------------------- */

static void edit_keeps_revisions(void **state)
{
	struct place p;
	place_build(&p, *state);
	struct response *r = apost(p.asa, "/api/v1/c/fika/items",
				   json_pack("{s:s, s:s, s:s, s:[s]}", "kind", "question", "title", "First title",
					     "body", "Line one\nLine two\nLine three", "tags", "alpha"));
	assert_status(r, 201);
	int64_t q = jint(r, "id");
	response_free(r);
	r = item_post(p.asa, q, "edit", json_pack("{s:s, s:s, s:[s,s]}", "title", "Second title", "body",
						  "Line one\nLine 2\nLine three", "tags", "alpha", "beta"));
	assert_status(r, 200);
	assert_jstr(r, "title", "Second title");
	assert_true(jint(r, "edited_at") > 0);
	assert_int_equal(json_array_size(json_path(r->json, "tags")), 2);
	response_free(r);

	r = aget(p.bo, "/api/v1/items/%lld/revisions", (long long)q);
	assert_status(r, 200);
	json_t *items = json_path(r->json, "items");
	assert_int_equal(json_array_size(items), 2);
	json_t *newest = json_array_get(items, 0), *oldest = json_array_get(items, 1);
	assert_string_equal(json_string_value(json_object_get(newest, "title")), "Second title");
	assert_string_equal(json_string_value(json_object_get(oldest, "title")), "First title");
	json_t *changes = json_object_get(newest, "changes");
	assert_true(json_is_object(changes));
	assert_non_null(json_object_get(changes, "title"));
	assert_non_null(json_object_get(changes, "tags"));
	json_t *body = json_object_get(changes, "body");
	assert_non_null(body);
	assert_string_equal(json_string_value(json_object_get(body, "removed")), "Line two\n");
	assert_string_equal(json_string_value(json_object_get(body, "added")), "Line 2\n");
	assert_string_equal(json_string_value(json_path(newest, "editor.handle")), "asa");
	response_free(r);
	r = aget(p.bo, "/items/%lld/revisions", (long long)q);
	assert_status(r, 200);
	assert_body_contains(r, "First title");
	response_free(r);

	/* nobody else edits but its moderators, who must say why
	 * (test_moderator_edits) */
	r = item_post(p.bo, q, "edit", json_pack("{s:s, s:s}", "title", "Hijacked", "body", "x"));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = aget(p.bo, "/items/%lld/edit", (long long)q);
	assert_status(r, 403);
	response_free(r);
	r = aget(p.bo, "/api/v1/items/%lld", (long long)q);
	assert_jstr(r, "title", "Second title");
	response_free(r);
	r = aget(p.bo, "/api/v1/items/%lld/revisions", (long long)q);
	assert_int_equal(json_array_size(json_path(r->json, "items")), 2);
	response_free(r);
	/* an invalid edit changes nothing */
	r = item_post(p.asa, q, "edit", json_pack("{s:s, s:s}", "title", "", "body", "x"));
	assert_error(r, 422, "invalid");
	response_free(r);
	/* the HTML edit form shows the current text */
	r = aget(p.asa, "/items/%lld/edit", (long long)q);
	assert_status(r, 200);
	assert_body_contains(r, "Second title");
	response_free(r);
}

/* Editing through the edit page (which has no "needed by" field) must not
 * lose the question's "needed by" date. */
static void edit_keeps_needed_by(void **state)
{
	struct place p;
	place_build(&p, *state);
	struct response *r = apost(p.asa, "/api/v1/c/fika/items",
				   json_pack("{s:s, s:s, s:s, s:s}", "kind", "question", "title", "Urgent one",
					     "body", "Help", "needed_by", date_in_days(3)));
	assert_status(r, 201);
	int64_t q = jint(r, "id");
	int64_t needed = jint(r, "needed_by");
	assert_true(needed > 0);
	response_free(r);
	/* the edit page, sent back as a browser would: every field it shows */
	r = aget(p.asa, "/items/%lld/edit", (long long)q);
	assert_status(r, 200);
	response_free(r);
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/edit", (long long)q);
	r = fpost(p.asa, path, STRS("title", "Urgent one", "body", "Help, please", "tags", "", "language", "en"));
	assert_status(r, 303);
	response_free(r);
	r = aget(p.asa, "/api/v1/items/%lld", (long long)q);
	assert_jstr(r, "body", "Help, please");
	if (jint(r, "needed_by") != needed)
		harness_fail_response(r, __FILE__, __LINE__, "needed_by was %lld before the edit, now %lld",
				      (long long)needed, (long long)jint(r, "needed_by"));
	response_free(r);
}

/* DESIGN/issue: in an archived community nothing new can be posted (409
 * archived) — answers and comments are posts too, and the member asking is
 * a member, so "not_member" would be the wrong reason. */
static void archived_community_refuses_answers_and_comments(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t q = ask(p.asa, "fika", "Before the archive", "");
	struct response *r = apost(p.host, "/api/v1/c/fika/archive", NULL);
	assert_status(r, 200);
	response_free(r);
	r = item_post(p.bo, q, "answers", json_pack("{s:s}", "body", "Too late"));
	assert_error(r, 409, "archived");
	response_free(r);
	r = item_post(p.bo, q, "comments", json_pack("{s:s}", "body", "Too late"));
	assert_error(r, 409, "archived");
	response_free(r);
	r = aget(p.bo, "/api/v1/items/%lld", (long long)q);
	assert_int_equal(jint(r, "answer_count"), 0);
	assert_int_equal(json_array_size(json_path(r->json, "comments")), 0);
	response_free(r);
}

/* ---- deleting ------------------------------------------------------------------------------ */

static void assert_gone(struct place *p, int64_t id, const char *title)
{
	struct actor *who[] = {p->asa, p->bo, p->host, p->mod};
	for (size_t i = 0; i < 4; i++) {
		struct response *r = aget(who[i], "/api/v1/items/%lld", (long long)id);
		assert_error(r, 404, "not_found");
		response_free(r);
		r = aget(who[i], "/items/%lld", (long long)id);
		assert_status(r, 404);
		response_free(r);
		r = aget(who[i], "/api/v1/items/%lld/revisions", (long long)id);
		assert_status(r, 404);
		response_free(r);
		r = aget(who[i], "/api/v1/questions");
		assert_false(list_has_id(r, "items", id));
		response_free(r);
		r = aget(who[i], "/questions");
		assert_body_lacks(r, title);
		response_free(r);
		r = aget(who[i], "/api/v1/c/fika");
		assert_false(list_has_id(r, "stream.items", id));
		response_free(r);
		r = aget(who[i], "/api/v1/people/asa");
		assert_false(list_has_id(r, "items", id));
		response_free(r);
	}
	struct response *r = item_post(p->bo, id, "comments", json_pack("{s:s}", "body", "hello?"));
	assert_status(r, 404);
	response_free(r);
	r = item_post(p->bo, id, "react", json_pack("{s:s}", "kind", "like"));
	assert_status(r, 404);
	response_free(r);
	r = item_post(p->bo, id, "answers", json_pack("{s:s}", "body", "late"));
	assert_status(r, 404);
	response_free(r);
	r = item_post(p->asa, id, "edit", json_pack("{s:s, s:s}", "title", "back", "body", "again"));
	assert_status(r, 404);
	response_free(r);
	r = item_post(p->asa, id, "delete", NULL);
	assert_status(r, 404);
	response_free(r);
}

static void soft_delete(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t by_author = ask(p.asa, "fika", "Deleted by its author", "");
	int64_t by_host = ask(p.asa, "fika", "Deleted by the host", "");
	int64_t by_mod = ask(p.asa, "fika", "Deleted by the moderator", "");
	int64_t kept = ask(p.asa, "fika", "Kept question", "");

	/* another member cannot */
	struct response *r = item_post(p.bo, kept, "delete", NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);

	r = item_post(p.asa, by_author, "delete", NULL);
	assert_status(r, 200);
	response_free(r);
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/delete", (long long)by_host);
	r = fpost(p.host, path, NULL);
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/c/fika");
	response_free(r);
	r = item_post(p.mod, by_mod, "delete", NULL);
	assert_status(r, 200);
	response_free(r);
	assert_gone(&p, by_author, "Deleted by its author");
	assert_gone(&p, by_host, "Deleted by the host");
	assert_gone(&p, by_mod, "Deleted by the moderator");
	r = aget(p.bo, "/api/v1/items/%lld", (long long)kept);
	assert_status(r, 200);
	response_free(r);

	/* deleting an answer takes it out of the count and the acceptance */
	int64_t a = answer(p.bo, kept, "An answer to delete");
	r = item_post(p.asa, kept, "accept", json_pack("{s:I}", "answer", (json_int_t)a));
	assert_status(r, 200);
	response_free(r);
	r = item_post(p.bo, a, "delete", NULL);
	assert_status(r, 200);
	response_free(r);
	r = aget(p.bo, "/api/v1/items/%lld", (long long)kept);
	assert_int_equal(jint(r, "answer_count"), 0);
	assert_jstr(r, "status", "unanswered");
	assert_int_equal(json_array_size(json_path(r->json, "answers")), 0);
	response_free(r);
	r = aget(p.bo, "/api/v1/items/%lld", (long long)a);
	assert_status(r, 404);
	response_free(r);
}

/* ---- tags ------------------------------------------------------------------------------------- */

static void tags_are_normalised(void **state)
{
	struct place p;
	place_build(&p, *state);
	struct response *r = apost(p.asa, "/api/v1/c/fika/items",
				   json_pack("{s:s, s:s, s:[s,s,s]}", "kind", "question", "title", "Tagged",
					     "tags", "Fika With A Topic", "Möten", "fika-with-a-topic"));
	assert_status(r, 201);
	json_t *tags = json_path(r->json, "tags");
	assert_int_equal(json_array_size(tags), 2);
	assert_string_equal(json_string_value(json_array_get(tags, 0)), "fika-with-a-topic");
	assert_string_equal(json_string_value(json_array_get(tags, 1)), "möten");
	int64_t q = jint(r, "id");
	response_free(r);
	/* comma-separated works too, in a form */
	r = fpost(p.asa, "/c/fika/items", STRS("kind", "question", "title", "Form tags", "tags",
					       " Planning ,  ÅTERKOPPLING_Nu , "));
	assert_status(r, 303);
	response_free(r);
	r = aget(p.asa, "/api/v1/questions?tag=%s", "planning");
	assert_int_equal(json_array_size(json_path(r->json, "items")), 1);
	json_t *t = json_path(json_array_get(json_path(r->json, "items"), 0), "tags");
	assert_int_equal(json_array_size(t), 2);
	response_free(r);
	r = aget(p.asa, "/api/v1/questions?tag=%s", "%C3%A5terkoppling-nu");
	assert_int_equal(json_array_size(json_path(r->json, "items")), 1);
	response_free(r);
	/* the filter normalises too */
	r = aget(p.asa, "/api/v1/questions?tag=%s", "Fika%20With%20A%20Topic");
	assert_status(r, 200);
	assert_true(list_has_id(r, "items", q));
	response_free(r);
	r = aget(p.asa, "/api/v1/questions?tag=%s", "M%C3%96TEN");
	assert_true(list_has_id(r, "items", q));
	response_free(r);
	/* six tags are too many */
	r = apost(p.asa, "/api/v1/c/fika/items",
		  json_pack("{s:s, s:s, s:[s,s,s,s,s,s]}", "kind", "question", "title", "Too many",
			    "tags", "a1", "b2", "c3", "d4", "e5", "f6"));
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "tags");
	response_free(r);
	/* so are tags of 33 characters, or of punctuation only */
	r = apost(p.asa, "/api/v1/c/fika/items",
		  json_pack("{s:s, s:s, s:[s]}", "kind", "question", "title", "Long", "tags",
			    "abcdefghijabcdefghijabcdefghijabc"));
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "tags");
	response_free(r);
	r = apost(p.asa, "/api/v1/c/fika/items",
		  json_pack("{s:s, s:s, s:[s]}", "kind", "question", "title", "Punct", "tags", "!!!"));
	assert_error(r, 422, "invalid");
	response_free(r);
	/* tags that are not strings are a bad request */
	r = apost(p.asa, "/api/v1/c/fika/items",
		  json_pack("{s:s, s:s, s:[i]}", "kind", "question", "title", "Typed", "tags", 5));
	assert_status(r, 400);
	response_free(r);
	/* five are fine (a duplicate does not count) */
	r = apost(p.asa, "/api/v1/c/fika/items",
		  json_pack("{s:s, s:s, s:[s,s,s,s,s,s]}", "kind", "question", "title", "Five",
			    "tags", "a1", "b2", "c3", "d4", "e5", "A1"));
	assert_status(r, 201);
	assert_int_equal(json_array_size(json_path(r->json, "tags")), 5);
	response_free(r);
	r = aget(p.asa, "/api/v1/questions?tag=%s", "%21%21");
	assert_status(r, 400);
	response_free(r);
}

/* ---- comments ---------------------------------------------------------------------------------- */

static void comments_are_plain_text(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t q = ask(p.asa, "fika", "A question to comment on", "");
	struct response *r = item_post(p.bo, q, "comments",
				       json_pack("{s:s}", "body",
						 "<b>x</b> and *not markdown*\nsee https://example.org/a?b=1&c=2 now\n\n"
						 "second paragraph"));
	assert_status(r, 201);
	int64_t c = jint(r, "id");
	const char *html = response_jstr(r, "body_html");
	assert_non_null(html);
	assert_non_null(strstr(html, "&lt;b&gt;x&lt;/b&gt;"));
	assert_null(strstr(html, "<b>"));
	assert_non_null(strstr(html, "*not markdown*"));
	assert_null(strstr(html, "<em>"));
	assert_non_null(strstr(html, "<a href=\"https://example.org/a?b=1&amp;c=2\""));
	const char *a = strstr(html, "<a ");
	assert_non_null(a);
	const char *end = strchr(a, '>');
	assert_non_null(end);
	char *tag = harness_strndup(a, (size_t)(end - a));
	assert_non_null(strstr(tag, "rel=\""));
	assert_non_null(strstr(strstr(tag, "rel=\""), "nofollow"));
	assert_non_null(strstr(html, "<br>"));
	const char *p1 = strstr(html, "<p>");
	assert_non_null(p1);
	const char *p2 = strstr(p1 + 3, "<p>");
	assert_non_null(p2);
	assert_non_null(strstr(p2, "second paragraph"));
	assert_true(strstr(p1, "second paragraph") > p2);
	assert_non_null(strstr(html, "</p>"));
	response_free(r);
	/* the item's page shows it, escaped */
	r = aget(p.asa, "/items/%lld", (long long)q);
	assert_status(r, 200);
	assert_body_contains(r, "&lt;b&gt;x&lt;/b&gt;");
	assert_body_lacks(r, "<b>x</b>");
	response_free(r);
	r = aget(p.asa, "/api/v1/items/%lld", (long long)q);
	json_t *comments = json_path(r->json, "comments");
	assert_int_equal(json_array_size(comments), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(comments, 0), "id")), c);
	response_free(r);
	/* empty and over-long comments are refused */
	r = item_post(p.bo, q, "comments", json_pack("{s:s}", "body", " \n "));
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "body");
	response_free(r);
	char *big = malloc(2002);
	assert_non_null(big);
	memset(big, 'c', 2001);
	big[2001] = '\0';
	r = item_post(p.bo, q, "comments", json_pack("{s:s}", "body", big));
	free(big);
	assert_error(r, 422, "invalid");
	response_free(r);
	/* www addresses and mail addresses become links too (DESIGN §6) */
	r = item_post(p.bo, q, "comments", json_pack("{s:s}", "body", "mail anna@example.org or www.example.com"));
	assert_status(r, 201);
	html = response_jstr(r, "body_html");
	assert_non_null(strstr(html, "href=\"mailto:anna@example.org\""));
	assert_non_null(strstr(html, "href=\"http"));
	response_free(r);
	/* javascript: is no address */
	r = item_post(p.bo, q, "comments", json_pack("{s:s}", "body", "javascript:alert(1) and <script>alert(1)</script>"));
	assert_status(r, 201);
	html = response_jstr(r, "body_html");
	assert_null(strstr(html, "href=\"javascript:"));
	assert_null(strstr(html, "<script"));
	response_free(r);
}

static void comments_edit_and_delete(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t q = ask(p.asa, "fika", "Comment lifecycle", "");
	struct response *r = item_post(p.bo, q, "comments", json_pack("{s:s}", "body", "Frist comment"));
	assert_status(r, 201);
	int64_t c = jint(r, "id");
	response_free(r);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/comments/%lld/edit", (long long)c);
	r = apost(p.bo, path, json_pack("{s:s}", "body", "First comment"));
	assert_status(r, 200);
	assert_jstr(r, "body", "First comment");
	assert_true(jint(r, "edited_at") > 0);
	response_free(r);
	/* others cannot edit */
	r = apost(p.asa, path, json_pack("{s:s}", "body", "Mine now"));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = apost(p.host, path, json_pack("{s:s}", "body", "Host edit"));
	assert_error(r, 422, "invalid");
	response_free(r);
	r = apost(p.bo, path, json_pack("{s:s}", "body", ""));
	assert_error(r, 422, "invalid");
	response_free(r);
	r = aget(p.asa, "/api/v1/items/%lld", (long long)q);
	json_t *first = json_array_get(json_path(r->json, "comments"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "body")), "First comment");
	assert_non_null(json_object_get(first, "edited_at"));
	response_free(r);

	/* delete: not by another member; by the author */
	snprintf(path, sizeof path, "/api/v1/comments/%lld/delete", (long long)c);
	r = apost(p.asa, path, NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = apost(p.bo, path, NULL);
	assert_status(r, 200);
	response_free(r);
	r = apost(p.bo, path, NULL);
	assert_status(r, 404);
	response_free(r);
	snprintf(path, sizeof path, "/api/v1/comments/%lld/edit", (long long)c);
	r = apost(p.bo, path, json_pack("{s:s}", "body", "resurrect"));
	assert_status(r, 404);
	response_free(r);
	r = aget(p.asa, "/api/v1/items/%lld", (long long)q);
	assert_int_equal(json_array_size(json_path(r->json, "comments")), 0);
	response_free(r);
	r = aget(p.asa, "/api/v1/questions");
	json_t *it = json_array_get(json_path(r->json, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(it, "comment_count")), 0);
	response_free(r);
	/* a host and a moderator delete other people's comments */
	r = item_post(p.bo, q, "comments", json_pack("{s:s}", "body", "Off topic"));
	int64_t c2 = jint(r, "id");
	response_free(r);
	r = item_post(p.bo, q, "comments", json_pack("{s:s}", "body", "Also off topic"));
	int64_t c3 = jint(r, "id");
	response_free(r);
	snprintf(path, sizeof path, "/api/v1/comments/%lld/delete", (long long)c2);
	r = apost(p.host, path, NULL);
	assert_status(r, 200);
	response_free(r);
	snprintf(path, sizeof path, "/api/v1/comments/%lld/delete", (long long)c3);
	r = apost(p.mod, path, NULL);
	assert_status(r, 200);
	response_free(r);
	r = aget(p.asa, "/api/v1/items/%lld", (long long)q);
	assert_int_equal(json_array_size(json_path(r->json, "comments")), 0);
	response_free(r);
	/* comments on answers */
	int64_t a = answer(p.host, q, "An answer");
	r = item_post(p.asa, a, "comments", json_pack("{s:s}", "body", "Thanks!"));
	assert_status(r, 201);
	response_free(r);
	r = aget(p.asa, "/api/v1/items/%lld", (long long)q);
	json_t *ans = json_array_get(json_path(r->json, "answers"), 0);
	assert_int_equal(json_array_size(json_object_get(ans, "comments")), 1);
	response_free(r);
	r = aget(p.asa, "/api/v1/comments/999999/edit");
	assert_true(r->status == 404 || r->status == 405);
	response_free(r);
}

/* ---- reactions ----------------------------------------------------------------------------------- */

static void reactions_toggle(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t q = ask(p.asa, "fika", "React to me", "");
	struct response *r = item_post(p.bo, q, "react", json_pack("{s:s}", "kind", "like"));
	assert_status(r, 200);
	assert_int_equal(jint(r, "like"), 1);
	assert_int_equal(jint(r, "thanks"), 0);
	assert_int_equal(json_array_size(json_path(r->json, "mine")), 1);
	response_free(r);
	r = item_post(p.host, q, "react", json_pack("{s:s}", "kind", "like"));
	assert_int_equal(jint(r, "like"), 2);
	response_free(r);
	r = item_post(p.bo, q, "react", json_pack("{s:s}", "kind", "insightful"));
	assert_int_equal(jint(r, "insightful"), 1);
	assert_int_equal(jint(r, "like"), 2);
	assert_int_equal(json_array_size(json_path(r->json, "mine")), 2);
	response_free(r);
	/* again: removed */
	r = item_post(p.bo, q, "react", json_pack("{s:s}", "kind", "like"));
	assert_status(r, 200);
	assert_int_equal(jint(r, "like"), 1);
	response_free(r);
	r = item_post(p.asa, q, "react", json_pack("{s:s}", "kind", "thanks"));
	assert_int_equal(jint(r, "thanks"), 1);
	response_free(r);
	r = item_post(p.asa, q, "react", json_pack("{s:s}", "kind", "love"));
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "kind");
	response_free(r);
	r = item_post(p.asa, q, "react", NULL);
	assert_error(r, 422, "invalid");
	response_free(r);
	r = aget(p.asa, "/api/v1/items/%lld", (long long)q);
	assert_int_equal(jint(r, "reactions.like"), 1);
	assert_int_equal(jint(r, "reactions.thanks"), 1);
	assert_int_equal(jint(r, "reactions.insightful"), 1);
	response_free(r);
	r = aget(p.asa, "/api/v1/questions?sort=reactions");
	assert_status(r, 200);
	json_t *it = json_array_get(json_path(r->json, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(it, "reaction_count")), 3);
	response_free(r);
	/* the form works without JavaScript */
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/react", (long long)q);
	r = fpost(p.bo, path, STRS("kind", "thanks"));
	assert_status(r, 303);
	response_free(r);
	r = aget(p.asa, "/api/v1/items/%lld", (long long)q);
	assert_int_equal(jint(r, "reactions.thanks"), 2);
	response_free(r);
}

/* ---- Markdown ------------------------------------------------------------------------------------ */

static void markdown_bodies(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t q = ask(p.asa, "fika", "Markdown question",
			"Raw <script>alert(1)</script> and <b>bold</b>\n\n"
			"[bad](javascript:alert(1)) [good](https://example.org/x) [rel](/c/fika)\n\n"
			"Ask @bo or @nobody-at-all, not me@example.org\n\n"
			"<img src=x onerror=alert(1)>");
	struct response *r = aget(p.bo, "/api/v1/items/%lld", (long long)q);
	assert_status(r, 200);
	const char *html = response_jstr(r, "body_html");
	assert_non_null(html);
	assert_null(strstr(html, "<script"));
	assert_non_null(strstr(html, "&lt;script&gt;"));
	assert_null(strstr(html, "<b>"));
	assert_null(strstr(html, "<img"));
	assert_null(strcasestr_portable(html, "javascript:alert(1)\""));
	assert_null(strcasestr_portable(html, "href=\"javascript"));
	assert_non_null(strstr(html, "<a href=\"https://example.org/x\" rel=\"nofollow ugc noopener\">good</a>"));
	assert_non_null(strstr(html, "href=\"/c/fika\""));
	assert_non_null(strstr(html, "href=\"/people/bo\""));
	assert_null(strstr(html, "href=\"/people/example.org"));
	response_free(r);
	r = aget(p.bo, "/items/%lld", (long long)q);
	assert_status(r, 200);
	assert_body_lacks(r, "<script>alert(1)");
	assert_body_lacks(r, "href=\"javascript:");
	assert_body_lacks(r, "<img src=x");
	assert_body_contains(r, "href=\"/people/bo\"");
	response_free(r);
	/* answers are Markdown too */
	answer(p.bo, q, "[x](javascript:alert(1)) <script>alert(1)</script> @asa");
	r = aget(p.bo, "/items/%lld", (long long)q);
	assert_body_lacks(r, "<script>alert(1)");
	assert_body_lacks(r, "href=\"javascript:");
	assert_body_contains(r, "href=\"/people/asa\"");
	response_free(r);
}

/* ---- the question list: pagination and filters ------------------------------------------------ */

static void question_list_pagination(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t ids[25];
	for (int i = 0; i < 25; i++) {
		char title[64];
		snprintf(title, sizeof title, "Paged question %02d", i);
		ids[i] = ask(i % 2 ? p.asa : p.bo, "fika", title, "");
	}
	int64_t seen[64];
	int nseen = 0, pages = 0;
	char *cursor = NULL;
	for (;;) {
		struct response *r = cursor ? aget(p.host, "/api/v1/questions?cursor=%s", cursor)
					    : aget(p.host, "/api/v1/questions");
		assert_status(r, 200);
		pages++;
		json_t *items = json_path(r->json, "items"), *it;
		size_t i;
		json_array_foreach(items, i, it) {
			assert_true(nseen < 64);
			seen[nseen++] = json_integer_value(json_object_get(it, "id"));
		}
		json_t *next = json_path(r->json, "next");
		if (pages == 1) {
			assert_int_equal(json_array_size(items), 20);
			assert_true(json_is_string(next));
			/* a question asked between two page fetches does not shift the next page */
			ask(p.asa, "fika", "Asked while paging", "");
		}
		if (json_is_null(next)) {
			response_free(r);
			break;
		}
		assert_true(json_is_string(next));
		char *esc = curl_easy_escape(NULL, json_string_value(next), 0);
		cursor = harness_strdup(esc);
		curl_free(esc);
		response_free(r);
		assert_true(pages < 10);
	}
	assert_int_equal(pages, 2);
	assert_int_equal(nseen, 25);
	/* newest first, every one exactly once */
	for (int i = 0; i < 25; i++)
		assert_int_equal(seen[i], ids[24 - i]);
	/* the HTML list links to the next page with its cursor */
	struct response *r = aget(p.host, "/questions");
	assert_status(r, 200);
	assert_body_contains(r, "cursor=");
	response_free(r);
	/* filters are kept in the next page's query */
	r = aget(p.host, "/api/v1/questions?status=unanswered");
	assert_status(r, 200);
	const char *nq = response_jstr(r, "next_query");
	assert_non_null(nq);
	assert_non_null(strstr(nq, "status=unanswered"));
	response_free(r);
}

static void question_list_bad_parameters(void **state)
{
	struct place p;
	place_build(&p, *state);
	ask(p.asa, "fika", "Something to list", "");
	const char *bad_cursors[] = {"garbage", "n:abc:1", "n:1", "x:1:1", "n:1:0", "n:1:1:1", "a:1:1", "%FF"};
	for (size_t i = 0; i < sizeof bad_cursors / sizeof bad_cursors[0]; i++) {
		struct response *r = aget(p.asa, "/api/v1/questions?cursor=%s", bad_cursors[i]);
		if (strcmp(bad_cursors[i], "%FF") == 0)
			assert_status(r, 400);
		else
			assert_error(r, 400, "bad_cursor");
		response_free(r);
	}
	/* a cursor of one order is no cursor of another */
	struct response *r = aget(p.asa, "/api/v1/questions?sort=active&cursor=n:99999999999:5");
	assert_error(r, 400, "bad_cursor");
	response_free(r);
	r = aget(p.asa, "/questions?cursor=garbage");
	assert_status(r, 400);
	assert_header_contains(r, "Content-Type", "text/html");
	response_free(r);
	r = aget(p.asa, "/api/v1/questions?status=open");
	assert_status(r, 400);
	response_free(r);
	r = aget(p.asa, "/api/v1/questions?sort=oldest");
	assert_status(r, 400);
	response_free(r);
	/* an undeclared parameter is ignored, and named */
	r = aget(p.asa, "/api/v1/questions?limit=5");
	assert_status(r, 200);
	assert_header_equal(r, "X-Kring-Ignored-Parameters", "limit");
	response_free(r);
	r = aget(p.asa, "/api/v1/questions?community=nowhere");
	assert_status(r, 404);
	response_free(r);
	r = aget(p.asa, "/api/v1/questions?sort=active");
	assert_status(r, 200);
	assert_int_equal(json_array_size(json_path(r->json, "items")), 1);
	response_free(r);
}

/* ---- hostile text ---------------------------------------------------------------------------------- */

static void assert_page_safe(struct actor *a, const char *path)
{
	struct response *r = aget(a, "%s", path);
	const char *bad[] = {"<script>alert(1)", "<svg onload", "href=\"javascript:", "<img src=x"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (r->body && strcasestr_portable(r->body, bad[i]))
			harness_fail_response(r, __FILE__, __LINE__, "page holds \"%s\"", bad[i]);
	response_free(r);
}

static void hostile_items_tags_comments(void **state)
{
	struct place p;
	place_build(&p, *state);
	const char *payloads[] = {"<script>alert(1)</script>", "\"><svg onload=alert(1)>",
				  "[x](javascript:alert(1))", "<a href=\"javascript:alert(1)\">x</a>",
				  "<img src=x onerror=alert(1)>"};
	int64_t ids[8];
	int n = 0;
	for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
		struct response *r = apost(p.asa, "/api/v1/c/fika/items",
					   json_pack("{s:s, s:s, s:s, s:[s]}", "kind", "question", "title", payloads[i],
						     "body", payloads[i], "tags", payloads[i]));
		if (r->status == 201) {
			ids[n++] = jint(r, "id");
		} else if (r->status != 400 && r->status != 422) {
			harness_fail_response(r, __FILE__, __LINE__, "expected 201, 400 or 422");
		}
		response_free(r);
		/* without the hostile tag */
		r = apost(p.asa, "/api/v1/c/fika/items",
			  json_pack("{s:s, s:s, s:s}", "kind", "question", "title", payloads[i], "body", payloads[i]));
		if (r->status == 201)
			ids[n++] = jint(r, "id");
		else if (r->status != 400 && r->status != 422)
			harness_fail_response(r, __FILE__, __LINE__, "expected 201, 400 or 422");
		response_free(r);
		if (n > 6)
			n = 6;
	}
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		struct response *r = item_post(p.bo, ids[i], "comments",
					       json_pack("{s:s}", "body", payloads[i % 5]));
		assert_status(r, 201);
		response_free(r);
		r = item_post(p.bo, ids[i], "answers", json_pack("{s:s}", "body", payloads[i % 5]));
		assert_status(r, 201);
		response_free(r);
		char path[64];
		snprintf(path, sizeof path, "/items/%lld", (long long)ids[i]);
		assert_page_safe(p.bo, path);
		snprintf(path, sizeof path, "/items/%lld/revisions", (long long)ids[i]);
		assert_page_safe(p.bo, path);
		snprintf(path, sizeof path, "/items/%lld/edit", (long long)ids[i]);
		assert_page_safe(p.asa, path);
	}
	const char *lists[] = {"/questions", "/c/fika", "/people/asa", "/", "/questions?tag=script",
			       "/questions?tag=%3Cscript%3Ealert(1)%3C%2Fscript%3E"};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		assert_page_safe(p.bo, lists[i]);
	/* hostile input in forms that come back with errors */
	struct response *r = fpost(p.asa, "/c/fika/items", STRS("kind", "question", "title", "",
							       "body", "<script>alert(1)</script>",
							       "tags", "\"><svg onload=alert(1)>"));
	assert_true(r->status == 422 || r->status == 400);
	assert_body_lacks(r, "<script>alert(1)");
	assert_body_lacks(r, "<svg onload");
	response_free(r);
	/* broken UTF-8 is refused in titles, bodies, tags and comments */
	const char *fields[] = {"title", "body", "tags"};
	for (int f = 0; f < 3; f++) {
		const char *form[] = {"kind", "question", "title", "Fine title", "body", "Fine", "tags", "fine",
				      "csrf", p.asa->csrf, NULL};
		for (int k = 0; form[k]; k += 2)
			if (strcmp(form[k], fields[f]) == 0)
				form[k + 1] = "bad \xff byte";
		r = http_post_form(p.asa->c, "/api/v1/c/fika/items", form, NULL);
		assert_error(r, 400, "bad_encoding");
		response_free(r);
	}
	int64_t q = ids[0];
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/comments", (long long)q);
	r = fpost(p.bo, path, STRS("body", "broken \xff comment"));
	assert_status(r, 400);
	assert_body_lacks(r, "\xff");
	response_free(r);
	snprintf(path, sizeof path, "/api/v1/items/%lld/comments", (long long)q);
	const char raw[] = "{\"body\":\"broken \xff comment\"}";
	r = http_request(p.bo->c, "POST", path, STRS(p.bo->csrf_header), raw, sizeof raw - 1, "application/json");
	assert_status(r, 400);
	response_free(r);
	r = aget(p.bo, "/api/v1/questions?tag=%%FF");
	assert_status(r, 400);
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(ask_answer_accept),
		T(question_field_errors),
		T(updates_in_community_and_on_profile),
		T(edit_keeps_revisions),
		T(edit_keeps_needed_by),
		T(archived_community_refuses_answers_and_comments),
		T(soft_delete),
		T(tags_are_normalised),
		T(comments_are_plain_text),
		T(comments_edit_and_delete),
		T(reactions_toggle),
		T(markdown_bodies),
		T(question_list_pagination),
		T(question_list_bad_parameters),
		T(hostile_items_tags_comments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
