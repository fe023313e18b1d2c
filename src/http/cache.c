/* cache: finished answers to GETs (see cache.h). One table of
 * entries under one lock, least recently used evicted first; a hit costs a
 * lookup and a copy. */
#include "http/cache.h"

#include "core/buf.h"
#include "core/mem.h"
#include "core/grow.h"
#include "core/hash.h"
#include "db/db.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BUCKETS 4096
#define MAX_AGE_S 60

/* An entry's age is a duration: measured on the monotonic clock, which
 * neither setting the time nor the test clock moves. */
static int64_t seconds_running(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

struct entry {
	char *key;
	unsigned hash;
	int64_t generation;
	int64_t made; /* seconds_running() */
	char *body;
	size_t len;
	const char *content_type;
	size_t token_len;
	size_t ntokens;
	size_t *token_at; /* where the CSRF token stands in body */
	struct entry *next_in_bucket;
	struct entry *newer, *older; /* the recently-used list */
};

static struct {
	pthread_mutex_t lock;
	size_t max_bytes, bytes;
	struct entry *buckets[BUCKETS];
	struct entry *newest, *oldest;
	uint64_t hits, misses;
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

void cache_init(size_t max_bytes)
{
	cache.max_bytes = max_bytes;
}

bool cache_enabled(void)
{
	return cache.max_bytes > 0;
}

int64_t cache_generation(struct db *db)
{
	struct db_stmt *st = db_query(db, "SELECT generation FROM content_generation WHERE id = 1", DB_NOARGS);
	int rc = db_step(st);
	int64_t generation = rc == DB_ROW ? db_int_col(st, 0) : rc == DB_DONE ? 0 : -1;
	db_done(st);
	return generation;
}

bool cache_invalidate(struct db *db)
{
	return db_exec(db, "INSERT INTO content_generation (id, generation) VALUES (1, 1)"
		    " ON CONFLICT (id) DO UPDATE SET generation = content_generation.generation + 1",
		       DB_NOARGS) >= 0;
}

static size_t entry_size(const struct entry *e)
{
	return sizeof(*e) + strlen(e->key) + 1 + e->len + e->ntokens * sizeof(size_t);
}

static void unlink_recent(struct entry *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else
		cache.newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		cache.oldest = e->newer;
	e->newer = e->older = NULL;
}

static void link_newest(struct entry *e)
{
	e->older = cache.newest;
	e->newer = NULL;
	if (cache.newest)
		cache.newest->newer = e;
	cache.newest = e;
	if (!cache.oldest)
		cache.oldest = e;
}

/* Takes e out of the cache and frees it. Called with the lock held. */
static void drop(struct entry *e)
{
	struct entry **p = &cache.buckets[e->hash % BUCKETS];
	while (*p != e)
		p = &(*p)->next_in_bucket;
	*p = e->next_in_bucket;
	unlink_recent(e);
	cache.bytes -= entry_size(e);
	free(e->key);
	free(e->body);
	free(e->token_at);
	free(e);
}

static struct entry *find(const char *key, unsigned hash)
{
	for (struct entry *e = cache.buckets[hash % BUCKETS]; e; e = e->next_in_bucket)
		if (e->hash == hash && strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

bool cache_lookup(const char *key, int64_t generation, const char *csrf, struct buf *out,
		  const char **content_type)
{
	if (!cache_enabled() || generation < 0)
		return false;
	unsigned hash = hash_str(key);
	size_t csrf_len = csrf ? strlen(csrf) : 0;
	pthread_mutex_lock(&cache.lock);
	struct entry *e = find(key, hash);
	if (e && (e->generation != generation || seconds_running() - e->made > MAX_AGE_S)) {
		drop(e);
		e = NULL;
	}
	bool hit = e && (e->ntokens == 0 || e->token_len == csrf_len);
	cache.hits += hit;
	cache.misses += !hit;
	if (hit) {
		size_t start = out->len;
		buf_append(out, e->body, e->len);
		for (size_t i = 0; i < e->ntokens; i++)
			memcpy(out->data + start + e->token_at[i], csrf, csrf_len);
		*content_type = e->content_type;
		unlink_recent(e);
		link_newest(e);
	}
	pthread_mutex_unlock(&cache.lock);
	return hit;
}

void cache_counts(uint64_t *hits, uint64_t *misses)
{
	pthread_mutex_lock(&cache.lock);
	*hits = cache.hits;
	*misses = cache.misses;
	pthread_mutex_unlock(&cache.lock);
}

bool cache_store(const char *key, int64_t generation, const char *body, size_t len,
		 const char *content_type, const char *csrf)
{
	/* One page may not crowd out the rest. */
	if (!cache_enabled() || generation < 0 || len > cache.max_bytes / 8)
		return false;
	struct entry *e = xcalloc(1, sizeof(*e));
	e->key = xstrdup(key);
	e->hash = hash_str(key);
	e->generation = generation;
	e->made = seconds_running();
	e->body = xmalloc(len ? len : 1);
	memcpy(e->body, body, len);
	e->len = len;
	e->content_type = content_type;
	e->token_len = csrf ? strlen(csrf) : 0;
	size_t cap = 0;
	for (const char *p = body; e->token_len && p < body + len; p += e->token_len) {
		p = memmem(p, (size_t)(body + len - p), csrf, e->token_len);
		if (!p)
			break;
		GROW(e->token_at, e->ntokens, cap);
		e->token_at[e->ntokens++] = (size_t)(p - body);
	}

	pthread_mutex_lock(&cache.lock);
	struct entry *old = find(key, e->hash);
	if (old)
		drop(old);
	e->next_in_bucket = cache.buckets[e->hash % BUCKETS];
	cache.buckets[e->hash % BUCKETS] = e;
	link_newest(e);
	cache.bytes += entry_size(e);
	while (cache.bytes > cache.max_bytes && cache.oldest)
		drop(cache.oldest);
	pthread_mutex_unlock(&cache.lock);
	return true;
}

void cache_free(void)
{
	pthread_mutex_lock(&cache.lock);
	while (cache.oldest)
		drop(cache.oldest);
	pthread_mutex_unlock(&cache.lock);
}
