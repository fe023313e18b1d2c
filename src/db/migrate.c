/*
 * migrate: numbered schema migrations compiled into the binary.
 * Files are migrations/<backend>/NNNN_name.sql; the number orders them.
 */
#include "db/migrate.h"

#include "core/assets.h"
#include "core/clock.h"
#include "core/mem.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct migration {
	int version;
	const struct asset *file;
};

static int by_version(const void *a, const void *b)
{
	return ((const struct migration *)a)->version - ((const struct migration *)b)->version;
}

/* Collects the backend's migrations in order; returns how many. */
static int migrations_for(struct db *db, struct migration *out, int max)
{
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "migrations/%s/", db_backend_name(db));
	size_t plen = strlen(prefix);
	int n = 0;
	for (const struct asset *a = assets; a->name; a++) {
		if (strncmp(a->name, prefix, plen) != 0 || n == max)
			continue;
		int version = atoi(a->name + plen);
		if (version > 0)
			out[n++] = (struct migration){version, a};
	}
	qsort(out, (size_t)n, sizeof(*out), by_version);
	return n;
}

static bool ensure_schema_table(struct db *db)
{
	return db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			   " version INTEGER PRIMARY KEY,"
			   " name TEXT NOT NULL,"
			   " applied_at BIGINT NOT NULL)", DB_NOARGS) >= 0;
}

int migrate_current_version(struct db *db)
{
	if (!ensure_schema_table(db))
		return -1;
	return (int)db_scalar_int(db, 0, "SELECT MAX(version) FROM schema_migrations", DB_NOARGS);
}

int migrate_latest_version(struct db *db)
{
	struct migration list[256];
	int n = migrations_for(db, list, 256);
	return n ? list[n - 1].version : 0;
}

/* Applies the first migration newer than the database's version, under the
 * write lock: several nodes may start at once on one database, and the lock
 * makes them take turns, a node that waited finding the work done. Returns
 * 1 when one was applied, 0 when none was due, -1 on failure. */
static int apply_next(struct db *db, const struct migration *list, int n, bool verbose)
{
	if (!db_begin(db))
		return -1;
	if (!ensure_schema_table(db)) {
		db_rollback(db);
		return -1;
	}
	int current = (int)db_scalar_int(db, 0, "SELECT MAX(version) FROM schema_migrations", DB_NOARGS);
	int i = 0;
	while (i < n && list[i].version <= current)
		i++;
	if (i == n) {
		db_rollback(db);
		return 0;
	}
	const char *name = strrchr(list[i].file->name, '/') + 1;
	if (!db_exec_script(db, (const char *)list[i].file->data) ||
	    db_exec(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		    DB_ARGS(db_int(list[i].version), db_text(name), db_int(clock_now()))) < 0 ||
	    !db_commit(db)) {
		db_rollback(db);
		fprintf(stderr, "migrate: %s failed; nothing of it was applied\n", name);
		return -1;
	}
	if (verbose)
		printf("applied migration %s\n", name);
	return 1;
}

int migrate_apply(struct db *db, bool verbose)
{
	struct migration list[256];
	int n = migrations_for(db, list, 256);
	int applied = 0, rc;
	while ((rc = apply_next(db, list, n, verbose)) == 1)
		applied++;
	return rc < 0 ? -1 : applied;
}

int migrate_tables(struct db *db, const char **names, int max, char **block)
{
	struct migration list[256];
	int n = migrations_for(db, list, 256);
	size_t total = 0;
	for (int i = 0; i < n; i++)
		total += list[i].file->len + 1;
	char *text = xmalloc(total + 1), *w = text;
	int count = 0;
	for (int i = 0; i < n; i++) {
		const char *sql = (const char *)list[i].file->data;
		for (const char *p = sql; (p = strstr(p, "CREATE TABLE ")); ) {
			p += strlen("CREATE TABLE ");
			if (strncmp(p, "IF NOT EXISTS ", 14) == 0)
				p += 14;
			size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyz_0123456789");
			/* A table built again (to drop a constraint on SQLite)
			 * is created twice and listed once, where it came first. */
			bool listed = false;
			for (int k = 0; k < count && !listed; k++)
				listed = strlen(names[k]) == len && strncmp(names[k], p, len) == 0;
			if (len && !listed && count < max) {
				memcpy(w, p, len);
				w[len] = '\0';
				names[count++] = w;
				w += len + 1;
			}
		}
	}
	*block = text;
	return count;
}
