/* test_follows: members follow tags, communities, people and threads. Each
 * route in JSON and as a form (which goes back to the page), twice without
 * harm; only what the member may read (the page's 404 otherwise), never by
 * visitors or suspended members, never without the form's CSRF token; the
 * threads a member asks, answers or comments on followed by themselves
 * unless their setting says no; the list in the settings and unfollowing
 * from it; and the button on the four pages, right at once with the pages
 * kept in the cache. */
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the place ------------------------------------------------------------------ */

/* The public community plaza (ana and bo in it) and the private vault
 * (ana only); ana's question in each; eve is in neither. */
struct place {
	const struct server *srv;
	struct actor *admin, *ana, *bo, *eve, *visitor;
	int64_t question, secret;
};

static struct place *place_build(void **state)
{
	static struct place p;
	memset(&p, 0, sizeof p);
	p.srv = *state;
	sign_up_cast(p.srv, &p.admin, &p.ana, &p.bo, &p.eve);
	p.visitor = visitor(p.srv);
	make_community(p.admin, "plaza", "Plaza", "public", "open");
	make_community(p.admin, "vault", "The Vault", "private", "invite");
	bring_in(p.admin, "plaza", p.ana);
	bring_in(p.admin, "plaza", p.bo);
	bring_in(p.admin, "vault", p.ana);
	p.question = ask(p.ana, "plaza", "Where is the best coffee?", "Near the station?");
	p.secret = ask(p.ana, "vault", "The secret plan", "Only for us");
	return &p;
}

/* How many follows of that kind and target the member has. */
static int follow_rows(const struct place *p, const char *handle, const char *kind, const char *target_sql)
{
	char sql[512];
	snprintf(sql, sizeof sql,
		 "SELECT COUNT(*) FROM follows f JOIN users u ON u.id = f.user_id WHERE u.handle = '%s'"
		 " AND f.kind = '%s' AND f.target_id = (%s)",
		 handle, kind, target_sql);
	return atoi(sql_rows(p->srv, sql));
}

static const char *item_target(int64_t id)
{
	static char out[4][32];
	static int next;
	char *s = out[next++ % 4];
	snprintf(s, sizeof out[0], "%lld", (long long)id);
	return s;
}

/* The JSON answer's "following". */
static bool following(const struct response *r)
{
	json_t *v = json_path(r->json, "following");
	if (!json_is_boolean(v))
		fail_msg("%s %s: no \"following\" in %s", r->method, r->path, r->body);
	return json_is_true(v);
}

/* POSTs /api/v1{base}/{follow,unfollow} and checks the answer. */
static void api_set(struct actor *a, const char *base, bool follow)
{
	char path[256];
	snprintf(path, sizeof path, "/api/v1%s/%s", base, follow ? "follow" : "unfollow");
	struct response *r = apost(a, path, NULL);
	assert_status(r, 200);
	assert_int_equal(following(r), follow);
	response_free(r);
}

/* The page's JSON "follow.following" for the member. */
static bool page_following(struct actor *a, const char *page)
{
	struct response *r = aget(a, "/api/v1%s", page);
	assert_status(r, 200);
	json_t *v = json_path(r->json, "follow.following");
	if (!json_is_boolean(v))
		fail_msg("GET %s: no follow.following in %s", page, r->body);
	bool on = json_is_true(v);
	response_free(r);
	return on;
}

/* ---- each route --------------------------------------------------------------------- */

static void each_kind_follows_and_unfollows_in_json(void **state)
{
	struct place *p = place_build(state);
	char item[64];
	snprintf(item, sizeof item, "/items/%lld", (long long)p->question);
	struct {
		const char *base, *kind, *target;
	} kinds[] = {
		{"/tags/coffee", "tag", "SELECT id FROM tags WHERE name = 'coffee'"},
		{"/c/plaza", "community", "SELECT id FROM communities WHERE slug = 'plaza'"},
		{"/people/ana", "person", "SELECT id FROM users WHERE handle = 'ana'"},
		{item, "item", item_target(p->question)},
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		assert_false(page_following(p->bo, kinds[i].base));
		api_set(p->bo, kinds[i].base, true);
		/* Following twice is no error and keeps one follow. */
		api_set(p->bo, kinds[i].base, true);
		assert_int_equal(follow_rows(p, "bo", kinds[i].kind, kinds[i].target), 1);
		assert_true(page_following(p->bo, kinds[i].base));
		/* Someone else's follow is theirs. */
		assert_false(page_following(p->eve, kinds[i].base));
		api_set(p->bo, kinds[i].base, false);
		api_set(p->bo, kinds[i].base, false);
		assert_int_equal(follow_rows(p, "bo", kinds[i].kind, kinds[i].target), 0);
		assert_false(page_following(p->bo, kinds[i].base));
	}
	/* Following an answer follows its question. */
	struct response *r = item_post(p->bo, p->question, "answers", json_pack("{s:s}", "body", "The kiosk."));
	assert_status(r, 201);
	int64_t answer = jint(r, "id");
	response_free(r);
	snprintf(item, sizeof item, "/items/%lld", (long long)answer);
	api_set(p->eve, item, true);
	assert_int_equal(follow_rows(p, "eve", "item", item_target(p->question)), 1);
	assert_int_equal(follow_rows(p, "eve", "item", item_target(answer)), 0);
	/* Unfollowing a tag nothing carries stores no tag. */
	api_set(p->bo, "/tags/never-seen", false);
	assert_string_equal(sql_rows(p->srv, "SELECT COUNT(*) FROM tags WHERE name = 'never-seen'"), "0\n");
	/* Following oneself means nothing. */
	r = apost(p->bo, "/api/v1/people/bo/follow", NULL);
	assert_status(r, 422);
	response_free(r);
}

static void forms_go_back_to_the_page(void **state)
{
	struct place *p = place_build(state);
	char path[128];
	struct {
		const char *base, *back;
	} pages[] = {
		{"/tags/coffee", "/tags/coffee"},
		{"/c/plaza", "/c/plaza"},
		{"/people/ana", "/people/ana"},
	};
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		for (int follow = 1; follow >= 0; follow--) {
			snprintf(path, sizeof path, "%s/%s", pages[i].base, follow ? "follow" : "unfollow");
			struct response *r = fpost(p->bo, path, NULL);
			assert_status(r, 303);
			assert_header_equal(r, "Location", pages[i].back);
			response_free(r);
		}
	}
	snprintf(path, sizeof path, "/items/%lld/follow", (long long)p->question);
	struct response *r = fpost(p->bo, path, NULL);
	assert_status(r, 303);
	char want[64];
	snprintf(want, sizeof want, "/items/%lld-", (long long)p->question);
	assert_header_contains(r, "Location", want);
	response_free(r);
	assert_int_equal(follow_rows(p, "bo", "item", item_target(p->question)), 1);

	/* From the list of follows, the form goes back to the list. */
	snprintf(path, sizeof path, "/items/%lld/unfollow", (long long)p->question);
	r = fpost(p->bo, path, (const char *const[]){"from", "follows", NULL});
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/settings/follows");
	response_free(r);
	assert_int_equal(follow_rows(p, "bo", "item", item_target(p->question)), 0);

	/* A form without the session's token changes nothing. */
	const char *const no_token[] = {"from", "follows", NULL};
	const char *bases[] = {"/tags/coffee", "/c/plaza", "/people/ana", NULL};
	for (size_t i = 0; bases[i]; i++) {
		snprintf(path, sizeof path, "%s/follow", bases[i]);
		r = http_post_form(p->bo->c, path, no_token, NULL);
		assert_status(r, 403);
		response_free(r);
	}
	snprintf(path, sizeof path, "/items/%lld/follow", (long long)p->question);
	r = http_post_form(p->bo->c, path, no_token, NULL);
	assert_status(r, 403);
	response_free(r);
	assert_string_equal(sql_rows(p->srv, "SELECT COUNT(*) FROM follows f JOIN users u ON u.id = f.user_id"
					      " WHERE u.handle = 'bo'"),
			    "0\n");
}

/* ---- who may --------------------------------------------------------------------------- */

static void only_what_the_member_may_read(void **state)
{
	struct place *p = place_build(state);
	char secret[64];
	snprintf(secret, sizeof secret, "/api/v1/items/%lld/follow", (long long)p->secret);
	/* The vault and its thread do not exist for eve, or for bo. */
	struct actor *outsiders[] = {p->eve, p->bo};
	for (size_t i = 0; i < 2; i++) {
		struct response *r = apost(outsiders[i], "/api/v1/c/vault/follow", NULL);
		assert_error(r, 404, "not_found");
		response_free(r);
		r = apost(outsiders[i], secret, NULL);
		assert_error(r, 404, "not_found");
		response_free(r);
		r = fpost(outsiders[i], "/c/vault/unfollow", NULL);
		assert_status(r, 404);
		response_free(r);
	}
	/* Invited but not in yet, eve sees the invitation but none of what
	 * is in the vault: nothing to follow. */
	struct response *r = apost(p->admin, "/api/v1/c/vault/invite", json_pack("{s:s}", "handle", "eve"));
	assert_status(r, 200);
	response_free(r);
	r = apost(p->eve, "/api/v1/c/vault/follow", NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	/* ana, in the vault, may. */
	api_set(p->ana, "/c/vault", true);
	snprintf(secret, sizeof secret, "/items/%lld", (long long)p->secret);
	api_set(p->ana, secret, true);
	/* No such member, tag or item. */
	r = apost(p->bo, "/api/v1/people/nobody/follow", NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	r = apost(p->bo, "/api/v1/tags/---/follow", NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	r = apost(p->bo, "/api/v1/items/999999/follow", NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	/* An excluded account cannot be followed, as its page cannot be read. */
	run_sql(p->srv, "UPDATE users SET status = 'excluded' WHERE handle = 'eve'");
	r = apost(p->bo, "/api/v1/people/eve/follow", NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	assert_int_equal(follow_rows(p, "bo", "person", "SELECT id FROM users WHERE handle = 'eve'"), 0);
}

static void visitors_and_suspended_members_cannot(void **state)
{
	struct place *p = place_build(state);
	char item[64];
	snprintf(item, sizeof item, "/items/%lld/follow", (long long)p->question);
	const char *paths[] = {"/tags/coffee/follow", "/c/plaza/follow", "/people/ana/follow", item,
			       "/tags/coffee/unfollow", NULL};
	run_sql(p->srv, "UPDATE users SET status = 'suspended' WHERE handle = 'bo'");
	for (size_t i = 0; paths[i]; i++) {
		char api[128];
		snprintf(api, sizeof api, "/api/v1%s", paths[i]);
		struct response *r = http_post_json(p->visitor->c, api, "{}", NULL);
		assert_status(r, 401);
		response_free(r);
		r = fpost(p->visitor, paths[i], NULL);
		assert_status(r, 303);
		assert_header_contains(r, "Location", "/login?next=");
		response_free(r);
		r = apost(p->bo, api, NULL);
		assert_error(r, 403, "suspended");
		response_free(r);
	}
	/* An excluded member is signed out: nothing to follow with. */
	run_sql(p->srv, "UPDATE users SET status = 'excluded' WHERE handle = 'eve'");
	struct response *r = apost(p->eve, "/api/v1/tags/coffee/follow", NULL);
	assert_status(r, 401);
	response_free(r);
	/* Only ana's follows of the threads she asked. */
	assert_string_equal(sql_rows(p->srv, "SELECT COUNT(*) FROM follows WHERE kind <> 'item'"), "0\n");
	assert_string_equal(sql_rows(p->srv, "SELECT COUNT(*) FROM follows f JOIN users u ON u.id = f.user_id"
					      " WHERE u.handle <> 'ana'"),
			    "0\n");
}

/* ---- following what one takes part in ----------------------------------------------- */

static void asking_answering_and_commenting_follow_the_thread(void **state)
{
	struct place *p = place_build(state);
	const char *q = item_target(p->question);
	/* ana asked. */
	assert_int_equal(follow_rows(p, "ana", "item", q), 1);
	/* bo answers; admin comments on bo's answer: both follow the question. */
	struct response *r = item_post(p->bo, p->question, "answers", json_pack("{s:s}", "body", "At the kiosk."));
	assert_status(r, 201);
	int64_t answer = jint(r, "id");
	response_free(r);
	assert_int_equal(follow_rows(p, "bo", "item", q), 1);
	r = item_post(p->admin, answer, "comments", json_pack("{s:s}", "body", "Agreed."));
	assert_status(r, 201);
	response_free(r);
	assert_int_equal(follow_rows(p, "root", "item", q), 1);
	assert_int_equal(follow_rows(p, "root", "item", item_target(answer)), 0);
	/* An item on one's profile is followed too. */
	r = apost(p->eve, "/api/v1/items", json_pack("{s:s, s:s}", "kind", "update", "body", "Back from holiday."));
	assert_status(r, 201);
	int64_t update = jint(r, "id");
	response_free(r);
	assert_int_equal(follow_rows(p, "eve", "item", item_target(update)), 1);
	/* Unfollowing one's own question holds until one takes part again. */
	char path[64];
	snprintf(path, sizeof path, "/items/%lld", (long long)p->question);
	api_set(p->ana, path, false);
	assert_int_equal(follow_rows(p, "ana", "item", q), 0);
	r = item_post(p->ana, p->question, "comments", json_pack("{s:s}", "body", "Thanks, both."));
	assert_status(r, 201);
	response_free(r);
	assert_int_equal(follow_rows(p, "ana", "item", q), 1);
}

static void the_setting_turns_it_off(void **state)
{
	struct place *p = place_build(state);
	/* On by default, in the settings' JSON. */
	struct response *r = aget(p->bo, "/api/v1/settings");
	assert_status(r, 200);
	assert_true(json_is_true(json_path(r->json, "values.auto_follow")));
	response_free(r);
	/* Off through the API; leaving the field out keeps it. */
	r = apost(p->bo, "/api/v1/settings", json_pack("{s:s, s:b}", "name", "Bo", "auto_follow", 0));
	assert_status(r, 200);
	assert_true(json_is_false(json_path(r->json, "auto_follow")));
	response_free(r);
	r = apost(p->bo, "/api/v1/settings", json_pack("{s:s}", "name", "Bo B"));
	assert_status(r, 200);
	assert_true(json_is_false(json_path(r->json, "auto_follow")));
	response_free(r);
	int64_t mine = ask(p->bo, "plaza", "Is the lift working?", "Asking for a friend");
	assert_int_equal(follow_rows(p, "bo", "item", item_target(mine)), 0);
	r = item_post(p->bo, p->question, "answers", json_pack("{s:s}", "body", "The bakery."));
	assert_status(r, 201);
	response_free(r);
	r = item_post(p->bo, p->question, "comments", json_pack("{s:s}", "body", "Or the kiosk."));
	assert_status(r, 201);
	response_free(r);
	assert_int_equal(follow_rows(p, "bo", "item", item_target(p->question)), 0);

	/* The form shows the box, and sending it ticked turns it on. */
	r = aget(p->bo, "/settings");
	assert_status(r, 200);
	assert_body_contains(r, "name=\"auto_follow\" value=\"true\">");
	response_free(r);
	r = fpost(p->bo, "/settings", (const char *const[]){"name", "Bo", "locale", "", "auto_follow", "true", NULL});
	assert_status(r, 303);
	response_free(r);
	r = aget(p->bo, "/settings");
	assert_body_contains(r, "name=\"auto_follow\" value=\"true\" checked>");
	response_free(r);
	int64_t again = ask(p->bo, "plaza", "Who has the key?", "To the shed");
	assert_int_equal(follow_rows(p, "bo", "item", item_target(again)), 1);
	/* A form sent with the box cleared turns it off. */
	r = fpost(p->ana, "/settings", (const char *const[]){"name", "Ana", "locale", "", NULL});
	assert_status(r, 303);
	response_free(r);
	int64_t quiet = ask(p->ana, "plaza", "Quiet room free?", "This afternoon");
	assert_int_equal(follow_rows(p, "ana", "item", item_target(quiet)), 0);
}

/* ---- the list ------------------------------------------------------------------------------ */

static void the_list_shows_and_unfollows(void **state)
{
	struct place *p = place_build(state);
	/* bo follows one of each (the question by answering it), and the
	 * vault while ana does; then ana leaves the vault. */
	api_set(p->bo, "/tags/coffee", true);
	api_set(p->bo, "/c/plaza", true);
	api_set(p->bo, "/people/ana", true);
	struct response *r = item_post(p->bo, p->question, "answers", json_pack("{s:s}", "body", "The kiosk."));
	assert_status(r, 201);
	response_free(r);
	api_set(p->ana, "/c/vault", true);

	r = aget(p->bo, "/api/v1/settings/follows");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "tags"), 1);
	assert_string_equal(jat_str(r, "tags", 0, "name"), "coffee");
	assert_string_equal(jat_str(r, "tags", 0, "url"), "/tags/coffee");
	assert_string_equal(jat_str(r, "tags", 0, "unfollow"), "/tags/coffee/unfollow");
	assert_int_equal(jlen(r, "communities"), 1);
	assert_string_equal(jat_str(r, "communities", 0, "url"), "/c/plaza");
	assert_int_equal(jlen(r, "people"), 1);
	assert_string_equal(jat_str(r, "people", 0, "url"), "/people/ana");
	assert_int_equal(jlen(r, "items"), 1);
	assert_int_equal(json_integer_value(jat(r, "items", 0, "id")), p->question);
	assert_string_equal(jat_str(r, "items", 0, "name"), "Where is the best coffee?");
	const char *unfollow = harness_strdup(jat_str(r, "items", 0, "unfollow"));
	response_free(r);

	/* The page lists them with a button each, which goes back to it. */
	r = aget(p->bo, "/settings/follows");
	assert_status(r, 200);
	assert_body_contains(r, "href=\"/tags/coffee\"");
	assert_body_contains(r, "action=\"/tags/coffee/unfollow\"");
	assert_body_contains(r, "action=\"/c/plaza/unfollow\"");
	assert_body_contains(r, "action=\"/people/ana/unfollow\"");
	assert_body_contains(r, "Where is the best coffee?");
	response_free(r);
	r = fpost(p->bo, unfollow, (const char *const[]){"from", "follows", NULL});
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/settings/follows");
	response_free(r);
	r = aget(p->bo, "/settings/follows");
	assert_body_lacks(r, "Where is the best coffee?");
	response_free(r);

	/* What the member can no longer read leaves the list. */
	r = aget(p->ana, "/api/v1/settings/follows");
	assert_true(list_has_str(r, "communities", "url", "/c/vault"));
	response_free(r);
	r = apost(p->ana, "/api/v1/c/vault/leave", NULL);
	assert_status(r, 200);
	response_free(r);
	r = aget(p->ana, "/api/v1/settings/follows");
	assert_false(list_has_str(r, "communities", "url", "/c/vault"));
	response_free(r);
	/* Nor does the profile of an excluded account. */
	api_set(p->bo, "/people/eve", true);
	r = aget(p->bo, "/api/v1/settings/follows");
	assert_true(list_has_str(r, "people", "url", "/people/eve"));
	response_free(r);
	run_sql(p->srv, "UPDATE users SET status = 'excluded' WHERE handle = 'eve'");
	r = aget(p->bo, "/api/v1/settings/follows");
	assert_false(list_has_str(r, "people", "url", "/people/eve"));
	assert_true(list_has_str(r, "people", "url", "/people/ana"));
	response_free(r);
	/* Visitors have no list. */
	r = aget(p->visitor, "/api/v1/settings/follows");
	assert_status(r, 401);
	response_free(r);
}

/* ---- the button --------------------------------------------------------------------------- */

static void the_button_shows_the_state_at_once(void **state)
{
	struct place *p = place_build(state);
	char item[64];
	snprintf(item, sizeof item, "/items/%lld", (long long)p->question);
	const char *pages[] = {"/tags/coffee", "/c/plaza", "/people/ana", item, NULL};
	for (size_t i = 0; pages[i]; i++) {
		char follow[128], unfollow[128];
		snprintf(follow, sizeof follow, "action=\"%s/follow\"", pages[i]);
		snprintf(unfollow, sizeof unfollow, "action=\"%s/unfollow\"", pages[i]);
		/* The page is kept in the cache for bo... */
		struct response *r = aget(p->bo, "%s", pages[i]);
		assert_status(r, 200);
		assert_body_contains(r, follow);
		response_free(r);
		r = aget(p->bo, "%s", pages[i]);
		assert_string_equal(cache_state(r), "hit");
		response_free(r);
		/* ...and shows the follow at once. */
		char path[128];
		snprintf(path, sizeof path, "%s/follow", pages[i]);
		r = fpost(p->bo, path, NULL);
		assert_status(r, 303);
		response_free(r);
		r = aget(p->bo, "%s", pages[i]);
		assert_body_contains(r, unfollow);
		assert_body_lacks(r, follow);
		response_free(r);
		snprintf(path, sizeof path, "%s/unfollow", pages[i]);
		r = fpost(p->bo, path, NULL);
		assert_status(r, 303);
		response_free(r);
		r = aget(p->bo, "%s", pages[i]);
		assert_body_contains(r, follow);
		response_free(r);
		/* Visitors get no button. */
		r = aget(p->visitor, "%s", pages[i]);
		assert_status(r, 200);
		assert_body_lacks(r, "/follow\"");
		assert_body_lacks(r, "/unfollow\"");
		response_free(r);
	}
	/* A follow changes only the member's own pages: a visitor's kept
	 * page of the thread stays kept. */
	struct response *r = aget(p->visitor, "%s", item);
	response_free(r);
	r = aget(p->visitor, "%s", item);
	assert_string_equal(cache_state(r), "hit");
	response_free(r);
	char path[128];
	snprintf(path, sizeof path, "%s/follow", item);
	r = fpost(p->bo, path, NULL);
	assert_status(r, 303);
	response_free(r);
	r = aget(p->visitor, "%s", item);
	assert_string_equal(cache_state(r), "hit");
	response_free(r);
	/* Nor does one's own profile. */
	r = aget(p->ana, "/people/ana");
	assert_body_lacks(r, "/people/ana/follow");
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(each_kind_follows_and_unfollows_in_json),
		T(forms_go_back_to_the_page),
		T(only_what_the_member_may_read),
		T(visitors_and_suspended_members_cannot),
		T(asking_answering_and_commenting_follow_the_thread),
		T(the_setting_turns_it_off),
		T(the_list_shows_and_unfollows),
		T(the_button_shows_the_state_at_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
