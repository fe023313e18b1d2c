/* support: what several unit tests share (see support.h). */
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

static bool in_list(const char *s, size_t n, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
			return true;
	return false;
}

static void check_href(const char *v, const char *end, const struct html_rules *rules)
{
	if (strncasecmp(v, "http:", 5) == 0 || strncasecmp(v, "https:", 6) == 0 || strncasecmp(v, "mailto:", 7) == 0)
		return;
	if (rules->relative_prefix) {
		if (strncmp(v, rules->relative_prefix, strlen(rules->relative_prefix)) != 0)
			fail_msg("unexpected href %.*s", (int)(end - v), v);
		return;
	}
	size_t rel = strcspn(v, "/?#\"");
	for (size_t k = 0; k < rel; k++)
		if (v[k] == ':')
			fail_msg("href with a scheme: %.*s", (int)(end - v), v);
}

void assert_safe_html(const char *html, const struct html_rules *rules)
{
	assert_null(strcasestr(html, "<script"));
	const char *p = html;
	while ((p = strchr(p, '<'))) {
		p++;
		if (*p == '/')
			p++;
		size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (!in_list(p, n, rules->tags, rules->ntags))
			fail_msg("unexpected tag in %s", html);
		p += n;
		for (;;) {
			p += strspn(p, " ");
			if (*p == '>')
				break;
			size_t an = strspn(p, "abcdefghijklmnopqrstuvwxyz");
			if (!an || !in_list(p, an, rules->attrs, rules->nattrs))
				fail_msg("unexpected attribute at %.40s", p);
			bool href = an == 4 && memcmp(p, "href", 4) == 0;
			p += an;
			if (*p != '=')
				continue;
			assert_int_equal(p[1], '"');
			const char *v = p + 2, *end = strchr(v, '"');
			assert_non_null(end);
			for (const char *q = v; q < end; q++)
				assert_true(*q != '<' && *q != '>');
			if (href)
				check_href(v, end, rules);
			p = end + 1;
		}
	}
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
