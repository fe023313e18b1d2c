/*
 * cache: finished answers to GET requests, kept in memory and served again
 * without running the handler or the templates; a member's answers are
 * kept apart from a visitor's (the caller makes the key).
 *
 * An answer is only good while nothing it shows has been written since it
 * was made. Writes are counted by one content generation, a number in the
 * database that every write moves on; a write also records which scopes
 * it changed under the generation it made: an item's thread, a community,
 * what is posted in a community, or everything. A page names the scopes it shows (cache_depends_on) and
 * stays good until one of them changes; a page that names none shows
 * everything and is made anew after any write.
 *
 * Each node keeps the scopes' generations in memory, so a cached answer is
 * checked without a database statement: the node's own writes count the
 * moment they commit, other nodes' writes when the node next reads the
 * changed scopes from the database, which it does for a member's request
 * (so members see their own writes through any node) and at most every
 * CACHE_SYNC_MS for visitors. Answers also expire after a minute, so what a
 * page works out from the clock (a deadline passing) is never older than
 * that.
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

/* How long a visitor's page may show a write made through another node. */
#define CACHE_SYNC_MS 100

/* What a write changes and a page shows. */
enum cache_scope_kind {
	CACHE_SCOPE_ALL,       /* everything (id 0) */
	CACHE_SCOPE_ITEM,      /* a thread: the item with its answers, comments, reactions, files */
	CACHE_SCOPE_COMMUNITY, /* a community itself: its members and their roles */
	CACHE_SCOPE_POSTS,     /* what is posted in a community: its lists */
	CACHE_SCOPE_MEMBER,    /* a member's own pages: what only they see (the count of
				  their notifications, what they follow) */
};

struct cache_scope {
	enum cache_scope_kind kind;
	int64_t id;
};

/* The most scopes a page may name; one that would name more shows
 * everything. A member's page is kept with one more, their own
 * CACHE_SCOPE_MEMBER (cache_store). */
#define CACHE_MAX_SCOPES 4

/* Reads the scopes other nodes (and commands) changed since this node last
 * looked, when asked to or when CACHE_SYNC_MS have passed, and answers the
 * generation a page made now is made under, or -1 when the database could
 * not be read (then nothing is cached or served from the cache). */
int64_t cache_refresh(struct db *db, bool now);

/* Moves the generation on for the scopes, in the write's transaction:
 * pages cached before that show them are stale once it commits
 * (cache_commit). False when the database failed. */
DB_MUST_CHECK bool cache_invalidate_scopes(struct db *db, const struct cache_scope *scopes, size_t n);
/* The same for everything. */
DB_MUST_CHECK bool cache_invalidate(struct db *db);
/* Whether this thread's write has made scopes stale so far: a write that
 * records no event but says what it changed (a member's notifications
 * read) leaves the other pages kept. */
bool cache_changed(void);
/* After the write's transaction committed: this node counts the scopes it
 * changed at once. After a rollback: they are forgotten. Per thread. */
void cache_commit(void);
void cache_rollback(void);

/* Appends the cached answer for key to out, with csrf written where the
 * token stood, and sets *content_type (a static string). False on a miss,
 * or when what it shows was written since it was made. */
bool cache_lookup(const char *key, const char *csrf, struct buf *out, const char **content_type);
/* How many lookups since start were answered from the cache (hits) and
 * how many were not (misses: the page was made); /healthz reports them. */
void cache_counts(uint64_t *hits, uint64_t *misses);
/* Keeps an answer made under generation, showing the scopes (none:
 * everything; at most CACHE_MAX_SCOPES + 1: a member's page adds their
 * own); csrf is the token it carries. False when it is not kept (too
 * large, or the cache is off). */
bool cache_store(const char *key, int64_t generation, const struct cache_scope *scopes, size_t nscopes,
		 const char *body, size_t len, const char *content_type, const char *csrf);

#endif
