/* Unit tests of jobs (the queue, its leases, retries and maintenance) and of
 * the webhook's address rule, against a real SQLite file with the schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "db/db.h"
#include "db/migrate.h"
#include "jobs/jobs.h"
#include "jobs/webhook.h"
#include "support.h"

/* A fixed time, so that tests move the clock themselves. */
#define NOW 1800000000

static int setup(void **state)
{
	if (db_fixture_setup(state) != 0)
		return -1;
	return migrate_apply(((struct db_fixture *)*state)->db, false) < 1 ? -1 : 0;
}

static int64_t job_int(struct db *db, int64_t id, const char *column)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT %s FROM jobs WHERE id = ?", column);
	return db_scalar_int(db, -1, sql, DB_ARGS(db_int(id)));
}

static bool job_null(struct db *db, int64_t id, const char *column)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT 1 FROM jobs WHERE id = ? AND %s IS NULL", column);
	return db_exists(db, sql, DB_ARGS(db_int(id)));
}

/* The text of a column (static buffer). */
static const char *job_text(struct db *db, int64_t id, const char *column)
{
	static char out[512];
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT %s FROM jobs WHERE id = ?", column);
	struct db_stmt *st = db_query(db, sql, DB_ARGS(db_int(id)));
	out[0] = '\0';
	if (db_step(st) == DB_ROW && db_text_col(st, 0))
		snprintf(out, sizeof(out), "%s", db_text_col(st, 0));
	db_done(st);
	return out;
}

static int64_t count_jobs(struct db *db)
{
	return db_scalar_int(db, -1, "SELECT COUNT(*) FROM jobs", DB_NOARGS);
}

/* Claims for node at now and checks that a job came; returns its id. */
static int64_t claim(struct db *db, const char *node, int64_t now, int64_t want_attempts)
{
	struct arena a = {0};
	struct job job;
	assert_int_equal(jobs_claim(db, &a, node, now, &job), 1);
	assert_int_equal(job.attempts, want_attempts);
	int64_t id = job.id;
	arena_reset(&a);
	return id;
}

static void assert_nothing_due(struct db *db, const char *node, int64_t now)
{
	struct arena a = {0};
	struct job job;
	assert_int_equal(jobs_claim(db, &a, node, now, &job), 0);
	arena_reset(&a);
}

/* ---- the queue ------------------------------------------------------------ */

static void test_enqueue_and_claim(void **state)
{
	assert_true(jobs_enqueue(DB, "webhook", "{\"item_id\":7}", NOW, NOW, NULL));
	struct arena a = {0};
	struct job job;
	assert_int_equal(jobs_claim(DB, &a, "node-a", NOW, &job), 1);
	assert_string_equal(job.kind, "webhook");
	assert_string_equal(job.payload, "{\"item_id\":7}");
	assert_int_equal(job.attempts, 1);
	assert_string_equal(job_text(DB, job.id, "locked_by"), "node-a");
	assert_int_equal(job_int(DB, job.id, "locked_until"), NOW + JOBS_LEASE);
	/* Claimed once: another node finds nothing. */
	assert_int_equal(jobs_claim(DB, &a, "node-b", NOW, &job), 0);
	assert_int_equal(db_open_statements(DB), 0);
	arena_reset(&a);
}

static void test_due_in_order(void **state)
{
	assert_true(jobs_enqueue(DB, "maintenance", "{}", NOW, NOW + 60, NULL));
	assert_true(jobs_enqueue(DB, "maintenance", "{}", NOW, NOW + 10, NULL));
	assert_true(jobs_enqueue(DB, "maintenance", "{}", NOW, NOW + 10, NULL));
	assert_nothing_due(DB, "a", NOW);
	/* By run_at, then by id. */
	assert_int_equal(claim(DB, "a", NOW + 10, 1), 2);
	assert_int_equal(claim(DB, "a", NOW + 10, 1), 3);
	assert_nothing_due(DB, "a", NOW + 59);
	assert_int_equal(claim(DB, "a", NOW + 60, 1), 1);
}

static void test_done(void **state)
{
	assert_true(jobs_enqueue(DB, "maintenance", "{}", NOW, NOW, NULL));
	int64_t id = claim(DB, "a", NOW, 1);
	struct job job = {.id = id, .attempts = 1, .kind = "maintenance"};
	assert_true(jobs_done(DB, &job, "a", NOW + 1));
	assert_int_equal(job_int(DB, id, "done_at"), NOW + 1);
	assert_true(job_null(DB, id, "locked_by"));
	assert_true(job_null(DB, id, "failed_at"));
	/* Done is done, leases or not. */
	assert_nothing_due(DB, "a", NOW + 10 * JOBS_LEASE);
}

static void test_retry_with_backoff(void **state)
{
	assert_int_equal(jobs_backoff(1), 30);
	assert_int_equal(jobs_backoff(2), 60);
	assert_int_equal(jobs_backoff(3), 120);
	assert_int_equal(jobs_backoff(JOBS_MAX_ATTEMPTS), (int64_t)30 << (JOBS_MAX_ATTEMPTS - 1));

	assert_true(jobs_enqueue(DB, "webhook", "{}", NOW, NOW, NULL));
	int64_t id = claim(DB, "a", NOW, 1);
	struct job job = {.id = id, .attempts = 1, .kind = "webhook"};
	assert_true(jobs_retry(DB, &job, "a", "the receiver answered with HTTP status 500", NOW));
	assert_string_equal(job_text(DB, id, "last_error"), "the receiver answered with HTTP status 500");
	assert_int_equal(job_int(DB, id, "run_at"), NOW + 30);
	assert_true(job_null(DB, id, "locked_by"));
	assert_true(job_null(DB, id, "failed_at"));

	assert_nothing_due(DB, "a", NOW + 29);
	assert_int_equal(claim(DB, "b", NOW + 30, 2), id);
	job.attempts = 2;
	assert_true(jobs_retry(DB, &job, "b", "timeout", NOW + 30));
	assert_int_equal(job_int(DB, id, "run_at"), NOW + 30 + 60);
	assert_string_equal(job_text(DB, id, "last_error"), "timeout");
}

static void test_gives_up_after_the_last_attempt(void **state)
{
	assert_true(jobs_enqueue(DB, "webhook", "{}", NOW, NOW, NULL));
	int64_t now = NOW;
	for (int64_t attempt = 1; attempt <= JOBS_MAX_ATTEMPTS; attempt++) {
		int64_t id = claim(DB, "a", now, attempt);
		struct job job = {.id = id, .attempts = attempt, .kind = "webhook"};
		assert_true(jobs_retry(DB, &job, "a", "refused", now));
		now += jobs_backoff(attempt);
	}
	assert_int_equal(job_int(DB, 1, "failed_at"), now - jobs_backoff(JOBS_MAX_ATTEMPTS));
	assert_int_equal(job_int(DB, 1, "attempts"), JOBS_MAX_ATTEMPTS);
	assert_nothing_due(DB, "a", now + 100 * 24 * 3600);
}

static void test_lease_expiry(void **state)
{
	assert_true(jobs_enqueue(DB, "maintenance", "{}", NOW, NOW, NULL));
	int64_t id = claim(DB, "dead-node", NOW, 1);
	/* The node died: nobody may take the job while its lease holds … */
	assert_nothing_due(DB, "b", NOW + JOBS_LEASE - 1);
	/* … and then anyone may. */
	assert_int_equal(claim(DB, "b", NOW + JOBS_LEASE, 2), id);
	assert_string_equal(job_text(DB, id, "locked_by"), "b");
	/* The first node, back after all, no longer owns the job. */
	struct job job = {.id = id, .attempts = 1, .kind = "maintenance"};
	assert_true(jobs_done(DB, &job, "dead-node", NOW + JOBS_LEASE + 1));
	assert_true(job_null(DB, id, "done_at"));
	job.attempts = 2;
	assert_true(jobs_done(DB, &job, "b", NOW + JOBS_LEASE + 1));
	assert_int_equal(job_int(DB, id, "done_at"), NOW + JOBS_LEASE + 1);
}

static void test_lapsing_too_often_gives_up(void **state)
{
	/* A job whose node dies every time must not take every node down. */
	assert_true(jobs_enqueue(DB, "maintenance", "{}", NOW, NOW, NULL));
	int64_t now = NOW;
	for (int64_t attempt = 1; attempt <= JOBS_MAX_ATTEMPTS; attempt++) {
		claim(DB, "dies", now, attempt);
		now += JOBS_LEASE;
	}
	assert_int_equal(jobs_run_next(DB, "survivor", now), 1);
	assert_int_equal(job_int(DB, 1, "failed_at"), now);
	assert_non_null(strstr(job_text(DB, 1, "last_error"), "too often"));
	assert_true(job_null(DB, 1, "done_at"));
}

static void test_unique_key(void **state)
{
	assert_true(jobs_enqueue(DB, "maintenance", "{}", NOW, NOW, "maintenance:1"));
	assert_true(jobs_enqueue(DB, "maintenance", "{}", NOW, NOW, "maintenance:1"));
	assert_int_equal(count_jobs(DB), 1);
	/* Without a key, every job is stored. */
	assert_true(jobs_enqueue(DB, "webhook", "{}", NOW, NOW, NULL));
	assert_true(jobs_enqueue(DB, "webhook", "{}", NOW, NOW, NULL));
	assert_int_equal(count_jobs(DB), 3);

	/* Every node schedules the hour's maintenance; it is stored once. */
	assert_true(jobs_schedule_maintenance(DB, 3600 * 500000));
	assert_true(jobs_schedule_maintenance(DB, 3600 * 500000 + 3599));
	assert_int_equal(count_jobs(DB), 4);
	assert_true(jobs_schedule_maintenance(DB, 3600 * 500001));
	assert_int_equal(count_jobs(DB), 5);
	assert_true(db_exists(DB, "SELECT 1 FROM jobs WHERE unique_key = 'maintenance:500001'", DB_NOARGS));
}

static void test_unknown_kind_fails(void **state)
{
	assert_true(jobs_enqueue(DB, "nonsense", "{}", NOW, NOW, NULL));
	assert_int_equal(jobs_run_next(DB, "a", NOW), 1);
	assert_int_equal(job_int(DB, 1, "failed_at"), NOW);
	assert_string_equal(job_text(DB, 1, "last_error"), "no handler for the kind \"nonsense\"");
	assert_int_equal(job_int(DB, 1, "attempts"), 1);
	assert_int_equal(jobs_run_next(DB, "a", NOW + 3600), 0);
}

static void test_enqueue_goes_with_the_transaction(void **state)
{
	assert_true(db_begin(DB));
	assert_true(jobs_enqueue(DB, "webhook", "{}", NOW, NOW, NULL));
	db_rollback(DB);
	assert_int_equal(count_jobs(DB), 0);
	assert_true(db_begin(DB));
	assert_true(jobs_enqueue(DB, "webhook", "{}", NOW, NOW, NULL));
	assert_true(db_commit(DB));
	assert_int_equal(count_jobs(DB), 1);
}

static void test_recent(void **state)
{
	for (int i = 0; i < 5; i++)
		assert_true(jobs_enqueue(DB, "webhook", "{}", NOW, NOW, NULL));
	assert_true(jobs_enqueue(DB, "maintenance", "{}", NOW, NOW, NULL));
	struct job job = {.id = claim(DB, "a", NOW, 1), .attempts = 1, .kind = "webhook"};
	assert_true(jobs_done(DB, &job, "a", NOW));
	job = (struct job){.id = claim(DB, "a", NOW, 1), .attempts = 1, .kind = "webhook"};
	assert_true(jobs_retry(DB, &job, "a", "refused", NOW));
	claim(DB, "a", NOW, 1);

	json_t *list = jobs_recent(DB, "webhook", 4, NOW);
	assert_int_equal(json_array_size(list), 4);
	const char *states[] = {"queued", "queued", "running", "retrying"};
	for (size_t i = 0; i < 4; i++) {
		json_t *o = json_array_get(list, i);
		assert_int_equal(json_integer_value(json_object_get(o, "id")), 5 - (int)i);
		assert_string_equal(json_string_value(json_object_get(o, "state")), states[i]);
	}
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 3), "last_error")), "refused");
	json_decref(list);

	list = jobs_recent(DB, "webhook", 10, NOW);
	json_t *first = json_array_get(list, 4);
	assert_string_equal(json_string_value(json_object_get(first, "state")), "done");
	assert_int_equal(json_integer_value(json_object_get(first, "finished_at")), NOW);
	json_decref(list);
}

/* ---- several workers ------------------------------------------------------- */

#define PARALLEL_JOBS 60
#define WORKERS 4

struct worker_arg {
	const char *path;
	char node[16];
	int claimed;
};

static void *drain(void *p)
{
	struct worker_arg *w = p;
	char *err = NULL;
	struct db *db = db_open(w->path, &err);
	free(err);
	struct arena a = {0};
	struct job job;
	while (db && jobs_claim(db, &a, w->node, NOW, &job) == 1) {
		w->claimed++;
		jobs_done(db, &job, w->node, NOW);
		arena_reset(&a);
	}
	arena_reset(&a);
	db_close(db);
	return NULL;
}

static void test_every_job_is_claimed_once(void **state)
{
	struct db_fixture *f = *state;
	for (int i = 0; i < PARALLEL_JOBS; i++)
		assert_true(jobs_enqueue(DB, "maintenance", "{}", NOW, NOW, NULL));
	pthread_t threads[WORKERS];
	struct worker_arg args[WORKERS];
	for (int i = 0; i < WORKERS; i++) {
		args[i] = (struct worker_arg){.path = f->path};
		snprintf(args[i].node, sizeof(args[i].node), "node-%d", i);
		assert_int_equal(pthread_create(&threads[i], NULL, drain, &args[i]), 0);
	}
	int claimed = 0;
	for (int i = 0; i < WORKERS; i++) {
		pthread_join(threads[i], NULL);
		claimed += args[i].claimed;
	}
	assert_int_equal(claimed, PARALLEL_JOBS);
	assert_int_equal(db_scalar_int(DB, -1, "SELECT COUNT(*) FROM jobs WHERE done_at IS NOT NULL AND attempts = 1",
				       DB_NOARGS), PARALLEL_JOBS);
}

/* ---- maintenance ------------------------------------------------------------- */

static void test_maintenance(void **state)
{
	assert_int_equal(db_exec(DB, "INSERT INTO users (id, handle, name, email, password_hash, created_at)"
				     " VALUES (1, 'ann', 'Ann', 'ann@example.com', 'x', 0)", DB_NOARGS), 1);
	int64_t now = NOW;
	const int64_t expires[] = {now - 1, now, now + 1};
	for (int i = 0; i < 3; i++) {
		char token[16];
		snprintf(token, sizeof(token), "t%d", i);
		assert_int_equal(db_exec(DB, "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at,"
					     " expires_at, last_seen_at) VALUES (?, 1, 'c', 0, ?, 0)",
					 DB_ARGS(db_text(token), db_int(expires[i]))), 1);
	}
	/* Counters: a window a day and more old, and one within the day. */
	assert_int_equal(db_exec(DB, "INSERT INTO rate_limits (key, window_start, count) VALUES"
				     " ('old', ?, 5), ('recent', ?, 5)",
				 DB_ARGS(db_int(now - 24 * 3600), db_int(now - 24 * 3600 + 1))), 2);
	/* Jobs done or failed more than 30 days ago go; younger ones and
	 * waiting ones stay. */
	for (int i = 0; i < 4; i++)
		assert_true(jobs_enqueue(DB, "webhook", "{}", now, now + 3600, NULL));
	assert_true(db_exec(DB, "UPDATE jobs SET done_at = ? WHERE id = 1", DB_ARGS(db_int(now - JOBS_KEEP))) >= 0);
	assert_true(db_exec(DB, "UPDATE jobs SET failed_at = ? WHERE id = 2", DB_ARGS(db_int(now - JOBS_KEEP - 1))) >= 0);
	assert_true(db_exec(DB, "UPDATE jobs SET done_at = ? WHERE id = 3", DB_ARGS(db_int(now - JOBS_KEEP + 1))) >= 0);

	/* E-mail: the same for messages sent or given up; waiting ones stay. */
	const char *outbox = "INSERT INTO mail_outbox (id, kind, to_address, subject, message, created_at, sent_at,"
			     " failed_at) VALUES (?, 'welcome', 'ann@example.com', 'Hi', '', 0, ?, ?)";
	assert_int_equal(db_exec(DB, outbox, DB_ARGS(db_int(1), db_int(now - JOBS_KEEP), db_null())), 1);
	assert_int_equal(db_exec(DB, outbox, DB_ARGS(db_int(2), db_null(), db_int(now - JOBS_KEEP))), 1);
	assert_int_equal(db_exec(DB, outbox, DB_ARGS(db_int(3), db_int(now - JOBS_KEEP + 1), db_null())), 1);
	assert_int_equal(db_exec(DB, outbox, DB_ARGS(db_int(4), db_null(), db_null())), 1);

	assert_true(jobs_schedule_maintenance(DB, now));
	assert_int_equal(jobs_run_next(DB, "a", now), 1);
	assert_false(db_exists(DB, "SELECT 1 FROM mail_outbox WHERE id IN (1, 2)", DB_NOARGS));
	assert_int_equal(db_scalar_int(DB, -1, "SELECT COUNT(*) FROM mail_outbox WHERE id IN (3, 4)", DB_NOARGS), 2);
	assert_int_equal(db_scalar_int(DB, -1, "SELECT COUNT(*) FROM sessions", DB_NOARGS), 1);
	assert_true(db_exists(DB, "SELECT 1 FROM sessions WHERE expires_at = ?", DB_ARGS(db_int(now + 1))));
	assert_false(db_exists(DB, "SELECT 1 FROM rate_limits WHERE key = 'old'", DB_NOARGS));
	assert_true(db_exists(DB, "SELECT 1 FROM rate_limits WHERE key = 'recent'", DB_NOARGS));
	assert_false(db_exists(DB, "SELECT 1 FROM jobs WHERE id IN (1, 2)", DB_NOARGS));
	assert_true(db_exists(DB, "SELECT 1 FROM jobs WHERE id = 3", DB_NOARGS));
	assert_true(db_exists(DB, "SELECT 1 FROM jobs WHERE id = 4", DB_NOARGS));
	/* The maintenance job itself is done. */
	assert_true(db_exists(DB, "SELECT 1 FROM jobs WHERE kind = 'maintenance' AND done_at = ?",
			      DB_ARGS(db_int(now))));
}

/* ---- webhooks ---------------------------------------------------------------- */

static void test_webhook_addresses(void **state)
{
	(void)state;
	const char *good[] = {"http://127.0.0.1:8080/hook", "https://chat.example.org/hooks/kring?x=1",
			      "HTTPS://example.org", "http://[::1]:9000/"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (webhook_url_problem(good[i]))
			fail_msg("refused %s: %s", good[i], webhook_url_problem(good[i]));
	const char *bad[] = {"ftp://example.org/x", "javascript:alert(1)", "http://", "https:///path",
			     "http://exa mple.org/", "example.org/hook", "http://example.org/\n", "mailto:a@b.c",
			     "http://user@/x", "https://?q", ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!webhook_url_problem(bad[i]))
			fail_msg("accepted %s", bad[i]);
	size_t len;
	char *path = repeat("a", WEBHOOK_URL_MAX, &len);
	char *longest = malloc(len + 32);
	snprintf(longest, len + 32, "https://example.org/%s", path + 20);
	assert_null(webhook_url_problem(longest));
	snprintf(longest, len + 32, "https://example.org/%s", path + 19);
	assert_non_null(webhook_url_problem(longest));
	free(longest);
	free(path);
}

static void test_webhook_secret(void **state)
{
	(void)state;
	char a[WEBHOOK_SECRET_CHARS + 1], b[WEBHOOK_SECRET_CHARS + 1];
	webhook_new_secret(a);
	webhook_new_secret(b);
	assert_int_equal(strlen(a), WEBHOOK_SECRET_CHARS);
	assert_int_equal(strspn(a, "0123456789abcdef"), WEBHOOK_SECRET_CHARS);
	assert_string_not_equal(a, b);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, db_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_enqueue_and_claim),
		T(test_due_in_order),
		T(test_done),
		T(test_retry_with_backoff),
		T(test_gives_up_after_the_last_attempt),
		T(test_lease_expiry),
		T(test_lapsing_too_often_gives_up),
		T(test_unique_key),
		T(test_unknown_kind_fails),
		T(test_enqueue_goes_with_the_transaction),
		T(test_recent),
		T(test_every_job_is_claimed_once),
		T(test_maintenance),
		cmocka_unit_test(test_webhook_addresses),
		cmocka_unit_test(test_webhook_secret),
	};
	return sodium_init() < 0 ? 1 : cmocka_run_group_tests(tests, NULL, NULL);
}
