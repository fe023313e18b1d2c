/* test_times: the server's clock governs every time it records or
 * compares. With a test clock (KRING_CLOCK_FILE) the times of accounts,
 * questions, answers, edits, comments and acceptances are the clock's; a comment's
 * edit window, a session's life and the posting limits' windows pass as
 * the clock moves, with no waiting. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>

/* 2027-01-15 08:00 UTC */
#define T0 ((int64_t)1800000000)

/* A server on a test clock set to T0. */
static int setup(void **state)
{
	test_clock_start(T0);
	return server_setup(state);
}

/* fika, an open community hosted by the admin, with asa and bo in it. */
struct place {
	struct actor *admin, *asa, *bo;
};

static void place_build(struct place *p, const struct server *s)
{
	p->admin = staff(s, "root", "--admin");
	make_community(p->admin, "fika", "Fika", "public", "open");
	p->asa = member(s, "asa");
	p->bo = member(s, "bo");
	bring_in(p->admin, "fika", p->asa);
	bring_in(p->admin, "fika", p->bo);
}

static void assert_time(const struct response *r, const char *path, int64_t want)
{
	json_t *v = json_path(r->json, path);
	if (!json_is_integer(v) || json_integer_value(v) != want)
		harness_fail_response(r, __FILE__, __LINE__, "%s is not %lld", path, (long long)want);
}

/* The question's activity_at, as the list of questions gives it. */
static int64_t activity_at(struct actor *a, int64_t q)
{
	struct response *r = aget(a, "/api/v1/questions");
	assert_status(r, 200);
	int64_t at = -1;
	for (size_t i = 0; i < jlen(r, "items"); i++)
		if (json_integer_value(jat(r, "items", i, "id")) == q)
			at = json_integer_value(jat(r, "items", i, "activity_at"));
	response_free(r);
	return at;
}

static void item_times_are_the_clocks(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t q = ask(p.asa, "fika", "When does the train leave?", "From Uppsala.");
	assert_int_equal(activity_at(p.bo, q), T0);
	struct response *r = get_item(p.bo, q);
	assert_time(r, "created_at", T0);
	assert_true(json_is_null(json_path(r->json, "edited_at")));
	response_free(r);

	test_clock_advance(60);
	r = item_post(p.bo, q, "answers", json_pack("{s:s}", "body", "At nine."));
	assert_status(r, 201);
	int64_t answer = jint(r, "id");
	response_free(r);
	assert_int_equal(activity_at(p.asa, q), T0 + 60);
	r = get_item(p.asa, q);
	assert_int_equal(json_integer_value(jat(r, "answers", 0, "id")), answer);
	assert_int_equal(json_integer_value(jat(r, "answers", 0, "created_at")), T0 + 60);
	response_free(r);

	test_clock_advance(60);
	r = item_edit(p.asa, q, json_pack("{s:s, s:s}", "title", "When does the first train leave?", "body",
					  "From Uppsala, on Sunday."));
	assert_status(r, 200);
	response_free(r);
	r = get_item(p.bo, q);
	assert_time(r, "edited_at", T0 + 120);
	assert_time(r, "created_at", T0);
	response_free(r);

	test_clock_advance(60);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/items/%lld/comments", (long long)q);
	r = apost(p.bo, path, json_pack("{s:s}", "body", "Check the timetable."));
	assert_status(r, 201);
	assert_time(r, "created_at", T0 + 180);
	response_free(r);

	test_clock_advance(60);
	r = item_post(p.asa, q, "accept", json_pack("{s:I}", "answer", (json_int_t)answer));
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(activity_at(p.bo, q), T0 + 240);
}

/* An account made with `kring user add` (which reads the clock file too)
 * and one made by signing up. */
static void accounts_are_dated_by_the_clock(void **state)
{
	struct actor *root = staff(*state, "root", "--admin");
	test_clock_advance(60);
	member(*state, "asa");
	struct response *r = aget(root, "/api/v1/people/root");
	assert_status(r, 200);
	assert_time(r, "person.created_at", T0);
	response_free(r);
	r = aget(root, "/api/v1/people/asa");
	assert_status(r, 200);
	assert_time(r, "person.created_at", T0 + 60);
	response_free(r);
}

static void comment_edit_window_closes_as_the_clock_moves(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t q = ask(p.asa, "fika", "Coffee or tea?", "");
	char path[64];
	snprintf(path, sizeof path, "/api/v1/items/%lld/comments", (long long)q);
	struct response *r = apost(p.bo, path, json_pack("{s:s}", "body", "Coffee."));
	assert_status(r, 201);
	int64_t comment = jint(r, "id");
	response_free(r);

	/* fifteen minutes to edit it */
	snprintf(path, sizeof path, "/api/v1/comments/%lld/edit", (long long)comment);
	test_clock_advance(15 * 60 - 1);
	r = apost(p.bo, path, json_pack("{s:s}", "body", "Coffee, black."));
	assert_status(r, 200);
	assert_time(r, "edited_at", T0 + 15 * 60 - 1);
	response_free(r);
	test_clock_advance(1);
	r = apost(p.bo, path, json_pack("{s:s}", "body", "Tea after all."));
	assert_error(r, 403, "edit_window_closed");
	response_free(r);
}

static void session_lapses_as_the_clock_moves(void **state)
{
	struct actor *asa = member(*state, "asa");
	/* thirty days from signing in */
	test_clock_advance(30 * 86400 - 1);
	assert_me(asa->c, "handle", "asa");
	test_clock_advance(1);
	assert_signed_out(asa->c);
}

static void posting_limit_window_moves_with_the_clock(void **state)
{
	struct place p;
	place_build(&p, *state);
	/* five questions a minute (the default) */
	for (int i = 0; i < 5; i++) {
		char title[64];
		snprintf(title, sizeof title, "Question number %d", i);
		ask(p.asa, "fika", title, "");
	}
	struct response *r = apost(p.asa, "/api/v1/c/fika/items",
				   json_pack("{s:s, s:s}", "kind", "question", "title", "One too many"));
	assert_error(r, 429, "rate_limited");
	response_free(r);
	/* the next minute */
	test_clock_advance(60);
	ask(p.asa, "fika", "One more, a minute later", "");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(item_times_are_the_clocks),
		T(accounts_are_dated_by_the_clock),
		T(comment_edit_window_closes_as_the_clock_moves),
		T(session_lapses_as_the_clock_moves),
		T(posting_limit_window_moves_with_the_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
