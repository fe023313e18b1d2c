/* test_suspension: moderators and admins suspend, exclude and reinstate
 * members (features/member_states.h), and hosts ban members from their
 * communities (features/community_bans.h): who may act on whom; a
 * suspension that ends by itself at its time (the test clock) and tells
 * the member; an exclusion that leaves no session or token, stops the
 * member's requests and follows, hides or keeps their posts and is mailed
 * to them; reinstating; a banned member who cannot join, ask to join or be
 * invited again. (test_account_states walks every write route as a
 * suspended and an excluded member.) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* A time in days from the test clock's now, as the form takes it
 * ("YYYY-MM-DDTHH:MM", UTC), held until the test ends. */
static const char *days_on(double days)
{
	time_t t = (time_t)(test_clock_now() + (int64_t)(days * 86400));
	struct tm tm;
	gmtime_r(&t, &tm);
	char text[32];
	strftime(text, sizeof text, "%Y-%m-%dT%H:%M", &tm);
	return harness_strdup(text);
}

static struct response *suspend(struct actor *by, const char *handle, const char *until, const char *reason)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/people/%s/suspend", handle);
	return apost(by, path, json_pack("{s:s, s:s}", "until", until, "reason", reason));
}

static struct response *act(struct actor *by, const char *handle, const char *action, json_t *body)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/people/%s/%s", handle, action);
	return apost(by, path, body ? body : json_object());
}

static void expect(struct response *r, long status, const char *code)
{
	assert_status(r, status);
	if (code)
		assert_string_equal(response_jstr(r, "error.code"), code);
	response_free(r);
}

/* ---- who may act on whom ------------------------------------------------------ */

static void who_may_act_on_whom(void **state)
{
	const struct server *s = *state;
	struct actor *root, *ana, *bo;
	sign_up_cast(s, &root, &ana, &bo, NULL);
	struct actor *mo = staff(s, "mo", "--moderator");
	struct actor *max = staff(s, "max", "--moderator");
	const char *until = days_on(3);
	/* members act on nobody */
	expect(suspend(ana, "bo", until, "Rude"), 403, "forbidden");
	expect(act(ana, "bo", "exclude", json_pack("{s:s}", "reason", "Rude")), 403, "forbidden");
	/* nobody acts on themselves */
	expect(suspend(mo, "mo", until, "Test"), 403, "forbidden");
	expect(suspend(root, "root", until, "Test"), 403, "forbidden");
	/* a moderator acts on members, not on staff */
	expect(suspend(mo, "root", until, "Test"), 403, "forbidden");
	expect(suspend(mo, "max", until, "Test"), 403, "forbidden");
	expect(act(mo, "root", "exclude", json_pack("{s:s}", "reason", "Test")), 403, "forbidden");
	/* an admin acts on moderators */
	expect(suspend(root, "max", until, "Cooling off"), 200, NULL);
	expect(act(root, "max", "unsuspend", NULL), 200, NULL);
	/* the same from the person's page, as a form */
	const char *fields[] = {"until", days_on(3), "reason", "Cooling off", NULL};
	char day[11];
	snprintf(day, sizeof day, "%.10s", fields[1]); /* the date input sends a day */
	fields[1] = day;
	struct response *f = fpost(root, "/people/max/suspend", fields);
	assert_status(f, 303);
	response_free(f);
	expect(act(root, "max", "unsuspend", NULL), 200, NULL);
	/* a moderator on a member; the form is checked */
	expect(suspend(mo, "bo", "", "Rude"), 422, "invalid");
	expect(suspend(mo, "bo", "tomorrow", "Rude"), 422, "invalid");
	expect(suspend(mo, "bo", days_on(-1), "Rude"), 422, "invalid");
	expect(suspend(mo, "bo", until, "   "), 422, "invalid");
	expect(act(mo, "bo", "exclude", json_pack("{s:s, s:s}", "reason", "Spam", "content", "burn")), 422, "invalid");
	expect(suspend(mo, "nobody", until, "Rude"), 404, "not_found");
	expect(suspend(mo, "bo", until, "Rude"), 200, NULL);
	/* a suspended moderator acts on nobody */
	expect(suspend(root, "mo", until, "Too quick"), 200, NULL);
	expect(act(mo, "bo", "unsuspend", NULL), 403, "suspended");
	expect(act(root, "bo", "unsuspend", NULL), 200, NULL);
	expect(act(root, "bo", "unsuspend", NULL), 409, "wrong_state");
	expect(act(root, "bo", "reinstate", NULL), 409, "wrong_state");
	/* the person's page offers the forms to whom may use them only */
	struct response *r = aget(root, "/people/bo");
	assert_body_contains(r, "/people/bo/suspend");
	response_free(r);
	r = aget(ana, "/people/bo");
	assert_body_lacks(r, "/people/bo/suspend");
	response_free(r);
	r = aget(max, "/people/root");
	assert_body_lacks(r, "/people/root/suspend");
	response_free(r);
	/* each action was recorded once */
	assert_string_equal(sql_rows(s, "SELECT type FROM events WHERE type LIKE 'member.%suspended' ORDER BY id"),
			    "member.suspended\nmember.unsuspended\nmember.suspended\nmember.unsuspended\n"
			    "member.suspended\nmember.suspended\nmember.unsuspended\n");
	/* Each is an entry of the audit log, its subject the member. */
	assert_string_equal(sql_rows(s, "SELECT action FROM audit_log WHERE action LIKE 'member.%suspended'"
					" AND subject_kind = 'member' AND subject_id > 0 ORDER BY id"),
			    "member.suspended\nmember.unsuspended\nmember.suspended\nmember.unsuspended\n"
			    "member.suspended\nmember.suspended\nmember.unsuspended\n");
	/* the log's page names them */
	r = aget(root, "/api/v1/admin/audit?action=member.unsuspended");
	assert_string_equal(json_string_value(json_path(json_array_get(json_path(r->json, "items"), 0), "action_label")),
			    "Suspension ended");
	response_free(r);
}

/* ---- a suspension ends by itself ------------------------------------------------ */

static void suspension_ends_at_its_time(void **state)
{
	const struct server *s = *state;
	struct actor *root, *ana;
	sign_up_cast(s, &root, &ana, NULL, NULL);
	make_community(root, "plaza", "Plaza", "public", "open");
	bring_in(root, "plaza", ana);
	int64_t q = ask(root, "plaza", "Lunch?", "Where");
	struct response *r = suspend(root, "ana", days_on(2), "Cool down, please");
	assert_status(r, 200);
	response_free(r);
	/* told at once, in the app and by e-mail */
	r = aget(ana, "/notifications");
	assert_body_contains(r, "Your account is suspended: Cool down, please");
	response_free(r);
	r = aget(root, "/people/ana");
	assert_body_contains(r, "Suspended until");
	assert_body_contains(r, "/people/ana/unsuspend");
	response_free(r);
	assert_string_equal(sql_rows(s, "SELECT o.kind FROM mail_outbox o JOIN users u ON u.id = o.user_id"
					" WHERE u.handle = 'ana' AND o.kind LIKE 'account_%'"),
			    "account_suspended\n");
	r = item_post(ana, q, "comments", json_pack("{s:s}", "body", "Here"));
	expect(r, 403, "suspended");
	/* a minute before the end, still suspended */
	test_clock_advance(2 * 86400 - 60);
	r = item_post(ana, q, "comments", json_pack("{s:s}", "body", "Here"));
	expect(r, 403, "suspended");
	/* at its end they write again, without anyone's doing */
	test_clock_advance(60);
	r = item_post(ana, q, "comments", json_pack("{s:s}", "body", "Here"));
	assert_status(r, 201);
	response_free(r);
	r = aget(ana, "/c/plaza");
	assert_body_lacks(r, "You are suspended");
	response_free(r);
	/* and the maintenance of the next hour records the end and tells them */
	test_clock_advance(3600);
	usleep(1500 * 1000);
	jobs_settle(s);
	assert_string_equal(sql_rows(s, "SELECT u.status FROM users u WHERE u.handle = 'ana'"), "active\n");
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM events WHERE type = 'member.unsuspended'"), "1\n");
	r = aget(ana, "/notifications");
	assert_body_contains(r, "Your suspension has ended");
	response_free(r);
}

/* ---- exclusion ---------------------------------------------------------------- */

static void exclusion_signs_out_everywhere(void **state)
{
	const struct server *s = *state;
	struct actor *root, *ana, *bo;
	sign_up_cast(s, &root, &ana, &bo, NULL);
	make_community(root, "plaza", "Plaza", "public", "open");
	make_community(root, "inner", "Inner", "members", "request");
	bring_in(root, "plaza", bo);
	int64_t q = ask(bo, "plaza", "Spam question", "Buy now");
	struct response *r = apost(bo, "/api/v1/c/inner/join", json_object());
	assert_status(r, 200);
	response_free(r);
	r = apost(bo, "/api/v1/tags/lunch/follow", json_object());
	assert_status(r, 200);
	response_free(r);
	r = apost(bo, "/api/v1/settings/tokens", json_pack("{s:s}", "name", "script"));
	assert_status(r, 201);
	const char *token = harness_strdup(response_jstr(r, "token"));
	response_free(r);
	/* seen before */
	r = aget(ana, "/api/v1/c/plaza");
	assert_true(list_has_id(r, "stream.items", q));
	response_free(r);
	r = aget(ana, "/api/v1/search?q=Spam");
	assert_true(list_has_id(r, "items", q));
	response_free(r);
	/* a second browser */
	struct client *other = client_new(s);
	r = api_login(other, "bo", TEST_PASSWORD);
	assert_status(r, 200);
	response_free(r);

	r = act(root, "bo", "exclude", json_pack("{s:s, s:s}", "reason", "Selling things", "content", "hide"));
	assert_status(r, 200);
	assert_string_equal(response_jstr(r, "status"), "excluded");
	response_free(r);
	/* no session or token is left, nor a request or a follow */
	assert_string_equal(sql_rows(s, "SELECT (SELECT COUNT(*) FROM sessions WHERE user_id = u.id),"
					" (SELECT COUNT(*) FROM api_tokens WHERE user_id = u.id),"
					" (SELECT COUNT(*) FROM memberships WHERE user_id = u.id AND state = 'requested'),"
					" (SELECT COUNT(*) FROM follows WHERE user_id = u.id)"
					" FROM users u WHERE u.handle = 'bo'"),
			    "0|0|0|0\n");
	assert_signed_out(bo->c);
	assert_signed_out(other);
	struct client *api = client_new(s);
	client_set_bearer(api, token);
	r = http_get(api, "/api/v1/me", NULL);
	assert_status(r, 401);
	response_free(r);
	/* they are told why by e-mail, and cannot sign in */
	assert_string_equal(sql_rows(s, "SELECT o.kind FROM mail_outbox o JOIN users u ON u.id = o.user_id"
					" WHERE u.handle = 'bo' AND o.kind LIKE 'account_%'"),
			    "account_excluded\n");
	struct client *fresh = client_new(s);
	r = api_login(fresh, "bo", TEST_PASSWORD);
	expect(r, 403, "excluded");
	/* their question is hidden, as a deleted one is */
	r = aget(ana, "/api/v1/items/%lld", (long long)q);
	assert_status(r, 404);
	response_free(r);
	r = aget(ana, "/api/v1/c/plaza");
	assert_status(r, 200);
	assert_false(list_has_id(r, "stream.items", q));
	response_free(r);
	r = aget(ana, "/api/v1/search?q=Spam");
	assert_false(list_has_id(r, "items", q));
	response_free(r);

	/* reinstated, they sign in again (not with their old sessions) and
	 * their question is back */
	/* the page of an excluded member is gone, but for those who may
	 * reinstate them */
	r = aget(ana, "/people/bo");
	assert_status(r, 404);
	response_free(r);
	r = aget(root, "/people/bo");
	assert_status(r, 200);
	assert_body_contains(r, "Excluded because: Selling things");
	assert_body_contains(r, "/people/bo/reinstate");
	response_free(r);
	r = act(root, "bo", "reinstate", NULL);
	assert_status(r, 200);
	response_free(r);
	assert_signed_out(other);
	r = api_login(fresh, "bo", TEST_PASSWORD);
	assert_status(r, 200);
	response_free(r);
	r = aget(ana, "/api/v1/items/%lld", (long long)q);
	assert_status(r, 200);
	response_free(r);
	r = aget(ana, "/api/v1/search?q=Spam");
	assert_true(list_has_id(r, "items", q));
	response_free(r);
	assert_string_equal(sql_rows(s, "SELECT o.kind FROM mail_outbox o JOIN users u ON u.id = o.user_id"
					" WHERE u.handle = 'bo' AND o.kind LIKE 'account_%' ORDER BY o.id"),
			    "account_excluded\naccount_reinstated\n");
	client_free(fresh);
	client_free(api);
	client_free(other);
}

/* Excluded with their posts kept: others still read them. */
static void exclusion_can_keep_posts(void **state)
{
	const struct server *s = *state;
	struct actor *root, *ana, *bo;
	sign_up_cast(s, &root, &ana, &bo, NULL);
	make_community(root, "plaza", "Plaza", "public", "open");
	bring_in(root, "plaza", bo);
	int64_t q = ask(bo, "plaza", "A good question", "Worth keeping");
	struct response *r = act(root, "bo", "exclude", json_pack("{s:s, s:s}", "reason", "Left", "content", "keep"));
	assert_status(r, 200);
	response_free(r);
	r = aget(ana, "/api/v1/items/%lld", (long long)q);
	assert_status(r, 200);
	response_free(r);
	r = act(root, "bo", "exclude", json_pack("{s:s}", "reason", "Again"));
	expect(r, 409, "wrong_state");
}

/* ---- community bans ------------------------------------------------------------ */

static struct response *ban(struct actor *by, const char *slug, const char *handle, const char *reason)
{
	char path[160];
	snprintf(path, sizeof path, "/api/v1/c/%s/members/%s/ban", slug, handle);
	return apost(by, path, reason ? json_pack("{s:s}", "reason", reason) : json_object());
}

static void banned_member_stays_out(void **state)
{
	const struct server *s = *state;
	struct actor *root, *ana, *bo, *eve;
	sign_up_cast(s, &root, &ana, &bo, &eve);
	make_community(root, "plaza", "Plaza", "public", "open");
	make_community(root, "inner", "Inner", "members", "request");
	bring_in(root, "plaza", ana);
	set_role(root, "plaza", "ana", "host");
	bring_in(root, "plaza", bo);
	bring_in(root, "plaza", eve);
	/* who may ban whom */
	expect(ban(bo, "plaza", "eve", "No"), 403, "forbidden");
	expect(ban(ana, "plaza", "ana", "Me"), 403, "forbidden");
	expect(ban(ana, "plaza", "root", "Admin"), 403, "forbidden");
	expect(ban(ana, "plaza", "bo", NULL), 422, "invalid");
	/* a host removes and bans */
	struct response *r = ban(ana, "plaza", "bo", "Harassing members");
	assert_status(r, 200);
	response_free(r);
	r = aget(root, "/api/v1/c/plaza/members");
	assert_false(list_has_str(r, "items", "handle", "bo"));
	assert_true(list_has_str(r, "bans", "handle", "bo"));
	response_free(r);
	r = aget(ana, "/c/plaza/members");
	assert_body_contains(r, "Harassing members");
	assert_body_contains(r, "/c/plaza/members/bo/unban");
	response_free(r);
	r = aget(bo, "/c/plaza");
	assert_body_contains(r, "You are banned from this community");
	response_free(r);
	/* joining again is refused, clearly */
	r = apost(bo, "/api/v1/c/plaza/join", json_object());
	expect(r, 403, "banned");
	r = aget(bo, "/api/v1/c/plaza");
	assert_true(json_is_true(json_path(r->json, "is_banned")));
	assert_true(json_is_false(json_path(r->json, "can_join")));
	response_free(r);
	/* nor can a host invite them */
	r = apost(ana, "/api/v1/c/plaza/invite", json_pack("{s:s}", "handle", "bo"));
	expect(r, 409, "banned");
	/* an admin bans in any community, where a request waited */
	r = apost(eve, "/api/v1/c/inner/join", json_object());
	assert_status(r, 200);
	response_free(r);
	r = ban(root, "inner", "eve", "Not for this group");
	assert_status(r, 200);
	response_free(r);
	r = aget(root, "/api/v1/c/inner/members");
	assert_false(list_has_str(r, "requests", "handle", "eve"));
	response_free(r);
	r = apost(eve, "/api/v1/c/inner/join", json_object());
	expect(r, 403, "banned");
	/* they are told */
	r = aget(bo, "/notifications");
	assert_body_contains(r, "You were removed from Plaza and banned from it: Harassing members");
	response_free(r);
	/* lifted, they may join again */
	r = apost(ana, "/api/v1/c/plaza/members/bo/unban", json_object());
	assert_status(r, 200);
	response_free(r);
	r = apost(bo, "/api/v1/c/plaza/join", json_object());
	assert_status(r, 200);
	response_free(r);
	expect(apost(ana, "/api/v1/c/plaza/members/bo/unban", json_object()), 404, "not_found");
	assert_string_equal(sql_rows(s, "SELECT type FROM events WHERE type LIKE 'member.%banned' ORDER BY id"),
			    "member.banned\nmember.banned\nmember.unbanned\n");
	assert_string_equal(sql_rows(s, "SELECT action FROM audit_log WHERE action LIKE 'member.%banned'"
					" AND community_id IS NOT NULL AND reason <> '' ORDER BY id"),
			    "member.banned\nmember.banned\n");
}

/* Only an admin bans a host. */
static void hosts_are_banned_by_admins(void **state)
{
	const struct server *s = *state;
	struct actor *root, *ana, *bo;
	sign_up_cast(s, &root, &ana, &bo, NULL);
	make_community(root, "plaza", "Plaza", "public", "open");
	bring_in(root, "plaza", ana);
	bring_in(root, "plaza", bo);
	set_role(root, "plaza", "ana", "host");
	set_role(root, "plaza", "bo", "host");
	expect(ban(ana, "plaza", "bo", "Co-host quarrel"), 403, "forbidden");
	struct response *r = ban(root, "plaza", "bo", "Abused the host role");
	assert_status(r, 200);
	response_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(who_may_act_on_whom, clock_server_setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(suspension_ends_at_its_time, clock_server_setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(exclusion_signs_out_everywhere, clock_server_setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(exclusion_can_keep_posts, clock_server_setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(banned_member_stays_out, clock_server_setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(hosts_are_banned_by_admins, clock_server_setup, teardown_releasing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
