/* test_premoderation: a newcomer's first posts, and posts with links, wait
 * for a host's or a moderator's approval; until then only the author and
 * the moderators see them, and nothing follows from them — no list, search,
 * feed, count or notification — until they are approved
 * (features/premoderation.h). */
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* root (admin) hosts plaza (public); ana hosts garden (public) and is a
 * member of plaza; bo is a newcomer in both; eve follows plaza; mo is a
 * site moderator. */
struct world {
	const struct server *s;
	struct actor *root, *ana, *bo, *eve, *mo, *visitor;
};

static void world_build(struct world *w, const struct server *s)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	sign_up_cast(s, &w->root, &w->ana, &w->bo, &w->eve);
	w->mo = staff(s, "mo", "--moderator");
	w->visitor = visitor(s);
	make_community(w->root, "plaza", "Plaza", "public", "open");
	make_community(w->root, "garden", "Garden", "public", "open");
	bring_in(w->root, "plaza", w->ana);
	bring_in(w->root, "plaza", w->bo);
	bring_in(w->root, "plaza", w->eve);
	bring_in(w->root, "garden", w->ana);
	bring_in(w->root, "garden", w->bo);
	set_role(w->root, "garden", "ana", "host");
	set_role(w->root, "garden", "root", "member");
	struct response *r = apost(w->eve, "/api/v1/c/plaza/follow", NULL);
	assert_status(r, 200);
	response_free(r);
}

static long count(const struct server *s, const char *sql)
{
	return strtol(sql_rows(s, sql), NULL, 10);
}

/* The item's count of comments, as lists show it. */
static long comments_counted(const struct server *s, int64_t item)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT comment_count FROM items WHERE id = %lld", (long long)item);
	return count(s, sql);
}

static void set_rule(struct actor *a, const char *path, const char *mode, int first, int status)
{
	struct response *r = apost(a, path, json_pack("{s:s, s:i}", "mode", mode, "first_posts", first));
	assert_status(r, status);
	response_free(r);
}

/* Posts a question as the member; whether it was held. */
static int64_t post_question(struct actor *a, const char *slug, const char *title, const char *body, bool *pending)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/c/%s/items", slug);
	struct response *r = apost(a, path, json_pack("{s:s, s:s, s:s}", "kind", "question", "title", title, "body", body));
	assert_status(r, 201);
	int64_t id = jint(r, "id");
	*pending = json_is_true(json_path(r->json, "pending"));
	response_free(r);
	return id;
}

static int64_t comment(struct actor *a, int64_t item, const char *body, bool *pending)
{
	struct response *r = item_post(a, item, "comments", json_pack("{s:s}", "body", body));
	assert_status(r, 201);
	int64_t id = jint(r, "id");
	*pending = json_is_true(json_path(r->json, "pending"));
	response_free(r);
	return id;
}

static struct response *decide(struct actor *a, const char *kind, int64_t id, const char *action, const char *reason)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/moderation/pending/%s/%lld", kind, (long long)id);
	json_t *body = json_pack("{s:s}", "action", action);
	if (reason)
		json_object_set_new(body, "reason", json_string(reason));
	return apost(a, path, body);
}

/* Whether the post waits in the member's queue. */
static bool waiting_for(struct actor *a, const char *kind, int64_t id)
{
	struct response *r = aget(a, "/api/v1/moderation");
	assert_status(r, 200);
	bool found = false;
	size_t i;
	json_t *o;
	json_array_foreach(json_path(r->json, "pending"), i, o)
		found |= strcmp(json_string_value(json_object_get(o, "kind")), kind) == 0 &&
			 json_integer_value(json_object_get(o, "id")) == id;
	response_free(r);
	return found;
}

/* What eve (a member) and a visitor find of the question about
 * zebrafinches: search, the list, the community's page and feed, its
 * page. */
static void assert_found(struct world *w, int64_t question, bool found)
{
	struct response *r = aget(w->eve, "/api/v1/search?q=zebrafinches");
	assert_status(r, 200);
	assert_true(list_has_id(r, "items", question) == found);
	response_free(r);
	r = aget(w->eve, "/api/v1/questions");
	assert_status(r, 200);
	assert_true(list_has_id(r, "items", question) == found);
	response_free(r);
	r = aget(w->eve, "/c/plaza");
	assert_status(r, 200);
	assert_true((strstr(r->body, "zebrafinches") != NULL) == found);
	response_free(r);
	r = aget(w->visitor, "/c/plaza/feed");
	assert_status(r, 200);
	assert_true((strstr(r->body, "zebrafinches") != NULL) == found);
	response_free(r);
	r = aget(w->eve, "/api/v1/items/%lld", (long long)question);
	assert_status(r, found ? 200 : 404);
	response_free(r);
	r = aget(w->visitor, "/items/%lld", (long long)question);
	assert_status(r, found ? 200 : 404);
	response_free(r);
}

static void a_newcomers_first_posts_wait_for_approval(void **state)
{
	struct world w;
	world_build(&w, *state);
	set_rule(w.root, "/api/v1/admin/premoderation", "newcomers", 2, 200);
	bool pending;
	int64_t q = post_question(w.bo, "plaza", "Where do zebrafinches nest", "A newcomer asks.", &pending);
	assert_true(pending);
	assert_found(&w, q, false);
	/* nothing followed from it: no event, no notification, no count */
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM events WHERE type = 'item.created' AND item_id ="
				    " (SELECT MAX(id) FROM items)"),
			 0);
	assert_int_equal(notified(w.eve, "post"), 0);
	/* its author sees it, told it waits, and may edit it */
	struct response *r = aget(w.bo, "/api/v1/items/%lld", (long long)q);
	assert_status(r, 200);
	assert_true(json_is_true(json_path(r->json, "pending")));
	response_free(r);
	r = aget(w.bo, "/items/%lld", (long long)q);
	assert_body_contains(r, "pending-notice");
	response_free(r);
	r = item_edit(w.bo, q, json_pack("{s:s, s:s}", "title", "Where do zebrafinches nest in winter", "body", "Edited."));
	assert_status(r, 200);
	response_free(r);
	/* it is not pinned while it waits */
	r = item_post(w.root, q, "pin", NULL);
	assert_error(r, 409, "pending");
	response_free(r);
	assert_found(&w, q, false);
	r = aget(w.bo, "/api/v1/questions");
	assert_true(list_has_id(r, "items", q));
	response_free(r);
	/* the queue: plaza's host and the moderator, not garden's host */
	assert_true(waiting_for(w.root, "item", q));
	assert_true(waiting_for(w.mo, "item", q));
	assert_false(waiting_for(w.ana, "item", q));
	/* who may not decide learns nothing of it, but its author */
	r = decide(w.ana, "item", q, "approve", NULL);
	assert_status(r, 404);
	response_free(r);
	r = decide(w.bo, "item", q, "approve", NULL);
	assert_status(r, 403);
	response_free(r);
	r = aget(w.root, "/moderation");
	assert_body_contains(r, "Waiting for approval");
	assert_body_contains(r, "zebrafinches nest in winter");
	response_free(r);
	/* approved: found everywhere, dated at its approval (it waited a
	 * day), and eve, who follows plaza, told now */
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE items SET created_at = created_at - 86400 WHERE id = %lld", (long long)q);
	run_sql(w.s, sql);
	r = decide(w.root, "item", q, "approve", NULL);
	assert_status(r, 200);
	response_free(r);
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM items WHERE id = %lld AND created_at >="
		 " (SELECT created_at FROM users WHERE handle = 'bo')", (long long)q);
	assert_int_equal(count(w.s, sql), 1);
	assert_found(&w, q, true);
	assert_int_equal(notified(w.eve, "post"), 1);
	assert_int_equal(notified(w.bo, "post_approved"), 1);
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM audit_log WHERE action = 'post.approved'"), 1);
	r = decide(w.root, "item", q, "approve", NULL);
	assert_status(r, 404);
	response_free(r);

	/* the second post waits too: a comment, rejected with a reason */
	int64_t c1 = comment(w.bo, q, "Visit my finch shop", &pending);
	assert_true(pending);
	r = aget(w.eve, "/api/v1/items/%lld", (long long)q);
	assert_int_equal(jlen(r, "comments"), 0);
	response_free(r);
	assert_int_equal(comments_counted(w.s, q), 0);
	r = decide(w.mo, "comment", c1, "reject", NULL);
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "reason");
	response_free(r);
	r = decide(w.mo, "comment", c1, "reject", "No advertising here");
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(notified(w.bo, "post_rejected"), 1);
	/* and by e-mail at once, a newcomer being perhaps not back soon */
	jobs_settle(w.s);
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM notification_mails m JOIN notifications n"
				    " ON n.id = m.notification_id WHERE n.kind IN ('post_approved', 'post_rejected')"),
			 2);
	r = aget(w.bo, "/api/v1/notifications");
	assert_non_null(strstr(r->body, "No advertising here"));
	response_free(r);
	r = aget(w.bo, "/api/v1/items/%lld", (long long)q);
	assert_int_equal(jlen(r, "comments"), 1);
	assert_true(json_is_true(jat(r, "comments", 0, "rejected")));
	assert_string_equal(json_string_value(jat(r, "comments", 0, "rejection")), "No advertising here");
	response_free(r);
	r = aget(w.eve, "/api/v1/items/%lld", (long long)q);
	assert_int_equal(jlen(r, "comments"), 0);
	response_free(r);
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM audit_log WHERE action = 'post.rejected'"
				    " AND reason = 'No advertising here'"),
			 1);
	assert_false(waiting_for(w.mo, "comment", c1));
	/* edited, it waits for approval again */
	char path[96];
	snprintf(path, sizeof path, "/api/v1/comments/%lld/edit", (long long)c1);
	r = apost(w.bo, path, json_pack("{s:s}", "body", "Finches like millet"));
	assert_status(r, 200);
	response_free(r);
	assert_true(waiting_for(w.mo, "comment", c1));
	r = aget(w.eve, "/api/v1/items/%lld", (long long)q);
	assert_int_equal(jlen(r, "comments"), 0);
	response_free(r);

	/* a rejection does not count: the next waits, and once approved the
	 * member has two posts and is no longer held */
	int64_t c2 = comment(w.bo, q, "They nest in hedges", &pending);
	assert_true(pending);
	r = decide(w.root, "comment", c2, "approve", NULL);
	assert_status(r, 200);
	response_free(r);
	r = aget(w.eve, "/api/v1/items/%lld", (long long)q);
	assert_int_equal(jlen(r, "comments"), 1);
	response_free(r);
	assert_int_equal(comments_counted(w.s, q), 1);
	r = item_post(w.bo, q, "answers", json_pack("{s:s}", "body", "Mostly in hedges."));
	assert_status(r, 201);
	assert_false(json_is_true(json_path(r->json, "pending")));
	int64_t answer = jint(r, "id");
	response_free(r);
	r = aget(w.eve, "/api/v1/items/%lld", (long long)q);
	assert_true(list_has_id(r, "answers", answer));
	response_free(r);
}

static void held_answers_wait_with_their_events(void **state)
{
	struct world w;
	world_build(&w, *state);
	int64_t q = ask(w.eve, "plaza", "Which seeds do zebrafinches like", "Eve asks.");
	set_rule(w.root, "/api/v1/admin/premoderation", "newcomers", 1, 200);
	struct response *r = item_post(w.bo, q, "answers", json_pack("{s:s}", "body", "Millet."));
	assert_status(r, 201);
	assert_true(json_is_true(json_path(r->json, "pending")));
	int64_t answer = jint(r, "id");
	response_free(r);
	/* eve, who follows her question, is told nothing yet and sees no answer */
	assert_int_equal(notified(w.eve, "answer"), 0);
	r = aget(w.eve, "/api/v1/items/%lld", (long long)q);
	assert_false(list_has_id(r, "answers", answer));
	assert_int_equal(jint(r, "answer_count"), 0);
	response_free(r);
	r = aget(w.eve, "/api/v1/items/%lld", (long long)answer);
	assert_status(r, 404);
	response_free(r);
	/* the asker cannot accept it, nor a moderator change it: it is
	 * approved or rejected first */
	r = item_post(w.eve, q, "accept", json_pack("{s:I}", "answer", (json_int_t)answer));
	assert_error(r, 422, "invalid");
	response_free(r);
	r = item_edit(w.mo, answer, json_pack("{s:s, s:s}", "body", "Millet and seeds.", "note", "Fuller"));
	assert_error(r, 409, "pending");
	response_free(r);
	r = decide(w.mo, "item", answer, "approve", NULL);
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(notified(w.eve, "answer"), 1);
	r = aget(w.eve, "/api/v1/items/%lld", (long long)q);
	assert_true(list_has_id(r, "answers", answer));
	assert_int_equal(jint(r, "answer_count"), 1);
	response_free(r);
}

static void links_and_the_communitys_own_rule(void **state)
{
	struct world w;
	world_build(&w, *state);
	bool pending;
	struct response *r;
	/* the site holds nothing: bo posts in garden at once */
	post_question(w.bo, "garden", "Tulips", "When do they flower?", &pending);
	assert_false(pending);
	/* only plaza's host (or an admin) sets plaza's rule */
	set_rule(w.bo, "/api/v1/c/plaza/premoderation", "links", 1, 403);
	set_rule(w.ana, "/api/v1/c/plaza/premoderation", "links", 1, 403);
	set_rule(w.bo, "/api/v1/admin/premoderation", "links", 1, 403);
	set_rule(w.root, "/api/v1/c/plaza/premoderation", "sometimes", 1, 422);
	set_rule(w.root, "/api/v1/c/plaza/premoderation", "links", 0, 422);
	set_rule(w.root, "/api/v1/c/plaza/premoderation", "links", 1, 200);
	/* bo's post in garden does not count in plaza: new to it, he waits */
	int64_t finches = post_question(w.bo, "plaza", "Finches", "No link here.", &pending);
	assert_true(pending);
	r = decide(w.root, "item", finches, "approve", NULL);
	assert_status(r, 200);
	response_free(r);
	/* with one post there he is no longer new, but a link is held */
	post_question(w.bo, "plaza", "Finch lunch", "No link here either.", &pending);
	assert_false(pending);
	post_question(w.bo, "plaza", "Finch shop", "See https://example.org/finches", &pending);
	assert_true(pending);
	post_question(w.bo, "plaza", "Finch page", "See [my page](/people/bo)", &pending);
	assert_true(pending);
	/* a link in a best practice's own fields counts too */
	r = post_item(w.bo, "plaza",
				       json_pack("{s:s, s:s, s:s, s:s}", "kind", "article", "title", "Nesting boxes",
						 "summary", "How we hang them.", "approach",
						 "Order them at https://example.org/boxes"));
	assert_status(r, 201);
	assert_true(json_is_true(json_path(r->json, "pending")));
	response_free(r);
	/* not in garden, which has no rule of its own */
	post_question(w.bo, "garden", "Tulip shop", "See https://example.org/tulips", &pending);
	assert_false(pending);
	/* eve has posted nothing: her first post in plaza is held */
	post_question(w.eve, "plaza", "Hello", "I am new.", &pending);
	assert_true(pending);
	/* a community cannot take away the site's protection */
	set_rule(w.root, "/api/v1/admin/premoderation", "newcomers", 2, 200);
	set_rule(w.root, "/api/v1/c/plaza/premoderation", "off", 1, 200);
	struct actor *dan = member(w.s, "dan");
	bring_in(w.root, "plaza", dan);
	post_question(dan, "plaza", "Hi", "New here.", &pending);
	assert_true(pending);
	/* hosts are never held: ana hosts garden, which holds links */
	set_rule(w.ana, "/api/v1/c/garden/premoderation", "links", 5, 200);
	post_question(w.ana, "garden", "Host's link", "See https://example.org", &pending);
	assert_false(pending);
	post_question(w.bo, "garden", "Another link", "See https://example.org", &pending);
	assert_true(pending);
	/* the settings pages show the choice */
	r = aget(w.ana, "/c/garden/premoderation");
	assert_status(r, 200);
	assert_body_contains(r, "value=\"links\" checked");
	response_free(r);
	r = aget(w.bo, "/c/garden/premoderation");
	assert_status(r, 403);
	response_free(r);
	/* the form keeps what was typed */
	r = fpost(w.root, "/admin/premoderation", STRS("mode", "links", "first_posts", "500"));
	assert_status(r, 422);
	assert_body_contains(r, "Give a number of posts from 1 to 100.");
	assert_body_contains(r, "value=\"500\"");
	assert_body_contains(r, "value=\"links\" checked");
	response_free(r);
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM audit_log WHERE action = 'community.premoderation'"), 3);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_newcomers_first_posts_wait_for_approval),
		T(held_answers_wait_with_their_events),
		T(links_and_the_communitys_own_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
