/* db: backend dispatch, the prepared-statement cache and transactions. */
#include "db/backend.h"

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
		return strdup(url);
	/* postgres://user:password@host/…?password=… */
	size_t len = strlen(url) + 8;
	char *shown = malloc(len);
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

static unsigned sql_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct db_stmt *cached_statement(struct db *db, const char *sql)
{
	unsigned h = sql_hash(sql);
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
	st->sql = strdup(sql);
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

struct db_stmt *db_query(struct db *db, const char *sql, const struct db_value *args, size_t n)
{
	struct db_stmt *st = cached_statement(db, sql);
	if (!st) {
		fprintf(stderr, "db: prepare failed: %s\n  in: %s\n", db_errmsg(db), sql);
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
		return NULL;
	}
	return st;
}

struct db_stmt *db_query_in(struct db *db, const char *head, const char *tail, const struct db_value *args,
			    size_t nargs, const int64_t *ids, size_t n)
{
	size_t padded = 1;
	while (padded < n)
		padded *= 2;
	struct db_value *values = calloc(nargs + padded, sizeof(*values));
	if (nargs)
		memcpy(values, args, nargs * sizeof(*values));
	size_t sql_len = strlen(head) + strlen(tail) + 3 * padded + 2;
	char *sql = malloc(sql_len), *p = sql;
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
	if (rc == DB_ERROR && !db_unique_violation(st->db))
		fprintf(stderr, "db: %s\n  in: %s\n", db_errmsg(st->db), st->sql);
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

bool db_begin(struct db *db)
{
	if (db->in_transaction)
		return false;
	if (!db->backend->begin(db))
		return false;
	db->in_transaction = true;
	return true;
}

bool db_commit(struct db *db)
{
	if (!db->in_transaction)
		return false;
	bool ok = db_exec(db, "COMMIT", DB_NOARGS) >= 0;
	if (!ok)
		db_rollback(db);
	db->in_transaction = false;
	return ok;
}

void db_rollback(struct db *db)
{
	if (!db->in_transaction)
		return;
	db_exec(db, "ROLLBACK", DB_NOARGS);
	db->in_transaction = false;
}

bool db_in_transaction(struct db *db) { return db->in_transaction; }

bool db_exec_script(struct db *db, const char *sql) { return db->backend->exec_script(db, sql); }
const char *db_errmsg(struct db *db) { return db->backend->errmsg(db); }
bool db_unique_violation(struct db *db) { return db->backend->is_unique_violation(db); }
const char *db_skip_locked(struct db *db) { return db->backend->skip_locked; }
bool db_sync_ids(struct db *db, const char *table) { return db->backend->sync_ids(db, table); }
bool db_defer_constraints(struct db *db) { return db_exec(db, db->backend->defer_constraints, DB_NOARGS) >= 0; }

bool db_backup(struct db *db, const char *path, char **err)
{
	if (!db->backend->backup) {
		*err = strdup("this database has its own backup tools: use pg_dump (see docs/operations.md)");
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

void db_release_all(struct db *db)
{
	while (db->handed_out)
		db_done(db->handed_out);
	if (db->in_transaction) {
		fputs("db: a transaction was left open; rolled back\n", stderr);
		db_rollback(db);
	}
	/* Cached statements are finalised when the connection closes. */
}
