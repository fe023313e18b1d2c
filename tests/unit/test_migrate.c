/* Unit tests of db/migrate against a fresh SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/db.h"
#include "support.h"
#include "db/migrate.h"

static bool table_exists(struct db *db, const char *name)
{
	return db_exists(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
			 DB_ARGS(db_text(name)));
}

/* The names of a backend's migration files in the source tree, sorted and
 * joined by spaces, or NULL when the tree is not at hand. */
static char *migration_names(const char *backend)
{
	const char *root = getenv("KRING_SRC");
	if (!root)
		return NULL;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/migrations/%s", root, backend);
	struct dirent **entries;
	int n = scandir(dir, &entries, NULL, alphasort);
	if (n < 0)
		return NULL;
	char *names = calloc(1, 1);
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		const char *name = entries[i]->d_name;
		size_t nlen = strlen(name);
		if (nlen > 4 && strcmp(name + nlen - 4, ".sql") == 0 && atoi(name) > 0) {
			names = realloc(names, len + nlen + 2);
			len += (size_t)sprintf(names + len, "%s ", name);
		}
		free(entries[i]);
	}
	free(entries);
	return names;
}

/* The number of migration files in the source tree, or -1 when it is not
 * at hand. */
static int migration_files(void)
{
	char *names = migration_names("sqlite");
	if (!names)
		return -1;
	int n = 0;
	for (const char *p = names; (p = strchr(p, ' ')); p++)
		n++;
	free(names);
	return n;
}

/* Every migration exists for both backends under the same number and name,
 * so the schemas move in step. */
static void test_backends_in_step(void **state)
{
	(void)state;
	char *sqlite = migration_names("sqlite");
	char *postgres = migration_names("postgres");
	if (!sqlite || !postgres) {
		free(sqlite);
		free(postgres);
		fail_msg("KRING_SRC does not point at the source tree with migrations/");
	}
	bool same = strcmp(sqlite, postgres) == 0;
	if (!same)
		print_error("sqlite:   %s\npostgres: %s\n", sqlite, postgres);
	free(sqlite);
	free(postgres);
	assert_true(same);
}

static void test_fresh_database(void **state)
{
	assert_int_equal(migrate_current_version(DB), 0);
	assert_true(migrate_latest_version(DB) >= 1);
	assert_false(table_exists(DB, "users"));
}

static void test_apply_once(void **state)
{
	int latest = migrate_latest_version(DB);
	int applied = migrate_apply(DB, false);
	assert_true(applied >= 1);
	assert_true(applied <= latest);
	assert_int_equal(migrate_current_version(DB), latest);
	assert_int_equal(migrate_apply(DB, false), 0);
	assert_int_equal(migrate_apply(DB, true), 0);
	assert_int_equal(migrate_current_version(DB), latest);
	assert_false(db_in_transaction(DB));
	assert_int_equal(db_open_statements(DB), 0);

	int files = migration_files();
	if (files >= 0)
		assert_int_equal(applied, files);
}

static void test_schema_migrations_rows(void **state)
{
	int applied = migrate_apply(DB, true);
	assert_true(applied >= 1);
	assert_int_equal(db_scalar_int(DB, -1, "SELECT COUNT(*) FROM schema_migrations", DB_NOARGS),
			 applied);
	assert_int_equal(db_scalar_int(DB, -1, "SELECT MAX(version) FROM schema_migrations", DB_NOARGS),
			 migrate_latest_version(DB));
	/* Each row names its file and when it was applied. */
	struct db_stmt *st = db_query(DB, "SELECT version, name, applied_at FROM schema_migrations "
					  "ORDER BY version", DB_NOARGS);
	int rows = 0, prev = 0;
	while (db_step(st) == DB_ROW) {
		int version = (int)db_int_col(st, 0);
		const char *name = db_text_col(st, 1);
		assert_true(version > prev);
		prev = version;
		assert_non_null(name);
		assert_int_equal(atoi(name), version);
		assert_non_null(strstr(name, ".sql"));
		assert_null(strchr(name, '/'));
		assert_true(db_int_col(st, 2) > 1600000000);
		rows++;
	}
	db_done(st);
	assert_int_equal(rows, applied);
	/* The first migration's tables exist. */
	assert_true(table_exists(DB, "users"));
	assert_true(table_exists(DB, "sessions"));
	assert_true(table_exists(DB, "api_tokens"));
	assert_true(table_exists(DB, "rate_limits"));
	assert_true(table_exists(DB, "settings"));
}

static void test_reopen_keeps_version(void **state)
{
	struct db_fixture *f = *state;
	assert_true(migrate_apply(DB, false) >= 1);
	int version = migrate_current_version(DB);
	db_close(f->db);
	char *err = NULL;
	f->db = db_open(f->path, &err);
	assert_non_null(f->db);
	assert_int_equal(migrate_current_version(f->db), version);
	assert_int_equal(migrate_apply(f->db, false), 0);
}

static void test_newer_migrations_only(void **state)
{
	/* A database that recorded the latest version already gets nothing,
	 * even when its tables are absent: the record is what counts. */
	int latest = migrate_latest_version(DB);
	assert_int_equal(migrate_current_version(DB), 0); /* creates schema_migrations */
	assert_int_equal(db_exec(DB, "INSERT INTO schema_migrations (version, name, applied_at) "
				     "VALUES (?, 'pretend.sql', 1)", DB_ARGS(db_int(latest))), 1);
	assert_int_equal(migrate_apply(DB, false), 0);
	assert_false(table_exists(DB, "users"));
}

static void test_failed_migration_applies_nothing(void **state)
{
	/* A table in the way makes the first migration fail; it must leave no
	 * trace and no open transaction. */
	assert_true(db_exec_script(DB, "CREATE TABLE sessions (x);"));
	assert_int_equal(migrate_apply(DB, false), -1);
	assert_false(db_in_transaction(DB));
	assert_int_equal(db_open_statements(DB), 0);
	assert_int_equal(migrate_current_version(DB), 0);
	assert_false(table_exists(DB, "users"));
	/* Once out of the way, it applies. */
	assert_true(db_exec_script(DB, "DROP TABLE sessions;"));
	assert_true(migrate_apply(DB, false) >= 1);
	assert_true(table_exists(DB, "users"));
}

/* The tables migrate-data copies are those that exist, each once: one
 * dropped is left out, one rebuilt and renamed is there by its new name
 * (feed_keys, made anew with the feed in its key). */
static void test_tables_listed(void **state)
{
	assert_true(migrate_apply(DB, false) >= 1);
	const char *names[256];
	char *block;
	int n = migrate_tables(DB, names, 256, &block);
	assert_true(n > 20);
	int feed_keys = 0;
	for (int i = 0; i < n; i++) {
		if (!table_exists(DB, names[i]))
			fail_msg("%s is listed but does not exist", names[i]);
		for (int j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0)
				fail_msg("%s is listed twice", names[i]);
		feed_keys += strcmp(names[i], "feed_keys") == 0;
	}
	assert_int_equal(feed_keys, 1);
	int64_t tables = db_scalar_int(DB, -1, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
				       " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_%'"
				       " AND name <> 'schema_migrations'", DB_NOARGS);
	int listed = 0;
	for (int i = 0; i < n; i++)
		listed += strncmp(names[i], "search_", 7) != 0;
	assert_int_equal(listed, tables);
	free(block);
}

static void test_names_lose_bidi_controls(void **state)
{
	assert_true(migrate_apply(DB, false) >= 1);
	check_names_migration(DB);
}

/* Every table the migrations create is listed once, and exists: the copy
 * between databases (db/copy.h) copies each once, a table built again
 * (event_details, 0037) included. */
static void test_tables_listed_once(void **state)
{
	assert_true(migrate_apply(DB, false) >= 1);
	const char *names[256];
	char *block;
	int n = migrate_tables(DB, names, 256, &block);
	assert_true(n > 10);
	int event_details = 0;
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0)
				fail_msg("%s is listed twice", names[i]);
		if (!table_exists(DB, names[i]))
			fail_msg("%s is listed but does not exist", names[i]);
		event_details += strcmp(names[i], "event_details") == 0;
	}
	free(block);
	assert_int_equal(event_details, 1);
}

/* A migration file of the SQLite backend from the source tree (malloc'd). */
static char *migration_text(const char *name)
{
	const char *root = getenv("KRING_SRC");
	if (!root)
		fail_msg("KRING_SRC does not point at the source tree with migrations/");
	char path[4096];
	snprintf(path, sizeof(path), "%s/migrations/sqlite/%s", root, name);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot read %s", path);
	char *text = calloc(1, 1 << 16);
	size_t len = fread(text, 1, (1 << 16) - 1, f);
	fclose(f);
	text[len] = '\0';
	return text;
}

/* 0037 builds event_details again without the CHECK on event_type: its
 * rows and its index are kept, and a kind of event that is not built in
 * can be stored; with a column it does not know of, it stops and changes
 * nothing. */
static void test_event_details_rebuilt(void **state)
{
	char *before = migration_text("0033_meetings.sql"), *rebuild = migration_text("0037_event_extras.sql");
	assert_true(db_exec_script(DB, "CREATE TABLE items (id INTEGER PRIMARY KEY);"
				       " CREATE TABLE users (id INTEGER PRIMARY KEY);"
				       " INSERT INTO items (id) VALUES (1), (2);"));
	assert_true(db_exec_script(DB, before));
	assert_true(db_exec_script(DB, "INSERT INTO event_details (item_id, event_type, starts_at, ends_at, timezone,"
				       " location, online_url, capacity, signup_deadline, signup_closed) VALUES"
				       " (1, 'fika', 100, 200, 'Europe/Stockholm', 'Room 4', '', 12, 50, 1),"
				       " (2, 'talk', 300, 400, 'UTC', '', 'https://example.org', 0, NULL, 0);"));
	assert_int_equal(db_exec(DB, "UPDATE event_details SET event_type = 'excursion' WHERE item_id = 2", DB_NOARGS),
			 -1);
	db_rollback(DB);
	assert_true(db_exec_script(DB, rebuild));
	assert_int_equal(db_scalar_int(DB, -1, "SELECT COUNT(*) FROM event_details", DB_NOARGS), 2);
	assert_true(db_exists(DB, "SELECT 1 FROM event_details WHERE item_id = 1 AND event_type = 'fika'"
				  " AND starts_at = 100 AND ends_at = 200 AND timezone = 'Europe/Stockholm'"
				  " AND location = 'Room 4' AND capacity = 12 AND signup_deadline = 50"
				  " AND signup_closed = 1", DB_NOARGS));
	assert_true(db_exists(DB, "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'event_details_starts'"
				  " AND tbl_name = 'event_details'", DB_NOARGS));
	assert_false(table_exists(DB, "event_details_old"));
	assert_int_equal(db_exec(DB, "UPDATE event_details SET event_type = 'excursion' WHERE item_id = 2", DB_NOARGS),
			 1);
	free(before);
	free(rebuild);
}

static void test_event_details_rebuild_guarded(void **state)
{
	char *before = migration_text("0033_meetings.sql"), *rebuild = migration_text("0037_event_extras.sql");
	assert_true(db_exec_script(DB, "CREATE TABLE items (id INTEGER PRIMARY KEY);"));
	assert_true(db_exec_script(DB, before));
	assert_true(db_exec_script(DB, "ALTER TABLE event_details ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;"));
	assert_true(db_begin(DB));
	assert_false(db_exec_script(DB, rebuild));
	db_rollback(DB);
	assert_int_equal(db_scalar_int(DB, -1, "SELECT COUNT(*) FROM pragma_table_info('event_details')", DB_NOARGS),
			 11);
	assert_false(table_exists(DB, "event_types"));
	free(before);
	free(rebuild);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backends_in_step),
		cmocka_unit_test_setup_teardown(test_fresh_database, db_fixture_setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_apply_once, db_fixture_setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_schema_migrations_rows, db_fixture_setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_version, db_fixture_setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_newer_migrations_only, db_fixture_setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_failed_migration_applies_nothing, db_fixture_setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_tables_listed, db_fixture_setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_names_lose_bidi_controls, db_fixture_setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_tables_listed_once, db_fixture_setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_event_details_rebuilt, db_fixture_setup, db_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_event_details_rebuild_guarded, db_fixture_setup,
						db_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
