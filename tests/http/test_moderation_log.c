/* test_moderation_log: a community's hosts may make its moderation log
 * public; then whoever reads the community reads when what was moderated
 * in it, and nothing private (features/moderation_log.h). And admins see
 * who holds which role at /admin/roles and change roles from there through
 * the routes that keep the rules (features/admin_roles.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* root (admin) founded plaza (public, open), where ana hosts and bo and
 * eve are members; mo is a moderator; zed a member of no community. */
struct world {
	const struct server *s;
	struct actor *root, *ana, *bo, *eve, *mo, *zed, *visitor;
	int64_t question; /* bo's, in plaza */
};

static void world_build(struct world *w, const struct server *s)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	sign_up_cast(s, &w->root, &w->ana, &w->bo, &w->eve);
	w->mo = staff(s, "mo", "--moderator");
	w->zed = member(s, "zed");
	w->visitor = visitor(s);
	make_community(w->root, "plaza", "Plaza", "public", "open");
	bring_in(w->root, "plaza", w->ana);
	bring_in(w->root, "plaza", w->bo);
	bring_in(w->root, "plaza", w->eve);
	set_role(w->root, "plaza", "ana", "host");
	w->question = ask(w->bo, "plaza", "Cheap watches", "Buy them here.");
}

static struct response *set_public(struct actor *a, const char *slug, bool on)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/c/%s/moderation-log/settings", slug);
	return apost(a, path, json_pack("{s:b}", "public", on));
}

static struct response *act(struct actor *a, int64_t id, const char *action, const char *note)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/moderation/item/%lld", (long long)id);
	json_t *body = json_pack("{s:s}", "action", action);
	if (note)
		json_object_set_new(body, "note", json_string(note));
	return apost(a, path, body);
}

static void off_until_its_hosts_turn_it_on(void **state)
{
	struct world w;
	world_build(&w, *state);
	struct actor *all[] = {w.root, w.ana, w.eve, w.visitor};
	for (size_t i = 0; i < 4; i++)
		expect_status(aget(all[i], "/api/v1/c/plaza/moderation-log"), 404, "not_found");
	struct response *r = aget(w.eve, "/c/plaza");
	assert_body_lacks(r, "/c/plaza/moderation-log");
	response_free(r);
	/* only its hosts and admins set it */
	expect_status(set_public(w.eve, "plaza", true), 403, "forbidden");
	expect_status(set_public(w.mo, "plaza", true), 403, "forbidden");
	expect_status(set_public(w.visitor, "plaza", true), 401, NULL);
	r = aget(w.ana, "/c/plaza/edit");
	assert_body_contains(r, "action=\"/c/plaza/moderation-log/settings\"");
	response_free(r);
	r = fpost(w.ana, "/c/plaza/moderation-log/settings", (const char *const[]){"public", "true", NULL});
	assert_status(r, 303);
	assert_header_contains(r, "Location", "/c/plaza/edit");
	response_free(r);
	for (size_t i = 0; i < 4; i++)
		expect_status(aget(all[i], "/api/v1/c/plaza/moderation-log"), 200, NULL);
	r = aget(w.eve, "/c/plaza");
	assert_body_contains(r, "href=\"/c/plaza/moderation-log\"");
	response_free(r);
	/* turning it on and off is recorded */
	expect_status(set_public(w.root, "plaza", false), 200, NULL);
	expect_status(aget(w.eve, "/api/v1/c/plaza/moderation-log"), 404, "not_found");
	r = aget(w.ana, "/api/v1/c/plaza/audit?action=community.moderation_log");
	assert_int_equal(jlen(r, "items"), 2);
	response_free(r);
}

static void entries_without_private_details(void **state)
{
	struct world w;
	world_build(&w, *state);
	expect_status(set_public(w.ana, "plaza", true), 200, NULL);
	struct response *r = item_post(w.eve, w.question, "report",
				       json_pack("{s:s, s:s}", "reason", "other", "note", "REPORTER-NOTE"));
	assert_status(r, 201);
	response_free(r);
	expect_status(act(w.ana, w.question, "hide", "HOST-NOTE"), 200, NULL);
	expect_status(act(w.mo, w.question, "unhide", NULL), 200, NULL);
	expect_status(apost(w.ana, "/api/v1/c/plaza/members/bo/ban", json_pack("{s:s}", "reason", "BAN-REASON")), 200, NULL);
	expect_status(apost(w.ana, "/api/v1/c/plaza/members/bo/unban", json_object()), 200, NULL);
	expect_status(apost(w.ana, "/api/v1/people/eve/warn", json_pack("{s:s, s:s}", "reason", "WARN-REASON", "community",
								"plaza")), 201, NULL);
	/* what is not moderation stays out */
	set_role(w.ana, "plaza", "eve", "host");
	expect_status(apost(w.ana, "/api/v1/c/plaza/members/eve/ambassador", json_object()), 200, NULL);
	r = aget(w.visitor, "/api/v1/c/plaza/moderation-log");
	assert_status(r, 200);
	const char *want[] = {"member.warned", "member.unbanned", "member.banned", "content.unhidden", "content.hidden"};
	assert_int_equal(jlen(r, "items"), 5);
	for (size_t i = 0; i < 5; i++) {
		json_t *e = json_array_get(json_path(r->json, "items"), i);
		assert_string_equal(json_string_value(json_object_get(e, "action")), want[i]);
		assert_non_null(json_string_value(json_object_get(e, "created_iso")));
	}
	assert_string_equal(json_string_value(json_path(json_array_get(json_path(r->json, "items"), 0), "subject.kind")),
			    "member");
	assert_string_equal(json_string_value(json_path(json_array_get(json_path(r->json, "items"), 0),
							"subject.kind_label")),
			    "a member");
	assert_string_equal(json_string_value(json_path(json_array_get(json_path(r->json, "items"), 4), "subject.kind")),
			    "item");
	/* no names, reasons or notes */
	const char *secrets[] = {"REPORTER-NOTE", "HOST-NOTE", "BAN-REASON", "WARN-REASON", "\"bo\"", "\"eve\"", "\"ana\"",
				 "\"mo\"", "Cheap watches", "actor", "reason"};
	for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++)
		assert_body_lacks(r, secrets[i]);
	response_free(r);
	r = aget(w.eve, "/c/plaza/moderation-log");
	assert_status(r, 200);
	assert_body_contains(r, "Member banned from the community");
	assert_body_contains(r, "Content hidden");
	assert_body_lacks(r, "BAN-REASON");
	assert_body_lacks(r, "HOST-NOTE");
	assert_body_lacks(r, "/people/bo");
	response_free(r);
}

static void a_page_at_a_time(void **state)
{
	struct world w;
	world_build(&w, *state);
	expect_status(set_public(w.ana, "plaza", true), 200, NULL);
	for (int i = 0; i < 26; i++) {
		expect_status(act(w.ana, w.question, "hide", NULL), 200, NULL);
		expect_status(act(w.ana, w.question, "unhide", NULL), 200, NULL);
	}
	struct response *r = aget(w.eve, "/api/v1/c/plaza/moderation-log");
	assert_int_equal(jlen(r, "items"), 50);
	const char *next = response_jstr(r, "next");
	assert_non_null(next);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/c/plaza/moderation-log?cursor=%s", next);
	response_free(r);
	r = aget(w.eve, "%s", path);
	assert_int_equal(jlen(r, "items"), 2);
	assert_true(json_is_null(json_path(r->json, "next")));
	response_free(r);
	expect_status(aget(w.eve, "/api/v1/c/plaza/moderation-log?cursor=x"), 400, "invalid");
}

static void a_private_community_stays_private(void **state)
{
	struct world w;
	world_build(&w, *state);
	make_community(w.root, "den", "Den", "private", "invite");
	bring_in(w.root, "den", w.bo);
	expect_status(set_public(w.root, "den", true), 200, NULL);
	expect_status(aget(w.bo, "/api/v1/c/den/moderation-log"), 200, NULL);
	expect_status(aget(w.zed, "/api/v1/c/den/moderation-log"), 404, "not_found");
	expect_status(aget(w.visitor, "/api/v1/c/den/moderation-log"), 404, "not_found");
	expect_status(aget(w.mo, "/api/v1/c/den/moderation-log"), 404, "not_found");
	expect_status(set_public(w.mo, "den", false), 404, "not_found");
	/* a members-only community: members, not visitors */
	make_community(w.root, "hall", "Hall", "members", "open");
	expect_status(set_public(w.root, "hall", true), 200, NULL);
	expect_status(aget(w.zed, "/api/v1/c/hall/moderation-log"), 200, NULL);
	expect_status(aget(w.visitor, "/api/v1/c/hall/moderation-log"), 404, "not_found");
}

/* ---- roles for admins ------------------------------------------------------- */

/* Whether the list at path of /api/v1/admin/roles has the handle. */
static bool listed(struct actor *admin, const char *path, const char *handle)
{
	struct response *r = aget(admin, "/api/v1/admin/roles");
	assert_status(r, 200);
	bool found = list_has_str(r, path, "handle", handle);
	response_free(r);
	return found;
}

static void admins_see_and_change_roles(void **state)
{
	struct world w;
	world_build(&w, *state);
	expect_status(apost(w.ana, "/api/v1/c/plaza/members/bo/ambassador", json_object()), 200, NULL);
	make_community(w.root, "den", "Den", "private", "invite");
	/* others may not look */
	expect_status(aget(w.ana, "/api/v1/admin/roles"), 403, "forbidden");
	expect_status(aget(w.mo, "/api/v1/admin/roles"), 403, "forbidden");
	expect_status(aget(w.visitor, "/api/v1/admin/roles"), 401, NULL);
	struct response *r = aget(w.root, "/api/v1/admin/roles");
	assert_status(r, 200);
	assert_true(list_has_str(r, "staff", "handle", "root"));
	assert_true(list_has_str(r, "staff", "handle", "mo"));
	assert_false(list_has_str(r, "staff", "handle", "ana"));
	json_t *plaza = NULL;
	size_t i;
	json_t *c;
	json_array_foreach(json_path(r->json, "communities"), i, c)
		if (strcmp(json_string_value(json_object_get(c, "slug")), "plaza") == 0)
			plaza = c;
	assert_non_null(plaza);
	assert_int_equal(json_array_size(json_object_get(plaza, "hosts")), 2);
	assert_int_equal(json_array_size(json_object_get(plaza, "ambassadors")), 1);
	assert_string_equal(json_string_value(json_path(json_array_get(json_object_get(plaza, "ambassadors"), 0), "handle")),
			    "bo");
	response_free(r);
	/* the page's forms lead to the routes that change each role */
	r = aget(w.root, "/admin/roles");
	assert_status(r, 200);
	assert_body_contains(r, "action=\"/c/plaza/members/bo/ambassador/revoke\"");
	assert_body_contains(r, "action=\"/c/plaza/members/ana/role\"");
	assert_body_contains(r, "/admin/users/");
	response_free(r);
	/* a member looked up by handle: every role they hold or could be
	 * given, each form leading to the route that keeps its rules */
	r = aget(w.root, "/api/v1/admin/roles?handle=eve");
	assert_status(r, 200);
	assert_jstr(r, "member.handle", "eve");
	assert_jstr(r, "member.role", "member");
	assert_int_equal(jlen(r, "member.communities"), 1);
	assert_false(json_is_true(json_path(json_array_get(json_path(r->json, "member.communities"), 0), "is_host")));
	response_free(r);
	r = aget(w.root, "/admin/roles?handle=eve");
	assert_status(r, 200);
	assert_body_contains(r, "action=\"/c/plaza/members/eve/ambassador\"");
	assert_body_contains(r, "action=\"/c/plaza/members/eve/role\"");
	assert_body_contains(r, "value=\"host\"");
	response_free(r);
	r = fpost(w.root, "/c/plaza/members/eve/ambassador", (const char *const[]){NULL});
	assert_status(r, 303);
	response_free(r);
	r = aget(w.root, "/api/v1/admin/roles?handle=eve");
	assert_true(json_is_true(json_path(json_array_get(json_path(r->json, "member.communities"), 0),
					   "is_ambassador")));
	response_free(r);
	r = fpost(w.root, "/c/plaza/members/eve/ambassador/revoke", (const char *const[]){NULL});
	assert_status(r, 303);
	response_free(r);
	r = aget(w.root, "/api/v1/admin/roles?handle=nobody-here");
	assert_status(r, 200);
	assert_true(json_is_true(json_path(r->json, "member.missing")));
	response_free(r);
	r = aget(w.root, "/admin/roles?handle=nobody-here");
	assert_body_contains(r, "There is no member @nobody-here.");
	response_free(r);
	/* the admin changes them there, each with its audit entry */
	int64_t mo = strtoll(sql_rows(w.s, "SELECT id FROM users WHERE handle = 'mo'"), NULL, 10);
	char path[96];
	snprintf(path, sizeof path, "/admin/users/%lld/role", (long long)mo);
	r = fpost(w.root, path, (const char *const[]){"role", "member", NULL});
	assert_status(r, 303);
	response_free(r);
	r = fpost(w.root, "/c/plaza/members/bo/ambassador/revoke", (const char *const[]){NULL});
	assert_status(r, 303);
	response_free(r);
	r = fpost(w.root, "/c/plaza/members/ana/role", (const char *const[]){"role", "member", NULL});
	assert_status(r, 303);
	response_free(r);
	assert_false(listed(w.root, "staff", "mo"));
	r = aget(w.root, "/api/v1/admin/audit");
	assert_string_equal(json_string_value(json_path(json_array_get(json_path(r->json, "items"), 0), "action")),
			    "community.role");
	assert_string_equal(json_string_value(json_path(json_array_get(json_path(r->json, "items"), 1), "action")),
			    "community.ambassador_revoked");
	assert_string_equal(json_string_value(json_path(json_array_get(json_path(r->json, "items"), 2), "action")),
			    "member.role");
	response_free(r);
	/* the last admin and a community's last host stay */
	int64_t root = strtoll(sql_rows(w.s, "SELECT id FROM users WHERE handle = 'root'"), NULL, 10);
	snprintf(path, sizeof path, "/api/v1/admin/users/%lld/role", (long long)root);
	expect_status(apost(w.root, path, json_pack("{s:s}", "role", "moderator")), 409, "last_admin");
	expect_status(apost(w.root, "/api/v1/c/plaza/members/root/role", json_pack("{s:s}", "role", "member")), 409,
	       "last_host");
	assert_true(listed(w.root, "staff", "root"));
	/* a private community the admin is not in is not named */
	bring_in(w.root, "den", w.eve);
	set_role(w.root, "den", "eve", "host");
	expect_status(apost(w.root, "/api/v1/c/den/leave", json_object()), 200, NULL);
	r = aget(w.root, "/api/v1/admin/roles");
	assert_false(list_has_str(r, "communities", "slug", "den"));
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(off_until_its_hosts_turn_it_on),
		T(entries_without_private_details),
		T(a_page_at_a_time),
		T(a_private_community_stays_private),
		T(admins_see_and_change_roles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
