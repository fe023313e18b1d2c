/* mem: allocation that never returns NULL (see mem.h). */
#include "core/mem.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *or_abort(void *p, size_t n)
{
	if (!p) {
		fprintf(stderr, "kring: out of memory (allocating %zu bytes)\n", n);
		abort();
	}
	return p;
}

/* A size of 0 asks for one byte, so that a NULL always means out of memory. */
void *xmalloc(size_t n)
{
	return or_abort(malloc(n ? n : 1), n);
}

void *xcalloc(size_t count, size_t size)
{
	if (count == 0 || size == 0)
		count = size = 1;
	size_t n;
	if (__builtin_mul_overflow(count, size, &n))
		n = SIZE_MAX;
	return or_abort(calloc(count, size), n);
}

void *xrealloc(void *p, size_t n)
{
	return or_abort(realloc(p, n ? n : 1), n);
}

char *xstrndup(const char *s, size_t n)
{
	return or_abort(strndup(s, n), n + 1);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* Each JSON allocation starts with a header that says how it was made, so
 * that freeing it does the right thing on any thread at any time; 16 bytes
 * keep what follows aligned for any type. */
#define JSON_HEADER 16
enum { JSON_FROM_HEAP, JSON_FROM_ARENA };

static _Thread_local struct {
	void *(*alloc)(void *ctx, size_t n);
	void *ctx;
} json_source;

void mem_json_from(void *(*alloc)(void *ctx, size_t n), void *ctx)
{
	json_source.alloc = alloc;
	json_source.ctx = ctx;
}

static void *json_malloc(size_t n)
{
	if (n > SIZE_MAX - JSON_HEADER)
		or_abort(NULL, n);
	unsigned char *p;
	if (json_source.alloc) {
		p = json_source.alloc(json_source.ctx, n + JSON_HEADER);
		p[0] = JSON_FROM_ARENA;
	} else {
		p = xmalloc(n + JSON_HEADER);
		p[0] = JSON_FROM_HEAP;
	}
	return p + JSON_HEADER;
}

static void json_free(void *v)
{
	if (!v)
		return;
	unsigned char *p = (unsigned char *)v - JSON_HEADER;
	if (p[0] == JSON_FROM_HEAP)
		free(p);
}

void json_text_free(char *text)
{
	json_free(text);
}

json_t *json_checked_text(const char *s)
{
	return json_stringn_nocheck(s, strlen(s));
}

/* Runs before main in every program that links this module — the server,
 * the unit tests, the fuzz harnesses — so none can forget it and no JSON
 * value is allocated before it. */
__attribute__((constructor)) static void json_allocates_through_mem(void)
{
	json_set_alloc_funcs(json_malloc, json_free);
}
