/* test_ladder: the steps that follow warnings by themselves
 * (features/ladder.h) — a posting cool-down enforced and lifted, an
 * automatic suspension with its end told exactly once, a member put before
 * the moderators for a decision on exclusion that the ladder never takes
 * itself — and content hidden by itself when enough established members
 * report it (and not newcomers), shown again when its reports are
 * dismissed. The settings are an admin's. */
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* root (admin) hosts plaza, where bo, eve and ana are; mo moderates. */
struct world {
	const struct server *s;
	struct actor *root, *ana, *bo, *eve, *mo;
	int64_t question; /* ana's, in plaza */
};

static void world_build(struct world *w, const struct server *s)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	sign_up_cast(s, &w->root, &w->ana, &w->bo, &w->eve);
	w->mo = staff(s, "mo", "--moderator");
	make_community(w->root, "plaza", "Plaza", "public", "open");
	bring_in(w->root, "plaza", w->ana);
	bring_in(w->root, "plaza", w->bo);
	bring_in(w->root, "plaza", w->eve);
	w->question = ask(w->ana, "plaza", "Where do zebrafinches nest", "Asking for the plaza.");
}

static void warn(struct actor *by, const char *handle, const char *reason, const char *step)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/people/%s/warn", handle);
	struct response *r = apost(by, path, json_pack("{s:s}", "reason", reason));
	assert_status(r, 201);
	assert_jstr(r, "step", step);
	response_free(r);
}

static long comment(struct actor *a, int64_t item)
{
	struct response *r = item_post(a, item, "comments", json_pack("{s:s}", "body", "A comment"));
	long status = r->status;
	response_free(r);
	return status;
}

/* ---- the cool-down ------------------------------------------------------------------- */

static void cool_down_is_enforced_and_lifted(void **state)
{
	struct world w;
	world_build(&w, *state);
	warn(w.mo, "bo", "Rude", "none");
	assert_int_equal(comment(w.bo, w.question), 201);
	assert_int_equal(comment(w.bo, w.question), 201);
	warn(w.mo, "bo", "Rude again", "cooldown");
	/* one post an hour: the first goes, the next is told when */
	assert_int_equal(comment(w.bo, w.question), 201);
	struct response *r = item_post(w.bo, w.question, "comments", json_pack("{s:s}", "body", "Too soon"));
	assert_status(r, 429);
	assert_string_equal(response_jstr(r, "error.code"), "cooldown");
	assert_non_null(strstr(response_jstr(r, "error.message"), "You may post again at"));
	assert_non_null(response_header(r, "Retry-After"));
	response_free(r);
	/* a new post too, and the HTML form says the same */
	r = post_item(w.bo, "plaza", json_pack("{s:s, s:s, s:s}", "kind", "question", "title", "Another", "body", "Q"));
	assert_status(r, 429);
	response_free(r);
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/comments", (long long)w.question);
	const char *fields[] = {"body", "From the form", NULL};
	r = fpost(w.bo, path, fields);
	assert_status(r, 429);
	assert_body_contains(r, "posting cool-down");
	response_free(r);
	/* others post as they like */
	assert_int_equal(comment(w.eve, w.question), 201);
	assert_int_equal(comment(w.eve, w.question), 201);
	/* the member sees it in their standing */
	r = aget(w.bo, "/api/v1/settings/standing");
	assert_int_equal(jint(r, "cooldown.minutes"), 60);
	assert_false(json_is_true(json_path(r->json, "cooldown.may_post")));
	response_free(r);
	/* an hour later, one more */
	test_clock_advance(3600);
	assert_int_equal(comment(w.bo, w.question), 201);
	assert_int_equal(comment(w.bo, w.question), 429);
	/* after seven days it is over */
	test_clock_advance(7 * 86400);
	assert_int_equal(comment(w.bo, w.question), 201);
	assert_int_equal(comment(w.bo, w.question), 201);
	r = aget(w.bo, "/api/v1/settings/standing");
	assert_null(json_path(r->json, "cooldown"));
	response_free(r);
	/* the step is in the audit log, without an actor */
	assert_string_equal(sql_rows(w.s, "SELECT action, CASE WHEN actor_id IS NULL THEN 'automatic' ELSE 'mo' END FROM audit_log"
					  " WHERE action IN ('member.warned', 'member.cooldown') ORDER BY id"),
			    "member.warned|mo\nmember.warned|mo\nmember.cooldown|automatic\n");
}

/* ---- the automatic suspension --------------------------------------------------------- */

static void automatic_suspension_ends_and_is_told_once(void **state)
{
	struct world w;
	world_build(&w, *state);
	warn(w.mo, "bo", "One", "none");
	warn(w.mo, "bo", "Two", "cooldown");
	warn(w.mo, "bo", "Three", "suspended");
	struct response *r = aget(w.bo, "/api/v1/me");
	assert_jstr(r, "status", "suspended");
	assert_jstr(r, "suspension_reason", "automatic: 3 warnings");
	response_free(r);
	assert_int_equal(comment(w.bo, w.question), 403);
	/* told why and until when, on every page and in their standing */
	r = aget(w.bo, "/c/plaza");
	assert_body_contains(r, "You are suspended until");
	assert_body_contains(r, "automatic: 3 warnings");
	response_free(r);
	r = aget(w.bo, "/api/v1/settings/standing");
	assert_jstr(r, "status", "suspended");
	assert_jstr(r, "suspension.reason", "automatic: 3 warnings");
	assert_int_equal(jlen(r, "warnings"), 3);
	response_free(r);
	r = aget(w.bo, "/notifications");
	assert_body_contains(r, "Your account is suspended: automatic: 3 warnings");
	response_free(r);
	assert_string_equal(sql_rows(w.s, "SELECT COALESCE(actor_id, 0), reason FROM audit_log"
					  " WHERE action = 'member.suspended'"),
			    "0|automatic: 3 warnings\n");
	/* mailed at once, as a moderator's suspension is */
	assert_string_equal(sql_rows(w.s, "SELECT o.kind FROM mail_outbox o JOIN users u ON u.id = o.user_id"
					  " WHERE u.handle = 'bo' AND o.kind = 'account_suspended'"),
			    "account_suspended\n");
	/* seven days on it ends; the maintenance tells them, once, however
	 * often it runs */
	test_clock_advance(7 * 86400 + 3600);
	usleep(1500 * 1000);
	jobs_settle(w.s);
	test_clock_advance(3600);
	usleep(1500 * 1000);
	jobs_settle(w.s);
	assert_string_equal(sql_rows(w.s, "SELECT status FROM users WHERE handle = 'bo'"), "active\n");
	assert_string_equal(sql_rows(w.s, "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id"
					  " WHERE u.handle = 'bo' AND n.kind = 'unsuspended'"),
			    "1\n");
	r = aget(w.bo, "/notifications");
	assert_body_contains(r, "Your suspension has ended");
	response_free(r);
	/* the warnings have not lapsed: the cool-down's step is over too */
	r = aget(w.bo, "/api/v1/settings/standing");
	assert_jstr(r, "status", "active");
	response_free(r);
}

/* ---- the decision on exclusion ----------------------------------------------------------- */

static void the_ladder_asks_for_a_decision(void **state)
{
	struct world w;
	world_build(&w, *state);
	warn(w.mo, "bo", "One", "none");
	warn(w.mo, "bo", "Two", "cooldown");
	warn(w.mo, "bo", "Three", "suspended");
	struct response *r = aget(w.mo, "/api/v1/moderation");
	assert_int_equal(jlen(r, "decisions"), 0);
	response_free(r);
	warn(w.mo, "bo", "Four", "decision");
	/* never excluded by itself */
	assert_string_equal(sql_rows(w.s, "SELECT status FROM users WHERE handle = 'bo'"), "suspended\n");
	r = aget(w.mo, "/api/v1/moderation");
	assert_int_equal(jlen(r, "decisions"), 1);
	assert_string_equal(jat_str(r, "decisions", 0, "handle"), "bo");
	assert_int_equal(json_integer_value(jat(r, "decisions", 0, "warnings")), 4);
	response_free(r);
	r = aget(w.mo, "/moderation");
	assert_body_contains(r, "Decide on exclusion");
	assert_body_contains(r, "/people/bo/keep");
	response_free(r);
	/* a member may not decide */
	r = apost(w.eve, "/api/v1/people/bo/keep", json_object());
	assert_status(r, 403);
	response_free(r);
	/* the moderator keeps them: the flag goes */
	r = apost(w.mo, "/api/v1/people/bo/keep", json_pack("{s:s}", "note", "Talked to them"));
	assert_status(r, 200);
	response_free(r);
	r = apost(w.mo, "/api/v1/people/bo/keep", json_object());
	assert_status(r, 409);
	response_free(r);
	r = aget(w.mo, "/api/v1/moderation");
	assert_int_equal(jlen(r, "decisions"), 0);
	response_free(r);
	assert_string_equal(sql_rows(w.s, "SELECT action, CASE WHEN actor_id IS NULL THEN 'automatic' ELSE 'mo' END FROM audit_log"
					  " WHERE action IN ('member.exclusion_proposed', 'member.kept') ORDER BY id"),
			    "member.exclusion_proposed|automatic\nmember.kept|mo\n");
	/* a flagged member who is excluded leaves the list, for good: the
	 * decision is taken, even when they are reinstated later */
	warn(w.mo, "bo", "Five", "decision");
	r = apost(w.mo, "/api/v1/people/bo/exclude", json_pack("{s:s}", "reason", "Enough"));
	assert_status(r, 200);
	response_free(r);
	r = aget(w.mo, "/api/v1/moderation");
	assert_int_equal(jlen(r, "decisions"), 0);
	response_free(r);
	r = apost(w.mo, "/api/v1/people/bo/reinstate", json_object());
	assert_status(r, 200);
	response_free(r);
	r = aget(w.mo, "/api/v1/moderation");
	assert_int_equal(jlen(r, "decisions"), 0);
	response_free(r);
}

/* ---- the settings ---------------------------------------------------------------------- */

static void settings_change_the_steps(void **state)
{
	struct world w;
	world_build(&w, *state);
	struct response *r = aget(w.mo, "/api/v1/admin/moderation-settings");
	assert_status(r, 403);
	response_free(r);
	r = apost(w.root, "/api/v1/admin/moderation-settings", json_pack("{s:s}", "ladder_suspend_after", "-1"));
	assert_invalid_field(r, "ladder_suspend_after");
	response_free(r);
	/* the first warning cools down; suspension never */
	r = apost(w.root, "/api/v1/admin/moderation-settings",
		  json_pack("{s:s, s:s, s:s, s:s}", "ladder_cooldown_after", "1", "ladder_cooldown_minutes", "5",
			    "ladder_suspend_after", "0", "ladder_decide_after", "0"));
	assert_status(r, 200);
	response_free(r);
	r = aget(w.root, "/admin/moderation-settings");
	assert_status(r, 200);
	assert_body_contains(r, "value=\"5\"");
	response_free(r);
	warn(w.mo, "bo", "One", "cooldown");
	warn(w.mo, "bo", "Two", "cooldown");
	warn(w.mo, "bo", "Three", "cooldown");
	assert_int_equal(comment(w.bo, w.question), 201);
	assert_int_equal(comment(w.bo, w.question), 429);
	test_clock_advance(5 * 60);
	assert_int_equal(comment(w.bo, w.question), 201);
	assert_string_equal(sql_rows(w.s, "SELECT COUNT(*) FROM audit_log WHERE action = 'site.settings'"
					  " AND detail LIKE '%ladder_cooldown_minutes%'"), "1\n");
}

/* ---- hidden by itself --------------------------------------------------------------------- */

/* Makes the member established: an account older than 30 days with five
 * posts. */
static void establish(struct world *w, struct actor *a)
{
	for (int i = 0; i < 5; i++)
		ask(a, "plaza", "An established question", "Body");
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE users SET created_at = created_at - 40 * 86400 WHERE handle = '%s'",
		 a->handle);
	run_sql(w->s, sql);
}

static void report_it(struct actor *a, int64_t item)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/items/%lld/report", (long long)item);
	struct response *r = apost(a, path, json_pack("{s:s}", "reason", "spam"));
	assert_status(r, 201);
	response_free(r);
}

static long seen_by(struct actor *a, int64_t item)
{
	struct response *r = aget(a, "/api/v1/items/%lld", (long long)item);
	long status = r->status;
	response_free(r);
	return status;
}

static void established_reporters_hide_content(void **state)
{
	struct world w;
	world_build(&w, *state);
	unlimited_posting(w.root);
	struct response *r = apost(w.root, "/api/v1/admin/moderation-settings",
				   json_pack("{s:s}", "autohide_reports", "2"));
	assert_status(r, 200);
	response_free(r);
	struct actor *new1 = member(w.s, "newa"), *new2 = member(w.s, "newb"), *new3 = member(w.s, "newc");
	bring_in(w.root, "plaza", new1);
	bring_in(w.root, "plaza", new2);
	bring_in(w.root, "plaza", new3);
	establish(&w, w.eve);
	establish(&w, w.ana);
	int64_t spam = ask(w.bo, "plaza", "Buy cheap things", "Now");
	/* newcomers: not hidden, however many */
	report_it(new1, spam);
	report_it(new2, spam);
	report_it(new3, spam);
	assert_int_equal(seen_by(new1, spam), 200);
	/* one established member: not yet */
	report_it(w.eve, spam);
	assert_int_equal(seen_by(new1, spam), 200);
	/* the second: hidden pending review, from lists and search too */
	report_it(w.ana, spam);
	assert_int_equal(seen_by(new1, spam), 404);
	r = aget(new1, "/api/v1/c/plaza");
	assert_false(list_has_id(r, "stream.items", spam));
	response_free(r);
	assert_int_equal(seen_by(w.bo, spam), 200); /* its author still sees it */
	r = aget(w.mo, "/api/v1/moderation");
	json_t *o = NULL;
	for (size_t i = 0; i < jlen(r, "items"); i++)
		if (json_integer_value(jat(r, "items", i, "id")) == spam)
			o = jat(r, "items", i, "hidden_automatically");
	assert_true(json_is_true(o));
	response_free(r);
	r = aget(w.mo, "/moderation");
	assert_body_contains(r, "Hidden automatically, pending review");
	response_free(r);
	assert_string_equal(sql_rows(w.s, "SELECT COALESCE(actor_id, 0), detail FROM audit_log"
					  " WHERE action = 'content.hidden_automatically'"),
			    "0|{\"reports\":2}\n");
	/* the moderator dismisses the reports: it is shown again */
	char path[96];
	snprintf(path, sizeof path, "/api/v1/moderation/item/%lld", (long long)spam);
	r = apost(w.mo, path, json_pack("{s:s}", "action", "dismiss"));
	assert_status(r, 200);
	assert_false(json_is_true(json_path(r->json, "hidden")));
	response_free(r);
	assert_int_equal(seen_by(new1, spam), 200);
	/* a moderator's own hiding stays when reports are dismissed */
	report_it(w.eve, spam);
	snprintf(path, sizeof path, "/api/v1/moderation/item/%lld", (long long)spam);
	r = apost(w.mo, path, json_pack("{s:s}", "action", "hide"));
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(seen_by(new1, spam), 404);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(cool_down_is_enforced_and_lifted, clock_server_setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(automatic_suspension_ends_and_is_told_once, clock_server_setup,
						teardown_releasing),
		cmocka_unit_test_setup_teardown(the_ladder_asks_for_a_decision, clock_server_setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(settings_change_the_steps, clock_server_setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(established_reporters_hide_content, clock_server_setup,
						teardown_releasing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
