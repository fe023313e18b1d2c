#include "core/grow.h"

#include "core/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t doubled(size_t cap, size_t size)
{
	size_t next = cap ? cap * 2 : GROW_FIRST;
	if (next < cap || next > SIZE_MAX / size) {
		fputs("kring: an array grew past the address space\n", stderr);
		abort();
	}
	return next;
}

void *grow_heap(void *items, size_t *cap, size_t size)
{
	size_t next = doubled(*cap, size);
	void *grown = xrealloc(items, next * size);
	*cap = next;
	return grown;
}

void *grow_arena(struct arena *a, const void *items, size_t count, size_t *cap, size_t size)
{
	size_t next = doubled(*cap, size);
	void *grown = arena_alloc(a, next * size);
	if (count)
		memcpy(grown, items, count * size);
	*cap = next;
	return grown;
}
