/* test_reports: members report posts, answers, comments and profiles; the
 * review queue shows moderators every report and hosts their communities'
 * only; hiding takes content out of every list, search and feed until it
 * is shown again; settling settles every report on a subject and tells
 * the reporters (features/reports.h, features/moderation.h). */
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* root (admin) hosts plaza (public) and den (private, bo in it); ana hosts
 * garden (public); mo is a site moderator; bo and eve are members. */
struct world {
	const struct server *s;
	struct actor *root, *ana, *bo, *eve, *mo, *visitor;
	int64_t question;    /* ana's, in plaza */
	int64_t in_garden;   /* eve's, in garden */
	int64_t in_den;      /* root's, in den */
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
	make_community(w->root, "den", "Den", "private", "invite");
	bring_in(w->root, "plaza", w->ana);
	bring_in(w->root, "plaza", w->bo);
	bring_in(w->root, "plaza", w->eve);
	bring_in(w->root, "garden", w->ana);
	bring_in(w->root, "garden", w->eve);
	set_role(w->root, "garden", "ana", "host");
	set_role(w->root, "garden", "root", "member");
	bring_in(w->root, "den", w->bo);
	w->question = ask(w->ana, "plaza", "Where do zebrafinches nest", "Asking for the plaza.");
	w->in_garden = ask(w->eve, "garden", "Which tulips flower first", "In the garden.");
	w->in_den = ask(w->root, "den", "A quiet question", "Only for the den.");
}

static struct response *report(struct actor *a, const char *path, const char *reason, const char *note)
{
	json_t *body = json_object();
	if (reason)
		json_object_set_new(body, "reason", json_string(reason));
	if (note)
		json_object_set_new(body, "note", json_string(note));
	return apost(a, path, body);
}

static const char *item_path(int64_t id, const char *what)
{
	static char path[8][96];
	static int next;
	char *p = path[next++ % 8];
	snprintf(p, sizeof(path[0]), "/api/v1/items/%lld%s", (long long)id, what);
	return p;
}

static void report_ok(struct actor *a, const char *path, const char *reason)
{
	struct response *r = report(a, path, reason, "Please look");
	assert_status(r, 201);
	assert_jstr(r, "state", "open");
	response_free(r);
}

static int64_t comment_on(struct actor *a, int64_t item, const char *body)
{
	struct response *r = item_post(a, item, "comments", json_pack("{s:s}", "body", body));
	assert_status(r, 201);
	int64_t id = jint(r, "id");
	response_free(r);
	return id;
}

static long count(const struct server *s, const char *sql)
{
	return strtol(sql_rows(s, sql), NULL, 10);
}

/* The subject of the given kind and id is in the member's queue. */
static bool queued(struct actor *a, const char *kind, int64_t id)
{
	struct response *r = aget(a, "/api/v1/moderation");
	assert_status(r, 200);
	bool found = false;
	size_t i;
	json_t *o;
	json_array_foreach(json_path(r->json, "items"), i, o)
		found |= strcmp(json_string_value(json_object_get(o, "kind")), kind) == 0 &&
			 json_integer_value(json_object_get(o, "id")) == id;
	response_free(r);
	return found;
}

static struct response *act(struct actor *a, const char *kind, int64_t id, const char *action, const char *note)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/moderation/%s/%lld", kind, (long long)id);
	json_t *body = json_pack("{s:s}", "action", action);
	if (note)
		json_object_set_new(body, "note", json_string(note));
	return apost(a, path, body);
}

/* ---- reporting --------------------------------------------------------------- */

static void members_report_what_they_may_read(void **state)
{
	struct world w;
	world_build(&w, *state);
	/* a post, once: a second open report is refused with a reason */
	report_ok(w.bo, item_path(w.question, "/report"), "spam");
	struct response *r = report(w.bo, item_path(w.question, "/report"), "harassment", NULL);
	assert_error(r, 409, "already_reported");
	assert_non_null(strstr(response_jstr(r, "error.message"), "already"));
	response_free(r);
	/* another member may report it too */
	report_ok(w.eve, item_path(w.question, "/report"), "off_topic");
	/* an answer is a post */
	r = item_post(w.eve, w.question, "answers", json_pack("{s:s}", "body", "Under the roof."));
	assert_status(r, 201);
	int64_t answer = jint(r, "id");
	response_free(r);
	report_ok(w.bo, item_path(answer, "/report"), "confidential");
	/* a comment, and a profile */
	int64_t comment = comment_on(w.ana, w.question, "Anyone?");
	char path[96];
	snprintf(path, sizeof path, "/api/v1/comments/%lld/report", (long long)comment);
	report_ok(w.bo, path, "harassment");
	report_ok(w.bo, "/api/v1/people/eve/report", "spam");
	/* the reasons: known ones only, "other" with a note */
	r = report(w.eve, "/api/v1/people/bo/report", "rude", NULL);
	assert_invalid_field(r, "reason");
	response_free(r);
	r = report(w.eve, "/api/v1/people/bo/report", "other", "  ");
	assert_invalid_field(r, "note");
	response_free(r);
	report_ok(w.eve, "/api/v1/people/bo/report", "other");
	/* not what one wrote oneself */
	r = report(w.ana, item_path(w.question, "/report"), "spam", NULL);
	assert_error(r, 422, "own");
	response_free(r);
	/* nothing one may not read: a private community's post, an unknown
	 * member, a comment that is gone */
	r = report(w.eve, item_path(w.in_den, "/report"), "spam", NULL);
	assert_status(r, 404);
	response_free(r);
	r = report(w.eve, "/api/v1/people/nobody/report", "spam", NULL);
	assert_status(r, 404);
	response_free(r);
	r = report(w.eve, "/api/v1/comments/999999/report", "spam", NULL);
	assert_status(r, 404);
	response_free(r);
	/* signed out: sign in first */
	r = report(w.visitor, item_path(w.question, "/report"), "spam", NULL);
	assert_status(r, 401);
	response_free(r);
	/* each report recorded report.filed */
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM events WHERE type = 'report.filed'"), 6);
	/* the reporter sees theirs, open */
	r = aget(w.bo, "/api/v1/settings/reports");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "items"), 4);
	assert_string_equal(jat_str(r, "items", 0, "state"), "open");
	assert_string_equal(jat_str(r, "items", 0, "reason"), "spam");
	response_free(r);
}

static void the_form_reports_and_keeps_what_was_typed(void **state)
{
	struct world w;
	world_build(&w, *state);
	struct response *r = aget(w.bo, "/items/%lld/report", (long long)w.question);
	assert_status(r, 200);
	assert_body_contains(r, "value=\"harassment\"");
	response_free(r);
	/* the item's page offers it to others, not to its author */
	r = aget(w.bo, "/items/%lld", (long long)w.question);
	assert_body_contains(r, "/report\"");
	response_free(r);
	r = aget(w.ana, "/items/%lld", (long long)w.question);
	assert_body_lacks(r, "/report\"");
	response_free(r);
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/report", (long long)w.question);
	r = fpost(w.bo, path, STRS("reason", "other", "note", ""));
	assert_status(r, 422);
	assert_body_contains(r, "field-error");
	response_free(r);
	r = fpost(w.bo, path, STRS("reason", "other", "note", "Looks like an advert"));
	assert_status(r, 303);
	assert_header_contains(r, "Location", "/settings/reports");
	response_free(r);
	r = aget(w.bo, "/settings/reports");
	assert_status(r, 200);
	assert_body_contains(r, "Looks like an advert");
	response_free(r);
}

static void hosts_and_moderators_are_told(void **state)
{
	struct world w;
	world_build(&w, *state);
	report_ok(w.bo, item_path(w.in_garden, "/report"), "spam");
	/* garden's host and the site's moderators, not the reporter nor others */
	assert_int_equal(notified(w.ana, "report"), 1);
	assert_int_equal(notified(w.mo, "report"), 1);
	assert_int_equal(notified(w.bo, "report"), 0);
	assert_int_equal(notified(w.eve, "report"), 0);
	/* a report in den: the moderator may not read it and is not told */
	report_ok(w.bo, item_path(w.in_den, "/report"), "spam");
	assert_int_equal(notified(w.mo, "report"), 1);
	/* in the member's language */
	struct response *r = apost(w.ana, "/api/v1/settings", json_pack("{s:s, s:s}", "name", "Ana", "locale", "sv"));
	assert_status(r, 200);
	response_free(r);
	r = aget(w.ana, "/notifications");
	assert_body_contains(r, "granskning");
	response_free(r);
}

/* ---- the queue ------------------------------------------------------------------ */

static void the_queue_shows_each_their_own(void **state)
{
	struct world w;
	world_build(&w, *state);
	report_ok(w.bo, item_path(w.question, "/report"), "spam");
	report_ok(w.eve, item_path(w.question, "/report"), "harassment");
	report_ok(w.bo, item_path(w.in_garden, "/report"), "spam");
	report_ok(w.bo, "/api/v1/people/eve/report", "spam");
	report_ok(w.bo, item_path(w.in_den, "/report"), "spam");
	/* the moderator: all they may read, grouped by subject */
	struct response *r = aget(w.mo, "/api/v1/moderation");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "items"), 3);
	response_free(r);
	assert_true(queued(w.mo, "item", w.question));
	assert_true(queued(w.mo, "item", w.in_garden));
	assert_false(queued(w.mo, "item", w.in_den));
	/* the plaza question's group: both reports, the author, the community */
	r = aget(w.mo, "/api/v1/moderation");
	json_t *items = json_path(r->json, "items");
	size_t i;
	json_t *o;
	json_array_foreach(items, i, o) {
		if (json_integer_value(json_object_get(o, "id")) != w.question ||
		    strcmp(json_string_value(json_object_get(o, "kind")), "item") != 0)
			continue;
		assert_int_equal(json_array_size(json_object_get(o, "reports")), 2);
		assert_string_equal(json_string_value(json_path(o, "author.handle")), "ana");
		assert_string_equal(json_string_value(json_path(o, "community.slug")), "plaza");
		assert_int_equal(json_integer_value(json_path(o, "history.reports")), 0);
	}
	response_free(r);
	/* garden's host: garden only */
	r = aget(w.ana, "/api/v1/moderation");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "items"), 1);
	assert_int_equal(json_integer_value(jat(r, "items", 0, "id")), w.in_garden);
	response_free(r);
	/* den's host sees den's */
	assert_true(queued(w.root, "item", w.in_den));
	/* a member: no; a visitor: sign in */
	r = aget(w.bo, "/api/v1/moderation");
	assert_status(r, 403);
	response_free(r);
	r = aget(w.visitor, "/api/v1/moderation");
	assert_status(r, 401);
	response_free(r);
	/* acting: a host only in their community, the moderator not in den */
	r = act(w.ana, "item", w.question, "dismiss", NULL);
	assert_status(r, 403);
	response_free(r);
	r = act(w.bo, "item", w.in_garden, "dismiss", NULL);
	assert_status(r, 403);
	response_free(r);
	r = act(w.mo, "item", w.in_den, "dismiss", NULL);
	assert_status(r, 404);
	response_free(r);
	r = act(w.ana, "person", 1, "dismiss", NULL);
	assert_status(r, 403);
	response_free(r);
	r = act(w.ana, "item", w.in_garden, "dismiss", NULL);
	assert_status(r, 200);
	response_free(r);
	/* the HTML queue shows the content, the reasons and the hook */
	r = aget(w.mo, "/moderation");
	assert_status(r, 200);
	assert_body_contains(r, "Where do zebrafinches nest");
	assert_body_contains(r, "Harassment or abuse");
	assert_body_contains(r, "value=\"hide\"");
	response_free(r);
}

/* What eve finds of the question: in search, the list, the community's
 * feed and its page. */
static void assert_found(struct world *w, bool found)
{
	struct response *r = aget(w->eve, "/api/v1/search?q=zebrafinches");
	assert_status(r, 200);
	assert_true(list_has_id(r, "items", w->question) == found);
	response_free(r);
	r = aget(w->eve, "/api/v1/questions");
	assert_status(r, 200);
	assert_true(list_has_id(r, "items", w->question) == found);
	response_free(r);
	r = aget(w->visitor, "/c/plaza/feed");
	assert_status(r, 200);
	assert_true((strstr(r->body, "zebrafinches") != NULL) == found);
	response_free(r);
	r = aget(w->eve, "/api/v1/items/%lld", (long long)w->question);
	assert_status(r, found ? 200 : 404);
	response_free(r);
}

static void hidden_content_vanishes_and_comes_back(void **state)
{
	struct world w;
	world_build(&w, *state);
	assert_found(&w, true);
	report_ok(w.bo, item_path(w.question, "/report"), "spam");
	report_ok(w.eve, item_path(w.question, "/report"), "off_topic");
	struct response *r = act(w.mo, "item", w.question, "hide", "Advertising");
	assert_status(r, 200);
	assert_int_equal(jint(r, "settled"), 2);
	response_free(r);
	assert_found(&w, false);
	/* its author and the moderators still see it, marked */
	r = aget(w.ana, "/api/v1/items/%lld", (long long)w.question);
	assert_status(r, 200);
	assert_true(json_is_true(json_path(r->json, "hidden")));
	response_free(r);
	r = aget(w.mo, "/api/v1/items/%lld", (long long)w.question);
	assert_status(r, 200);
	response_free(r);
	/* every report on it is settled, its reporters told */
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM reports WHERE outcome = 'hidden'"), 2);
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM reports WHERE settled_at IS NULL"), 0);
	assert_int_equal(notified(w.bo, "report_outcome"), 1);
	assert_int_equal(notified(w.eve, "report_outcome"), 1);
	r = aget(w.bo, "/api/v1/settings/reports");
	assert_string_equal(jat_str(r, "items", 0, "state"), "hidden");
	response_free(r);
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM events WHERE type = 'report.settled'"), 1);
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM audit_log WHERE action = 'content.hidden'"), 1);
	/* hiding again changes nothing */
	r = act(w.mo, "item", w.question, "hide", NULL);
	assert_error(r, 409, "hidden");
	response_free(r);
	/* the queue lists it to show again */
	r = aget(w.mo, "/api/v1/moderation");
	assert_int_equal(jlen(r, "items"), 0);
	assert_true(list_has_id(r, "hidden", w.question));
	response_free(r);
	r = act(w.mo, "item", w.question, "unhide", NULL);
	assert_status(r, 200);
	response_free(r);
	assert_found(&w, true);
	r = act(w.mo, "item", w.question, "unhide", NULL);
	assert_error(r, 409, "not_hidden");
	response_free(r);
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM audit_log WHERE action = 'content.unhidden'"), 1);
}

static void a_hidden_comment_leaves_the_page(void **state)
{
	struct world w;
	world_build(&w, *state);
	int64_t comment = comment_on(w.bo, w.question, "Buy my zebrafinch food");
	char path[96];
	snprintf(path, sizeof path, "/api/v1/comments/%lld/report", (long long)comment);
	report_ok(w.eve, path, "spam");
	/* plaza's host hides it */
	struct response *r = act(w.root, "comment", comment, "hide", NULL);
	assert_status(r, 200);
	response_free(r);
	r = aget(w.eve, "/api/v1/items/%lld", (long long)w.question);
	assert_int_equal(jlen(r, "comments"), 0);
	response_free(r);
	r = aget(w.bo, "/api/v1/items/%lld", (long long)w.question);
	assert_int_equal(jlen(r, "comments"), 1);
	assert_true(json_is_true(jat(r, "comments", 0, "hidden")));
	response_free(r);
	/* nor can it be reported again by who cannot see it */
	r = report(w.eve, path, "spam", NULL);
	assert_status(r, 404);
	response_free(r);
	r = act(w.root, "comment", comment, "unhide", NULL);
	assert_status(r, 200);
	response_free(r);
	r = aget(w.eve, "/api/v1/items/%lld", (long long)w.question);
	assert_int_equal(jlen(r, "comments"), 1);
	response_free(r);
	/* a profile cannot be hidden */
	report_ok(w.eve, "/api/v1/people/bo/report", "spam");
	r = aget(w.mo, "/api/v1/moderation");
	int64_t bo = json_integer_value(jat(r, "items", 0, "id"));
	response_free(r);
	r = act(w.mo, "person", bo, "hide", NULL);
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "action");
	response_free(r);
}

static void a_hidden_answer_leaves_its_question(void **state)
{
	struct world w;
	world_build(&w, *state);
	struct response *r = item_post(w.bo, w.question, "answers", json_pack("{s:s}", "body", "Visit my shop"));
	assert_status(r, 201);
	int64_t answer = jint(r, "id");
	response_free(r);
	r = item_post(w.eve, w.question, "answers", json_pack("{s:s}", "body", "In hedges."));
	assert_status(r, 201);
	response_free(r);
	report_ok(w.eve, item_path(answer, "/report"), "spam");
	r = act(w.mo, "item", answer, "hide", NULL);
	assert_status(r, 200);
	response_free(r);
	/* gone for others, on the page and on its own */
	r = aget(w.ana, "/api/v1/items/%lld", (long long)w.question);
	assert_int_equal(jlen(r, "answers"), 1);
	assert_false(list_has_id(r, "answers", answer));
	response_free(r);
	r = aget(w.ana, "/api/v1/items/%lld", (long long)answer);
	assert_status(r, 404);
	response_free(r);
	/* its author and the moderator see it marked, the other one not */
	r = aget(w.mo, "/api/v1/items/%lld", (long long)w.question);
	assert_int_equal(jlen(r, "answers"), 2);
	assert_true(json_is_true(jat(r, "answers", 0, "hidden")) != json_is_true(jat(r, "answers", 1, "hidden")));
	response_free(r);
	r = aget(w.bo, "/api/v1/items/%lld", (long long)w.question);
	assert_true(list_has_id(r, "answers", answer));
	response_free(r);
}

static void settling_settles_every_report_on_the_subject(void **state)
{
	struct world w;
	world_build(&w, *state);
	report_ok(w.bo, item_path(w.question, "/report"), "spam");
	report_ok(w.eve, item_path(w.question, "/report"), "spam");
	report_ok(w.bo, item_path(w.in_garden, "/report"), "spam");
	/* correcting is the edit form's (test_moderator_edits), not an action */
	struct response *r = act(w.mo, "item", w.question, "edited", "Fixed it");
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "action");
	response_free(r);
	r = act(w.mo, "item", w.question, "shout", NULL);
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "action");
	response_free(r);
	r = act(w.mo, "item", w.question, "dismiss", "Nothing wrong here");
	assert_status(r, 200);
	assert_int_equal(jint(r, "settled"), 2);
	response_free(r);
	/* the other subject's report stays open */
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM reports WHERE settled_at IS NULL"), 1);
	r = act(w.mo, "item", w.question, "dismiss", NULL);
	assert_error(r, 409, "no_reports");
	response_free(r);
	assert_int_equal(notified(w.bo, "report_outcome"), 1);
	r = aget(w.bo, "/api/v1/settings/reports");
	assert_true(list_has_str(r, "items", "state", "dismissed"));
	assert_true(list_has_str(r, "items", "state", "open"));
	response_free(r);
	/* once settled, it can be reported again */
	report_ok(w.bo, item_path(w.question, "/report"), "harassment");
	r = item_edit(w.mo, w.question, json_pack("{s:s, s:s, s:s}", "title", "Where do zebrafinches nest",
						  "body", "Asking for the plaza, without a number.", "note",
						  "Removed the phone number"));
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM reports WHERE outcome = 'edited'"), 1);
	/* the author's history counts what came before on their other content */
	int64_t comment = comment_on(w.ana, w.in_garden, "Mine flower in March");
	char path[96];
	snprintf(path, sizeof path, "/api/v1/comments/%lld/report", (long long)comment);
	report_ok(w.bo, path, "off_topic");
	r = act(w.mo, "comment", comment, "dismiss", NULL);
	assert_status(r, 200);
	response_free(r);
	report_ok(w.bo, item_path(w.question, "/report"), "spam");
	r = aget(w.mo, "/api/v1/moderation");
	json_t *o = NULL;
	size_t i;
	json_t *each;
	json_array_foreach(json_path(r->json, "items"), i, each)
		if (json_integer_value(json_object_get(each, "id")) == w.question)
			o = each;
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_path(o, "history.reports")), 1);
	assert_int_equal(json_integer_value(json_path(o, "history.dismissed")), 1);
	response_free(r);
	/* one audit entry per action */
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM audit_log WHERE action = 'report.dismissed'"), 2);
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM audit_log WHERE action = 'content.edited'"), 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(members_report_what_they_may_read),
		T(the_form_reports_and_keeps_what_was_typed),
		T(hosts_and_moderators_are_told),
		T(the_queue_shows_each_their_own),
		T(hidden_content_vanishes_and_comes_back),
		T(a_hidden_comment_leaves_the_page),
		T(a_hidden_answer_leaves_its_question),
		T(settling_settles_every_report_on_the_subject),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
