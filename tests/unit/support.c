/* support: what several unit tests share (see support.h). */
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/text.h"
#include "db/db.h"
#include "db/migrate.h"
#include "search/fts5_rank.h"

int db_fixture_setup(void **state)
{
	struct db_fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/kring-unit-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/kring.db", f->dir);
	char *err = NULL;
	fts5_rank_install(); /* as kring's main does */
	f->db = db_open(f->path, &err);
	if (!f->db) {
		fprintf(stderr, "db_open: %s\n", err ? err : "?");
		free(err);
		return -1;
	}
	*state = f;
	return 0;
}

void remove_db_files(const char *path)
{
	const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char p[256];
		snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
		unlink(p);
	}
}

int db_fixture_teardown(void **state)
{
	struct db_fixture *f = *state;
	if (!f)
		return 0;
	db_close(f->db);
	remove_db_files(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

void assert_safe_html(const char *html, const struct html_rules *rules)
{
	char why[200];
	if (!html_check(html, rules, why, sizeof(why)))
		fail_msg("%s", why);
}

void assert_renders_safely(char *(*render)(const char *text, size_t len), const char *const *units,
			   size_t nunits, size_t times, const struct html_rules *rules)
{
	for (size_t i = 0; i < nunits; i++) {
		size_t n;
		char *s = repeat(units[i], times, &n);
		char *got = render(s, n);
		assert_true(utf8_valid(got, strlen(got)));
		assert_safe_html(got, rules);
		free(got);
		free(s);
	}
}

char *repeat(const char *unit, size_t times, size_t *len)
{
	size_t n = strlen(unit);
	char *s = malloc(n * times + 1);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * n, unit, n);
	s[n * times] = '\0';
	*len = n * times;
	return s;
}

/* ---- bytes, on either backend --------------------------------------- */

/* Reads the blob column of st's current row and checks it is the len bytes
 * at want. */
static void assert_blob(struct db_stmt *st, int col, const void *want, size_t len)
{
	size_t got_len = 12345;
	const void *got = db_blob_col(st, col, &got_len);
	assert_non_null(got);
	assert_int_equal(got_len, len);
	if (len)
		assert_memory_equal(got, want, len);
}

void check_blob_round_trip(struct db *db)
{
	bool pg = strcmp(db_backend_name(db), "postgres") == 0;
	unsigned char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	const char nuls[] = "a\0b\0\0c";
	assert_int_equal(db_exec(db, pg ? "CREATE TABLE b (id BIGINT PRIMARY KEY, data BYTEA, s TEXT)"
				     : "CREATE TABLE b (id INTEGER PRIMARY KEY, data BLOB, s TEXT)", DB_NOARGS), 0);
	assert_int_equal(db_exec(db, "INSERT INTO b (id, data, s) VALUES (1, ?, 'text'), (2, ?, NULL), (3, ?, NULL),"
				     " (4, ?, NULL), (5, ?, NULL)",
				 DB_ARGS(db_blob(all, sizeof(all)), db_blob(nuls, sizeof(nuls) - 1), db_blob("", 0),
					 db_blob(NULL, 0), db_null())), 5);

	struct db_stmt *st = db_query(db, "SELECT data, id, s FROM b ORDER BY id", DB_NOARGS);
	assert_int_equal(db_step(st), DB_ROW);
	assert_blob(st, 0, all, sizeof(all));
	assert_true(db_is_blob_col(st, 0));
	assert_false(db_is_blob_col(st, 1));
	assert_false(db_is_blob_col(st, 2));
	assert_int_equal(db_step(st), DB_ROW);
	assert_blob(st, 0, nuls, sizeof(nuls) - 1);
	/* Empty, however bound, is not NULL. */
	for (int id = 3; id <= 4; id++) {
		assert_int_equal(db_step(st), DB_ROW);
		assert_blob(st, 0, "", 0);
		assert_false(db_null_col(st, 0));
		assert_true(db_is_blob_col(st, 0));
	}
	assert_int_equal(db_step(st), DB_ROW);
	size_t len = 12345;
	assert_null(db_blob_col(st, 0, &len));
	assert_int_equal(len, 0);
	assert_true(db_null_col(st, 0));
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);

	/* Bytes compare as bytes, the empty blob included. */
	assert_int_equal(db_scalar_int(db, -1, "SELECT id FROM b WHERE data = ?",
				       DB_ARGS(db_blob(nuls, sizeof(nuls) - 1))), 2);
	assert_int_equal(db_scalar_int(db, -1, "SELECT COUNT(*) FROM b WHERE data = ?", DB_ARGS(db_blob("", 0))), 2);
	assert_int_equal(db_scalar_int(db, -1, pg ? "SELECT octet_length(data) FROM b WHERE id = 3"
						       : "SELECT length(data) FROM b WHERE id = 3", DB_NOARGS), 0);
}

void check_blob_substr(struct db *db)
{
	bool pg = strcmp(db_backend_name(db), "postgres") == 0;
	unsigned char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	assert_int_equal(db_exec(db, pg ? "CREATE TABLE b (id BIGINT PRIMARY KEY, data BYTEA)"
				     : "CREATE TABLE b (id INTEGER PRIMARY KEY, data BLOB)", DB_NOARGS), 0);
	assert_int_equal(db_exec(db, "INSERT INTO b (id, data) VALUES (1, ?)", DB_ARGS(db_blob(all, sizeof(all)))), 1);
	struct db_stmt *st = db_query(db, "SELECT substr(data, ?, ?), data FROM b WHERE id = 1",
				      DB_ARGS(db_int(251), db_int(10)));
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_is_blob_col(st, 0));
	/* Both columns' bytes stay valid together. */
	size_t slice_len, whole_len;
	const void *slice = db_blob_col(st, 0, &slice_len);
	const void *whole = db_blob_col(st, 1, &whole_len);
	assert_int_equal(slice_len, 6);
	assert_memory_equal(slice, all + 250, 6);
	assert_int_equal(whole_len, sizeof(all));
	assert_memory_equal(whole, all, sizeof(all));
	db_done(st);
	st = db_query(db, "SELECT substr(data, ?, ?) FROM b WHERE id = 1", DB_ARGS(db_int(1), db_int(3)));
	assert_int_equal(db_step(st), DB_ROW);
	assert_blob(st, 0, all, 3);
	db_done(st);
}

void check_double_column(struct db *db)
{
	struct db_stmt *st = db_query(db, "SELECT CAST(1 AS DOUBLE PRECISION) / 3, CAST(2 AS DOUBLE PRECISION) / 7 * 1e-5,"
					  " CAST(-1 AS DOUBLE PRECISION) / 3 * 1e200, CAST(NULL AS DOUBLE PRECISION)", DB_NOARGS);
	assert_int_equal(db_step(st), DB_ROW);
	volatile double third = 1, seventh = 2, big = -1;
	third /= 3;
	seventh = seventh / 7 * 1e-5;
	big = big / 3 * 1e200;
	assert_true(db_double_col(st, 0) == third);
	assert_true(db_double_col(st, 1) == seventh);
	assert_true(db_double_col(st, 2) == big);
	assert_true(db_double_col(st, 3) == 0);
	db_done(st);
}

/* ---- names without bidirectional controls (migration 0015) ----------- */

#define RLO "\xE2\x80\xAE"
#define LRI "\xE2\x81\xA6"
#define PDI "\xE2\x81\xA9"
#define ALM "\xD8\x9C"

static void assert_text(struct db *db, const char *sql, int64_t id, const char *want)
{
	struct db_stmt *st = db_query(db, sql, DB_ARGS(db_int(id)));
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_text_col(st, 0), want);
	db_done(st);
}

void check_names_migration(struct db *db)
{
	/* Rows as an older kring kept them. */
	int64_t user = db_scalar_int(db, 0, "INSERT INTO users (handle, name, email, password_hash, created_at, title)"
				     " VALUES ('anna', ?, 'anna@example.org', 'x', 1, ?) RETURNING id",
				     DB_ARGS(db_text(" " RLO "Anna Berg" PDI), db_text("Head" ALM " of fika")));
	int64_t org = db_scalar_int(db, 0, "INSERT INTO orgs (slug, name, created_at, updated_at)"
				    " VALUES ('acme', ?, 1, 1) RETURNING id", DB_ARGS(db_text(LRI "Acme" PDI " AB")));
	int64_t community = db_scalar_int(db, 0, "INSERT INTO communities (slug, name, visibility, join_policy,"
					  " created_at, updated_at) VALUES ('fika', ?, 'public', 'open', 1, 1) RETURNING id",
					  DB_ARGS(db_text("Fika " RLO "club")));
	int64_t item = db_scalar_int(db, 0, "INSERT INTO items (kind, community_id, author_id, title, created_at,"
				     " activity_at) VALUES ('method', ?, ?, ?, 1, 1) RETURNING id",
				     DB_ARGS(db_int(community), db_int(user), db_text("Pay invoice" RLO "txt.exe")));
	int64_t variation = db_scalar_int(db, 0, "INSERT INTO method_variations (method_id, author_id, title, body,"
					  " created_at) VALUES (?, ?, ?, 'b', 1) RETURNING id",
					  DB_ARGS(db_int(item), db_int(user), db_text(RLO "Short")));
	assert_true(user > 0 && org > 0 && community > 0 && item > 0 && variation > 0);
	assert_int_equal(db_exec(db, "INSERT INTO blobs (sha256, size, data, created_at) VALUES ('abc', 1, ?, 1)",
				 DB_ARGS(db_blob("x", 1))), 1);
	/* The second file's clean name is the third's: it keeps its own. The
	 * fourth and fifth have the same clean name, which no file has yet:
	 * the first of them takes it, the other keeps its own. */
	const char *files[] = {"invoice" RLO "FDP.exe.txt", "a" RLO "b.txt", "ab.txt", "c" RLO "d.txt", "c" LRI "d.txt"};
	int64_t file[5];
	for (int i = 0; i < 5; i++)
		file[i] = db_scalar_int(db, 0, "INSERT INTO item_files (item_id, sha256, name, mime, size, uploader_id,"
					" created_at) VALUES (?, 'abc', ?, 'text/plain', 1, ?, 1) RETURNING id",
					DB_ARGS(db_int(item), db_text(files[i]), db_int(user)));

	/* The migration once more, and those after it, as on a database
	 * from before it. */
	int64_t undone = db_exec(db, "DELETE FROM schema_migrations WHERE version >= 15", DB_NOARGS);
	assert_true(undone >= 1);
	assert_int_equal(migrate_apply(db, false), undone);

	assert_text(db, "SELECT name FROM users WHERE id = ?", user, "Anna Berg");
	assert_text(db, "SELECT title FROM users WHERE id = ?", user, "Head of fika");
	assert_text(db, "SELECT name FROM orgs WHERE id = ?", org, "Acme AB");
	assert_text(db, "SELECT name FROM communities WHERE id = ?", community, "Fika club");
	assert_text(db, "SELECT title FROM items WHERE id = ?", item, "Pay invoicetxt.exe");
	assert_text(db, "SELECT title FROM method_variations WHERE id = ?", variation, "Short");
	assert_text(db, "SELECT name FROM item_files WHERE id = ?", file[0], "invoiceFDP.exe.txt");
	assert_text(db, "SELECT name FROM item_files WHERE id = ?", file[1], "a" RLO "b.txt");
	assert_text(db, "SELECT name FROM item_files WHERE id = ?", file[2], "ab.txt");
	assert_text(db, "SELECT name FROM item_files WHERE id = ?", file[3], "cd.txt");
	assert_text(db, "SELECT name FROM item_files WHERE id = ?", file[4], "c" LRI "d.txt");
}
