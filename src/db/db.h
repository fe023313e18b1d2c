/*
 * db: the one storage interface. Feature code writes SQL with `?`
 * placeholders and binds values through db_value arrays; a backend
 * (db/sqlite.c today) does the rest. Nothing outside a backend file talks to
 * the database library directly.
 *
 *	struct db_stmt *st = db_query(db, "SELECT id FROM users WHERE handle = ?",
 *				      DB_ARGS(db_text(handle)));
 *	if (db_step(st) == DB_ROW) id = db_int_col(st, 0);
 *	db_done(st);
 */
#ifndef KRING_DB_H
#define KRING_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum db_value_type { DBV_NULL, DBV_INT, DBV_TEXT, DBV_BLOB };

struct db_value {
	enum db_value_type type;
	int64_t i;
	const char *s;
	size_t len; /* DBV_BLOB: the bytes at s */
};

static inline struct db_value db_int(int64_t i) { return (struct db_value){DBV_INT, i, NULL}; }
/* A NULL string binds SQL NULL. */
static inline struct db_value db_text(const char *s) { return (struct db_value){s ? DBV_TEXT : DBV_NULL, 0, s}; }
static inline struct db_value db_null(void) { return (struct db_value){DBV_NULL, 0, NULL}; }
/* Bytes for a BLOB (SQLite) or BYTEA (PostgreSQL) column. */
static inline struct db_value db_blob(const void *p, size_t len) { return (struct db_value){DBV_BLOB, 0, p, len}; }

#define DB_ARGS(...) (const struct db_value[]){__VA_ARGS__}, \
	sizeof((const struct db_value[]){__VA_ARGS__}) / sizeof(struct db_value)
#define DB_NOARGS NULL, 0

enum db_step_result { DB_ERROR = -1, DB_DONE = 0, DB_ROW = 1 };

/* The functions a backend provides. */
struct db_backend {
	const char *name;
	struct db *(*open)(const char *url, char **err);
	void (*close)(struct db *db);
	struct db_stmt *(*prepare)(struct db *db, const char *sql);
	bool (*bind)(struct db_stmt *st, const struct db_value *args, size_t n);
	int (*step)(struct db_stmt *st);
	int64_t (*int_col)(struct db_stmt *st, int col);
	const char *(*text_col)(struct db_stmt *st, int col);
	double (*double_col)(struct db_stmt *st, int col);
	bool (*null_col)(struct db_stmt *st, int col);
	/* The bytes of a binary column, *len set; NULL for SQL NULL. */
	const void *(*blob_col)(struct db_stmt *st, int col, size_t *len);
	/* Whether the column's value in the current row is binary. */
	bool (*is_blob_col)(struct db_stmt *st, int col);
	void (*done)(struct db_stmt *st);
	/* Rows changed by the statement just stepped; 0 for reads. */
	int64_t (*changes)(struct db_stmt *st);
	bool (*exec_script)(struct db *db, const char *sql);
	/* Opens a write transaction that holds the write lock. */
	bool (*begin)(struct db *db);
	/* Whether the connection is usable, re-establishing a lost one. */
	bool (*available)(struct db *db);
	const char *(*errmsg)(struct db *db);
	int (*col_count)(struct db_stmt *st);
	const char *(*col_name)(struct db_stmt *st, int col);
	/* Copies the live database to a new file (SQLite's online backup);
	 * NULL where the engine has its own tools (pg_dump). */
	bool (*backup)(struct db *db, const char *path, char **err);
	/* After rows were inserted with explicit ids into a table keyed by an
	 * id column: the next generated id must come after them. */
	bool (*sync_ids)(struct db *db, const char *table);
	/* Inside a transaction: foreign keys are checked at commit. */
	const char *defer_constraints;
	/* Appended to a SELECT that claims rows for work (jobs): other
	 * connections skip the claimed rows instead of waiting. Empty where
	 * writers take turns anyway (SQLite). */
	const char *skip_locked;
	/* SQL error code class: unique-constraint violations are the one class
	 * feature code reacts to. */
	bool (*is_unique_violation)(struct db *db);
};

/* Opens a connection for the database named by url: postgres:// or
 * postgresql:// (PostgreSQL), otherwise a file path (SQLite).
 * On failure returns NULL and sets *err to a malloc'd message. */
struct db *db_open(const char *url, char **err);
bool db_url_is_postgres(const char *url);
/* db_open that prints why on standard error when it fails. */
struct db *db_open_logged(const char *url);
void db_close(struct db *db);
const char *db_backend_name(struct db *db);
/* The url with any password replaced by "***", for logs; malloc'd. */
char *db_url_redacted(const char *url);

/* Whether the connection can be used, re-establishing it (a few tries, a
 * fraction of a second) when it was lost. */
bool db_available(struct db *db);
/* Whether the connection broke since it was last available: what the
 * current request did may not have reached the database. */
bool db_connection_lost(struct db *db);

/* Prepares (from the connection's statement cache when possible), binds and
 * returns the statement, or NULL on error (logged). Every statement returned
 * must be given back with db_done. */
struct db_stmt *db_query(struct db *db, const char *sql, const struct db_value *args, size_t n);
/* How many statements the connection has run (db_query calls), so that
 * a request can tell how many it made. */
int64_t db_queries_run(struct db *db);
/* Runs `head (?, ?, …)tail` with args followed by the ids (n > 0), for
 * reading what belongs to a list of rows in one statement. The list is
 * padded to a power of two by repeating the last id, so that a connection
 * prepares and keeps few variants of the statement. */
struct db_stmt *db_query_in(struct db *db, const char *head, const char *tail, const struct db_value *args,
			    size_t nargs, const int64_t *ids, size_t n);
/* Logs every statement that takes ms milliseconds or longer, from db_query
 * to db_done, with its SQL; 0 (the default) logs none. Set before serving. */
void db_log_slow_statements(int ms);
int db_step(struct db_stmt *st);
int64_t db_int_col(struct db_stmt *st, int col);
/* Valid until the next db_step or db_done on st; NULL for SQL NULL. */
const char *db_text_col(struct db_stmt *st, int col);
/* A REAL or DOUBLE PRECISION column, exactly; 0 for SQL NULL. */
double db_double_col(struct db_stmt *st, int col);
bool db_null_col(struct db_stmt *st, int col);
/* The bytes of a BLOB/BYTEA column and their count in *len; valid until the
 * next db_step or db_done on st; NULL for SQL NULL. */
const void *db_blob_col(struct db_stmt *st, int col, size_t *len);
/* Whether the column holds bytes rather than text or a number (copying a
 * table whose columns are not known in advance). */
bool db_is_blob_col(struct db_stmt *st, int col);
/* The result's columns; valid once db_step returned a row. */
int db_col_count(struct db_stmt *st);
const char *db_col_name(struct db_stmt *st, int col);
void db_done(struct db_stmt *st);

/* One-shot helpers. db_exec returns rows changed or -1; db_scalar_int the
 * first column of the first row or fallback; db_exists whether a row exists. */
int64_t db_exec(struct db *db, const char *sql, const struct db_value *args, size_t n);
int64_t db_scalar_int(struct db *db, int64_t fallback, const char *sql, const struct db_value *args, size_t n);
bool db_exists(struct db *db, const char *sql, const struct db_value *args, size_t n);

/* Transactions do not nest: db_begin fails when one is already open. A write
 * transaction takes the write lock at once, so it never fails half-way on a
 * busy database. */
bool db_begin(struct db *db);
bool db_commit(struct db *db);
void db_rollback(struct db *db);
bool db_in_transaction(struct db *db);

/* Runs SQL that may hold several statements (migrations). */
bool db_exec_script(struct db *db, const char *sql);
const char *db_errmsg(struct db *db);
bool db_unique_violation(struct db *db);
/* Writes a consistent copy of the database to the new file path while it
 * stays in use. False with *err (malloc'd) when it cannot, or when the
 * backend has no such copy (PostgreSQL: use pg_dump). */
bool db_backup(struct db *db, const char *path, char **err);
bool db_sync_ids(struct db *db, const char *table);
bool db_defer_constraints(struct db *db);
/* " FOR UPDATE SKIP LOCKED" or "": see db_backend.skip_locked. */
const char *db_skip_locked(struct db *db);

/* Statements handed out and not yet given back; the request layer finishes
 * them and rolls back an open transaction when a request ends. */
int db_open_statements(struct db *db);
void db_release_all(struct db *db);

#endif
