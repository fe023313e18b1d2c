/* arena: a bump allocator for memory that lives as long as one request. */
#ifndef KRING_ARENA_H
#define KRING_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used_total; /* bytes handed out, for tests and diagnostics */
};

/* Every allocation is aligned for any type and never fails: out of memory
 * aborts the process, as no request can continue without it. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* Frees every allocation at once; the arena can be used again afterwards. */
void arena_reset(struct arena *a);

#endif
