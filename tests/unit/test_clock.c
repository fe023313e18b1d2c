/* Unit tests of core/clock, and the rule that it is the only wall clock:
 * the sources under src/ (found through KRING_SRC) call no time(),
 * gettimeofday() or CLOCK_REALTIME outside src/core/clock.c, and read
 * clock_now() only where a request, a job run or a command starts — the
 * rest use the time read there (r->now, a now argument). Monotonic clocks,
 * which measure durations, are not wall clocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"

/* ---- the clock --------------------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void file_clock_is_read_at_each_call(void **state)
{
	(void)state;
	char path[] = "/tmp/kring-clock-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_file(path, "1800000000\n");
	clock_use_file(path);
	assert_int_equal(clock_now(), 1800000000);
	write_file(path, "1800003600\n");
	assert_int_equal(clock_now(), 1800003600);
	/* A file without a number, or none at all: the system clock. */
	write_file(path, "soon\n");
	int64_t before = (int64_t)time(NULL);
	int64_t t = clock_now();
	assert_true(t >= before && t <= (int64_t)time(NULL));
	unlink(path);
	t = clock_now();
	assert_true(t >= before && t <= (int64_t)time(NULL));
	clock_use_file(NULL);
	t = clock_now();
	assert_true(t >= before && t <= (int64_t)time(NULL));
}

/* ---- the scan of the sources ------------------------------------------------ */

/* The text of a C file with comments and string and character literals
 * blanked (newlines kept, so lines still count), so that only code is
 * searched. */
static char *code_of(const char *text)
{
	size_t n = strlen(text);
	char *out = malloc(n + 1);
	assert_non_null(out);
	enum { CODE, LINE_COMMENT, BLOCK_COMMENT, STRING, CHAR } in = CODE;
	for (size_t i = 0; i < n; i++) {
		char c = text[i], next = text[i + 1];
		out[i] = in == CODE || c == '\n' ? c : ' ';
		switch (in) {
		case CODE:
			if (c == '/' && next == '/')
				in = LINE_COMMENT;
			else if (c == '/' && next == '*')
				in = BLOCK_COMMENT;
			else if (c == '"')
				in = STRING;
			else if (c == '\'')
				in = CHAR;
			if (in != CODE)
				out[i] = ' ';
			break;
		case LINE_COMMENT:
			if (c == '\n')
				in = CODE;
			break;
		case BLOCK_COMMENT:
			if (c == '*' && next == '/') {
				out[++i] = ' ';
				in = CODE;
			}
			break;
		case STRING:
		case CHAR:
			if (c == '\\' && next) {
				out[++i] = next == '\n' ? '\n' : ' ';
			} else if ((in == STRING && c == '"') || (in == CHAR && c == '\'')) {
				in = CODE;
			} else if (c == '\n') {
				in = CODE; /* not C; do not blank the rest of the file */
			}
			break;
		}
	}
	out[n] = '\0';
	return out;
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Whether the code at p is the name as a whole word; with call, followed by
 * an opening parenthesis. */
static bool word_at(const char *code, const char *p, const char *name, bool call)
{
	size_t len = strlen(name);
	if (strncmp(p, name, len) != 0 || (p > code && ident_char(p[-1])) || ident_char(p[len]))
		return false;
	if (!call)
		return true;
	const char *q = p + len;
	while (*q == ' ' || *q == '\t' || *q == '\n')
		q++;
	return *q == '(';
}

/* A call that reads the wall clock. */
static const struct {
	const char *name;
	bool call;
} wall_clock[] = {
	{"time", true},           {"gettimeofday", true}, {"ftime", true},
	{"timespec_get", true},   {"CLOCK_REALTIME", false}, {"CLOCK_REALTIME_COARSE", false},
	{"CLOCK_TAI", false},
};

/* Appends "rel:line: what" to found for every wall-clock call in text, and
 * for every clock_now() call unless clock_now_allowed. */
static void scan_text(const char *rel, const char *text, bool clock_now_allowed, struct buf *found)
{
	char *code = code_of(text);
	int line = 1;
	for (const char *p = code; *p; p++) {
		if (*p == '\n') {
			line++;
			continue;
		}
		for (size_t i = 0; i < sizeof(wall_clock) / sizeof(wall_clock[0]); i++)
			if (word_at(code, p, wall_clock[i].name, wall_clock[i].call))
				buf_printf(found, "%s:%d: %s\n", rel, line, wall_clock[i].name);
		if (!clock_now_allowed && word_at(code, p, "clock_now", true))
			buf_printf(found, "%s:%d: clock_now\n", rel, line);
	}
	free(code);
}

/* Where the time is read: the request's dispatch, a jobs worker's run, a
 * command's start (and the migrations it applies). */
static const char *const clock_readers[] = {
	"src/http/server.c", "src/jobs/jobs.c", "src/main.c", "src/db/migrate.c",
};

static bool reads_clock(const char *rel)
{
	for (size_t i = 0; i < sizeof(clock_readers) / sizeof(clock_readers[0]); i++)
		if (strcmp(rel, clock_readers[i]) == 0)
			return true;
	return false;
}

static char *read_whole(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct buf b = {0};
	assert_true(buf_read_file(&b, f));
	fclose(f);
	return buf_take(&b);
}

static bool is_c_source(const char *name)
{
	size_t n = strlen(name);
	return n > 2 && name[n - 2] == '.' && (name[n - 1] == 'c' || name[n - 1] == 'h');
}

/* Scans every .c and .h file under dir (relative to root); counts them. */
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
		} else if (is_c_source(e->d_name) && strcmp(rel, "src/core/clock.c") != 0 &&
			   strcmp(rel, "src/core/clock.h") != 0) {
			char *text = read_whole(full);
			scan_text(rel, text, reads_clock(rel), found);
			free(text);
			(*files)++;
		}
	}
	closedir(d);
}

/* The scan finds what it must and nothing else. */
static void scan_tells_calls_from_the_rest(void **state)
{
	(void)state;
	struct buf found = {0};
	scan_text("a.c",
		  "/* time(NULL) in a comment */\n"
		  "int64_t t = time(NULL);\n"
		  "puts(\"time(NULL) in a string\"); // time(NULL)\n"
		  "x = runtime(1) + time_of(2) + r->now + c.started_time;\n"
		  "clock_gettime(CLOCK_MONOTONIC, &ts);\n"
		  "clock_gettime(CLOCK_REALTIME, &ts); gettimeofday (&tv, NULL);\n"
		  "char q = '\"'; t = time\n(&t);\n"
		  "int64_t now = clock_now();\n",
		  false, &found);
	buf_putc(&found, '\0');
	assert_string_equal(found.data, "a.c:2: time\n"
					"a.c:6: CLOCK_REALTIME\n"
					"a.c:6: gettimeofday\n"
					"a.c:7: time\n"
					"a.c:9: clock_now\n");
	buf_free(&found);
	scan_text("server.c", "r->now = clock_now();\n", true, &found);
	assert_int_equal(found.len, 0);
	buf_free(&found);
}

static void sources_read_one_clock(void **state)
{
	(void)state;
	const char *root = getenv("KRING_SRC");
	if (!root || !*root)
		fail_msg("KRING_SRC is not set: it names the source tree to scan");
	struct buf found = {0};
	int files = 0;
	scan_tree(root, "src", &found, &files);
	/* The tree was there: main.c, the modules. */
	assert_true(files > 50);
	size_t calls = 0;
	for (size_t i = 0; i < found.len; i++)
		calls += found.data[i] == '\n';
	if (calls)
		fprintf(stderr, "the wall clock is read outside core/clock.c, or clock_now() where no request, "
				"job run or command starts (use r->now or a now argument):\n%.*s",
			(int)found.len, found.data);
	buf_free(&found);
	assert_int_equal(calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(file_clock_is_read_at_each_call),
		cmocka_unit_test(scan_tells_calls_from_the_rest),
		cmocka_unit_test(sources_read_one_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
