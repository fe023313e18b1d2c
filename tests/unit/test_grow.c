/* Unit tests of grow: arrays on the heap and in an arena keep every element
 * as they grow, and grow by doubling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "core/arena.h"
#include "core/grow.h"

struct pair {
	int64_t id;
	char tag[12];
};

static void test_heap(void **state)
{
	(void)state;
	struct pair *list = NULL;
	size_t n = 0, cap = 0, grown = 0;
	for (int i = 0; i < 1000; i++) {
		size_t before = cap;
		GROW(list, n, cap);
		if (cap != before) {
			assert_int_equal(cap, before ? before * 2 : GROW_FIRST);
			grown++;
		}
		list[n++] = (struct pair){.id = i * 7, .tag = "x"};
	}
	/* 8, 16, ... 1024: seven doublings after the first. */
	assert_int_equal(grown, 8);
	assert_int_equal(cap, 1024);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(list[i].id, (int64_t)i * 7);
	free(list);
}

static void test_room_only_when_full(void **state)
{
	(void)state;
	int *list = NULL;
	size_t n = 0, cap = 0;
	GROW(list, n, cap);
	int *first = list;
	list[n++] = 1;
	GROW(list, n, cap); /* 1 of 8: no new allocation */
	assert_ptr_equal(list, first);
	assert_int_equal(cap, GROW_FIRST);
	free(list);
}

static void test_arena(void **state)
{
	(void)state;
	struct arena a = {0};
	const char **list = NULL;
	size_t n = 0, cap = 0;
	static const char *const words[] = {"one", "two", "three"};
	for (int i = 0; i < 100; i++) {
		GROW_ARENA(&a, list, n, cap);
		list[n++] = words[i % 3];
	}
	assert_int_equal(cap, 128);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(list[i], words[i % 3]);
	arena_reset(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heap),
		cmocka_unit_test(test_room_only_when_full),
		cmocka_unit_test(test_arena),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
