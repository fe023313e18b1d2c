/* test_moderator_edits: a community's hosts and the site's moderators may
 * change someone else's post, answer or comment, always with a note: the
 * author is told it in their language, the open reports on it are settled
 * "edited", the audit log keeps it and the history shows who made the
 * version; other members may not, and a host only in their communities
 * (features/moderator_edits.h). */
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* root (admin) runs plaza and garden; ana hosts garden; mo is a site
 * moderator; bo and eve are members of both. */
struct world {
	const struct server *s;
	struct actor *root, *ana, *bo, *eve, *mo;
	int64_t in_garden; /* eve's question in garden */
	int64_t in_plaza;  /* eve's question in plaza */
};

static void world_build(struct world *w, const struct server *s)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	sign_up_cast(s, &w->root, &w->ana, &w->bo, &w->eve);
	w->mo = staff(s, "mo", "--moderator");
	make_community(w->root, "plaza", "Plaza", "public", "open");
	make_community(w->root, "garden", "Garden", "public", "open");
	struct actor *members[] = {w->ana, w->bo, w->eve};
	for (size_t k = 0; k < 3; k++) {
		bring_in(w->root, "plaza", members[k]);
		bring_in(w->root, "garden", members[k]);
	}
	set_role(w->root, "garden", "ana", "host");
	w->in_garden = ask(w->eve, "garden", "Which tulips flower first", "Call me on 0701234567.");
	w->in_plaza = ask(w->eve, "plaza", "Where do finches nest", "In the plaza.");
}

static long count(const struct server *s, const char *fmt, long long id)
{
	char sql[512];
	snprintf(sql, sizeof sql, fmt, id);
	return strtol(sql_rows(s, sql), NULL, 10);
}

static struct response *edit(struct actor *a, int64_t id, const char *body, const char *note)
{
	json_t *fields = json_pack("{s:s, s:s}", "title", "Which tulips flower first", "body", body);
	if (note)
		json_object_set_new(fields, "note", json_string(note));
	return item_edit(a, id, fields);
}

static struct response *edit_comment(struct actor *a, int64_t id, const char *body, const char *note)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/comments/%lld/edit", (long long)id);
	json_t *fields = json_pack("{s:s}", "body", body);
	if (note)
		json_object_set_new(fields, "note", json_string(note));
	return apost(a, path, fields);
}

static void hosts_and_moderators_edit_with_a_note(void **state)
{
	struct world w;
	world_build(&w, *state);
	/* a report waits on the question */
	char path[96];
	snprintf(path, sizeof path, "/api/v1/items/%lld/report", (long long)w.in_garden);
	struct response *r = apost(w.bo, path, json_pack("{s:s, s:s}", "reason", "confidential", "note", "A number"));
	assert_status(r, 201);
	response_free(r);

	/* without a note: refused, nothing changes */
	r = edit(w.ana, w.in_garden, "Call me.", NULL);
	assert_error(r, 422, "invalid");
	invalid_field_at(r, "note", __FILE__, __LINE__);
	response_free(r);
	r = edit(w.ana, w.in_garden, "Call me.", repeat("x", 1001));
	assert_error(r, 422, "invalid");
	response_free(r);
	assert_int_equal(revision_count(w.eve, w.in_garden), 1);

	/* the host of garden, with a note */
	r = edit(w.ana, w.in_garden, "Call me through the site.", "Removed a phone number");
	assert_status(r, 200);
	response_free(r);
	r = get_item(w.eve, w.in_garden);
	assert_jstr(r, "body", "Call me through the site.");
	response_free(r);
	r = aget(w.eve, "/api/v1/items/%lld/revisions", (long long)w.in_garden);
	assert_int_equal(jlen(r, "items"), 2);
	assert_string_equal(json_string_value(json_object_get(jat(r, "items", 0, "editor"), "handle")), "ana");
	response_free(r);

	/* the author hears why; the reporter of the outcome */
	json_t *n = notifications_of_kind(w.eve, "moderator_edited");
	assert_int_equal(json_array_size(n), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(n, 0), "moderator_note")),
			    "Removed a phone number");
	assert_int_equal(json_array_size(notifications_of_kind(w.bo, "report_outcome")), 1);
	r = aget(w.eve, "/notifications");
	assert_body_contains(r, "A moderator changed Which tulips flower first: Removed a phone number");
	response_free(r);
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM reports WHERE subject_id = %lld AND outcome = 'edited'",
			       (long long)w.in_garden), 1);
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM audit_log WHERE action = 'content.edited' AND"
				    " subject_id = %lld AND reason = 'Removed a phone number'", (long long)w.in_garden), 1);

	/* the site's moderator anywhere; the author's own edit needs no note
	 * and tells nobody */
	r = edit(w.mo, w.in_plaza, "In the plaza, by the fountain.", "Clearer place");
	assert_status(r, 200);
	response_free(r);
	r = edit(w.eve, w.in_garden, "Call me through the site, please.", NULL);
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(json_array_size(notifications_of_kind(w.eve, "moderator_edited")), 2);
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM audit_log WHERE action = 'content.edited' AND"
				    " subject_id = %lld", (long long)w.in_plaza), 1);
	assert_int_equal(count(w.s, "SELECT COUNT(*) FROM audit_log WHERE action = 'content.edited' AND"
				    " subject_id = %lld", (long long)w.in_garden), 1);
}

static void others_may_not_edit(void **state)
{
	struct world w;
	world_build(&w, *state);
	/* a member, and the host of garden in plaza */
	struct response *r = edit(w.bo, w.in_garden, "Mine now", "Because");
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = edit(w.ana, w.in_plaza, "Mine now", "Because");
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = aget(w.bo, "/items/%lld/edit", (long long)w.in_garden);
	assert_status(r, 403);
	response_free(r);
	assert_int_equal(revision_count(w.eve, w.in_plaza), 1);
	/* the item shows the edit link to who may use it */
	r = get_item(w.ana, w.in_garden);
	assert_true(json_is_true(json_path(r->json, "can_edit")));
	response_free(r);
	r = get_item(w.bo, w.in_garden);
	assert_false(json_is_true(json_path(r->json, "can_edit")));
	response_free(r);
}

static void the_form_asks_a_moderator_why(void **state)
{
	struct world w;
	world_build(&w, *state);
	struct response *r = aget(w.ana, "/items/%lld/edit", (long long)w.in_garden);
	assert_status(r, 200);
	assert_body_contains(r, "name=\"note\"");
	response_free(r);
	r = aget(w.eve, "/items/%lld/edit", (long long)w.in_garden);
	assert_status(r, 200);
	assert_true(strstr(r->body, "name=\"note\"") == NULL);
	response_free(r);
	/* sent without one, the form comes back with what was typed */
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/edit", (long long)w.in_garden);
	r = fpost(w.ana, path, (const char *const[]){"title", "Which tulips flower first", "body",
						     "A changed text to keep", "note", "", NULL});
	assert_status(r, 422);
	assert_body_contains(r, "A changed text to keep");
	assert_body_contains(r, "Tell the author why you change what they wrote.");
	response_free(r);
	/* restoring an older version of someone's post needs a note too */
	r = edit(w.ana, w.in_garden, "Call me through the site.", "Removed a phone number");
	assert_status(r, 200);
	response_free(r);
	snprintf(path, sizeof path, "/api/v1/items/%lld/revisions/1/restore", (long long)w.in_garden);
	r = apost(w.mo, path, NULL);
	assert_error(r, 422, "invalid");
	response_free(r);
	r = apost(w.mo, path, json_pack("{s:s}", "note", "The number was the shop's, public"));
	assert_status(r, 200);
	response_free(r);
	r = get_item(w.eve, w.in_garden);
	assert_jstr(r, "body", "Call me on 0701234567.");
	response_free(r);
	assert_int_equal(json_array_size(notifications_of_kind(w.eve, "moderator_edited")), 2);
}

/* A comment is its author's to edit for 15 minutes; a moderator's with a
 * note at any time, and its author hears of it on the comment. */
static void comments_after_their_window(void **state)
{
	struct world w;
	world_build(&w, *state);
	struct response *r = item_post(w.eve, w.in_garden, "comments", json_pack("{s:s}", "body", "Mine are red"));
	assert_status(r, 201);
	int64_t comment = jint(r, "id");
	response_free(r);
	r = edit_comment(w.bo, comment, "Bo was here", "Because");
	assert_error(r, 403, "forbidden");
	response_free(r);
	test_clock_advance(20 * 60);
	r = edit_comment(w.eve, comment, "Mine are yellow", NULL);
	assert_error(r, 403, "edit_window_closed");
	response_free(r);
	r = edit_comment(w.ana, comment, "Mine are yellow", NULL);
	assert_error(r, 422, "invalid");
	invalid_field_at(r, "note", __FILE__, __LINE__);
	response_free(r);
	r = edit_comment(w.ana, comment, "Mine are red (off-topic part removed)", "Kept to the topic");
	assert_status(r, 200);
	assert_jstr(r, "body", "Mine are red (off-topic part removed)");
	response_free(r);
	json_t *n = notifications_of_kind(w.eve, "moderator_edited");
	assert_int_equal(json_array_size(n), 1);
	const char *url = json_string_value(json_object_get(json_array_get(n, 0), "url"));
	char anchor[48];
	snprintf(anchor, sizeof anchor, "#comment-%lld", (long long)comment);
	assert_non_null(url);
	assert_non_null(strstr(url, anchor));
	/* the host sees the edit box with its note field on the page */
	r = aget(w.ana, "/items/%lld", (long long)w.in_garden);
	assert_body_contains(r, "edit-note-");
	response_free(r);
	r = aget(w.eve, "/items/%lld", (long long)w.in_garden);
	assert_true(strstr(r->body, "edit-note-") == NULL);
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(hosts_and_moderators_edit_with_a_note),
		T(others_may_not_edit),
		T(the_form_asks_a_moderator_why),
		cmocka_unit_test_setup_teardown(comments_after_their_window, clock_server_setup, teardown_releasing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
