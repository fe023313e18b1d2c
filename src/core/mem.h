/* mem: the one allocation rule. Allocation never returns NULL to a caller:
 * out of memory prints one line and aborts the process, as no request,
 * job or command can go on without the memory it asked for (the arena and
 * buf follow the same rule). Every allocation in src/ goes through here
 * (tests/unit/test_mem.c fails on a raw malloc, calloc, realloc, strdup or
 * strndup elsewhere), and so does jansson's: a program that links this
 * module has jansson allocate with xmalloc from its start, so a JSON value
 * is never a NULL that a caller dereferences.
 *
 * Memory that lives only as long as one request is better taken from the
 * request's arena (core/arena.h), which frees it all at the end. */
#ifndef KRING_MEM_H
#define KRING_MEM_H

#include <stddef.h>

void *xmalloc(size_t n) __attribute__((malloc, returns_nonnull));
/* Zeroed; count * size overflowing aborts too. */
void *xcalloc(size_t count, size_t size) __attribute__((malloc, returns_nonnull));
void *xrealloc(void *p, size_t n) __attribute__((returns_nonnull));
char *xstrdup(const char *s) __attribute__((malloc, returns_nonnull, nonnull));
char *xstrndup(const char *s, size_t n) __attribute__((malloc, returns_nonnull, nonnull));

/* Where this thread's JSON values come from: with alloc set, every value
 * (and json_dumps' text) made from now on is taken from alloc(ctx, n) and
 * freeing it frees nothing, so a request's view model is made in the
 * request's arena and goes with it; with NULL, from the heap again. A
 * value is freed the way it was made, whatever is set then. */
void mem_json_from(void *(*alloc)(void *ctx, size_t n), void *ctx);
/* Frees the text json_dumps returned: it is made the way values are. */
void json_text_free(char *text);
/* A JSON string of text that is valid UTF-8 already (read from the
 * database, which holds only what was checked where it came in), without
 * checking it again. */
struct json_t *json_checked_text(const char *s);

#endif
