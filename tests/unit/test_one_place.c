/* The rules that give a thing one place in the sources (found through
 * KRING_SRC): only http/req.c says "Something went wrong on our side" (the
 * rest call req_fail_internal), only render/links.c spells the site's
 * addresses, and only core/hash.c holds the hash's constants. A copy
 * elsewhere drifts from the original the day one of them changes. */
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

#include "core/buf.h"

static const struct {
	const char *text, *home, *use;
} rules[] = {
	{"Something went wrong on our side", "src/http/req.c", "req_fail_internal(r)"},
	{"\"/items/%", "src/render/links.c", "render/links.h"},
	{"\"/c/%", "src/render/links.c", "render/links.h"},
	{"\"/people/%", "src/render/links.c", "render/links.h"},
	{"href=\\\"/people/", "src/render/links.c", "link_put_person"},
	{"\"/orgs/%", "src/render/links.c", "render/links.h"},
	{"\"/tags/%", "src/render/links.c", "render/links.h"},
	{"\"/files/%", "src/render/links.c", "render/links.h"},
	{"16777619", "src/core/hash.c", "core/hash.h"},
	{"1099511628211", "src/core/hash.c", "core/hash.h"},
};

/* Appends "file:line: text (use ...)" for each rule text in the file's
 * text that is not at home there. */
static void scan_text(const char *rel, const char *text, struct buf *found)
{
	for (size_t k = 0; k < sizeof(rules) / sizeof(rules[0]); k++) {
		if (strcmp(rel, rules[k].home) == 0)
			continue;
		for (const char *p = strstr(text, rules[k].text); p; p = strstr(p + 1, rules[k].text)) {
			int line = 1;
			for (const char *q = text; q < p; q++)
				line += *q == '\n';
			buf_printf(found, "%s:%d: %s (use %s)\n", rel, line, rules[k].text, rules[k].use);
		}
	}
}

static char *read_whole(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct buf b = {0};
	assert_true(buf_read_file(&b, f));
	fclose(f);
	return b.data ? buf_take(&b) : strdup("");
}

static bool is_c_source(const char *name)
{
	size_t n = strlen(name);
	return n > 2 && name[n - 2] == '.' && (name[n - 1] == 'c' || name[n - 1] == 'h');
}

static void scan_tree(const char *root, const char *dir, struct buf *found, int *files)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", root, dir);
	DIR *d = opendir(path);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char rel[2048], full[4096 + 2048];
		snprintf(rel, sizeof(rel), "%s/%s", dir, e->d_name);
		snprintf(full, sizeof(full), "%s/%s", root, rel);
		struct stat st;
		if (stat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			scan_tree(root, rel, found, files);
		} else if (is_c_source(e->d_name)) {
			char *text = read_whole(full);
			scan_text(rel, text, found);
			free(text);
			(*files)++;
		}
	}
	closedir(d);
}

/* The scan finds each copy, with its line, and leaves the home alone. */
static void scan_finds_copies(void **state)
{
	(void)state;
	struct buf found = {0};
	scan_text("src/features/x.c",
		  "a = arena_printf(a, \"/c/%s\", slug);\n"
		  "req_fail(r, 500, \"internal\", N_(\"Something went wrong on our side. Please try again.\"));\n"
		  "h = (h ^ c) * 16777619u;\n",
		  &found);
	buf_putc(&found, '\0');
	assert_string_equal(found.data, "src/features/x.c:2: Something went wrong on our side (use req_fail_internal(r))\n"
					"src/features/x.c:1: \"/c/% (use render/links.h)\n"
					"src/features/x.c:3: 16777619 (use core/hash.h)\n");
	buf_free(&found);
	scan_text("src/core/hash.c", "#define FNV_PRIME 16777619u\n", &found);
	assert_int_equal(found.len, 0);
	buf_free(&found);
}

static void sources_keep_one_place(void **state)
{
	(void)state;
	const char *root = getenv("KRING_SRC");
	if (!root || !*root)
		fail_msg("KRING_SRC is not set: it names the source tree to scan");
	struct buf found = {0};
	int files = 0;
	scan_tree(root, "src", &found, &files);
	assert_true(files > 50);
	if (found.len)
		fprintf(stderr, "copies of what has one place:\n%.*s", (int)found.len, found.data);
	size_t n = found.len;
	buf_free(&found);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scan_finds_copies),
		cmocka_unit_test(sources_keep_one_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
