/*
 * jobs: background work stored in the jobs table, so that every kring node
 * on one database shares the queue. Each `kring serve` process runs one
 * worker thread that claims due jobs one at a time — with FOR UPDATE SKIP
 * LOCKED on PostgreSQL, so nodes never wait for each other — and runs the
 * handler of the job's kind (the table job_kinds[], in src/job_kinds.c):
 *
 *   maintenance  hourly: expired sessions, old rate-limit windows, old jobs
 *   webhook, …   an event handed to a queued subscriber (jobs/events.h),
 *                of the kind named after the subscriber
 *
 * A claim is a lease: a node that dies while running a job lets it lapse,
 * and another node runs the job again. A job that fails is tried again with
 * exponential backoff, up to JOBS_MAX_ATTEMPTS runs, then marked failed.
 */
#ifndef KRING_JOBS_H
#define KRING_JOBS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;

#define JOBS_MAX_ATTEMPTS 10
/* Seconds a claim lasts; longer than any handler may take. */
#define JOBS_LEASE 120
/* Done and failed jobs are kept this long for the record. */
#define JOBS_KEEP (30 * 24 * 3600)

/* A claimed job; its strings live in the arena given to jobs_claim. */
struct job {
	int64_t id;
	int64_t attempts; /* this run included */
	const char *kind;
	const char *payload; /* JSON text */
};

/* Queues a job of the kind, at the time now, to run from run_at (UTC
 * seconds). On the caller's connection and so inside its transaction when one is open: the
 * job is stored with the write that caused it, or not at all. With a
 * unique_key (or NULL), a second job under the same key is not stored.
 * Returns false on a database error. */
bool jobs_enqueue(struct db *db, const char *kind, const char *payload_json, int64_t now, int64_t run_at,
		  const char *unique_key);

/* Claims the next due job that no live lease holds, for node: 1 with *job
 * filled, 0 when nothing is due, -1 on a database error. */
int jobs_claim(struct db *db, struct arena *a, const char *node, int64_t now, struct job *job);
/* Marks node's claimed job done. */
bool jobs_done(struct db *db, const struct job *job, const char *node, int64_t now);
/* Records why the job failed and schedules it again after jobs_backoff, or
 * marks it failed when it has had all its attempts. */
bool jobs_retry(struct db *db, const struct job *job, const char *node, const char *error, int64_t now);
/* Seconds to wait after the given failed attempt (1, 2, …): doubling. */
int64_t jobs_backoff(int64_t attempts);

/* Claims one due job and runs its kind's handler: 1 when a job was run (or
 * given up), 0 when none was due, -1 on a database error. */
int jobs_run_next(struct db *db, const char *node, int64_t now);

/* A kind's work: NULL when the job is done, else why it failed (static or
 * in the arena), and it is tried again later. */
typedef const char *job_handler(struct db *db, struct arena *a, const struct job *job, int64_t now);

/* A kind of job: its name, its work, and what it needs set up while the
 * worker runs and given back after (NULL: nothing). */
struct job_kind {
	const char *kind;
	job_handler *run;
	void (*setup)(void);
	void (*cleanup)(void);
};

/* The kinds the worker runs. A table of the top level (src/job_kinds.c),
 * as routes[] is, so that the queue knows no kind and a new kind is a row. */
extern const struct job_kind job_kinds[];
extern const size_t job_kinds_count;

/* Queues this hour's maintenance; every node does, and it is stored once. */
bool jobs_schedule_maintenance(struct db *db, int64_t now);

/* The most recent jobs of a kind, newest first, for the admin pages:
 * [{"id", "state", "attempts", "last_error", "created_at", "run_at",
 * "finished_at"}]; state is "queued", "running", "retrying", "done" or
 * "failed". */
json_t *jobs_recent(struct db *db, const char *kind, int limit, int64_t now);

/* The worker of a `kring serve` process: its own database connection
 * (db_url) and thread. Start it once the stop signals are blocked, so the
 * thread inherits the mask; jobs_stop wakes it, waits for it and closes its
 * connection. */
bool jobs_start(const char *db_url);
void jobs_stop(void);
/* Whether jobs_stop was called: a handler that waits (on the network) gives
 * up, and its job is tried again later. */
bool jobs_stopping(void);

#endif
