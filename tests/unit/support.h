/* support: what several unit tests share — a fresh SQLite database per
 * test, and a checker that HTML holds only the tags, attributes and links
 * a renderer may write. */
#ifndef KRING_TEST_SUPPORT_H
#define KRING_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "html_check.h"

struct db;

/* cmocka fixtures: *state becomes a struct db_fixture with an open
 * database in a new temporary directory, removed again afterwards. */
struct db_fixture {
	char dir[64];
	char path[128];
	struct db *db;
};
int db_fixture_setup(void **state);
/* Removes a database file with its -wal, -shm and -journal files. */
void remove_db_files(const char *path);
int db_fixture_teardown(void **state);
#define DB (((struct db_fixture *)*state)->db)

/* Binary values on db, whichever its backend: bytes with NULs and every
 * value, the empty blob apart from NULL, equality, and slices of a blob
 * (substr) with two blob columns valid together. */
void check_blob_round_trip(struct db *db);
void check_blob_substr(struct db *db);
/* Doubles come back exactly (search ranks compare them across backends),
 * and SQL NULL as 0. */
void check_double_column(struct db *db);

/* Migration 0016 run again over names, titles and file names that hold
 * bidirectional controls (db has every migration applied): they lose them,
 * but for a file whose clean name is taken on its item. */
void check_names_migration(struct db *db);

/* Fails the test when html_check finds a problem. */
void assert_safe_html(const char *html, const struct html_rules *rules);

/* Renders each unit repeated times with render (which returns a malloc'd
 * string) and checks the result is valid UTF-8 and follows the rules:
 * hostile repetition must neither crash nor break out of the markup. */
void assert_renders_safely(char *(*render)(const char *text, size_t len), const char *const *units,
			   size_t nunits, size_t times, const struct html_rules *rules);

/* unit repeated times (malloc'd, NUL-terminated); *len is its length. */
char *repeat(const char *unit, size_t times, size_t *len);

#endif
