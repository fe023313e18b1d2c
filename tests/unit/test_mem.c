/* Unit tests of core/mem, and the rule that it is the only allocator: the
 * sources under src/ (found through KRING_SRC) call no malloc, calloc,
 * realloc, strdup or strndup outside src/core/mem.c, and jansson allocates
 * through it, so no allocation anywhere hands a NULL to its caller. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/arena.h"
#include "core/mem.h"
#include "sources.h"

/* Under AddressSanitizer an allocation too large for it returns NULL, as
 * malloc does without it, instead of ending the program in its own way:
 * out of memory must reach core/mem's check. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static void allocations_hold_what_they_were_given(void **state)
{
	(void)state;
	char *p = xmalloc(0);
	free(p);
	int *zeros = xcalloc(16, sizeof(*zeros));
	for (int i = 0; i < 16; i++)
		assert_int_equal(zeros[i], 0);
	zeros[15] = 7;
	zeros = xrealloc(zeros, 1024 * sizeof(*zeros));
	assert_int_equal(zeros[15], 7);
	free(zeros);
	char *s = xstrdup("kring");
	assert_string_equal(s, "kring");
	free(s);
	s = xstrndup("kring", 2);
	assert_string_equal(s, "kr");
	free(s);
	s = xstrndup("k", 8);
	assert_string_equal(s, "k");
	free(s);
}

/* Runs allocate in a child with stderr into a pipe; the child must abort
 * with core/mem's one line. */
static void assert_aborts_out_of_memory(void (*allocate)(void))
{
	int out[2];
	assert_int_equal(pipe(out), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(out[1], 2);
		allocate();
		_exit(0); /* it came back: the test fails on the status */
	}
	close(out[1]);
	char said[512] = "";
	size_t n = 0;
	ssize_t got;
	while (n < sizeof(said) - 1 && (got = read(out[0], said + n, sizeof(said) - 1 - n)) > 0)
		n += (size_t)got;
	said[n] = '\0';
	close(out[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
		fail_msg("the allocation did not abort; it said: %s", said);
	assert_non_null(strstr(said, "kring: out of memory"));
}

static void allocate_too_much(void)
{
	free(xmalloc(SIZE_MAX / 2));
}

static void calloc_too_much(void)
{
	free(xcalloc(SIZE_MAX / 4, 8)); /* the product overflows */
}

static void realloc_too_much(void)
{
	free(xrealloc(xmalloc(16), SIZE_MAX / 2));
}

static void json_too_much(void)
{
	/* jansson copies the string: one allocation of the whole length. */
	json_decref(json_stringn_nocheck("", SIZE_MAX / 2));
}

static void out_of_memory_aborts(void **state)
{
	(void)state;
	assert_aborts_out_of_memory(allocate_too_much);
	assert_aborts_out_of_memory(calloc_too_much);
	assert_aborts_out_of_memory(realloc_too_much);
	assert_aborts_out_of_memory(json_too_much);
}

static void *take_from_arena(void *arena, size_t n)
{
	return arena_alloc(arena, n);
}

/* jansson allocates through mem: from the heap, or from the arena the
 * thread names; a value is freed the way it was made, whatever is set
 * when it is freed (the sanitizers see a wrong free). */
static void jansson_allocates_through_mem(void **state)
{
	(void)state;
	json_t *on_heap = json_string("made on the heap");
	struct arena a = {0};
	mem_json_from(take_from_arena, &a);
	json_t *in_arena = json_pack("{s:s, s:[i, i]}", "made", "in the arena", "list", 1, 2);
	char *text = json_dumps(in_arena, JSON_COMPACT);
	size_t used = a.used_total;
	assert_true(used > 0);
	json_decref(on_heap);
	mem_json_from(NULL, NULL);
	json_t *heap_again = json_string("on the heap again");
	assert_int_equal(a.used_total, used);
	assert_string_equal(text, "{\"made\":\"in the arena\",\"list\":[1,2]}");
	json_text_free(text);
	json_decref(in_arena);
	json_decref(heap_again);
	arena_reset(&a);
}

/* ---- the scan of the sources ------------------------------------------------ */

/* The C library's calls that allocate and can return NULL (or fail). */
static const struct source_word raw_allocators[] = {
	{"malloc", true},  {"calloc", true},  {"realloc", true},  {"reallocarray", true}, {"strdup", true},
	{"strndup", true}, {"asprintf", true}, {"vasprintf", true}, {"aligned_alloc", true},
};
#define NRAW (sizeof(raw_allocators) / sizeof(raw_allocators[0]))

static void scan_file(const char *rel, const char *text, void *found)
{
	if (strcmp(rel, "src/core/mem.c") != 0)
		source_find_words(rel, text, raw_allocators, NRAW, found);
}

/* The scan finds what it must and nothing else. */
static void scan_tells_calls_from_the_rest(void **state)
{
	(void)state;
	struct buf found = {0};
	source_find_words("a.c",
			  "/* malloc(1) in a comment */\n"
			  "char *s = strdup(t);\n"
			  "puts(\"calloc(1, 2)\"); // realloc(p, 2)\n"
			  "p = xmalloc(1); q = arena_strdup(a, s); r = xstrndup(s, 2); my_malloc(3);\n"
			  "p = realloc (p,\n"
			  "2); void *(*alloc)(size_t) = malloc;\n"
			  "q = strndup\n(s, 2);\n",
			  raw_allocators, NRAW, &found);
	buf_putc(&found, '\0');
	assert_string_equal(found.data, "a.c:2: strdup\n"
					"a.c:5: realloc\n"
					"a.c:7: strndup\n");
	buf_free(&found);
}

static void sources_allocate_through_mem(void **state)
{
	(void)state;
	struct buf found = {0};
	int files = source_visit_src(scan_file, &found);
	/* The tree was there: main.c, the modules. */
	assert_true(files > 50);
	size_t calls = source_report(&found, "memory is allocated outside core/mem.c (use xmalloc, xcalloc, "
					     "xrealloc, xstrdup or xstrndup, or the request's arena)");
	buf_free(&found);
	assert_int_equal(calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allocations_hold_what_they_were_given),
		cmocka_unit_test(out_of_memory_aborts),
		cmocka_unit_test(jansson_allocates_through_mem),
		cmocka_unit_test(scan_tells_calls_from_the_rest),
		cmocka_unit_test(sources_allocate_through_mem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
