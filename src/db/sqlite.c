/* sqlite: the embedded SQLite backend of the db interface. */
#include "core/mem.h"
#include "db/backend.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

struct sqlite_db {
	struct db base;
	sqlite3 *handle;
};

struct sqlite_stmt {
	struct db_stmt base;
	sqlite3_stmt *handle;
	int64_t total_before; /* the connection's total changes before stepping */
};

#define SDB(db) ((struct sqlite_db *)(db))
#define SST(st) ((struct sqlite_stmt *)(st))

/* Creates the directory that will hold the database file, if missing. */
static void make_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return;
	char dir[4096];
	size_t n = (size_t)(slash - path);
	if (n >= sizeof(dir))
		return;
	memcpy(dir, path, n);
	dir[n] = '\0';
	mkdir(dir, 0700);
}

static struct db *sqlite_open(const char *url, char **err)
{
	const char *path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
	make_parent_dir(path);
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				 SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		const char *msg = h ? sqlite3_errmsg(h) : sqlite3_errstr(rc);
		size_t len = strlen(path) + strlen(msg) + 16;
		*err = xmalloc(len);
		snprintf(*err, len, "%s: %s", path, msg);
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, DB_LOCK_WAIT_MS);
	/* A page cache of 8 MB a connection (SQLite's default is 2 MB): a
	 * search reads hundreds of scattered rows, and a page read again from
	 * the operating system costs more than the rest of the search. A
	 * server holds few connections (docs/operations.md); more would cost
	 * the memory a small server has. Beyond it, the file is read through
	 * memory mapped from the operating system's cache, shared by every
	 * connection, instead of a system call per page: a search of several
	 * words on a database larger than the page cache reads thousands of
	 * pages (half its time in those calls on the large benchmark set).
	 * SQLite maps at most its compiled limit and reads the rest. */
	sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
			"PRAGMA foreign_keys=ON; PRAGMA cache_size=-8192; PRAGMA mmap_size=4294967296;", NULL, NULL, NULL);
	struct sqlite_db *db = xcalloc(1, sizeof(*db));
	db->handle = h;
	return &db->base;
}

static void sqlite_close(struct db *db)
{
	for (int b = 0; b < DB_CACHE_BUCKETS; b++) {
		struct db_stmt *st = db->cache[b];
		while (st) {
			struct db_stmt *next = st->next_cached;
			sqlite3_finalize(SST(st)->handle);
			free(st->sql);
			free(st);
			st = next;
		}
	}
	sqlite3_close(SDB(db)->handle);
	free(db);
}

static struct db_stmt *sqlite_prepare(struct db *db, const char *sql)
{
	sqlite3_stmt *h = NULL;
	if (sqlite3_prepare_v3(SDB(db)->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &h, NULL) != SQLITE_OK)
		return NULL;
	struct sqlite_stmt *st = xcalloc(1, sizeof(*st));
	st->handle = h;
	return &st->base;
}

static bool sqlite_bind(struct db_stmt *st, const struct db_value *args, size_t n)
{
	sqlite3_stmt *h = SST(st)->handle;
	if ((int)n != sqlite3_bind_parameter_count(h))
		return false;
	for (size_t i = 0; i < n; i++) {
		int rc, idx = (int)i + 1;
		switch (args[i].type) {
		case DBV_INT: rc = sqlite3_bind_int64(h, idx, args[i].i); break;
		case DBV_TEXT: rc = sqlite3_bind_text(h, idx, args[i].s, -1, SQLITE_TRANSIENT); break;
		case DBV_BLOB:
			/* Bound through a pointer an empty blob may become SQL NULL. */
			rc = args[i].len ? sqlite3_bind_blob64(h, idx, args[i].s, args[i].len, SQLITE_TRANSIENT)
					 : sqlite3_bind_zeroblob(h, idx, 0);
			break;
		default: rc = sqlite3_bind_null(h, idx); break;
		}
		if (rc != SQLITE_OK)
			return false;
	}
	return true;
}

static int sqlite_step(struct db_stmt *st)
{
	SST(st)->total_before = sqlite3_total_changes64(SDB(st->db)->handle);
	int rc = sqlite3_step(SST(st)->handle);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return DB_ERROR;
}

static int64_t sqlite_int_col(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(SST(st)->handle, col);
}

static const char *sqlite_text_col(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(SST(st)->handle, col);
}

static double sqlite_double_col(struct db_stmt *st, int col)
{
	return sqlite3_column_double(SST(st)->handle, col);
}

static bool sqlite_null_col(struct db_stmt *st, int col)
{
	return sqlite3_column_type(SST(st)->handle, col) == SQLITE_NULL;
}

static const void *sqlite_blob_col(struct db_stmt *st, int col, size_t *len)
{
	sqlite3_stmt *h = SST(st)->handle;
	*len = 0;
	if (sqlite3_column_type(h, col) == SQLITE_NULL)
		return NULL;
	const void *p = sqlite3_column_blob(h, col);
	*len = (size_t)sqlite3_column_bytes(h, col);
	/* SQLite gives NULL for an empty blob, which callers would take for
	 * SQL NULL. */
	return p ? p : "";
}

static bool sqlite_is_blob_col(struct db_stmt *st, int col)
{
	return sqlite3_column_type(SST(st)->handle, col) == SQLITE_BLOB;
}

static void sqlite_done(struct db_stmt *st)
{
	sqlite3_reset(SST(st)->handle);
	sqlite3_clear_bindings(SST(st)->handle);
}

static int64_t sqlite_changes(struct db_stmt *st)
{
	/* sqlite3_changes keeps the count of the last INSERT, UPDATE or DELETE,
	 * so a statement that changed nothing must be told apart first. */
	sqlite3 *h = SDB(st->db)->handle;
	if (sqlite3_total_changes64(h) == SST(st)->total_before)
		return 0;
	return sqlite3_changes64(h);
}

static bool sqlite_exec_script(struct db *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(SDB(db)->handle, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "db: %s\n", err ? err : "error");
		sqlite3_free(err);
		return false;
	}
	return true;
}

static int sqlite_col_count(struct db_stmt *st)
{
	return sqlite3_column_count(SST(st)->handle);
}

static const char *sqlite_col_name(struct db_stmt *st, int col)
{
	return sqlite3_column_name(SST(st)->handle, col);
}

static char *error_for(const char *path, const char *msg)
{
	size_t len = strlen(path) + strlen(msg) + 3;
	char *err = xmalloc(len);
	snprintf(err, len, "%s: %s", path, msg);
	return err;
}

/* Copies a few hundred pages at a time and lets writers in between, so a
 * busy site keeps working; a write in between makes SQLite restart the copy
 * of what changed. The copy is written beside the target and renamed, so a
 * failed backup never leaves a half file under the name asked for. */
static bool sqlite_backup(struct db *db, const char *path, char **err)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.partial", path) >= (int)sizeof(tmp)) {
		*err = xstrdup("the file name is too long");
		return false;
	}
	unlink(tmp);
	sqlite3 *dest = NULL;
	if (sqlite3_open_v2(tmp, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		*err = error_for(tmp, dest ? sqlite3_errmsg(dest) : "cannot create");
		sqlite3_close(dest);
		return false;
	}
	sqlite3_backup *b = sqlite3_backup_init(dest, "main", SDB(db)->handle, "main");
	int rc = SQLITE_OK;
	if (b) {
		do {
			rc = sqlite3_backup_step(b, 256);
			if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
				sqlite3_sleep(20);
		} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
		sqlite3_backup_finish(b);
	}
	bool ok = b && rc == SQLITE_DONE && sqlite3_errcode(dest) == SQLITE_OK;
	if (!ok)
		*err = error_for(path, sqlite3_errmsg(dest));
	/* A backup is only worth keeping if it reads back whole. */
	if (ok && sqlite3_exec(dest, "PRAGMA quick_check", NULL, NULL, NULL) != SQLITE_OK) {
		*err = error_for(path, "the copy does not pass SQLite's check");
		ok = false;
	}
	sqlite3_close(dest);
	if (ok && rename(tmp, path) != 0) {
		*err = error_for(path, strerror(errno));
		ok = false;
	}
	if (!ok)
		unlink(tmp);
	return ok;
}

/* INTEGER PRIMARY KEY continues after the largest id by itself. */
static bool sqlite_sync_ids(struct db *db, const char *table)
{
	(void)db;
	(void)table;
	return true;
}

/* BEGIN IMMEDIATE takes the write lock now rather than at the first write,
 * so a transaction never fails half-way because another connection wrote. */
static bool sqlite_begin(struct db *db)
{
	return db_exec(db, "BEGIN IMMEDIATE", DB_NOARGS) >= 0;
}

/* A file is always there. */
static bool sqlite_available(struct db *db)
{
	(void)db;
	return true;
}

static const char *sqlite_errmsg(struct db *db)
{
	return sqlite3_errmsg(SDB(db)->handle);
}

static bool sqlite_is_unique_violation(struct db *db)
{
	int rc = sqlite3_extended_errcode(SDB(db)->handle);
	return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY;
}

/* Another connection held the lock it needed (BEGIN IMMEDIATE's write
 * lock) past the busy timeout. */
static bool sqlite_is_busy(struct db *db)
{
	return (sqlite3_extended_errcode(SDB(db)->handle) & 0xff) == SQLITE_BUSY;
}

const struct db_backend db_sqlite_backend = {
	.name = "sqlite",
	.open = sqlite_open,
	.close = sqlite_close,
	.prepare = sqlite_prepare,
	.bind = sqlite_bind,
	.step = sqlite_step,
	.int_col = sqlite_int_col,
	.text_col = sqlite_text_col,
	.double_col = sqlite_double_col,
	.null_col = sqlite_null_col,
	.blob_col = sqlite_blob_col,
	.is_blob_col = sqlite_is_blob_col,
	.done = sqlite_done,
	.changes = sqlite_changes,
	.exec_script = sqlite_exec_script,
	.col_count = sqlite_col_count,
	.col_name = sqlite_col_name,
	.backup = sqlite_backup,
	.sync_ids = sqlite_sync_ids,
	.begin = sqlite_begin,
	.available = sqlite_available,
	.defer_constraints = "PRAGMA defer_foreign_keys = ON",
	.skip_locked = "",
	.errmsg = sqlite_errmsg,
	.is_unique_violation = sqlite_is_unique_violation,
	.is_busy = sqlite_is_busy,
};
