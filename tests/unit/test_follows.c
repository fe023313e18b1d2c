/* Unit tests of follows (features/follows.h) against a real SQLite file with
 * the schema: following again and unfollowing what is not followed change
 * nothing, who follows a target and the member's own follows are told
 * apart, the setting's default, and the subscriber that follows the thread
 * a member takes part in (an answer's question), only when the setting
 * says so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include "db/db.h"
#include "db/migrate.h"
#include "features/follows.h"
#include "jobs/events.h"
#include "support.h"

#define NOW 1800000000

static int setup(void **state)
{
	if (db_fixture_setup(state) != 0)
		return -1;
	return migrate_apply(((struct db_fixture *)*state)->db, false) < 1 ? -1 : 0;
}

static int64_t add_user(struct db *db, const char *handle)
{
	int64_t id = db_scalar_int(db, 0, "INSERT INTO users (handle, name, email, password_hash, created_at)"
				   " VALUES (?, ?, ? || '@example.org', 'x', 1) RETURNING id",
				   DB_ARGS(db_text(handle), db_text(handle), db_text(handle)));
	assert_true(id > 0);
	return id;
}

static void test_following_and_followers(void **state)
{
	int64_t ana = add_user(DB, "ana"), bo = add_user(DB, "bo"), cy = add_user(DB, "cy");
	assert_false(follows_has(DB, ana, FOLLOW_TAG, 7));
	assert_true(follows_add(DB, ana, FOLLOW_TAG, 7, NOW));
	assert_true(follows_add(DB, ana, FOLLOW_TAG, 7, NOW + 1));
	assert_true(follows_add(DB, cy, FOLLOW_TAG, 7, NOW));
	assert_true(follows_add(DB, bo, FOLLOW_COMMUNITY, 7, NOW));
	assert_true(follows_has(DB, ana, FOLLOW_TAG, 7));
	/* The same id of another kind is another target. */
	assert_false(follows_has(DB, ana, FOLLOW_COMMUNITY, 7));

	struct arena a = {0};
	size_t n;
	int64_t *ids = follows_followers(DB, &a, FOLLOW_TAG, 7, &n);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], ana);
	assert_int_equal(ids[1], cy);
	ids = follows_followers(DB, &a, FOLLOW_PERSON, ana, &n);
	assert_int_equal(n, 0);
	assert_null(ids);

	assert_true(follows_remove(DB, ana, FOLLOW_TAG, 7));
	assert_true(follows_remove(DB, ana, FOLLOW_TAG, 7));
	assert_false(follows_has(DB, ana, FOLLOW_TAG, 7));
	ids = follows_followers(DB, &a, FOLLOW_TAG, 7, &n);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], cy);
	arena_reset(&a);
}

static void test_the_setting(void **state)
{
	int64_t ana = add_user(DB, "ana");
	assert_true(follows_auto_enabled(DB, ana));
	assert_true(follows_set_auto(DB, ana, false));
	assert_false(follows_auto_enabled(DB, ana));
	assert_true(follows_set_auto(DB, ana, true));
	assert_true(follows_auto_enabled(DB, ana));
}

/* A question of ana's with bo's answer; the event of the answer, by actor. */
static void test_taking_part_follows_the_thread(void **state)
{
	int64_t ana = add_user(DB, "ana"), bo = add_user(DB, "bo");
	int64_t question = db_scalar_int(DB, 0, "INSERT INTO items (kind, author_id, title, created_at, activity_at)"
					 " VALUES ('question', ?, 'Why?', 1, 1) RETURNING id", DB_ARGS(db_int(ana)));
	int64_t answer = db_scalar_int(DB, 0, "INSERT INTO items (kind, author_id, parent_id, title, created_at,"
				       " activity_at) VALUES ('answer', ?, ?, '', 2, 2) RETURNING id",
				       DB_ARGS(db_int(bo), db_int(question)));
	assert_true(question > 0 && answer > 0);
	struct event e = {.type = EVENT_ITEM_CREATED, .actor_id = bo, .item_id = answer, .created_at = NOW};
	assert_true(follows_on_contribution(DB, &e));
	assert_true(follows_has(DB, bo, FOLLOW_ITEM, question));
	assert_false(follows_has(DB, bo, FOLLOW_ITEM, answer));
	/* Again: still one follow. */
	assert_true(follows_on_contribution(DB, &e));
	assert_int_equal(db_scalar_int(DB, -1, "SELECT COUNT(*) FROM follows", DB_NOARGS), 1);

	/* ana has turned it off: her comment on the answer follows nothing. */
	assert_true(follows_set_auto(DB, ana, false));
	e = (struct event){.type = EVENT_COMMENT_ADDED, .actor_id = ana, .item_id = answer, .object_id = 1,
			   .created_at = NOW};
	assert_true(follows_on_contribution(DB, &e));
	assert_false(follows_has(DB, ana, FOLLOW_ITEM, question));
	/* A write from the command line has nobody to follow it. */
	e = (struct event){.type = EVENT_ITEM_CREATED, .item_id = question, .created_at = NOW};
	assert_true(follows_on_contribution(DB, &e));
	assert_int_equal(db_scalar_int(DB, -1, "SELECT COUNT(*) FROM follows", DB_NOARGS), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_following_and_followers, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_the_setting, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_taking_part_follows_the_thread, setup, db_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
