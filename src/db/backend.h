/* The parts of a connection and a statement every backend shares. Only
 * db/db.c and the backend files include this. */
#ifndef KRING_DB_BACKEND_H
#define KRING_DB_BACKEND_H

#include "db/db.h"

#define DB_CACHE_BUCKETS 128

struct db {
	const struct db_backend *backend;
	/* Open transaction levels: 0 none, 1 the transaction, each further
	 * one a savepoint (db_begin inside a transaction). */
	int depth;
	/* Between db_request_start and db_request_end, and whether the
	 * request writes (runs in a transaction of its own). */
	bool in_request, request_writes;
	/* A statement failed (sticky, see db.h); failed_depth is the depth it
	 * failed at, failed_unique whether it was a unique violation,
	 * failed_busy whether it waited too long for a lock. */
	bool failed, failed_unique, failed_busy;
	int failed_depth;
	/* Statements since db_request_start, and the one of them that fails
	 * (fault injection; 0: none); fault_fired once it did. */
	int64_t request_queries, fail_at;
	bool fault_fired;
	/* Set by the backend when the connection broke; cleared once it is
	 * re-established by db_available. */
	bool connection_lost;
	struct db_stmt *handed_out; /* statements not yet given back */
	int64_t queries;            /* statements run, for the access log */
	struct db_stmt *cache[DB_CACHE_BUCKETS];
};

struct db_stmt {
	struct db *db;
	char *sql;
	unsigned hash;
	bool in_use;
	int64_t started_ns; /* when db_query handed it out, for the slow log */
	struct db_stmt *next_cached;
	struct db_stmt *next_out, *prev_out;
};

/* How long a statement waits for a lock another connection holds (the
 * write lock above all) before it fails as busy: SQLite's busy timeout, and
 * PostgreSQL's lock_timeout in a request's transactions. */
#define DB_LOCK_WAIT_MS 5000

/* Runs a statement that ends or undoes a transaction (ROLLBACK): it runs
 * even after a failure, and is never the one fault injection fails. */
bool db_control(struct db *db, const char *sql);

extern const struct db_backend db_sqlite_backend;
extern const struct db_backend db_postgres_backend;

#endif
