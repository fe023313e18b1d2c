/* test_ambassadors: a community's hosts (and admins) make members
 * ambassadors and take it back, on the members' page and through the API;
 * each change is an audit entry and tells the member; ambassadors are told
 * of each newcomer; suspended and banned members are neither made
 * ambassadors nor act as one (features/ambassadors.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* root (admin) founded plaza (public, open), where ana is a host and bo
 * and eve are members; mo is a moderator; zed is in no community. */
struct world {
	const struct server *s;
	struct actor *root, *ana, *bo, *eve, *mo, *zed, *visitor;
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
}

static struct response *grant(struct actor *by, const char *slug, const char *handle)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/c/%s/members/%s/ambassador", slug, handle);
	return apost(by, path, json_object());
}

static struct response *revoke(struct actor *by, const char *slug, const char *handle)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/c/%s/members/%s/ambassador/revoke", slug, handle);
	return apost(by, path, json_object());
}

/* The handles of the community's ambassadors, as its members' page
 * lists them, joined by commas. */
static const char *ambassadors(struct actor *a, const char *slug)
{
	struct response *r = aget(a, "/api/v1/c/%s/members", slug);
	assert_status(r, 200);
	static char out[256];
	out[0] = '\0';
	size_t i;
	json_t *o;
	json_array_foreach(json_path(r->json, "ambassadors"), i, o) {
		if (i)
			strcat(out, ",");
		strcat(out, json_string_value(json_object_get(o, "handle")));
	}
	response_free(r);
	return out;
}

/* How many of the member's notifications are of the kind; the newest
 * one's url into url (when not NULL). */
static size_t told(struct actor *a, const char *kind, const char **url)
{
	json_t *found = notifications_of_kind(a, kind);
	if (url && json_array_size(found))
		*url = json_string_value(json_object_get(json_array_get(found, 0), "url"));
	return json_array_size(found);
}

/* How many audit entries of the community have the action and subject. */
static size_t audited(struct actor *host, const char *slug, const char *action, const char *handle)
{
	struct response *r = aget(host, "/api/v1/c/%s/audit?action=%s", slug, action);
	assert_status(r, 200);
	size_t n = 0, i;
	json_t *o;
	json_array_foreach(json_path(r->json, "items"), i, o)
		n += strcmp(json_string_value(json_path(o, "subject.handle")), handle) == 0;
	response_free(r);
	return n;
}

static void who_may_grant_and_revoke(void **state)
{
	struct world w;
	world_build(&w, *state);
	/* members, moderators who do not host, visitors: no */
	expect_status(grant(w.bo, "plaza", "eve"), 403, "forbidden");
	expect_status(grant(w.mo, "plaza", "eve"), 403, "forbidden");
	expect_status(grant(w.visitor, "plaza", "eve"), 401, NULL);
	expect_status(grant(w.zed, "plaza", "eve"), 403, "forbidden");
	assert_string_equal(ambassadors(w.ana, "plaza"), "");
	/* a host: yes, once */
	struct response *r = grant(w.ana, "plaza", "bo");
	assert_status(r, 200);
	assert_true(json_is_true(json_path(r->json, "ambassador")));
	response_free(r);
	expect_status(grant(w.ana, "plaza", "bo"), 409, "ambassador");
	assert_string_equal(ambassadors(w.eve, "plaza"), "bo");
	/* only members of the community, and no such handle: 404 */
	expect_status(grant(w.ana, "plaza", "zed"), 404, "not_found");
	expect_status(grant(w.ana, "plaza", "nobody"), 404, "not_found");
	/* an admin takes it back; a second time there is nothing to take */
	expect_status(revoke(w.bo, "plaza", "bo"), 403, "forbidden");
	expect_status(revoke(w.root, "plaza", "bo"), 200, NULL);
	expect_status(revoke(w.root, "plaza", "bo"), 404, "not_found");
	assert_string_equal(ambassadors(w.ana, "plaza"), "");
	/* one audit entry each, by who did it */
	assert_int_equal(audited(w.ana, "plaza", "community.ambassador_granted", "bo"), 1);
	assert_int_equal(audited(w.ana, "plaza", "community.ambassador_revoked", "bo"), 1);
	r = aget(w.root, "/api/v1/admin/audit?action=community.ambassador_granted");
	assert_string_equal(json_string_value(json_path(json_array_get(json_path(r->json, "items"), 0), "actor.handle")),
			    "ana");
	response_free(r);
}

static void the_members_page_offers_it_to_hosts(void **state)
{
	struct world w;
	world_build(&w, *state);
	expect_status(grant(w.ana, "plaza", "bo"), 200, NULL);
	struct response *r = aget(w.ana, "/c/plaza/members");
	assert_status(r, 200);
	assert_body_contains(r, "action=\"/c/plaza/members/bo/ambassador/revoke\"");
	assert_body_contains(r, "action=\"/c/plaza/members/eve/ambassador\"");
	response_free(r);
	r = aget(w.eve, "/c/plaza/members");
	assert_status(r, 200);
	assert_body_contains(r, "Ambassador");
	assert_body_lacks(r, "/ambassador\"");
	response_free(r);
	/* the HTML form goes back to the members' page */
	r = fpost(w.ana, "/c/plaza/members/eve/ambassador", (const char *const[]){NULL});
	assert_status(r, 303);
	assert_header_contains(r, "Location", "/c/plaza/members");
	response_free(r);
	assert_string_equal(ambassadors(w.ana, "plaza"), "bo,eve");
	/* the community's page names them for newcomers */
	r = aget(w.visitor, "/c/plaza");
	assert_body_contains(r, "ask them where to start");
	assert_body_contains(r, "href=\"/people/eve\"");
	response_free(r);
	r = aget(w.visitor, "/api/v1/c/plaza");
	assert_true(list_has_str(r, "ambassadors", "handle", "bo"));
	response_free(r);
}

static void members_are_told_in_their_language(void **state)
{
	struct world w;
	world_build(&w, *state);
	struct response *r = apost(w.bo, "/api/v1/settings", json_pack("{s:s, s:s}", "name", "Bo", "locale", "sv"));
	assert_status(r, 200);
	response_free(r);
	expect_status(grant(w.ana, "plaza", "bo"), 200, NULL);
	const char *url = NULL;
	assert_int_equal(told(w.bo, "role_granted", &url), 1);
	assert_string_equal(url, "/c/plaza");
	r = aget(w.bo, "/notifications");
	assert_body_contains(r, "Du är nu ambassadör för Plaza");
	response_free(r);
	expect_status(revoke(w.ana, "plaza", "bo"), 200, NULL);
	assert_int_equal(told(w.bo, "role_revoked", NULL), 1);
	/* nobody else hears of it */
	assert_int_equal(told(w.eve, "role_granted", NULL), 0);
	assert_int_equal(told(w.ana, "role_granted", NULL), 0);
}

static void ambassadors_are_told_of_newcomers(void **state)
{
	struct world w;
	world_build(&w, *state);
	expect_status(grant(w.ana, "plaza", "bo"), 200, NULL);
	/* zed joins an open community */
	struct response *r = apost(w.zed, "/api/v1/c/plaza/join", json_object());
	assert_status(r, 200);
	response_free(r);
	const char *url = NULL;
	assert_int_equal(told(w.bo, "newcomer_joined", &url), 1);
	assert_string_equal(url, "/people/zed");
	r = aget(w.bo, "/notifications");
	assert_body_contains(r, "href=\"/people/zed\"");
	assert_body_contains(r, "joined Plaza: welcome them");
	response_free(r);
	/* hosts who are not ambassadors, and the newcomer, are not told */
	assert_int_equal(told(w.ana, "newcomer_joined", NULL), 0);
	assert_int_equal(told(w.zed, "newcomer_joined", NULL), 0);
	/* a request approved is a newcomer too, whoever approved it */
	make_community(w.root, "porch", "Porch", "public", "request");
	bring_in(w.root, "porch", w.eve);
	expect_status(grant(w.root, "porch", "eve"), 200, NULL);
	expect_status(apost(w.zed, "/api/v1/c/porch/join", json_object()), 200, NULL);
	assert_int_equal(told(w.eve, "newcomer_joined", NULL), 0);
	expect_status(apost(w.root, "/api/v1/c/porch/requests/zed/approve", json_object()), 200, NULL);
	assert_int_equal(told(w.eve, "newcomer_joined", &url), 1);
	assert_string_equal(url, "/people/zed");
	/* an ambassador who left is no longer one, nor told */
	expect_status(apost(w.bo, "/api/v1/c/plaza/leave", json_object()), 200, NULL);
	assert_string_equal(ambassadors(w.ana, "plaza"), "");
	bring_in(w.root, "plaza", w.bo);
	assert_string_equal(ambassadors(w.ana, "plaza"), "");
	expect_status(apost(w.mo, "/api/v1/c/plaza/join", json_object()), 200, NULL);
	assert_int_equal(told(w.bo, "newcomer_joined", NULL), 1);
}

static const char *next_week(void)
{
	static char day[16];
	time_t t = time(NULL) + 7 * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	return day;
}

static void suspended_and_banned_members(void **state)
{
	struct world w;
	world_build(&w, *state);
	/* a suspended member is not made ambassador */
	expect_status(apost(w.root, "/api/v1/people/eve/suspend",
		     json_pack("{s:s, s:s}", "until", next_week(), "reason", "Rude")),
	       200, NULL);
	expect_status(grant(w.ana, "plaza", "eve"), 409, "suspended");
	assert_string_equal(ambassadors(w.ana, "plaza"), "");
	/* an ambassador who is suspended may not pin */
	expect_status(grant(w.ana, "plaza", "bo"), 200, NULL);
	int64_t q = ask(w.ana, "plaza", "Where do we start", "Here.");
	expect_status(apost(w.root, "/api/v1/people/bo/suspend",
		     json_pack("{s:s, s:s}", "until", next_week(), "reason", "Spam")),
	       200, NULL);
	expect_status(item_post(w.bo, q, "pin", json_object()), 403, "suspended");
	expect_status(apost(w.root, "/api/v1/people/bo/unsuspend", json_object()), 200, NULL);
	expect_status(item_post(w.bo, q, "pin", json_object()), 200, NULL);
	/* a suspended host grants nothing */
	expect_status(apost(w.root, "/api/v1/people/ana/suspend",
		     json_pack("{s:s, s:s}", "until", next_week(), "reason", "Cooling off")),
	       200, NULL);
	expect_status(revoke(w.ana, "plaza", "bo"), 403, "suspended");
	/* a banned ambassador is one no more, and cannot be made one */
	struct response *r = apost(w.root, "/api/v1/c/plaza/members/bo/ban", json_pack("{s:s}", "reason", "Spam"));
	assert_status(r, 200);
	response_free(r);
	assert_string_equal(ambassadors(w.root, "plaza"), "");
	expect_status(grant(w.root, "plaza", "bo"), 404, "not_found");
	expect_status(item_post(w.bo, q, "unpin", json_object()), 403, "forbidden");
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(who_may_grant_and_revoke),
		T(the_members_page_offers_it_to_hosts),
		T(members_are_told_in_their_language),
		T(ambassadors_are_told_of_newcomers),
		T(suspended_and_banned_members),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
