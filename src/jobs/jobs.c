/* jobs: the queue in the jobs table and its worker thread (see jobs.h; the
 * kinds, the maintenance job's work among them, are in src/job_kinds.c). */
#include "jobs/jobs.h"

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The first retry waits this long; each one after waits twice as long. */
#define BACKOFF_FIRST 30

/* ---- maintenance ----------------------------------------------------------- */

bool jobs_schedule_maintenance(struct db *db, int64_t now)
{
	char key[48];
	snprintf(key, sizeof(key), "maintenance:%lld", (long long)(now / 3600));
	return jobs_enqueue(db, "maintenance", "{}", now, now, key);
}

/* ---- the queue --------------------------------------------------------------- */

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool running;
	bool pending; /* a job was queued since the worker last looked */
	atomic_bool stopping;
	struct db *db;
	char node[300]; /* hostname:pid */
} worker = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Lets the worker of this process look now rather than at its next tick. */
static void wake_worker(void)
{
	pthread_mutex_lock(&worker.lock);
	worker.pending = true;
	if (worker.running)
		pthread_cond_signal(&worker.wake);
	pthread_mutex_unlock(&worker.lock);
}

bool jobs_enqueue(struct db *db, const char *kind, const char *payload_json, int64_t now, int64_t run_at,
		  const char *unique_key)
{
	bool ok = db_exec(db, "INSERT INTO jobs (kind, payload, unique_key, run_at, created_at)"
			      " VALUES (?, ?, ?, ?, ?) ON CONFLICT (unique_key) DO NOTHING",
			  DB_ARGS(db_text(kind), db_text(payload_json), db_text(unique_key), db_int(run_at),
				  db_int(now))) >= 0;
	/* Inside a transaction the worker may look before the commit and find
	 * nothing; it looks again at its next tick. */
	if (ok)
		wake_worker();
	return ok;
}

int jobs_claim(struct db *db, struct arena *a, const char *node, int64_t now, struct job *job)
{
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "UPDATE jobs SET locked_by = ?, locked_until = ?, attempts = attempts + 1"
		 " WHERE id = (SELECT id FROM jobs WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= ?"
		 " AND (locked_until IS NULL OR locked_until <= ?) ORDER BY run_at, id LIMIT 1%s)"
		 " RETURNING id, attempts, kind, payload", db_skip_locked(db));
	struct db_stmt *st = db_query(db, sql, DB_ARGS(db_text(node), db_int(now + JOBS_LEASE),
						       db_int(now), db_int(now)));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		job->id = db_int_col(st, 0);
		job->attempts = db_int_col(st, 1);
		job->kind = arena_strdup(a, db_text_col(st, 2));
		job->payload = arena_strdup(a, db_text_col(st, 3));
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

bool jobs_done(struct db *db, const struct job *job, const char *node, int64_t now)
{
	/* Only while the claim is still this node's: once its lease lapsed,
	 * the job belongs to whoever claimed it next. */
	return db_exec(db, "UPDATE jobs SET done_at = ?, locked_by = NULL, locked_until = NULL"
			   " WHERE id = ? AND locked_by = ?",
		       DB_ARGS(db_int(now), db_int(job->id), db_text(node))) >= 0;
}

int64_t jobs_backoff(int64_t attempts)
{
	if (attempts < 1)
		attempts = 1;
	if (attempts > JOBS_MAX_ATTEMPTS)
		attempts = JOBS_MAX_ATTEMPTS;
	return (int64_t)BACKOFF_FIRST << (attempts - 1);
}

/* Records the error; the job runs again at run_at, or never when final. */
static bool finish_failed(struct db *db, const struct job *job, const char *node, const char *error,
			  int64_t now, bool final)
{
	int64_t run_at = final ? now : now + jobs_backoff(job->attempts);
	char next[48] = "given up";
	if (!final)
		snprintf(next, sizeof(next), "next try in %llds", (long long)(run_at - now));
	fprintf(stderr, "jobs: %s %lld failed (attempt %lld, %s): %s\n", job->kind, (long long)job->id,
		(long long)job->attempts, next, error);
	return db_exec(db, "UPDATE jobs SET last_error = ?, run_at = ?, failed_at = ?, locked_by = NULL,"
			   " locked_until = NULL WHERE id = ? AND locked_by = ?",
		       DB_ARGS(db_text(error), db_int(run_at), final ? db_int(now) : db_null(),
			       db_int(job->id), db_text(node))) >= 0;
}

bool jobs_retry(struct db *db, const struct job *job, const char *node, const char *error, int64_t now)
{
	return finish_failed(db, job, node, error, now, job->attempts >= JOBS_MAX_ATTEMPTS);
}

static job_handler *handler_of(const char *kind)
{
	for (size_t i = 0; i < job_kinds_count; i++)
		if (strcmp(job_kinds[i].kind, kind) == 0)
			return job_kinds[i].run;
	return NULL;
}

/* What the kinds need while the worker runs, and giving it back. */
static void kinds_setup(void)
{
	for (size_t i = 0; i < job_kinds_count; i++)
		if (job_kinds[i].setup)
			job_kinds[i].setup();
}

static void kinds_cleanup(void)
{
	for (size_t i = 0; i < job_kinds_count; i++)
		if (job_kinds[i].cleanup)
			job_kinds[i].cleanup();
}

int jobs_run_next(struct db *db, const char *node, int64_t now)
{
	struct arena a = {0};
	struct job job;
	int rc = jobs_claim(db, &a, node, now, &job);
	if (rc == 1) {
		job_handler *run = handler_of(job.kind);
		if (!run) {
			finish_failed(db, &job, node, arena_printf(&a, "no handler for the kind \"%s\"", job.kind),
				      now, true);
		} else if (job.attempts > JOBS_MAX_ATTEMPTS) {
			/* Only claims that lapsed get here: a job that takes its
			 * node down each time must not take every node down. */
			finish_failed(db, &job, node, "its node stopped while running it, too often", now, true);
		} else {
			const char *error = run(db, &a, &job, now);
			if (error)
				jobs_retry(db, &job, node, error, now);
			else
				jobs_done(db, &job, node, now);
		}
		/* Whatever a handler left open. */
		db_release_all(db);
	}
	arena_reset(&a);
	return rc;
}

json_t *jobs_recent(struct db *db, const char *kind, int limit, int64_t now)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(db,
		"SELECT id, attempts, last_error, created_at, run_at, locked_until, done_at, failed_at"
		" FROM jobs WHERE kind = ? ORDER BY id DESC LIMIT ?", DB_ARGS(db_text(kind), db_int(limit)));
	while (db_step(st) == DB_ROW) {
		bool done = !db_null_col(st, 6), failed = !db_null_col(st, 7);
		bool leased = !db_null_col(st, 5) && db_int_col(st, 5) > now;
		const char *state = done ? "done" : failed ? "failed" : leased ? "running"
				    : db_int_col(st, 1) > 0 ? "retrying" : "queued";
		json_t *o = json_pack("{s:I, s:s, s:I, s:s?, s:I, s:I}", "id", (json_int_t)db_int_col(st, 0),
				      "state", state, "attempts", (json_int_t)db_int_col(st, 1),
				      "last_error", db_text_col(st, 2), "created_at", (json_int_t)db_int_col(st, 3),
				      "run_at", (json_int_t)db_int_col(st, 4));
		json_object_set_new(o, "finished_at", done || failed ? json_integer(db_int_col(st, done ? 6 : 7))
								    : json_null());
		json_array_append_new(list, o);
	}
	db_done(st);
	return list;
}

/* ---- the worker --------------------------------------------------------------- */

bool jobs_stopping(void)
{
	return atomic_load(&worker.stopping);
}

static void wait_a_tick(void)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += 1;
	pthread_mutex_lock(&worker.lock);
	if (!worker.pending && !atomic_load(&worker.stopping))
		pthread_cond_timedwait(&worker.wake, &worker.lock, &until);
	pthread_mutex_unlock(&worker.lock);
}

static void *worker_main(void *arg)
{
	(void)arg;
	int64_t scheduled_hour = -1;
	while (!atomic_load(&worker.stopping)) {
		pthread_mutex_lock(&worker.lock);
		worker.pending = false;
		pthread_mutex_unlock(&worker.lock);
		int64_t now = clock_now(); /* one time for this run */
		int ran = 0;
		if (db_available(worker.db)) {
			if (now / 3600 != scheduled_hour && jobs_schedule_maintenance(worker.db, now))
				scheduled_hour = now / 3600;
			ran = jobs_run_next(worker.db, worker.node, now);
		}
		/* After a job, the next one may be due already. */
		if (ran != 1)
			wait_a_tick();
	}
	return NULL;
}

bool jobs_start(const char *db_url)
{
	worker.db = db_open_logged(db_url);
	if (!worker.db)
		return false;
	char host[256] = "localhost";
	gethostname(host, sizeof(host) - 1);
	snprintf(worker.node, sizeof(worker.node), "%s:%ld", host, (long)getpid());
	/* Ticks are measured on the monotonic clock, which setting the time
	 * does not move. */
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&worker.wake, &attr);
	pthread_condattr_destroy(&attr);
	kinds_setup();
	atomic_store(&worker.stopping, false);
	if (pthread_create(&worker.thread, NULL, worker_main, NULL) != 0) {
		fputs("kring: cannot start the jobs worker\n", stderr);
		kinds_cleanup();
		pthread_cond_destroy(&worker.wake);
		db_close(worker.db);
		worker.db = NULL;
		return false;
	}
	pthread_mutex_lock(&worker.lock);
	worker.running = true;
	pthread_mutex_unlock(&worker.lock);
	return true;
}

void jobs_stop(void)
{
	pthread_mutex_lock(&worker.lock);
	bool running = worker.running;
	worker.running = false;
	atomic_store(&worker.stopping, true);
	if (running)
		pthread_cond_signal(&worker.wake);
	pthread_mutex_unlock(&worker.lock);
	if (!running)
		return;
	pthread_join(worker.thread, NULL);
	pthread_cond_destroy(&worker.wake);
	kinds_cleanup();
	db_close(worker.db);
	worker.db = NULL;
}
