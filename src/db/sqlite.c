/* sqlite: the embedded SQLite backend of the db interface. */
#include "db/backend.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
		*err = malloc(len);
		snprintf(*err, len, "%s: %s", path, msg);
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, 5000);
	sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
			"PRAGMA foreign_keys=ON;", NULL, NULL, NULL);
	struct sqlite_db *db = calloc(1, sizeof(*db));
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
	struct sqlite_stmt *st = calloc(1, sizeof(*st));
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

static bool sqlite_null_col(struct db_stmt *st, int col)
{
	return sqlite3_column_type(SST(st)->handle, col) == SQLITE_NULL;
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

static const char *sqlite_errmsg(struct db *db)
{
	return sqlite3_errmsg(SDB(db)->handle);
}

static bool sqlite_is_unique_violation(struct db *db)
{
	int rc = sqlite3_extended_errcode(SDB(db)->handle);
	return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY;
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
	.null_col = sqlite_null_col,
	.done = sqlite_done,
	.changes = sqlite_changes,
	.exec_script = sqlite_exec_script,
	.errmsg = sqlite_errmsg,
	.is_unique_violation = sqlite_is_unique_violation,
};
