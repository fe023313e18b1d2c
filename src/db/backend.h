/* The parts of a connection and a statement every backend shares. Only
 * db/db.c and the backend files include this. */
#ifndef KRING_DB_BACKEND_H
#define KRING_DB_BACKEND_H

#include "db/db.h"

#define DB_CACHE_BUCKETS 128

struct db {
	const struct db_backend *backend;
	bool in_transaction;
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

extern const struct db_backend db_sqlite_backend;
extern const struct db_backend db_postgres_backend;

#endif
