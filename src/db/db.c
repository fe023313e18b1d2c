/* db: backend dispatch, the prepared-statement cache and transactions. */
#include "core/mem.h"
#include "db/backend.h"
#include "core/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool db_url_is_postgres(const char *url)
{
	return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

struct db *db_open(const char *url, char **err)
{
	const struct db_backend *backend = db_url_is_postgres(url) ? &db_postgres_backend : &db_sqlite_backend;
	struct db *db = backend->open(url, err);
	if (db)
		db->backend = backend;
	return db;
}

struct db *db_open_logged(const char *url)
{
	char *err = NULL;
	struct db *db = db_open(url, &err);
	if (!db) {
		char *shown = db_url_redacted(url);
		fprintf(stderr, "kring: cannot open the database %s: %s\n", shown, err);
		free(shown);
		free(err);
	}
	return db;
}

/* Blanks the value of "password=" in a connection string's query. */
static void redact_password_parameter(char *url)
{
	char *q = strchr(url, '?');
	for (char *p = q; p && (p = strstr(p, "password=")); ) {
		if (p[-1] != '?' && p[-1] != '&') {
			p++;
			continue;
		}
		p += strlen("password=");
		size_t len = strcspn(p, "&");
		memmove(p + 3, p + len, strlen(p + len) + 1);
		memcpy(p, "***", 3);
	}
}

char *db_url_redacted(const char *url)
{
	if (!db_url_is_postgres(url))
		return xstrdup(url);
	/* postgres://user:password@host/…?password=… */
	size_t len = strlen(url) + 8;
	char *shown = xmalloc(len);
	const char *creds = strstr(url, "://") + 3;
	const char *at = strchr(creds, '@');
	const char *colon = strchr(creds, ':');
	if (at && colon && colon < at)
		snprintf(shown, len, "%.*s:***%s", (int)(colon - url), url, at);
	else
		snprintf(shown, len, "%s", url);
	redact_password_parameter(shown);
	return shown;
}

bool db_available(struct db *db)
{
	return db->backend->available(db);
}

bool db_connection_lost(struct db *db)
{
	return db->connection_lost;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	db_release_all(db);
	db->backend->close(db);
}

const char *db_backend_name(struct db *db)
{
	return db->backend->name;
}

static struct db_stmt *cached_statement(struct db *db, const char *sql)
{
	unsigned h = hash_str(sql);
	struct db_stmt **bucket = &db->cache[h % DB_CACHE_BUCKETS];
	for (struct db_stmt *st = *bucket; st; st = st->next_cached)
		if (!st->in_use && st->hash == h && strcmp(st->sql, sql) == 0)
			return st;
	/* A miss, or every copy is busy (a nested query with the same SQL):
	 * prepare another and keep it too. */
	struct db_stmt *st = db->backend->prepare(db, sql);
	if (!st)
		return NULL;
	st->db = db;
	st->sql = xstrdup(sql);
	st->hash = h;
	st->next_cached = *bucket;
	*bucket = st;
	return st;
}

static int64_t slow_ns;

void db_log_slow_statements(int ms)
{
	slow_ns = (int64_t)ms * 1000000;
}

static int64_t monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Remembers the first failure of a transaction or a request: the
 * statements after it do not run (see db.h). Outside both a failure is the
 * caller's alone. */
static void mark_failed(struct db *db, bool unique, bool busy)
{
	if (db->failed || (!db->in_request && db->depth == 0))
		return;
	db->failed = true;
	db->failed_unique = unique;
	db->failed_busy = busy;
	db->failed_depth = db->depth;
}

static void clear_failure(struct db *db)
{
	db->failed = db->failed_unique = db->failed_busy = false;
	db->failed_depth = 0;
}

/* Whether the statement about to run is the one fault injection fails. */
static bool injected_failure(struct db *db, const char *sql)
{
	if (!db->in_request || ++db->request_queries != db->fail_at)
		return false;
	fprintf(stderr, "db: statement %lld of the request fails (fault injection)\n  in: %s\n",
		(long long)db->fail_at, sql);
	db->fault_fired = true;
	return true;
}

static struct db_stmt *query(struct db *db, const char *sql, const struct db_value *args, size_t n, bool control)
{
	/* After a failure nothing more is written or read: what follows
	 * would build on a write that did not happen. */
	if (!control && (db->failed || injected_failure(db, sql))) {
		mark_failed(db, false, false);
		return NULL;
	}
	struct db_stmt *st = cached_statement(db, sql);
	if (!st) {
		fprintf(stderr, "db: prepare failed: %s\n  in: %s\n", db_errmsg(db), sql);
		mark_failed(db, false, false);
		return NULL;
	}
	db->queries++;
	st->in_use = true;
	st->started_ns = slow_ns ? monotonic_ns() : 0;
	st->prev_out = NULL;
	st->next_out = db->handed_out;
	if (db->handed_out)
		db->handed_out->prev_out = st;
	db->handed_out = st;
	if (!db->backend->bind(st, args, n)) {
		fprintf(stderr, "db: cannot bind %zu values (wrong number or type)\n  in: %s\n", n, sql);
		db_done(st);
		mark_failed(db, false, false);
		return NULL;
	}
	return st;
}

struct db_stmt *db_query(struct db *db, const char *sql, const struct db_value *args, size_t n)
{
	return query(db, sql, args, n, false);
}

struct db_stmt *db_query_in(struct db *db, const char *head, const char *tail, const struct db_value *args,
			    size_t nargs, const int64_t *ids, size_t n)
{
	size_t padded = 1;
	while (padded < n)
		padded *= 2;
	struct db_value *values = xcalloc(nargs + padded, sizeof(*values));
	if (nargs)
		memcpy(values, args, nargs * sizeof(*values));
	size_t sql_len = strlen(head) + strlen(tail) + 3 * padded + 2;
	char *sql = xmalloc(sql_len), *p = sql;
	p += sprintf(p, "%s (", head);
	for (size_t i = 0; i < padded; i++) {
		values[nargs + i] = db_int(ids[i < n ? i : n - 1]);
		p += sprintf(p, i ? ", ?" : "?");
	}
	sprintf(p, ")%s", tail);
	struct db_stmt *st = db_query(db, sql, values, nargs + padded);
	free(sql);
	free(values);
	return st;
}

int64_t db_queries_run(struct db *db)
{
	return db->queries;
}

int db_step(struct db_stmt *st)
{
	if (!st)
		return DB_ERROR;
	int rc = st->db->backend->step(st);
	if (rc == DB_ERROR) {
		bool unique = db_unique_violation(st->db);
		if (!unique)
			fprintf(stderr, "db: %s\n  in: %s\n", db_errmsg(st->db), st->sql);
		mark_failed(st->db, unique, !unique && st->db->backend->is_busy(st->db));
	}
	return rc;
}

int64_t db_int_col(struct db_stmt *st, int col) { return st->db->backend->int_col(st, col); }
const char *db_text_col(struct db_stmt *st, int col) { return st->db->backend->text_col(st, col); }
double db_double_col(struct db_stmt *st, int col) { return st->db->backend->double_col(st, col); }
bool db_null_col(struct db_stmt *st, int col) { return st->db->backend->null_col(st, col); }
const void *db_blob_col(struct db_stmt *st, int col, size_t *len) { return st->db->backend->blob_col(st, col, len); }
bool db_is_blob_col(struct db_stmt *st, int col) { return st->db->backend->is_blob_col(st, col); }
int db_col_count(struct db_stmt *st) { return st->db->backend->col_count(st); }
const char *db_col_name(struct db_stmt *st, int col) { return st->db->backend->col_name(st, col); }

void db_done(struct db_stmt *st)
{
	if (!st || !st->in_use)
		return;
	struct db *db = st->db;
	db->backend->done(st);
	st->in_use = false;
	if (slow_ns) {
		int64_t took = monotonic_ns() - st->started_ns;
		if (took >= slow_ns)
			fprintf(stderr, "db: slow statement, %.1f ms\n  in: %s\n", took / 1e6, st->sql);
	}
	if (st->prev_out)
		st->prev_out->next_out = st->next_out;
	else
		db->handed_out = st->next_out;
	if (st->next_out)
		st->next_out->prev_out = st->prev_out;
	st->next_out = st->prev_out = NULL;
}

int64_t db_exec(struct db *db, const char *sql, const struct db_value *args, size_t n)
{
	struct db_stmt *st = db_query(db, sql, args, n);
	int rc = db_step(st);
	int64_t changed = rc == DB_ERROR ? -1 : db->backend->changes(st);
	db_done(st);
	return changed;
}

int64_t db_exec_optional(struct db *db, const char *sql, const struct db_value *args, size_t n)
{
	bool forgiven = db->in_request && !db->request_writes && db->depth == 0 && !db->failed;
	int64_t changed = db_exec(db, sql, args, n);
	if (changed < 0 && forgiven)
		clear_failure(db);
	return changed;
}

int64_t db_scalar_int(struct db *db, int64_t fallback, const char *sql, const struct db_value *args, size_t n)
{
	struct db_stmt *st = db_query(db, sql, args, n);
	int64_t v = fallback;
	if (db_step(st) == DB_ROW && !db_null_col(st, 0))
		v = db_int_col(st, 0);
	db_done(st);
	return v;
}

bool db_exists(struct db *db, const char *sql, const struct db_value *args, size_t n)
{
	struct db_stmt *st = db_query(db, sql, args, n);
	bool found = db_step(st) == DB_ROW;
	db_done(st);
	return found;
}

bool db_control(struct db *db, const char *sql)
{
	struct db_stmt *st = query(db, sql, DB_NOARGS, true);
	bool ok = db_step(st) != DB_ERROR;
	db_done(st);
	return ok;
}

static void savepoint_sql(char *sql, size_t size, const char *verb, int level)
{
	snprintf(sql, size, "%s level%d", verb, level);
}

bool db_begin(struct db *db)
{
	if (db->failed)
		return false;
	if (db->depth == 0) {
		if (!db->backend->begin(db)) {
			/* Work of its own that a read cannot start (another
			 * holds the write lock) leaves nothing, as one that
			 * fails later does (rollback_all): the read goes on. */
			if (db->in_request && !db->request_writes)
				clear_failure(db);
			return false;
		}
	} else {
		char sql[48];
		savepoint_sql(sql, sizeof(sql), "SAVEPOINT", db->depth);
		if (db_exec(db, sql, DB_NOARGS) < 0)
			return false;
	}
	db->depth++;
	return true;
}

/* Ends the transaction with all its savepoints. */
static void rollback_all(struct db *db)
{
	db_control(db, "ROLLBACK");
	db->depth = 0;
	/* A request that only reads may try work of its own in a transaction
	 * (the search index catching up): when that fails, nothing of it
	 * stays, and the request goes on. */
	if (!db->in_request || (!db->request_writes && db->failed_depth > 0))
		clear_failure(db);
}

bool db_commit(struct db *db)
{
	if (db->depth == 0)
		return false;
	if (db->depth > 1) {
		/* A failed savepoint stays open for the caller's db_rollback. */
		char sql[48];
		savepoint_sql(sql, sizeof(sql), "RELEASE SAVEPOINT", db->depth - 1);
		if (db->failed || db_exec(db, sql, DB_NOARGS) < 0)
			return false;
		db->depth--;
		return true;
	}
	bool ok = !db->failed && db_exec(db, "COMMIT", DB_NOARGS) >= 0;
	if (ok) {
		db->depth = 0;
		if (!db->in_request)
			clear_failure(db);
	} else {
		rollback_all(db);
	}
	return ok;
}

void db_rollback(struct db *db)
{
	if (db->depth == 0)
		return;
	if (db->depth == 1) {
		rollback_all(db);
		return;
	}
	db->depth--;
	char sql[64];
	savepoint_sql(sql, sizeof(sql), "ROLLBACK TO SAVEPOINT", db->depth);
	db_control(db, sql);
	savepoint_sql(sql, sizeof(sql), "RELEASE SAVEPOINT", db->depth);
	db_control(db, sql);
	/* A unique violation inside the savepoint is a failure the caller
	 * answered (a name is taken); any other stays. */
	if (db->failed && db->failed_unique && db->failed_depth > db->depth)
		clear_failure(db);
}

bool db_checkpoint(struct db *db)
{
	if (db->depth != 1 || db->failed)
		return false;
	if (db_exec(db, "COMMIT", DB_NOARGS) < 0) {
		rollback_all(db);
		return false;
	}
	db->depth = 0;
	return db_begin(db);
}

bool db_in_transaction(struct db *db) { return db->depth > 0; }
bool db_failed(struct db *db) { return db->failed; }
bool db_busy(struct db *db) { return db->failed && db->failed_busy; }

void db_request_start(struct db *db, bool writes, int64_t fail_statement)
{
	db->in_request = true;
	db->request_writes = writes;
	db->request_queries = 0;
	db->fail_at = fail_statement;
	db->fault_fired = false;
	clear_failure(db);
}

bool db_request_fault_fired(struct db *db) { return db->fault_fired; }

void db_request_end(struct db *db)
{
	db_release_all(db);
	db->in_request = false;
	db->fail_at = 0;
	clear_failure(db);
}

bool db_exec_script(struct db *db, const char *sql) { return db->backend->exec_script(db, sql); }
const char *db_errmsg(struct db *db) { return db->backend->errmsg(db); }
bool db_unique_violation(struct db *db) { return db->backend->is_unique_violation(db); }
const char *db_skip_locked(struct db *db) { return db->backend->skip_locked; }
bool db_sync_ids(struct db *db, const char *table) { return db->backend->sync_ids(db, table); }
bool db_defer_constraints(struct db *db) { return db_exec(db, db->backend->defer_constraints, DB_NOARGS) >= 0; }

bool db_backup(struct db *db, const char *path, char **err)
{
	if (!db->backend->backup) {
		*err = xstrdup("this database has its own backup tools: use pg_dump (see docs/operations.md)");
		return false;
	}
	return db->backend->backup(db, path, err);
}

int db_open_statements(struct db *db)
{
	int n = 0;
	for (struct db_stmt *st = db->handed_out; st; st = st->next_out)
		n++;
	return n;
}

void db_finish_statements(struct db *db)
{
	while (db->handed_out)
		db_done(db->handed_out);
}

void db_release_all(struct db *db)
{
	db_finish_statements(db);
	if (db->depth > 0) {
		fputs("db: a transaction was left open; rolled back\n", stderr);
		rollback_all(db);
	}
	/* Cached statements are finalised when the connection closes. */
}
