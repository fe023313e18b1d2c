/*
 * fuzz_import: JSON Lines through import_jsonl into an in-memory SQLite
 * database with every migration applied. Between inputs the tables are
 * emptied, which gives every input the database a new one would be (the
 * migrations add no rows) for much less than the milliseconds its schema
 * costs to create.
 */
#include "fuzz.h"

#include "auth/password.h"
#include "db/db.h"
#include "db/migrate.h"
#include "import/import.h"

#include <string.h>

/* Linked with --wrap=password_hash (tests/fuzz/meson.build): a fixed hash
 * in argon2id's place, which would cost tens of milliseconds a person. */
bool __wrap_password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
bool __wrap_password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	(void)password;
	snprintf(out, PASSWORD_HASH_MAX, "$argon2id$v=19$m=19456,t=2,p=1$ZnV6eg$ZnV6eg");
	return true;
}

static struct db *db;
static const char *tables[128];
static int ntables;

/* Deletes every row, the tables that refer to others first; returns how
 * many there were. */
static int64_t empty_tables(void)
{
	int64_t rows = 0;
	for (int i = ntables - 1; i >= 0; i--) {
		char sql[128];
		snprintf(sql, sizeof(sql), "DELETE FROM \"%s\"", tables[i]);
		int64_t n = db_exec(db, sql, DB_NOARGS);
		FUZZ_CHECK(n >= 0);
		rows += n;
	}
	return rows;
}

static void open_db(void)
{
	char *err = NULL, *names;
	db = db_open(":memory:", &err);
	if (!db || migrate_apply(db, false) < 0) {
		fprintf(stderr, "fuzz_import: no database: %s\n", err ? err : "the migrations failed");
		abort();
	}
	ntables = migrate_tables(db, tables, 128, &names); /* names lives as long as tables */
	/* Emptying the tables makes a database like this one only while the
	 * migrations add no rows. */
	FUZZ_CHECK(empty_tables() == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db)
		open_db();
	char *report = NULL;
	size_t report_len = 0;
	FILE *f = open_memstream(&report, &report_len);
	struct import_options opt = {.now = 1767225600, .report = f}; /* 2026-01-01 */
	struct import_counts counts;
	int rc = import_jsonl(db, (const char *)data, size, &opt, &counts);
	fclose(f);

	/* A failure is reported with the input's line; nothing stays open. */
	FUZZ_CHECK(rc == 0 ? report_len == 0 : rc == -1 && strncmp(report, "line ", 5) == 0);
	FUZZ_CHECK(!db_in_transaction(db) && db_open_statements(db) == 0);
	/* After a success, every line added one thing (or a reaction that was
	 * there already). */
	FUZZ_CHECK(rc != 0 || counts.lines >= counts.orgs + counts.people + counts.communities +
						  counts.items + counts.answers + counts.comments);
	free(report);
	empty_tables();
	return 0;
}
