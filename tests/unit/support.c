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
