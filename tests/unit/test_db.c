/* Unit tests of db (SQLite backend) and auth/ratelimit, against a real
 * database file in a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/ratelimit.h"
#include "db/db.h"
#include "support.h"
#include "db/migrate.h"

/* A fresh database with the schema and a scratch table t. */
static int setup(void **state)
{
	if (db_fixture_setup(state) != 0)
		return -1;
	struct db *db = ((struct db_fixture *)*state)->db;
	if (migrate_apply(db, false) < 1)
		return -1;
	return db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s TEXT)", DB_NOARGS) < 0 ? -1 : 0;
}

/* ---- opening ------------------------------------------------------- */

static void test_open_and_backend(void **state)
{
	assert_string_equal(db_backend_name(DB), "sqlite");
	assert_int_equal(db_open_statements(DB), 0);
	assert_false(db_in_transaction(DB));
}

/* A connection reads pages beyond its cache through a memory map of the
 * file, not a system call per page. */
static void test_open_maps_the_file(void **state)
{
	assert_true(db_scalar_int(DB, 0, "PRAGMA mmap_size", DB_NOARGS) >= 1024 * 1024 * 1024);
}

static void test_open_logged(void **state)
{
	struct db_fixture *f = *state;
	struct db *db = db_open_logged(f->path);
	assert_non_null(db);
	assert_true(db_exists(db, "SELECT 1 FROM sqlite_master WHERE name = 'users'", DB_NOARGS));
	db_close(db);
}

static void test_open_creates_parent_dir(void **state)
{
	struct db_fixture *f = *state;
	char path[256], dir[200];
	snprintf(dir, sizeof(dir), "%s/sub", f->dir);
	snprintf(path, sizeof(path), "%s/x.db", dir);
	char *err = NULL;
	struct db *db = db_open(path, &err);
	assert_non_null(db);
	assert_int_equal(db_exec(db, "CREATE TABLE x (a)", DB_NOARGS), 0);
	db_close(db);
	remove_db_files(path);
	rmdir(dir);
}

static void test_open_failures(void **state)
{
	(void)state;
	char *err = NULL;
	struct db *db = db_open("/proc/definitely/not/here/kring.db", &err);
	assert_null(db);
	assert_non_null(err);
	assert_true(strlen(err) > 0);
	free(err);
	/* The logged variant says why on stderr and returns NULL. */
	assert_null(db_open_logged("/proc/definitely/not/here/kring.db"));
	err = NULL;
	db = db_open("postgres://user@localhost/kring", &err);
	if (db) {
		db_close(db);
	} else {
		assert_non_null(err);
		free(err);
	}
}

/* ---- queries ------------------------------------------------------- */

static void test_binds_and_columns(void **state)
{
	assert_int_equal(db_exec(DB, "INSERT INTO t (id, n, s) VALUES (?, ?, ?)",
				 DB_ARGS(db_int(1), db_int(42), db_text("hello"))), 1);
	assert_int_equal(db_exec(DB, "INSERT INTO t (id, n, s) VALUES (?, ?, ?)",
				 DB_ARGS(db_int(2), db_null(), db_text(NULL))), 1);
	assert_int_equal(db_exec(DB, "INSERT INTO t (id, n, s) VALUES (?, ?, ?)",
				 DB_ARGS(db_int(3), db_int(INT64_MIN), db_text("Välkommen ☃ 'quoted' \"x\""))), 1);
	assert_int_equal(db_exec(DB, "INSERT INTO t (id, n, s) VALUES (?, ?, ?)",
				 DB_ARGS(db_int(4), db_int(INT64_MAX), db_text(""))), 1);

	struct db_stmt *st = db_query(DB, "SELECT id, n, s FROM t WHERE id <= ? ORDER BY id",
				      DB_ARGS(db_int(4)));
	assert_non_null(st);
	assert_int_equal(db_open_statements(DB), 1);

	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_int_col(st, 0), 1);
	assert_int_equal(db_int_col(st, 1), 42);
	assert_false(db_null_col(st, 1));
	assert_string_equal(db_text_col(st, 2), "hello");

	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_int_col(st, 0), 2);
	assert_true(db_null_col(st, 1));
	assert_true(db_null_col(st, 2));
	assert_null(db_text_col(st, 2));

	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_int_col(st, 1) == INT64_MIN);
	assert_string_equal(db_text_col(st, 2), "Välkommen ☃ 'quoted' \"x\"");

	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_int_col(st, 1) == INT64_MAX);
	assert_false(db_null_col(st, 2));
	assert_string_equal(db_text_col(st, 2), "");

	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(db_open_statements(DB), 0);

	/* Text binds match text; the same SQL with other values. */
	st = db_query(DB, "SELECT id FROM t WHERE s = ?", DB_ARGS(db_text("hello")));
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_int_col(st, 0), 1);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	/* NULL never equals NULL; IS does. */
	assert_false(db_exists(DB, "SELECT 1 FROM t WHERE s = ?", DB_ARGS(db_null())));
	assert_true(db_exists(DB, "SELECT 1 FROM t WHERE s IS ?", DB_ARGS(db_text(NULL))));
	assert_int_equal(db_exec(DB, "DELETE FROM t", DB_NOARGS), 4);
}

static void test_injection_is_data(void **state)
{
	const char *evil = "x'); DROP TABLE t; --";
	assert_int_equal(db_exec(DB, "INSERT INTO t (s) VALUES (?)", DB_ARGS(db_text(evil))), 1);
	struct db_stmt *st = db_query(DB, "SELECT s FROM t", DB_NOARGS);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_text_col(st, 0), evil);
	db_done(st);
	assert_int_equal(db_exec(DB, "DELETE FROM t", DB_NOARGS), 1);
}

/* ---- bytes --------------------------------------------------------- */

static void test_blob_round_trip(void **state)
{
	check_blob_round_trip(DB);
}

/* A slice of a blob (a range request) is bytes too. */
static void test_blob_substr(void **state)
{
	check_blob_substr(DB);
}

static void test_double_column(void **state)
{
	check_double_column(DB);
}

static void test_helpers(void **state)
{
	for (int i = 1; i <= 5; i++)
		assert_int_equal(db_exec(DB, "INSERT INTO t (n) VALUES (?)", DB_ARGS(db_int(i * 10))), 1);
	assert_int_equal(db_scalar_int(DB, -1, "SELECT COUNT(*) FROM t", DB_NOARGS), 5);
	assert_int_equal(db_scalar_int(DB, -1, "SELECT SUM(n) FROM t WHERE n > ?", DB_ARGS(db_int(20))), 120);
	/* No row, or NULL: the fallback. */
	assert_int_equal(db_scalar_int(DB, -7, "SELECT n FROM t WHERE n = ?", DB_ARGS(db_int(999))), -7);
	assert_int_equal(db_scalar_int(DB, -7, "SELECT MAX(n) FROM t WHERE n > 1000", DB_NOARGS), -7);
	assert_true(db_exists(DB, "SELECT 1 FROM t WHERE n = ?", DB_ARGS(db_int(30))));
	assert_false(db_exists(DB, "SELECT 1 FROM t WHERE n = ?", DB_ARGS(db_int(31))));
	/* db_exec counts rows changed. */
	assert_int_equal(db_exec(DB, "UPDATE t SET s = 'x' WHERE n >= ?", DB_ARGS(db_int(30))), 3);
	assert_int_equal(db_exec(DB, "UPDATE t SET s = 'y' WHERE n > 1000", DB_NOARGS), 0);
	assert_int_equal(db_exec(DB, "DELETE FROM t", DB_NOARGS), 5);
	assert_int_equal(db_open_statements(DB), 0);
}

static void test_exec_counts_only_this_statement(void **state)
{
	assert_int_equal(db_exec(DB, "INSERT INTO t (n) VALUES (1), (2), (3)", DB_NOARGS), 3);
	/* Statements that change no rows report 0, not the count of the
	 * statement before them. */
	assert_int_equal(db_exec(DB, "UPDATE t SET n = 0 WHERE n > 100", DB_NOARGS), 0);
	assert_int_equal(db_exec(DB, "INSERT INTO t (n) VALUES (4), (5)", DB_NOARGS), 2);
	assert_int_equal(db_exec(DB, "CREATE TABLE z (a)", DB_NOARGS), 0);
	assert_int_equal(db_exec(DB, "INSERT INTO t (n) VALUES (6)", DB_NOARGS), 1);
	assert_int_equal(db_exec(DB, "SELECT n FROM t", DB_NOARGS), 0); /* reads change nothing */
	assert_int_equal(db_exec(DB, "DELETE FROM t WHERE n = 6", DB_NOARGS), 1);
	assert_int_equal(db_exec(DB, "DELETE FROM t", DB_NOARGS), 5);
	assert_int_equal(db_exec(DB, "DROP TABLE z", DB_NOARGS), 0);
}

static void test_errors(void **state)
{
	/* Bad SQL: NULL, and nothing is left handed out. */
	assert_null(db_query(DB, "SELEKT nonsense", DB_NOARGS));
	assert_int_equal(db_open_statements(DB), 0);
	assert_null(db_query(DB, "SELECT * FROM no_such_table", DB_NOARGS));
	/* Wrong number of arguments. */
	assert_null(db_query(DB, "SELECT ? + ?", DB_ARGS(db_int(1))));
	assert_int_equal(db_open_statements(DB), 0);
	assert_null(db_query(DB, "SELECT 1", DB_ARGS(db_int(1))));
	assert_int_equal(db_open_statements(DB), 0);
	/* The helpers report failure. */
	assert_int_equal(db_exec(DB, "INSERT INTO no_such_table VALUES (1)", DB_NOARGS), -1);
	assert_int_equal(db_scalar_int(DB, 99, "SELECT nonsense FROM", DB_NOARGS), 99);
	assert_false(db_exists(DB, "SELECT nonsense FROM", DB_NOARGS));
	assert_non_null(db_errmsg(DB));
	/* NULL statements are tolerated. */
	assert_int_equal(db_step(NULL), DB_ERROR);
	db_done(NULL);
	assert_int_equal(db_open_statements(DB), 0);
	/* The connection still works. */
	assert_int_equal(db_scalar_int(DB, 0, "SELECT 1 + 1", DB_NOARGS), 2);
}

static void test_script(void **state)
{
	assert_true(db_exec_script(DB, "CREATE TABLE s1 (a); CREATE TABLE s2 (b);"
				       "INSERT INTO s1 VALUES (1); INSERT INTO s1 VALUES (2);"));
	assert_int_equal(db_scalar_int(DB, 0, "SELECT COUNT(*) FROM s1", DB_NOARGS), 2);
	assert_false(db_exec_script(DB, "CREATE TABLE s3 (a); THIS IS NOT SQL;"));
	assert_true(db_exec_script(DB, "DROP TABLE s1; DROP TABLE s2; DROP TABLE IF EXISTS s3;"));
}

/* ---- the statement cache ------------------------------------------- */

static void test_statement_cache_reuse(void **state)
{
	const char *sql = "SELECT n FROM t WHERE n = ?";
	struct db_stmt *a = db_query(DB, sql, DB_ARGS(db_int(1)));
	assert_non_null(a);
	db_done(a);
	struct db_stmt *b = db_query(DB, sql, DB_ARGS(db_int(2)));
	assert_ptr_equal(a, b);
	db_done(b);
	/* The same text is the same statement; other text is another. */
	struct db_stmt *c = db_query(DB, "SELECT n FROM t WHERE n  = ?", DB_ARGS(db_int(2)));
	assert_ptr_not_equal(c, a);
	db_done(c);
	/* Done twice is harmless. */
	db_done(c);
	assert_int_equal(db_open_statements(DB), 0);
}

static void test_statement_reuse_resets(void **state)
{
	for (int i = 1; i <= 3; i++)
		assert_true(db_exec(DB, "INSERT INTO t (n, s) VALUES (?, ?)", DB_ARGS(db_int(i), db_text("r"))) >= 0);
	const char *sql = "SELECT n FROM t WHERE s = ? ORDER BY n";
	/* Given back in the middle of the rows... */
	struct db_stmt *st = db_query(DB, sql, DB_ARGS(db_text("r")));
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_int_col(st, 0), 1);
	db_done(st);
	/* ...the next use starts from the first row. */
	st = db_query(DB, sql, DB_ARGS(db_text("r")));
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_int_col(st, 0), 1);
	db_done(st);
	/* New binds replace the old ones. */
	st = db_query(DB, sql, DB_ARGS(db_text("none")));
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(db_exec(DB, "DELETE FROM t", DB_NOARGS), 3);
}

static void test_nested_same_sql(void **state)
{
	for (int i = 1; i <= 3; i++)
		assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (?)", DB_ARGS(db_int(i))) >= 0);
	const char *sql = "SELECT n FROM t WHERE n >= ? ORDER BY n";
	struct db_stmt *outer = db_query(DB, sql, DB_ARGS(db_int(1)));
	assert_non_null(outer);
	int pairs = 0;
	int64_t sum = 0;
	while (db_step(outer) == DB_ROW) {
		int64_t n = db_int_col(outer, 0);
		/* The same SQL again while the outer statement is open. */
		struct db_stmt *inner = db_query(DB, sql, DB_ARGS(db_int(n)));
		assert_non_null(inner);
		assert_ptr_not_equal(inner, outer);
		assert_int_equal(db_open_statements(DB), 2);
		while (db_step(inner) == DB_ROW) {
			pairs++;
			sum += db_int_col(inner, 0);
		}
		db_done(inner);
		/* The outer statement is undisturbed. */
		assert_int_equal(db_int_col(outer, 0), n);
	}
	db_done(outer);
	assert_int_equal(pairs, 3 + 2 + 1);
	assert_int_equal(sum, (1 + 2 + 3) + (2 + 3) + 3);
	assert_int_equal(db_open_statements(DB), 0);
	/* Afterwards both copies are free again: two at once, neither new. */
	struct db_stmt *x = db_query(DB, sql, DB_ARGS(db_int(1)));
	struct db_stmt *y = db_query(DB, sql, DB_ARGS(db_int(2)));
	assert_ptr_not_equal(x, y);
	assert_true(x == outer || x == y || y == outer || x != NULL);
	assert_int_equal(db_step(x), DB_ROW);
	assert_int_equal(db_int_col(x, 0), 1);
	assert_int_equal(db_step(y), DB_ROW);
	assert_int_equal(db_int_col(y, 0), 2);
	db_done(y);
	db_done(x);
	assert_int_equal(db_exec(DB, "DELETE FROM t", DB_NOARGS), 3);
}

static void test_many_statements(void **state)
{
	/* More distinct statements than cache buckets. */
	for (int i = 0; i < 300; i++) {
		char sql[64];
		snprintf(sql, sizeof(sql), "SELECT %d + ?", i);
		assert_int_equal(db_scalar_int(DB, -1, sql, DB_ARGS(db_int(1))), i + 1);
	}
	for (int i = 0; i < 300; i++) {
		char sql[64];
		snprintf(sql, sizeof(sql), "SELECT %d + ?", i);
		assert_int_equal(db_scalar_int(DB, -1, sql, DB_ARGS(db_int(2))), i + 2);
	}
	assert_int_equal(db_open_statements(DB), 0);
}

/* ---- transactions -------------------------------------------------- */

static int64_t count_t(void **state)
{
	return db_scalar_int(DB, -1, "SELECT COUNT(*) FROM t", DB_NOARGS);
}

static void test_transaction_commit(void **state)
{
	assert_true(db_begin(DB));
	assert_true(db_in_transaction(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (1)", DB_NOARGS) >= 0);
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (2)", DB_NOARGS) >= 0);
	assert_true(db_commit(DB));
	assert_false(db_in_transaction(DB));
	assert_int_equal(count_t(state), 2);
	/* Another connection sees it. */
	struct db_fixture *f = *state;
	char *err = NULL;
	struct db *other = db_open(f->path, &err);
	assert_non_null(other);
	assert_int_equal(db_scalar_int(other, -1, "SELECT COUNT(*) FROM t", DB_NOARGS), 2);
	db_close(other);
	assert_true(db_exec(DB, "DELETE FROM t", DB_NOARGS) >= 0);
}

static void test_transaction_rollback(void **state)
{
	assert_true(db_begin(DB));
	assert_int_equal(db_exec(DB, "INSERT INTO t (n) VALUES (1)", DB_NOARGS), 1);
	assert_int_equal(count_t(state), 1); /* visible inside */
	db_rollback(DB);
	assert_false(db_in_transaction(DB));
	assert_int_equal(count_t(state), 0);
	/* Rolling back with no transaction is harmless. */
	db_rollback(DB);
	assert_false(db_in_transaction(DB));
	assert_false(db_commit(DB));
}

static int64_t add_user(void **state, const char *handle, const char *email);

/* db_begin inside a transaction is a savepoint: its rollback undoes only
 * what was done since, and the transaction goes on. */
static void test_nested_begin_is_a_savepoint(void **state)
{
	assert_true(db_begin(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (1)", DB_NOARGS) == 1);
	assert_true(db_begin(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (2)", DB_NOARGS) == 1);
	db_rollback(DB);
	assert_true(db_in_transaction(DB));
	assert_true(db_begin(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (3)", DB_NOARGS) == 1);
	assert_true(db_commit(DB));
	assert_true(db_in_transaction(DB));
	assert_true(db_commit(DB));
	assert_false(db_in_transaction(DB));
	assert_int_equal(db_scalar_int(DB, -1, "SELECT SUM(n) FROM t", DB_NOARGS), 4);
	/* The outermost rollback undoes the savepoints' work too. */
	assert_true(db_begin(DB));
	assert_true(db_begin(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (10)", DB_NOARGS) == 1);
	assert_true(db_commit(DB));
	db_rollback(DB);
	assert_int_equal(count_t(state), 2);
}

/* Once a statement failed, nothing more runs until the transaction ends:
 * a commit then rolls back. */
static void test_failure_is_sticky_in_a_transaction(void **state)
{
	assert_true(db_begin(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (1)", DB_NOARGS) == 1);
	assert_true(db_exec(DB, "INSERT INTO no_such_table (n) VALUES (1)", DB_NOARGS) < 0);
	assert_true(db_failed(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (2)", DB_NOARGS) < 0);
	assert_int_equal(db_scalar_int(DB, -1, "SELECT COUNT(*) FROM t", DB_NOARGS), -1);
	/* A savepoint's rollback does not forgive it either. */
	assert_false(db_begin(DB));
	assert_false(db_commit(DB));
	assert_false(db_in_transaction(DB));
	assert_false(db_failed(DB));
	assert_int_equal(count_t(state), 0);
	/* Outside a transaction a failure is the caller's alone. */
	assert_true(db_exec(DB, "INSERT INTO no_such_table (n) VALUES (1)", DB_NOARGS) < 0);
	assert_false(db_failed(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (3)", DB_NOARGS) == 1);
}

/* A unique violation in a savepoint is answered by rolling the savepoint
 * back ("the handle is taken"); the transaction goes on. */
static void test_unique_violation_in_savepoint_is_forgiven(void **state)
{
	assert_int_equal(add_user(state, "alice", "alice@example.org"), 1);
	assert_true(db_begin(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (1)", DB_NOARGS) == 1);
	assert_true(db_begin(DB));
	assert_int_equal(add_user(state, "alice", "other@example.org"), -1);
	assert_true(db_failed(DB));
	db_rollback(DB);
	assert_false(db_failed(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (2)", DB_NOARGS) == 1);
	assert_true(db_commit(DB));
	assert_int_equal(count_t(state), 2);
	/* Outside a savepoint it fails the transaction. */
	assert_true(db_begin(DB));
	assert_int_equal(add_user(state, "alice", "third@example.org"), -1);
	assert_false(db_commit(DB));
	assert_int_equal(count_t(state), 2);
}

/* A request keeps its failure until it ends, transaction or not; fault
 * injection fails the statement it names. */
static void test_request_failure_and_fault_injection(void **state)
{
	db_request_start(DB, true, 3);
	assert_true(db_begin(DB));                                                  /* 1 */
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (1)", DB_NOARGS) == 1);   /* 2 */
	assert_false(db_request_fault_fired(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (2)", DB_NOARGS) < 0);    /* 3 */
	assert_true(db_request_fault_fired(DB));
	assert_true(db_failed(DB));
	assert_false(db_commit(DB));
	/* Still failed after the rollback, until the request ends. */
	assert_true(db_failed(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (3)", DB_NOARGS) < 0);
	db_request_end(DB);
	assert_false(db_failed(DB));
	assert_int_equal(count_t(state), 0);
	/* A request without a transaction: its later statements do not run. */
	db_request_start(DB, false, 1);
	assert_int_equal(db_scalar_int(DB, -1, "SELECT 1", DB_NOARGS), -1);
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (4)", DB_NOARGS) < 0);
	db_request_end(DB);
	assert_int_equal(count_t(state), 0);
	/* A request that only reads goes on after a transaction of its own
	 * failed and was rolled back. */
	db_request_start(DB, false, 2);
	assert_true(db_begin(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (5)", DB_NOARGS) < 0);
	assert_false(db_commit(DB));
	assert_false(db_failed(DB));
	assert_int_equal(count_t(state), 0);
	db_request_end(DB);
}

/* A checkpoint commits what was written so far and goes on in a new
 * transaction, whose rollback keeps it. */
static void test_checkpoint(void **state)
{
	assert_false(db_checkpoint(DB));
	assert_true(db_begin(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (1)", DB_NOARGS) == 1);
	assert_true(db_checkpoint(DB));
	assert_true(db_in_transaction(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (2)", DB_NOARGS) == 1);
	db_rollback(DB);
	assert_int_equal(count_t(state), 1);
}

static void test_transaction_hides_from_other_connection(void **state)
{
	struct db_fixture *f = *state;
	char *err = NULL;
	struct db *other = db_open(f->path, &err);
	assert_non_null(other);
	assert_true(db_begin(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (5)", DB_NOARGS) >= 0);
	assert_int_equal(db_scalar_int(other, -1, "SELECT COUNT(*) FROM t", DB_NOARGS), 0);
	db_rollback(DB);
	db_close(other);
}

/* ---- constraints --------------------------------------------------- */

static int64_t add_user(void **state, const char *handle, const char *email)
{
	return db_exec(DB, "INSERT INTO users (handle, name, email, password_hash, created_at) "
			   "VALUES (?, ?, ?, ?, ?)",
		       DB_ARGS(db_text(handle), db_text("Name"), db_text(email), db_text("$argon2id$x"),
			       db_int(1700000000)));
}

static void test_unique_violation(void **state)
{
	assert_int_equal(add_user(state, "alice", "alice@example.org"), 1);
	assert_false(db_unique_violation(DB));
	/* Same handle. */
	assert_int_equal(add_user(state, "alice", "other@example.org"), -1);
	assert_true(db_unique_violation(DB));
	/* Handles and e-mail addresses are unique without regard to case. */
	assert_int_equal(add_user(state, "ALICE", "third@example.org"), -1);
	assert_true(db_unique_violation(DB));
	assert_int_equal(add_user(state, "bob", "Alice@Example.org"), -1);
	assert_true(db_unique_violation(DB));
	/* A success clears the state. */
	assert_int_equal(add_user(state, "bob", "bob@example.org"), 1);
	assert_false(db_unique_violation(DB));
	/* Other constraint failures are not unique violations. */
	assert_int_equal(db_exec(DB, "UPDATE users SET role = 'emperor' WHERE handle = 'bob'", DB_NOARGS), -1);
	assert_false(db_unique_violation(DB));
	assert_int_equal(db_exec(DB, "INSERT INTO users (handle) VALUES ('carol')", DB_NOARGS), -1);
	assert_false(db_unique_violation(DB));
	assert_int_equal(db_exec(DB, "DELETE FROM users", DB_NOARGS), 2);
}

static void test_unique_violation_in_step(void **state)
{
	assert_int_equal(add_user(state, "dave", "dave@example.org"), 1);
	struct db_stmt *st = db_query(DB, "INSERT INTO users (handle, name, email, password_hash, created_at) "
					  "VALUES (?, 'n', ?, 'h', 1)",
				      DB_ARGS(db_text("dave"), db_text("d2@example.org")));
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ERROR);
	assert_true(db_unique_violation(DB));
	db_done(st);
	assert_int_equal(db_exec(DB, "DELETE FROM users", DB_NOARGS), 1);
}

static void test_foreign_keys_enforced(void **state)
{
	assert_int_equal(db_exec(DB, "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
				     "expires_at, last_seen_at) VALUES ('h', 12345, 'c', 1, 2, 1)", DB_NOARGS), -1);
	assert_false(db_unique_violation(DB));
}

/* ---- release_all --------------------------------------------------- */

static void test_release_all(void **state)
{
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (1)", DB_NOARGS) >= 0);
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (2)", DB_NOARGS) >= 0);
	assert_true(db_begin(DB));
	assert_true(db_exec(DB, "INSERT INTO t (n) VALUES (3)", DB_NOARGS) >= 0);
	struct db_stmt *a = db_query(DB, "SELECT n FROM t ORDER BY n", DB_NOARGS);
	struct db_stmt *b = db_query(DB, "SELECT n FROM t ORDER BY n", DB_NOARGS);
	struct db_stmt *c = db_query(DB, "SELECT COUNT(*) FROM t", DB_NOARGS);
	assert_int_equal(db_step(a), DB_ROW);
	assert_int_equal(db_step(b), DB_ROW);
	assert_int_equal(db_open_statements(DB), 3);
	(void)c;

	db_release_all(DB);
	assert_int_equal(db_open_statements(DB), 0);
	assert_false(db_in_transaction(DB));
	/* The open transaction was rolled back. */
	assert_int_equal(count_t(state), 2);
	/* Released statements are reusable and start afresh. */
	struct db_stmt *again = db_query(DB, "SELECT n FROM t ORDER BY n", DB_NOARGS);
	assert_int_equal(db_step(again), DB_ROW);
	assert_int_equal(db_int_col(again, 0), 1);
	db_done(again);
	/* Nothing to release is fine. */
	db_release_all(DB);
	assert_int_equal(db_exec(DB, "DELETE FROM t", DB_NOARGS), 2);
}

static void test_close_with_open_statements(void **state)
{
	struct db_fixture *f = *state;
	char *err = NULL;
	struct db *other = db_open(f->path, &err);
	assert_non_null(other);
	struct db_stmt *st = db_query(other, "SELECT 1", DB_NOARGS);
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_begin(other));
	db_close(other); /* ASan reports anything leaked */
}

/* ---- rate limits --------------------------------------------------- */

static void test_ratelimit_window(void **state)
{
	const char *key = "login:192.0.2.1";
	const int limit = 3, window = 60;
	int64_t t0 = 1700000000;
	/* The first three attempts are within the limit. */
	assert_int_equal(ratelimit_take(DB, key, limit, window, t0), 0);
	assert_int_equal(ratelimit_take(DB, key, limit, window, t0 + 10), 0);
	assert_int_equal(ratelimit_take(DB, key, limit, window, t0 + 20), 0);
	/* The fourth waits until the window ends. */
	assert_int_equal(ratelimit_take(DB, key, limit, window, t0 + 20), 40);
	assert_int_equal(ratelimit_take(DB, key, limit, window, t0 + 59), 1);
	/* Refused attempts count too; three refunds make room for one more. */
	ratelimit_refund(DB, key);
	ratelimit_refund(DB, key);
	ratelimit_refund(DB, key);
	assert_int_equal(ratelimit_take(DB, key, limit, window, t0 + 30), 0);
	assert_int_equal(ratelimit_take(DB, key, limit, window, t0 + 30), 30);
	/* The next window starts over. */
	assert_int_equal(ratelimit_take(DB, key, limit, window, t0 + 60), 0);
	assert_int_equal(ratelimit_take(DB, key, limit, window, t0 + 61), 0);
	assert_int_equal(ratelimit_take(DB, key, limit, window, t0 + 62), 0);
	int w = ratelimit_take(DB, key, limit, window, t0 + 63);
	assert_true(w > 0 && w <= window);
	ratelimit_clear(DB, key);
}

static void test_ratelimit_over_limit_never_exceeds_window(void **state)
{
	const char *key = "signup:198.51.100.7";
	int64_t t0 = 5000;
	for (int i = 0; i < 50; i++) {
		int w = ratelimit_take(DB, key, 10, 600, t0 + i);
		if (i < 10)
			assert_int_equal(w, 0);
		else
			assert_true(w > 0 && w <= 600);
	}
	/* A clock behind the window's start still waits at most one window. */
	int w = ratelimit_take(DB, key, 10, 600, t0 - 5000);
	assert_true(w > 0 && w <= 600);
	/* A limit of one. */
	assert_int_equal(ratelimit_take(DB, "one", 1, 30, t0), 0);
	assert_int_equal(ratelimit_take(DB, "one", 1, 30, t0), 30);
	assert_int_equal(ratelimit_take(DB, "one", 1, 30, t0 + 30), 0);
	ratelimit_clear(DB, key);
	ratelimit_clear(DB, "one");
}

static void test_ratelimit_keys_and_clear(void **state)
{
	int64_t now = 1000;
	for (int i = 0; i < 3; i++)
		assert_int_equal(ratelimit_take(DB, "a", 3, 60, now), 0);
	assert_int_equal(ratelimit_take(DB, "b", 3, 60, now), 0);
	assert_true(ratelimit_take(DB, "a", 3, 60, now) > 0);
	ratelimit_clear(DB, "a");
	assert_int_equal(ratelimit_take(DB, "a", 3, 60, now), 0);
	/* A refund never goes below zero. */
	for (int i = 0; i < 5; i++)
		ratelimit_refund(DB, "b");
	assert_int_equal(db_scalar_int(DB, -1, "SELECT count FROM rate_limits WHERE key = 'b'", DB_NOARGS), 0);
	ratelimit_refund(DB, "never-used");
	ratelimit_clear(DB, "a");
	ratelimit_clear(DB, "b");
	ratelimit_clear(DB, "never-used");
	assert_int_equal(db_scalar_int(DB, -1, "SELECT COUNT(*) FROM rate_limits", DB_NOARGS), 0);
	assert_int_equal(db_open_statements(DB), 0);
}

static void test_ratelimit_shared_between_connections(void **state)
{
	struct db_fixture *f = *state;
	char *err = NULL;
	struct db *other = db_open(f->path, &err);
	assert_non_null(other);
	assert_int_equal(ratelimit_take(DB, "shared", 2, 60, 100), 0);
	assert_int_equal(ratelimit_take(other, "shared", 2, 60, 101), 0);
	assert_true(ratelimit_take(other, "shared", 2, 60, 102) > 0);
	assert_true(ratelimit_take(DB, "shared", 2, 60, 102) > 0);
	ratelimit_clear(DB, "shared");
	db_close(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_and_backend, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_open_maps_the_file, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_open_logged, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_open_creates_parent_dir, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_open_failures, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_binds_and_columns, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_injection_is_data, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_blob_round_trip, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_blob_substr, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_double_column, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_helpers, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_exec_counts_only_this_statement, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_script, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_statement_cache_reuse, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_statement_reuse_resets, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_nested_same_sql, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_many_statements, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_transaction_commit, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_transaction_rollback, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_nested_begin_is_a_savepoint, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_failure_is_sticky_in_a_transaction, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_unique_violation_in_savepoint_is_forgiven, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_request_failure_and_fault_injection, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_transaction_hides_from_other_connection, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_unique_violation, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_unique_violation_in_step, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_foreign_keys_enforced, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_release_all, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_close_with_open_statements, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ratelimit_window, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ratelimit_over_limit_never_exceeds_window, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ratelimit_keys_and_clear, setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ratelimit_shared_between_connections, setup, db_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
