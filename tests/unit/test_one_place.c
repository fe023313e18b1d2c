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

#include <string.h>

#include "core/buf.h"
#include "sources.h"

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

static void visit(const char *rel, const char *text, void *found)
{
	scan_text(rel, text, found);
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
	struct buf found = {0};
	assert_true(source_visit_src(visit, &found) > 50);
	size_t n = source_report(&found, "copies of what has one place");
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
