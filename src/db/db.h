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
 *
 * Failures are sticky. Once a statement fails inside a transaction or a
 * request (db_request_start), the statements after it do not run (db_query
 * returns NULL, db_step DB_ERROR) until the transaction ends (CLI, jobs) or
 * the request does: a write never goes on from a write that did not happen.
 * The calls that write return their status and are marked
 * DB_MUST_CHECK, so a caller cannot ignore that they failed.
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

#define DB_MUST_CHECK __attribute__((warn_unused_result))

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
	/* Whether the statement failed because a lock another connection held
	 * was not released within DB_LOCK_WAIT_MS (db/backend.h). */
	bool (*is_busy)(struct db *db);
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
DB_MUST_CHECK int64_t db_exec(struct db *db, const char *sql, const struct db_value *args, size_t n);
/* db_exec of a write the request can do without, such as the time a session
 * was last seen: in a request that does not write (a GET), outside any
 * transaction, its failure is logged and forgiven, and the request goes on
 * (the member still gets the page they asked for). In a write it fails the
 * request as any statement does. */
int64_t db_exec_optional(struct db *db, const char *sql, const struct db_value *args, size_t n);
int64_t db_scalar_int(struct db *db, int64_t fallback, const char *sql, const struct db_value *args, size_t n);
bool db_exists(struct db *db, const char *sql, const struct db_value *args, size_t n);

/* Transactions. A request that writes (every POST) runs in one
 * transaction that the request layer opens before the handler and commits
 * when the handler succeeded, rolling it back otherwise. Inside it, as in
 * any open transaction, db_begin opens a savepoint: db_commit releases it,
 * db_rollback undoes what was done since. So code that keeps a few writes
 * together (item_store_insert, reindexing) works alike in a request and in the
 * CLI. A db_commit that fails (also of a savepoint
 * after a failure) is followed by the caller's db_rollback.
 * A write transaction takes the write lock at once (BEGIN IMMEDIATE; an
 * advisory lock on PostgreSQL), so writers take turns: a check made in it
 * (is this the last host?) still holds when its write commits. A handler
 * may commit the request's transaction itself and open the next one with
 * db_begin (or db_checkpoint): a sign-in commits the attempt's count
 * before it checks the password, which is slow on purpose, without the
 * lock; the request layer commits or rolls back whichever is open at the
 * end.
 * The CLI's commands keep their writes together in transactions of their
 * own (an import batch, a migration, a copy). The jobs worker claims,
 * finishes and retries a job each in one statement (a claim is one
 * UPDATE … RETURNING), so that no transaction stays open while a job
 * talks to another server. */
DB_MUST_CHECK bool db_begin(struct db *db);
DB_MUST_CHECK bool db_commit(struct db *db);
void db_rollback(struct db *db);
bool db_in_transaction(struct db *db);
/* Commits the outermost transaction and opens the next one: what was
 * written so far stays whatever the rest of the request answers (a failed
 * sign-in still counts against the sign-in limits). False, with the
 * transaction rolled back or not open, when it cannot. */
DB_MUST_CHECK bool db_checkpoint(struct db *db);
/* Whether a statement failed in the current transaction or request: the
 * rest of it does not run, and a request answers 500 with nothing written.
 * A unique violation inside a savepoint is forgiven when that savepoint is
 * rolled back (the caller answered it: "this name is taken"). */
bool db_failed(struct db *db);
/* Whether that failure was a wait for a lock that another connection held
 * too long (the write lock, taken by another writer): nothing was written,
 * and the same request may well go through a moment later. */
bool db_busy(struct db *db);

/* A request's span on its thread's connection: failures stay until
 * db_request_end, which also gives back its statements and rolls back what
 * it left open. In a request that does not write (a GET, with no
 * transaction of its own), a failure inside a transaction it opens for
 * work of its own ends with that transaction's rollback, and one of a
 * db_begin that cannot open it (the write lock is busy) with db_begin's
 * false: nothing of it stays. fail_statement > 0 makes that statement of
 * the request (counting db_query calls, BEGIN and COMMIT included, not
 * ROLLBACK) fail as a database error: fault injection for the tests
 * (KRING_FAULT_INJECTION, see README.md and tests/http/test_faults.c), 0
 * otherwise. */
void db_request_start(struct db *db, bool writes, int64_t fail_statement);
bool db_request_fault_fired(struct db *db);
void db_request_end(struct db *db);

/* Runs SQL that may hold several statements (migrations). */
DB_MUST_CHECK bool db_exec_script(struct db *db, const char *sql);
const char *db_errmsg(struct db *db);
bool db_unique_violation(struct db *db);
/* Writes a consistent copy of the database to the new file path while it
 * stays in use. False with *err (malloc'd) when it cannot, or when the
 * backend has no such copy (PostgreSQL: use pg_dump). */
DB_MUST_CHECK bool db_backup(struct db *db, const char *path, char **err);
DB_MUST_CHECK bool db_sync_ids(struct db *db, const char *table);
DB_MUST_CHECK bool db_defer_constraints(struct db *db);
/* " FOR UPDATE SKIP LOCKED" or "": see db_backend.skip_locked. */
const char *db_skip_locked(struct db *db);

/* Statements handed out and not yet given back; db_finish_statements
 * finishes them, db_release_all also rolls back an open transaction. */
int db_open_statements(struct db *db);
void db_finish_statements(struct db *db);
void db_release_all(struct db *db);

#endif
