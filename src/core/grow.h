/* grow: the one way an array grows. An array is a pointer, a count and a
 * capacity (size_t, 0 with a NULL pointer to begin with); before an element
 * is added at items[count], GROW makes room for it, doubling the capacity
 * (from GROW_FIRST) when the array is full. Allocation never fails to the
 * caller: out of memory ends the process, as the arena does.
 *
 *	GROW(list, n, cap);                  malloc'd; free(list) when done
 *	list[n++] = value;
 *	GROW_ARENA(&r->arena, list, n, cap); in the arena, freed with it
 */
#ifndef KRING_GROW_H
#define KRING_GROW_H

#include <stddef.h>

#include "core/arena.h"

#define GROW_FIRST 8

/* items (malloc'd, or NULL) with its capacity doubled into *cap. */
void *grow_heap(void *items, size_t *cap, size_t size);
/* A copy of the count elements of items in the arena, with room for twice
 * *cap (now in *cap); the old copy stays in the arena until it is reset. */
void *grow_arena(struct arena *a, const void *items, size_t count, size_t *cap, size_t size);

#define GROW(items, count, cap)                                                \
	do {                                                                   \
		if ((count) == (cap))                                          \
			(items) = grow_heap((items), &(cap), sizeof(*(items))); \
	} while (0)

#define GROW_ARENA(arena, items, count, cap)                                                \
	do {                                                                                \
		if ((count) == (cap))                                                       \
			(items) = grow_arena((arena), (items), (count), &(cap), sizeof(*(items))); \
	} while (0)

#endif
