/*
 * cache: finished answers to GET requests, kept in memory and served again
 * without running the handler or the templates; a member's answers are
 * kept apart from a visitor's (the caller makes the key).
 *
 * An answer is only good while nothing has been written since it was made:
 * every write moves the content generation on (a number in the database,
 * so every node sees writes made through the others), and an answer made
 * under an older generation is made anew. Answers also expire after a
 * minute, so what a page works out from the clock (a deadline passing)
 * is never older than that.
 *
 * A page carries the asker's own CSRF token in its forms (a visitor's, or
 * the member's session's). The cache remembers where the token stood and
 * writes the asker's token there (tokens all have the same length).
 */
#ifndef KRING_CACHE_H
#define KRING_CACHE_H

#include "db/db.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct db;

/* Sets the memory the cache may use; 0 turns it off. Not thread-safe: call
 * before serving. */
void cache_init(size_t max_bytes);
void cache_free(void);
bool cache_enabled(void);

/* The content generation, or -1 when it cannot be read (then nothing is
 * cached or served from the cache). */
int64_t cache_generation(struct db *db);
/* Moves the generation on: what was cached is stale. Called in the write's
 * transaction (or after it committed); false when the database failed. */
DB_MUST_CHECK bool cache_invalidate(struct db *db);

/* Appends the cached answer for key to out, with csrf written where the
 * token stood, and sets *content_type (a static string). False on a miss. */
bool cache_lookup(const char *key, int64_t generation, const char *csrf, struct buf *out,
		  const char **content_type);
/* How many lookups since start were answered from the cache (hits) and
 * how many were not (misses: the page was made); /healthz reports them. */
void cache_counts(uint64_t *hits, uint64_t *misses);
/* Keeps an answer made under generation; csrf is the token it carries.
 * False when it is not kept (too large, or the cache is off). */
bool cache_store(const char *key, int64_t generation, const char *body, size_t len,
		 const char *content_type, const char *csrf);

#endif
