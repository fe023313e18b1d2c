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

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "sources.h"

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

/* A call that reads the wall clock. */
static const struct source_word wall_clock[] = {
	{"time", true},           {"gettimeofday", true}, {"ftime", true},
	{"timespec_get", true},   {"CLOCK_REALTIME", false}, {"CLOCK_REALTIME_COARSE", false},
	{"CLOCK_TAI", false},
};
static const struct source_word clock_now_call = {"clock_now", true};

/* Appends "rel:line: what" to found for every wall-clock call in text, and
 * for every clock_now() call unless clock_now_allowed. */
static void scan_text(const char *rel, const char *text, bool clock_now_allowed, struct buf *found)
{
	source_find_words(rel, text, wall_clock, sizeof(wall_clock) / sizeof(wall_clock[0]), found);
	if (!clock_now_allowed)
		source_find_words(rel, text, &clock_now_call, 1, found);
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

static void scan_file(const char *rel, const char *text, void *found)
{
	if (strcmp(rel, "src/core/clock.c") != 0 && strcmp(rel, "src/core/clock.h") != 0)
		scan_text(rel, text, reads_clock(rel), found);
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
	struct buf found = {0};
	int files = source_visit_src(scan_file, &found);
	/* The tree was there: main.c, the modules. */
	assert_true(files > 50);
	size_t calls = source_report(&found, "the wall clock is read outside core/clock.c, or clock_now() where "
					     "no request, job run or command starts (use r->now or a now argument)");
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
