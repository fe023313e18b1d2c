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

int db_fixture_setup(void **state)
{
	struct db_fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/kring-unit-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/kring.db", f->dir);
	char *err = NULL;
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
