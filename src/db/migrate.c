/*
 * migrate: numbered schema migrations compiled into the binary.
 * Files are migrations/<backend>/NNNN_name.sql; the number orders them.
 */
#include "db/migrate.h"

#include "db/db.h"
#include "http/assets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int migrate_apply(struct db *db, bool verbose)
{
	struct migration list[256];
	int n = migrations_for(db, list, 256);
	int current = migrate_current_version(db);
	if (current < 0)
		return -1;
	int applied = 0;
	for (int i = 0; i < n; i++) {
		if (list[i].version <= current)
			continue;
		const char *name = strrchr(list[i].file->name, '/') + 1;
		if (!db_begin(db))
			return -1;
		if (!db_exec_script(db, (const char *)list[i].file->data) ||
		    db_exec(db, "INSERT INTO schema_migrations (version, name, applied_at)"
				" VALUES (?, ?, ?)",
			    DB_ARGS(db_int(list[i].version), db_text(name), db_int(time(NULL)))) < 0 ||
		    !db_commit(db)) {
			db_rollback(db);
			fprintf(stderr, "migrate: %s failed; nothing of it was applied\n", name);
			return -1;
		}
		if (verbose)
			printf("applied migration %s\n", name);
		applied++;
	}
	return applied;
}
