/* Unit tests of events (jobs/events.h): the types and their names, the
 * subscriber table's rules, and recording against a real SQLite file with
 * the schema: stored with the caller's transaction or not at all, a queued
 * subscriber's job only when it wants the event, and delivery of a job that
 * names no event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "db/db.h"
#include "db/migrate.h"
#include "jobs/events.h"
#include "jobs/jobs.h"
#include "jobs/webhook.h"
#include "support.h"

#define NOW 1800000000

_Static_assert(EVENT_TYPES <= 64, "an event_set holds at most 64 types");

static int setup(void **state)
{
	if (db_fixture_setup(state) != 0)
		return -1;
	return migrate_apply(((struct db_fixture *)*state)->db, false) < 1 ? -1 : 0;
}

static void test_type_names(void **state)
{
	(void)state;
	for (int t = 0; t < EVENT_TYPES; t++) {
		const char *name = event_type_name((enum event_type)t);
		assert_non_null(name);
		/* "noun.verb", and each name is its own type's. */
		assert_non_null(strchr(name, '.'));
		assert_int_equal(event_type_of(name), t);
		assert_true(EVENT_SET_ALL & EVENT_SET(t));
	}
	assert_null(event_type_name(EVENT_TYPES));
	assert_int_equal(event_type_of("item.exploded"), -1);
	assert_int_equal(event_type_of(NULL), -1);
	assert_false(EVENT_SET_ALL & EVENT_SET(EVENT_TYPES));
}

/* The handler job_kinds[] names for the kind, or NULL. */
static job_handler *kind_handler(const char *kind)
{
	for (size_t i = 0; i < job_kinds_count; i++)
		if (strcmp(job_kinds[i].kind, kind) == 0)
			return job_kinds[i].run;
	return NULL;
}

static void test_subscriber_table(void **state)
{
	(void)state;
	assert_true(event_subscribers_count > 0);
	for (size_t i = 0; i < event_subscribers_count; i++) {
		const struct event_subscriber *s = &event_subscribers[i];
		assert_non_null(s->name);
		assert_true(s->types != 0);
		/* Exactly the function of its timing. */
		if (s->timing == EVENT_IN_STEP) {
			assert_non_null(s->in_step);
			assert_null(s->queued);
			assert_null(s->wants);
			assert_null(event_subscriber_queued(s->name));
		} else {
			assert_null(s->in_step);
			assert_non_null(s->queued);
			/* Its jobs are of the kind named after it, run by events. */
			assert_ptr_equal(event_subscriber_queued(s->name), s);
			assert_ptr_equal(kind_handler(s->name), events_deliver);
		}
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(event_subscribers[j].name, s->name);
	}
	assert_null(event_subscriber_queued("nonsense"));
	assert_null(event_subscriber_queued("maintenance"));
}

static void test_takes(void **state)
{
	(void)state;
	const struct event_subscriber s = {"items", EVENT_SET_ITEM, EVENT_QUEUED};
	assert_true(event_subscriber_takes(&s, EVENT_ITEM_CREATED));
	assert_true(event_subscriber_takes(&s, EVENT_ITEM_DELETED));
	assert_false(event_subscriber_takes(&s, EVENT_COMMENT_ADDED));
	assert_false(event_subscriber_takes(&s, EVENT_TYPES));
	assert_false(event_subscriber_takes(&s, (enum event_type)-1));
}

static int64_t count(struct db *db, const char *sql)
{
	return db_scalar_int(db, -1, sql, DB_NOARGS);
}

static void test_recorded_with_the_transaction(void **state)
{
	int64_t before = events_recorded();
	assert_true(db_begin(DB));
	struct event e = {.type = EVENT_MEMBER_JOINED, .actor_id = 7, .community_id = 3, .member_id = 7,
			  .created_at = NOW, .payload = json_pack("{s:s}", "role", "member")};
	assert_true(event_record(DB, &e));
	assert_true(e.id > 0);
	assert_null(e.payload);
	db_rollback(DB);
	assert_int_equal(count(DB, "SELECT COUNT(*) FROM events"), 0);

	assert_true(db_begin(DB));
	e = (struct event){.type = EVENT_MEMBER_JOINED, .actor_id = 7, .community_id = 3, .member_id = 7,
			   .created_at = NOW};
	assert_true(event_record(DB, &e));
	assert_true(db_commit(DB));
	assert_int_equal(events_recorded(), before + 2);
	struct event got;
	assert_int_equal(event_load(DB, e.id, &got), 1);
	assert_int_equal(got.type, EVENT_MEMBER_JOINED);
	assert_int_equal(got.actor_id, 7);
	assert_int_equal(got.community_id, 3);
	assert_int_equal(got.member_id, 7);
	assert_int_equal(got.item_id, 0);
	assert_int_equal(got.object_id, 0);
	assert_int_equal(got.created_at, NOW);
	assert_true(json_is_object(got.payload));
	assert_int_equal(json_object_size(got.payload), 0);
	json_decref(got.payload);
	assert_int_equal(event_load(DB, e.id + 1, &got), 0);
	/* Every event makes the cached pages stale, in its transaction. */
	assert_int_equal(count(DB, "SELECT generation FROM content_generation"), 1);
}

static void test_queued_only_when_wanted(void **state)
{
	const char *webhook_jobs = "SELECT COUNT(*) FROM jobs WHERE kind = 'webhook'";
	/* No webhook: nothing queued, even for a public item. */
	struct event e = {.type = EVENT_ITEM_DELETED, .actor_id = 1, .community_id = 1, .item_id = 5,
			  .created_at = NOW, .payload = json_pack("{s:s, s:s, s:b}", "kind", "question",
								  "title", "Q", "public", 1)};
	assert_true(event_record(DB, &e));
	assert_int_equal(count(DB, webhook_jobs), 0);

	assert_true(db_exec(DB, "INSERT INTO settings (key, value) VALUES (?, 'http://127.0.0.1:9/hook')",
			    DB_ARGS(db_text(WEBHOOK_URL_SETTING))) == 1);
	/* Not public: nothing. */
	e = (struct event){.type = EVENT_ITEM_DELETED, .actor_id = 1, .community_id = 2, .item_id = 6,
			   .created_at = NOW, .payload = json_pack("{s:s, s:s, s:b}", "kind", "question",
								   "title", "Q", "public", 0)};
	assert_true(event_record(DB, &e));
	assert_int_equal(count(DB, webhook_jobs), 0);
	/* Not a type the webhook takes: nothing. */
	e = (struct event){.type = EVENT_METHOD_USED, .actor_id = 1, .community_id = 1, .item_id = 5,
			   .created_at = NOW, .payload = json_pack("{s:b}", "public", 1)};
	assert_true(event_record(DB, &e));
	assert_int_equal(count(DB, webhook_jobs), 0);
	/* Public: one job, naming the event. */
	e = (struct event){.type = EVENT_ITEM_DELETED, .actor_id = 1, .community_id = 1, .item_id = 7,
			   .created_at = NOW, .payload = json_pack("{s:s, s:s, s:b}", "kind", "question",
								   "title", "Q", "public", 1)};
	assert_true(event_record(DB, &e));
	assert_int_equal(count(DB, webhook_jobs), 1);
	char want[64];
	snprintf(want, sizeof want, "{\"event\":%lld}", (long long)e.id);
	assert_true(db_exists(DB, "SELECT 1 FROM jobs WHERE kind = 'webhook' AND payload = ? AND run_at = ?",
			      DB_ARGS(db_text(want), db_int(NOW))));
}

static void test_webhook_turned_off_since_is_done(void **state)
{
	assert_true(db_exec(DB, "INSERT INTO settings (key, value) VALUES (?, 'http://127.0.0.1:9/hook')",
			    DB_ARGS(db_text(WEBHOOK_URL_SETTING))) == 1);
	struct event e = {.type = EVENT_ITEM_DELETED, .actor_id = 1, .community_id = 1, .item_id = 7,
			  .created_at = NOW, .payload = json_pack("{s:s, s:s, s:b}", "kind", "question",
								  "title", "Q", "public", 1)};
	assert_true(event_record(DB, &e));
	/* Turned off after the job was queued: nothing to send, done. */
	assert_true(db_exec(DB, "DELETE FROM settings WHERE key = ?", DB_ARGS(db_text(WEBHOOK_URL_SETTING))) == 1);
	assert_int_equal(jobs_run_next(DB, "a", NOW), 1);
	assert_int_equal(db_scalar_int(DB, -1, "SELECT done_at FROM jobs WHERE kind = 'webhook'", DB_NOARGS), NOW);
}

static void test_delivering_what_is_not_there(void **state)
{
	struct arena a = {0};
	struct job job = {.id = 1, .attempts = 1, .kind = "webhook", .payload = "{\"event\":42}"};
	assert_string_equal(events_deliver(DB, &a, &job, NOW), "the job names no stored event");
	job.payload = "{}";
	assert_string_equal(events_deliver(DB, &a, &job, NOW), "the job names no stored event");
	job.kind = "nonsense";
	assert_string_equal(events_deliver(DB, &a, &job, NOW), "no subscriber is called \"nonsense\"");
	arena_reset(&a);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, db_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_subscriber_table),
		cmocka_unit_test(test_takes),
		T(test_recorded_with_the_transaction),
		T(test_queued_only_when_wanted),
		T(test_webhook_turned_off_since_is_done),
		T(test_delivering_what_is_not_there),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
