/* Unit tests of core/arena: the per-request bump allocator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/arena.h"

#define ALIGN _Alignof(max_align_t)

static void assert_aligned(const void *p)
{
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % ALIGN, 0);
}

static void test_alignment_every_size(void **state)
{
	(void)state;
	struct arena a = {0};
	/* Odd sizes in a row must still give aligned pointers each time. */
	for (size_t n = 0; n < 200; n++) {
		unsigned char *p = arena_alloc(&a, n);
		assert_aligned(p);
		memset(p, 0xAB, n); /* ASan catches a block shorter than asked */
	}
	arena_reset(&a);
}

static void test_alignment_mixed_with_strings(void **state)
{
	(void)state;
	struct arena a = {0};
	for (int i = 0; i < 100; i++) {
		char *s = arena_strdup(&a, "x");
		assert_aligned(s);
		double *d = arena_alloc(&a, sizeof(double));
		assert_aligned(d);
		*d = i;
		long double *ld = arena_alloc(&a, sizeof(long double) * 3);
		assert_aligned(ld);
		ld[2] = i;
	}
	arena_reset(&a);
}

static void test_zalloc_zeroes(void **state)
{
	(void)state;
	struct arena a = {0};
	/* Dirty some memory, reset, then zalloc must hand out zeroes. */
	for (int round = 0; round < 3; round++) {
		unsigned char *p = arena_zalloc(&a, 1000);
		assert_aligned(p);
		for (int i = 0; i < 1000; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xFF, 1000);
		unsigned char *q = arena_zalloc(&a, 37);
		for (int i = 0; i < 37; i++)
			assert_int_equal(q[i], 0);
		memset(q, 0xFF, 37);
	}
	arena_reset(&a);
}

static void test_large_allocations(void **state)
{
	(void)state;
	struct arena a = {0};
	char *small = arena_strdup(&a, "before");
	/* Larger than any plausible chunk size, several times over. */
	size_t sizes[] = {4096, 8192, 16 * 1024, 16 * 1024 + 1, 100000, 1 << 20, 3 * (1 << 20) + 7};
	unsigned char *blocks[sizeof(sizes) / sizeof(sizes[0])];
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		blocks[i] = arena_alloc(&a, sizes[i]);
		assert_aligned(blocks[i]);
		memset(blocks[i], (int)i + 1, sizes[i]);
	}
	char *after = arena_strdup(&a, "after");
	/* Nothing overwrote anything. */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		assert_int_equal(blocks[i][0], i + 1);
		assert_int_equal(blocks[i][sizes[i] - 1], i + 1);
	}
	assert_string_equal(small, "before");
	assert_string_equal(after, "after");
	size_t total = 0;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		total += sizes[i];
	assert_true(a.used_total >= total);
	arena_reset(&a);
	assert_int_equal(a.used_total, 0);
}

static void test_large_then_small_keeps_space(void **state)
{
	(void)state;
	struct arena a = {0};
	char *s1 = arena_strdup(&a, "one");
	unsigned char *big = arena_alloc(&a, 10000);
	memset(big, 1, 10000);
	char *s2 = arena_strdup(&a, "two");
	unsigned char *big2 = arena_alloc(&a, 200000);
	memset(big2, 2, 200000);
	char *s3 = arena_strdup(&a, "three");
	assert_string_equal(s1, "one");
	assert_string_equal(s2, "two");
	assert_string_equal(s3, "three");
	assert_int_equal(big[9999], 1);
	assert_int_equal(big2[199999], 2);
	arena_reset(&a);
}

static void test_strdup_strndup(void **state)
{
	(void)state;
	struct arena a = {0};
	const char *src = "hello, world";
	char *d = arena_strdup(&a, src);
	assert_string_equal(d, src);
	assert_ptr_not_equal(d, src);
	assert_string_equal(arena_strdup(&a, ""), "");
	char *n = arena_strndup(&a, src, 5);
	assert_string_equal(n, "hello");
	assert_string_equal(arena_strndup(&a, src, 0), "");
	/* strndup copies exactly n bytes even from a buffer without NUL. */
	char raw[4] = {'a', 'b', 'c', 'd'};
	assert_string_equal(arena_strndup(&a, raw, 4), "abcd");
	/* UTF-8 passes through byte for byte. */
	assert_string_equal(arena_strdup(&a, "Välkommen ✓"), "Välkommen ✓");
	arena_reset(&a);
}

static char *call_vprintf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

static void test_printf(void **state)
{
	(void)state;
	struct arena a = {0};
	assert_string_equal(arena_printf(&a, "%d-%s-%c", 42, "x", 'y'), "42-x-y");
	assert_string_equal(arena_printf(&a, "%s", ""), "");
	assert_string_equal(arena_printf(&a, "%05.1f|%lld", 3.14159, (long long)-9000000000LL),
			    "003.1|-9000000000");
	assert_string_equal(call_vprintf(&a, "%s/%s", "a", "b"), "a/b");
	/* A result longer than a chunk. */
	char big[70000];
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	char *p = arena_printf(&a, "<%s>", big);
	assert_aligned(p);
	assert_int_equal(strlen(p), sizeof(big) + 1);
	assert_int_equal(p[0], '<');
	assert_int_equal(p[1], 'q');
	assert_int_equal(p[sizeof(big)], '>');
	arena_reset(&a);
}

static void test_reset_and_reuse(void **state)
{
	(void)state;
	struct arena a = {0};
	for (int round = 0; round < 5; round++) {
		assert_int_equal(a.used_total, 0);
		char *prev = NULL;
		for (int i = 0; i < 500; i++) {
			char *s = arena_printf(&a, "round %d item %d", round, i);
			assert_aligned(s);
			if (prev)
				assert_ptr_not_equal(s, prev);
			prev = s;
		}
		assert_true(a.used_total > 0);
		arena_reset(&a);
		assert_null(a.head);
		assert_int_equal(a.used_total, 0);
	}
	/* Reset of an empty arena is harmless, twice. */
	arena_reset(&a);
	arena_reset(&a);
	char *s = arena_strdup(&a, "again");
	assert_string_equal(s, "again");
	arena_reset(&a);
}

static void test_used_total_counts(void **state)
{
	(void)state;
	struct arena a = {0};
	arena_alloc(&a, 1);
	size_t after_one = a.used_total;
	assert_true(after_one >= 1);
	arena_alloc(&a, 100);
	assert_true(a.used_total >= after_one + 100);
	arena_reset(&a);
}

static void test_many_allocations(void **state)
{
	(void)state;
	struct arena a = {0};
	enum { N = 20000 };
	static int *ptrs[N];
	for (int i = 0; i < N; i++) {
		size_t n = (size_t)(i % 13 + 1) * sizeof(int);
		ptrs[i] = arena_alloc(&a, n);
		assert_aligned(ptrs[i]);
		size_t k = n / sizeof(int);
		for (size_t j = 0; j < k; j++)
			ptrs[i][j] = i;
	}
	/* Every block still holds what was written: no overlap. */
	for (int i = 0; i < N; i++) {
		size_t k = (size_t)(i % 13 + 1);
		assert_int_equal(ptrs[i][0], i);
		assert_int_equal(ptrs[i][k - 1], i);
	}
	arena_reset(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alignment_every_size),
		cmocka_unit_test(test_alignment_mixed_with_strings),
		cmocka_unit_test(test_zalloc_zeroes),
		cmocka_unit_test(test_large_allocations),
		cmocka_unit_test(test_large_then_small_keeps_space),
		cmocka_unit_test(test_strdup_strndup),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_reset_and_reuse),
		cmocka_unit_test(test_used_total_counts),
		cmocka_unit_test(test_many_allocations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
