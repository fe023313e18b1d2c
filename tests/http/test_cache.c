/* test_cache: pages kept in memory. Every visitor and session still gets
 * its own CSRF token, a write shows at once and makes stale only the pages
 * that show what it changed, a member's pages are theirs alone, and
 * language and address are part of what a page is kept under. */
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The page twice: made the first time, kept the second. */
static struct response *get_twice(struct client *c, const char *path, const char *const *headers)
{
	struct response *r = http_get(c, path, headers);
	assert_status(r, 200);
	response_free(r);
	r = http_get(c, path, headers);
	assert_status(r, 200);
	assert_string_equal(cache_state(r), "hit");
	return r;
}

static void visitors_get_their_own_token(void **state)
{
	struct client *first = client_new(*state), *second = client_new(*state);
	struct response *r = get_twice(first, "/questions", NULL);
	response_free(r);
	/* A new visitor is served the kept page with a token of their own,
	 * matching the cookie they were given. */
	r = http_get(second, "/questions", NULL);
	assert_status(r, 200);
	assert_string_equal(cache_state(r), "hit");
	char *token = html_meta_csrf(r->body);
	assert_non_null(token);
	assert_string_equal(token, client_cookie(second, "kring_csrf"));
	assert_string_not_equal(token, client_cookie(first, "kring_csrf"));
	assert_null(strstr(r->body, client_cookie(first, "kring_csrf")));
	response_free(r);
	/* And the token works: the sign-in form posts with it and gets as far
	 * as checking the password. */
	r = http_post_form(second, "/login", STRS("csrf", token, "login", "nobody", "password", "wrong password 1"), NULL);
	assert_status(r, 401);
	response_free(r);
}

static void a_write_shows_at_once(void **state)
{
	struct actor *admin = staff(*state, "hanna", "--admin");
	make_community(admin, "open-forum", "Open forum", "public", "open");
	struct client *v = client_new(*state);
	struct response *r = get_twice(v, "/questions", NULL);
	response_free(r);
	r = get_twice(v, "/api/v1/questions", NULL);
	response_free(r);
	/* A refused write and a sign-in change no page. */
	r = fpost(admin, "/c/open-forum/items", STRS("kind", "question", "title", ""));
	assert_status(r, 422);
	response_free(r);
	struct client *someone = client_new(*state);
	r = html_login(someone, "hanna", TEST_PASSWORD);
	assert_status(r, 303);
	response_free(r);
	r = http_get(v, "/questions", NULL);
	assert_string_equal(cache_state(r), "hit");
	response_free(r);
	int64_t id = ask(admin, "open-forum", "Who runs the spring meetup?", "");
	r = http_get(v, "/questions", NULL);
	assert_status(r, 200);
	assert_string_equal(cache_state(r), "miss");
	assert_non_null(strstr(r->body, "Who runs the spring meetup?"));
	response_free(r);
	r = http_get(v, "/api/v1/questions", NULL);
	assert_true(list_has_id(r, "items", id));
	response_free(r);
	/* An account made on the command line shows in the directory too. */
	r = get_twice(v, "/people", NULL);
	assert_null(strstr(r->body, "Cecilia Command"));
	response_free(r);
	assert_int_equal(kring_user_add(*state, "cecilia", "cecilia@example.com", "Cecilia Command", NULL,
					TEST_PASSWORD), 0);
	beside_the_server();
	r = http_get(v, "/people", NULL);
	assert_non_null(strstr(r->body, "Cecilia Command"));
	response_free(r);
}

/* The page as a visitor gets it now: made anew ("miss") or kept ("hit"). */
static void expect_page(struct client *v, const char *path, const char *state, const char *text)
{
	struct response *r = http_get(v, path, NULL);
	assert_status(r, 200);
	if (strcmp(cache_state(r), state) != 0)
		fail_msg("%s was \"%s\", expected \"%s\"", path, cache_state(r), state);
	if (text && !strstr(r->body, text))
		fail_msg("%s does not show \"%s\"", path, text);
	response_free(r);
}

/* A write makes stale the pages that show what it changed and only those:
 * a comment or an answer in one thread leaves the other threads' pages
 * kept, in its community and in another, and the other community's page;
 * its own thread, its community's page and the lists across communities
 * are made anew. A write that can show anywhere (a member's name) makes
 * every page anew. */
static void writes_make_stale_only_what_shows_them(void **state)
{
	struct actor *admin = staff(*state, "hanna", "--admin");
	unlimited_posting(admin);
	make_community(admin, "garden", "Garden", "public", "open");
	make_community(admin, "kitchen", "Kitchen", "public", "open");
	int64_t compost = ask(admin, "garden", "Compost heat?", "How hot does it get?");
	int64_t seeds = ask(admin, "garden", "Saving seeds?", "Which ones keep?");
	int64_t bread = ask(admin, "kitchen", "Sourdough starter?", "How often to feed it?");
	char compost_page[64], seeds_page[64], bread_page[64], seeds_json[64];
	snprintf(compost_page, sizeof compost_page, "/items/%lld", (long long)compost);
	snprintf(seeds_page, sizeof seeds_page, "/items/%lld", (long long)seeds);
	snprintf(bread_page, sizeof bread_page, "/items/%lld", (long long)bread);
	snprintf(seeds_json, sizeof seeds_json, "/api/v1/items/%lld", (long long)seeds);
	const char *pages[] = {compost_page, seeds_page, bread_page, seeds_json, "/c/garden", "/c/kitchen", "/questions"};
	struct client *v = client_new(*state);
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
		response_free(get_twice(v, pages[i], NULL));

	struct response *r = item_post(admin, compost, "comments", json_pack("{s:s}", "body", "About sixty degrees."));
	assert_status(r, 201);
	response_free(r);
	expect_page(v, compost_page, "miss", "About sixty degrees.");
	expect_page(v, "/c/garden", "miss", NULL);
	expect_page(v, "/questions", "miss", NULL);
	expect_page(v, seeds_page, "hit", NULL);
	expect_page(v, seeds_json, "hit", NULL);
	expect_page(v, bread_page, "hit", NULL);
	expect_page(v, "/c/kitchen", "hit", NULL);

	r = item_post(admin, bread, "answers", json_pack("{s:s}", "body", "Every day, at room temperature."));
	assert_status(r, 201);
	response_free(r);
	expect_page(v, bread_page, "miss", "Every day, at room temperature.");
	expect_page(v, "/c/kitchen", "miss", NULL);
	expect_page(v, compost_page, "hit", NULL);
	expect_page(v, "/c/garden", "hit", NULL);

	r = apost(admin, "/api/v1/settings/profile", json_pack("{s:s}", "name", "Hanna Berg"));
	assert_status(r, 200);
	response_free(r);
	expect_page(v, seeds_page, "miss", "Hanna Berg");
	expect_page(v, "/c/kitchen", "miss", NULL);
	client_free(v);
}

/* A member's pages are kept for that member alone, with the token of the
 * session asking; pages of the session itself are never kept. */
static void members_get_their_own_pages(void **state)
{
	struct actor *admin = staff(*state, "ivar", "--admin");
	make_community(admin, "inner-circle", "Inner circle", "private", "invite");
	ask(admin, "inner-circle", "A private matter about budgets", "");
	struct response *r = aget(admin, "/questions");
	assert_status(r, 200);
	assert_string_equal(cache_state(r), "miss");
	response_free(r);
	r = aget(admin, "/questions");
	assert_string_equal(cache_state(r), "hit");
	assert_non_null(strstr(r->body, "A private matter about budgets"));
	char *token = html_meta_csrf(r->body);
	assert_string_equal(token, admin->csrf);
	response_free(r);

	/* Another session of the same member gets the kept page with its own
	 * token. */
	struct client *again = client_new(*state);
	r = html_login(again, "ivar", TEST_PASSWORD);
	assert_status(r, 303);
	response_free(r);
	r = http_get(again, "/questions", NULL);
	assert_string_equal(cache_state(r), "hit");
	token = html_meta_csrf(r->body);
	assert_non_null(token);
	assert_string_not_equal(token, admin->csrf);
	assert_null(strstr(r->body, admin->csrf));
	response_free(r);

	/* Someone else, member or visitor, gets their own page. */
	struct actor *other = member(*state, "jonna");
	for (int i = 0; i < 2; i++) {
		r = aget(other, "/questions");
		assert_null(strstr(r->body, "A private matter about budgets"));
		assert_non_null(strstr(r->body, "jonna"));
		response_free(r);
	}
	struct client *v = client_new(*state);
	r = get_twice(v, "/questions", NULL);
	assert_null(strstr(r->body, "A private matter about budgets"));
	response_free(r);

	/* Settings show the session itself: never kept. */
	for (int i = 0; i < 2; i++) {
		r = aget(admin, "/settings");
		assert_status(r, 200);
		assert_string_equal(cache_state(r), "none");
		response_free(r);
	}
}

static void language_and_address_are_part_of_the_key(void **state)
{
	struct client *v = client_new(*state);
	struct response *r = get_twice(v, "/people", STRS("Accept-Language: sv"));
	assert_non_null(strstr(r->body, "lang=\"sv\""));
	response_free(r);
	r = http_get(v, "/people", STRS("Accept-Language: nl"));
	assert_string_equal(cache_state(r), "miss");
	assert_non_null(strstr(r->body, "lang=\"nl\""));
	response_free(r);
	r = http_get(v, "/people?language=sv", STRS("Accept-Language: sv"));
	assert_string_equal(cache_state(r), "miss");
	response_free(r);
	/* A value holding & and = is not the same as two fields. */
	r = get_twice(v, "/people?language=sv%26org%3Dx", NULL);
	response_free(r);
	r = http_get(v, "/people?language=sv&org=x", NULL);
	assert_string_not_equal(cache_state(r), "hit");
	response_free(r);
	/* Errors and health checks are never kept. */
	for (int i = 0; i < 2; i++) {
		r = http_get(v, "/items/999999", NULL);
		assert_status(r, 404);
		assert_string_equal(cache_state(r), "none");
		response_free(r);
		r = http_get(v, "/healthz", NULL);
		assert_string_equal(cache_state(r), "none");
		response_free(r);
	}
}

/* The health check's count of lookups answered from the cache and not. */
static void cache_counts(struct client *c, json_int_t *hits, json_int_t *misses)
{
	struct response *r = http_get(c, "/healthz", NULL);
	assert_status(r, 200);
	json_t *h = json_path(r->json, "page_cache.hits"), *m = json_path(r->json, "page_cache.misses");
	assert_true(json_is_integer(h) && json_is_integer(m));
	*hits = json_integer_value(h);
	*misses = json_integer_value(m);
	response_free(r);
}

static void the_health_check_counts_hits_and_misses(void **state)
{
	struct client *v = client_new(*state);
	json_int_t hits, misses, hits_after, misses_after;
	cache_counts(v, &hits, &misses);
	/* Made once, then kept: one miss and two hits. */
	struct response *r = get_twice(v, "/questions", NULL);
	response_free(r);
	r = http_get(v, "/questions", NULL);
	assert_string_equal(cache_state(r), "hit");
	response_free(r);
	cache_counts(v, &hits_after, &misses_after);
	assert_int_equal(hits_after - hits, 2);
	assert_int_equal(misses_after - misses, 1);
	client_free(v);
}

static void turned_off_with_zero(void **state)
{
	(void)state;
	setenv("KRING_CACHE_MB", "0", 1);
	struct server s;
	int started = server_start(&s);
	unsetenv("KRING_CACHE_MB");
	assert_int_equal(started, 0);
	struct client *v = client_new(&s);
	for (int i = 0; i < 2; i++) {
		struct response *r = http_get(v, "/questions", NULL);
		assert_status(r, 200);
		assert_string_equal(cache_state(r), "none");
		response_free(r);
	}
	client_free(v);
	assert_int_equal(server_stop(&s, 10), 0);
	assert_int_equal(server_cleanup(&s), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(visitors_get_their_own_token),
		T(a_write_shows_at_once),
		T(writes_make_stale_only_what_shows_them),
		T(members_get_their_own_pages),
		T(language_and_address_are_part_of_the_key),
		T(the_health_check_counts_hits_and_misses),
		cmocka_unit_test(turned_off_with_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
