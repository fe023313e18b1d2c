/* The rules that give a thing one place in the sources (found through
 * KRING_SRC): only http/req.c says "Something went wrong on our side" (the
 * rest call req_fail_internal), only render/links.c spells the site's
 * addresses, only core/hash.c holds the hash's constants and only
 * search/profiles.c orders people by name after a search; only
 * features/audit.c writes to the audit log, and nothing changes or removes
 * an entry of it (the log is append-only); in the HTTP
 * tests, only the harness runs the database's client (psql, sqlite3). A
 * copy elsewhere drifts from the original the day one of them changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "sources.h"

struct rule {
	const char *text, *home, *use;
};

static const struct rule rules[] = {
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
	{"strcmp(x->key, y->key)", "src/search/profiles.c", "search_people's order"},
	{"INSERT INTO audit_log", "src/features/audit.c", "audit_record"},
	/* No home: the audit log is append-only (features/audit.h). */
	{"UPDATE audit_log", "", "nothing: the audit log is append-only"},
	{"DELETE FROM audit_log", "", "nothing: the audit log is append-only"},
	{"TRUNCATE audit_log", "", "nothing: the audit log is append-only"},
};

#define RULES (sizeof(rules) / sizeof(rules[0]))

/* A command line or argument list of the database's clients. */
static const struct rule test_rules[] = {
	{"\"psql", "tests/http/harness.c", "run_sql or sql_rows"},
	{"\"sqlite3", "tests/http/harness.c", "run_sql or sql_rows"},
	{"sqlite3 '", "tests/http/harness.c", "run_sql or sql_rows"},
};

#define TEST_RULES (sizeof(test_rules) / sizeof(test_rules[0]))

/* The rules a scan holds the files to. */
struct scan {
	const struct rule *rules;
	size_t n;
	struct buf found;
};

/* Appends "file:line: text (use ...)" for each rule text in the file's
 * text that is not at home there. */
static void scan_text(const struct rule *list, size_t n, const char *rel, const char *text, struct buf *found)
{
	for (size_t k = 0; k < n; k++) {
		if (strcmp(rel, list[k].home) == 0)
			continue;
		for (const char *p = strstr(text, list[k].text); p; p = strstr(p + 1, list[k].text)) {
			int line = 1;
			for (const char *q = text; q < p; q++)
				line += *q == '\n';
			buf_printf(found, "%s:%d: %s (use %s)\n", rel, line, list[k].text, list[k].use);
		}
	}
}

static void visit(const char *rel, const char *text, void *ctx)
{
	struct scan *scan = ctx;
	scan_text(scan->rules, scan->n, rel, text, &scan->found);
}

/* The scan finds each copy, with its line, and leaves the home alone. */
static void scan_finds_copies(void **state)
{
	(void)state;
	struct buf found = {0};
	scan_text(rules, RULES, "src/features/x.c",
		  "a = arena_printf(a, \"/c/%s\", slug);\n"
		  "req_fail(r, 500, \"internal\", N_(\"Something went wrong on our side. Please try again.\"));\n"
		  "h = (h ^ c) * 16777619u;\n"
		  "db_exec(db, \"DELETE FROM audit_log WHERE id = ?\", DB_ARGS(db_int(id)));\n",
		  &found);
	buf_putc(&found, '\0');
	assert_string_equal(found.data, "src/features/x.c:2: Something went wrong on our side (use req_fail_internal(r))\n"
					"src/features/x.c:1: \"/c/% (use render/links.h)\n"
					"src/features/x.c:3: 16777619 (use core/hash.h)\n"
					"src/features/x.c:4: DELETE FROM audit_log (use nothing: the audit log is append-only)\n");
	buf_free(&found);
	scan_text(rules, RULES, "src/core/hash.c", "#define FNV_PRIME 16777619u\n", &found);
	assert_int_equal(found.len, 0);
	/* a test that runs a client by hand */
	scan_text(test_rules, TEST_RULES, "tests/http/test_x.c",
		  "snprintf(cmd, sizeof cmd, \"psql -q -X '%s' -c '%s'\", s->db, sql);\n"
		  "snprintf(cmd, sizeof cmd, \"command -v sqlite3 >/dev/null && sqlite3 '%s' '%s'\", s->db, sql);\n",
		  &found);
	buf_putc(&found, '\0');
	assert_string_equal(found.data, "tests/http/test_x.c:1: \"psql (use run_sql or sql_rows)\n"
					"tests/http/test_x.c:2: sqlite3 ' (use run_sql or sql_rows)\n");
	buf_free(&found);
}

static void sources_keep_one_place(void **state)
{
	(void)state;
	struct scan scan = {rules, RULES, {0}};
	assert_true(source_visit_src(visit, &scan) > 50);
	size_t n = source_report(&scan.found, "copies of what has one place");
	buf_free(&scan.found);
	assert_int_equal(n, 0);
}

static void http_tests_keep_one_place(void **state)
{
	(void)state;
	struct scan scan = {test_rules, TEST_RULES, {0}};
	assert_true(source_visit("tests/http", visit, &scan) > 20);
	size_t n = source_report(&scan.found, "the database's client run outside the harness");
	buf_free(&scan.found);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scan_finds_copies),
		cmocka_unit_test(sources_keep_one_place),
		cmocka_unit_test(http_tests_keep_one_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
