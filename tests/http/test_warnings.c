/* test_warnings: moderators and hosts warn members (features/warnings.h):
 * who may warn whom, in which community and about what; the member sees
 * their warnings in their standing and is told in their own language, in
 * the app and by e-mail; moderators see the history on the member's page;
 * each warning is one audit entry. */
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* root (admin) hosts plaza; ana hosts garden; mo and max are moderators;
 * bo and eve are members of both. */
struct world {
	const struct server *s;
	struct actor *root, *ana, *bo, *eve, *mo, *max;
	int64_t eve_in_garden, bo_in_plaza, bo_comment_in_garden;
};

static void world_build(struct world *w, const struct server *s)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	sign_up_cast(s, &w->root, &w->ana, &w->bo, &w->eve);
	w->mo = staff(s, "mo", "--moderator");
	w->max = staff(s, "max", "--moderator");
	make_community(w->root, "plaza", "Plaza", "public", "open");
	make_community(w->root, "garden", "Garden", "public", "open");
	bring_in(w->root, "plaza", w->bo);
	bring_in(w->root, "plaza", w->eve);
	bring_in(w->root, "garden", w->ana);
	bring_in(w->root, "garden", w->bo);
	bring_in(w->root, "garden", w->eve);
	bring_in(w->root, "garden", w->mo);
	set_role(w->root, "garden", "ana", "host");
	set_role(w->root, "garden", "root", "member");
	w->eve_in_garden = ask(w->eve, "garden", "Which tulips flower first", "In the garden.");
	w->bo_in_plaza = ask(w->bo, "plaza", "Lunch on the plaza", "Where?");
	struct response *r = item_post(w->bo, w->eve_in_garden, "comments", json_pack("{s:s}", "body", "Nonsense"));
	assert_status(r, 201);
	w->bo_comment_in_garden = jint(r, "id");
	response_free(r);
}

/* Warns handle with the reason and the optional subject or community. */
static struct response *warn(struct actor *by, const char *handle, const char *reason, const char *kind, int64_t id,
			     const char *community)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/people/%s/warn", handle);
	json_t *body = json_object();
	if (reason)
		json_object_set_new(body, "reason", json_string(reason));
	if (kind) {
		json_object_set_new(body, "subject_kind", json_string(kind));
		json_object_set_new(body, "subject_id", json_integer(id));
	}
	if (community)
		json_object_set_new(body, "community", json_string(community));
	return apost(by, path, body);
}

static void expect(struct response *r, long status, const char *code)
{
	assert_status(r, status);
	if (code)
		assert_string_equal(response_jstr(r, "error.code"), code);
	response_free(r);
}

/* ---- who may warn whom ---------------------------------------------------------- */

static void who_may_warn_whom(void **state)
{
	struct world w;
	world_build(&w, *state);
	/* members warn nobody */
	expect(warn(w.bo, "eve", "Rude", NULL, 0, NULL), 403, "forbidden");
	expect(warn(w.bo, "eve", "Rude", NULL, 0, "garden"), 403, "forbidden");
	/* a host warns a member about content in their community … */
	expect(warn(w.ana, "eve", "Off topic", "item", w.eve_in_garden, NULL), 201, NULL);
	expect(warn(w.ana, "bo", "Be kind", "comment", w.bo_comment_in_garden, NULL), 201, NULL);
	expect(warn(w.ana, "eve", "In the garden", NULL, 0, "garden"), 201, NULL);
	/* … but not elsewhere, not about nothing, and not staff */
	expect(warn(w.ana, "bo", "Not here", "item", w.bo_in_plaza, NULL), 403, "forbidden");
	expect(warn(w.ana, "bo", "Not here", NULL, 0, "plaza"), 403, "forbidden");
	expect(warn(w.ana, "bo", "Nowhere", NULL, 0, NULL), 403, "forbidden");
	expect(warn(w.ana, "mo", "Staff", NULL, 0, "garden"), 403, "forbidden");
	/* … nor a member of the site who is not in their community */
	member(w.s, "zed");
	expect(warn(w.ana, "zed", "Outside", NULL, 0, "garden"), 403, "forbidden");
	/* nobody warns themselves */
	expect(warn(w.ana, "ana", "Me", NULL, 0, "garden"), 403, "forbidden");
	expect(warn(w.mo, "mo", "Me", NULL, 0, NULL), 403, "forbidden");
	expect(warn(w.root, "root", "Me", NULL, 0, NULL), 403, "forbidden");
	/* a moderator warns members anywhere, not other staff */
	expect(warn(w.mo, "bo", "Spam on the plaza", "item", w.bo_in_plaza, NULL), 201, NULL);
	expect(warn(w.mo, "max", "Staff", NULL, 0, NULL), 403, "forbidden");
	expect(warn(w.mo, "root", "Staff", NULL, 0, NULL), 403, "forbidden");
	/* an admin warns a moderator */
	expect(warn(w.root, "max", "Mind the tone", NULL, 0, NULL), 201, NULL);
	/* the subject must be theirs; a reason is needed; no such member */
	expect(warn(w.ana, "eve", "Not hers", "comment", w.bo_comment_in_garden, NULL), 422, "invalid");
	expect(warn(w.mo, "bo", NULL, NULL, 0, NULL), 422, "invalid");
	expect(warn(w.mo, "bo", "   ", NULL, 0, NULL), 422, "invalid");
	expect(warn(w.mo, "nobody", "Who", NULL, 0, NULL), 404, "not_found");
	/* one warning and one audit entry for each that was given */
	assert_string_equal(sql_rows(w.s, "SELECT COUNT(*) FROM warnings"), "5\n");
	assert_string_equal(sql_rows(w.s, "SELECT u.handle, a.handle, COALESCE(c.slug, '-'), e.reason FROM audit_log e"
					  " JOIN users u ON u.id = e.subject_id JOIN users a ON a.id = e.actor_id"
					  " LEFT JOIN communities c ON c.id = e.community_id"
					  " WHERE e.action = 'member.warned' ORDER BY e.id"),
			    "eve|ana|garden|Off topic\nbo|ana|garden|Be kind\neve|ana|garden|In the garden\n"
			    "bo|mo|plaza|Spam on the plaza\nmax|root|-|Mind the tone\n");
	/* the garden's hosts see theirs in the community's log */
	struct response *r = aget(w.ana, "/api/v1/c/garden/audit?action=member.warned");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "items"), 3);
	response_free(r);
	/* the queue offers each what they may do about the author */
	char path[96];
	snprintf(path, sizeof path, "/api/v1/items/%lld/report", (long long)w.eve_in_garden);
	r = apost(w.bo, path, json_pack("{s:s}", "reason", "spam"));
	assert_status(r, 201);
	response_free(r);
	r = aget(w.ana, "/moderation");
	assert_body_contains(r, "/people/eve/warn");
	assert_body_contains(r, "Off topic"); /* the earlier warning */
	assert_body_lacks(r, "/people/eve/suspend");
	response_free(r);
	r = aget(w.mo, "/moderation");
	assert_body_contains(r, "/people/eve/warn");
	assert_body_contains(r, "/people/eve/suspend");
	assert_body_contains(r, "/people/eve/exclude");
	response_free(r);
	/* the HTML form goes back to the queue when asked to */
	const char *fields[] = {"reason", "Once more", "return", "/moderation", NULL};
	r = fpost(w.mo, "/people/bo/warn", fields);
	assert_status(r, 303);
	assert_header_contains(r, "Location", "/moderation");
	response_free(r);
	/* and so do the queue's suspend and exclude forms */
	char day[16];
	time_t week = time(NULL) + 7 * 86400;
	strftime(day, sizeof day, "%Y-%m-%d", gmtime(&week));
	const char *suspending[] = {"until", day, "reason", "Cool off", "return", "/moderation", NULL};
	r = fpost(w.mo, "/people/eve/suspend", suspending);
	assert_status(r, 303);
	assert_header_contains(r, "Location", "/moderation");
	response_free(r);
}

/* ---- the member sees them ---------------------------------------------------------- */

static void warnings_are_visible_to_the_member(void **state)
{
	struct world w;
	world_build(&w, *state);
	struct response *r = aget(w.eve, "/api/v1/settings/standing");
	assert_status(r, 200);
	assert_jstr(r, "status", "active");
	assert_int_equal(jlen(r, "warnings"), 0);
	response_free(r);
	expect(warn(w.ana, "eve", "Stay on topic, please", "item", w.eve_in_garden, NULL), 201, NULL);
	r = aget(w.eve, "/api/v1/settings/standing");
	assert_int_equal(jlen(r, "warnings"), 1);
	assert_string_equal(jat_str(r, "warnings", 0, "reason"), "Stay on topic, please");
	assert_string_equal(json_string_value(json_object_get(jat(r, "warnings", 0, "community"), "slug")), "garden");
	assert_non_null(jat_str(r, "warnings", 0, "created_iso"));
	/* the member is not told who warned them */
	assert_false(json_is_object(jat(r, "warnings", 0, "by")));
	response_free(r);
	r = aget(w.eve, "/settings/standing");
	assert_status(r, 200);
	assert_body_contains(r, "Stay on topic, please");
	response_free(r);
	/* their own only */
	r = aget(w.bo, "/api/v1/settings/standing");
	assert_int_equal(jlen(r, "warnings"), 0);
	response_free(r);
	/* moderators see the history on the member's page, with who warned */
	r = aget(w.mo, "/api/v1/people/eve");
	assert_string_equal(jat_str(r, "moderation.warnings", 0, "reason"), "Stay on topic, please");
	assert_string_equal(json_string_value(json_object_get(jat(r, "moderation.warnings", 0, "by"), "handle")), "ana");
	response_free(r);
	r = aget(w.bo, "/api/v1/people/eve");
	assert_null(json_path(r->json, "moderation"));
	response_free(r);
	/* told in the bell, leading to their standing */
	r = aget(w.eve, "/api/v1/notifications");
	assert_string_equal(jat_str(r, "items", 0, "kind"), "warning");
	assert_string_equal(jat_str(r, "items", 0, "reason"), "Stay on topic, please");
	assert_string_equal(jat_str(r, "items", 0, "url"), "/settings/standing");
	response_free(r);
	/* an excluded member is warned no more */
	r = apost(w.root, "/api/v1/people/eve/exclude", json_pack("{s:s}", "reason", "Gone"));
	assert_status(r, 200);
	response_free(r);
	expect(warn(w.mo, "eve", "Again", NULL, 0, NULL), 409, "wrong_state");
}

/* ---- in their language ----------------------------------------------------------------- */

static void told_in_their_language(void **state)
{
	struct world w;
	world_build(&w, *state);
	struct response *r = apost(w.eve, "/api/v1/settings", json_pack("{s:s, s:s}", "name", "Eve", "locale", "sv"));
	assert_status(r, 200);
	response_free(r);
	r = apost(w.bo, "/api/v1/settings", json_pack("{s:s, s:s}", "name", "Bo", "locale", "nl"));
	assert_status(r, 200);
	response_free(r);
	/* the moderator's own language is English */
	expect(warn(w.mo, "eve", "Inga länkar till spam", NULL, 0, NULL), 201, NULL);
	expect(warn(w.mo, "bo", "Geen spam", NULL, 0, NULL), 201, NULL);
	r = aget(w.eve, "/notifications");
	assert_body_contains(r, "Du har fått en varning: Inga länkar till spam");
	response_free(r);
	r = aget(w.bo, "/notifications");
	assert_body_contains(r, "Je hebt een waarschuwing gekregen: Geen spam");
	response_free(r);
	/* by e-mail at once, as the kind's default says */
	jobs_settle(w.s);
	assert_string_equal(sql_rows(w.s, "SELECT u.handle, o.subject FROM mail_outbox o JOIN users u ON u.id = o.user_id"
					  " WHERE o.kind = 'notification_warning' ORDER BY u.handle"),
			    "bo|Je hebt een waarschuwing gekregen: Geen spam\n"
			    "eve|Du har fått en varning: Inga länkar till spam\n");
	/* a member who chose not to be mailed about warnings is not */
	r = apost(w.eve, "/api/v1/settings/notifications", json_pack("{s:s}", "warning", "off"));
	assert_status(r, 200);
	response_free(r);
	expect(warn(w.mo, "eve", "Nog en", NULL, 0, NULL), 201, NULL);
	jobs_settle(w.s);
	assert_string_equal(sql_rows(w.s, "SELECT COUNT(*) FROM mail_outbox o JOIN users u ON u.id = o.user_id"
					  " WHERE o.kind = 'notification_warning' AND u.handle = 'eve'"),
			    "1\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(who_may_warn_whom, server_setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(warnings_are_visible_to_the_member, server_setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(told_in_their_language, server_setup, teardown_releasing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
