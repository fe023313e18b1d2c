/* cache: finished answers to GETs (see cache.h). One table of
 * entries under one lock, least recently used evicted first; a hit costs a
 * lookup, a check of the scopes it shows and a copy. */
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
/* The scopes a node remembers; past that it forgets them all and treats
 * everything as changed (one round of pages made anew). */
#define SCOPE_SLOTS (1u << 18)
/* The scopes one thread's write may change before it commits; a write
 * that changes more has them counted by the next read of the database. */
#define PENDING_MAX 32

/* An entry's age is a duration: measured on the monotonic clock, which
 * neither setting the time nor the test clock moves. */
static int64_t seconds_running(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static int64_t ms_running(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct entry {
	char *key;
	unsigned hash;
	int64_t generation;
	int64_t made; /* seconds_running() */
	struct cache_scope scopes[CACHE_MAX_SCOPES + 1];
	size_t nscopes; /* 0: it shows everything */
	char *body;
	size_t len;
	const char *content_type;
	size_t token_len;
	size_t ntokens;
	size_t *token_at; /* where the CSRF token stands in body */
	struct entry *next_in_bucket;
	struct entry *newer, *older; /* the recently-used list */
};

/* A scope's last change this node knows of. key 0 is a free slot. */
struct scope_slot {
	uint64_t key;
	int64_t generation;
};

static struct {
	pthread_mutex_t lock;
	size_t max_bytes, bytes;
	struct entry *buckets[BUCKETS];
	struct entry *newest, *oldest;

	bool started;           /* the generation was read once */
	int64_t seen;           /* the newest generation known committed */
	int64_t everything;     /* the last write that changed everything */
	int64_t read_upto;      /* scopes changed after this are read from the database */
	int64_t read_at_ms;     /* when they were last read (ms_running) */
	struct scope_slot *slots; /* SCOPE_SLOTS of them, made on first use */
	size_t used_slots;
	uint64_t hits, misses; /* lookups, for /healthz */
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* What this thread's open write changed, counted when it commits. */
static _Thread_local struct {
	struct cache_scope scopes[PENDING_MAX];
	int64_t generations[PENDING_MAX];
	size_t n;
} pending;

void cache_init(size_t max_bytes)
{
	cache.max_bytes = max_bytes;
}

bool cache_enabled(void)
{
	return cache.max_bytes > 0;
}

static const char *const scope_kind_names[] = {
	[CACHE_SCOPE_ALL] = "all",
	[CACHE_SCOPE_ITEM] = "item",
	[CACHE_SCOPE_COMMUNITY] = "community",
	[CACHE_SCOPE_POSTS] = "posts",
	[CACHE_SCOPE_MEMBER] = "member",
};
#define SCOPE_KINDS (sizeof(scope_kind_names) / sizeof(scope_kind_names[0]))

static uint64_t scope_key(struct cache_scope s)
{
	return ((uint64_t)(s.kind + 1) << 56) | ((uint64_t)s.id & ((UINT64_C(1) << 56) - 1));
}

static struct scope_slot *scope_slot(uint64_t key)
{
	size_t i = (size_t)(key * UINT64_C(0x9E3779B97F4A7C15) >> 40) & (SCOPE_SLOTS - 1);
	while (cache.slots[i].key && cache.slots[i].key != key)
		i = (i + 1) & (SCOPE_SLOTS - 1);
	return &cache.slots[i];
}

/* The generation of the last change of s this node knows of. Called with
 * the lock held. */
static int64_t scope_generation(struct cache_scope s)
{
	if (!cache.slots)
		return 0;
	return scope_slot(scope_key(s))->generation;
}

/* Counts a committed change of s. Called with the lock held. */
static void scope_changed(struct cache_scope s, int64_t generation)
{
	if (generation > cache.seen)
		cache.seen = generation;
	if (s.kind == CACHE_SCOPE_ALL) {
		if (generation > cache.everything)
			cache.everything = generation;
		return;
	}
	if (!cache.slots)
		cache.slots = xcalloc(SCOPE_SLOTS, sizeof(*cache.slots));
	if (cache.used_slots >= SCOPE_SLOTS / 2) {
		memset(cache.slots, 0, SCOPE_SLOTS * sizeof(*cache.slots));
		cache.used_slots = 0;
		cache.everything = cache.seen;
		return;
	}
	struct scope_slot *slot = scope_slot(scope_key(s));
	if (!slot->key) {
		slot->key = scope_key(s);
		cache.used_slots++;
	}
	if (generation > slot->generation)
		slot->generation = generation;
}

/* Reads what changed after cache.read_upto from the database and counts
 * it. The rows are gathered before the lock is taken: a slow database
 * holds up no other request's lookup. */
static bool read_changes(struct db *db, int64_t after)
{
	struct changed {
		struct cache_scope scope;
		int64_t generation;
	} *rows = NULL;
	size_t n = 0, cap = 0;
	/* The generation moved on by hand (docs/permissions.md), with no
	 * scope of its own, counts as everything. */
	struct db_stmt *st = db_query(db,
				      "SELECT kind, id, generation FROM page_scopes WHERE generation > ?"
				      " UNION ALL SELECT 'all', 0, generation FROM content_generation"
				      " WHERE id = 1 AND generation > ?"
				      " AND generation > (SELECT COALESCE(MAX(generation), 0) FROM page_scopes)",
				      DB_ARGS(db_int(after), db_int(after)));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *kind = db_text_col(st, 0);
		size_t k = 0;
		while (k < SCOPE_KINDS && strcmp(scope_kind_names[k], kind) != 0)
			k++;
		GROW(rows, n, cap);
		/* A kind this node does not know (a newer node wrote it) counts
		 * as everything. */
		rows[n].scope = k < SCOPE_KINDS ? (struct cache_scope){k, db_int_col(st, 1)}
						: (struct cache_scope){CACHE_SCOPE_ALL, 0};
		rows[n++].generation = db_int_col(st, 2);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(rows);
		return false;
	}
	pthread_mutex_lock(&cache.lock);
	for (size_t i = 0; i < n; i++) {
		scope_changed(rows[i].scope, rows[i].generation);
		if (rows[i].generation > cache.read_upto)
			cache.read_upto = rows[i].generation;
	}
	pthread_mutex_unlock(&cache.lock);
	free(rows);
	return true;
}

int64_t cache_refresh(struct db *db, bool now)
{
	int64_t t = ms_running();
	pthread_mutex_lock(&cache.lock);
	bool started = cache.started;
	bool due = now || !started || t - cache.read_at_ms >= CACHE_SYNC_MS;
	int64_t after = cache.read_upto, seen = cache.seen;
	if (due)
		cache.read_at_ms = t; /* one visitor's request reads for all */
	pthread_mutex_unlock(&cache.lock);
	if (!due)
		return seen;
	if (!started) {
		/* What was written before this node started shows in every page
		 * it makes: only later changes count. */
		struct db_stmt *st =
			db_query(db, "SELECT generation FROM content_generation WHERE id = 1", DB_NOARGS);
		int rc = db_step(st);
		int64_t generation = rc == DB_ROW ? db_int_col(st, 0) : 0;
		db_done(st);
		if (rc != DB_ROW && rc != DB_DONE)
			return -1;
		pthread_mutex_lock(&cache.lock);
		if (!cache.started) {
			cache.started = true;
			cache.seen = cache.everything = cache.read_upto = generation;
		}
		seen = cache.seen;
		pthread_mutex_unlock(&cache.lock);
		return seen;
	}
	if (!read_changes(db, after))
		return -1;
	pthread_mutex_lock(&cache.lock);
	seen = cache.seen;
	pthread_mutex_unlock(&cache.lock);
	return seen;
}

bool cache_invalidate_scopes(struct db *db, const struct cache_scope *scopes, size_t n)
{
	int64_t generation = db_scalar_int(db, -1,
					   "INSERT INTO content_generation (id, generation) VALUES (1, 1)"
					   " ON CONFLICT (id) DO UPDATE SET generation = content_generation.generation + 1"
					   " RETURNING generation",
					   DB_NOARGS);
	if (generation < 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (db_exec(db, "INSERT INTO page_scopes (kind, id, generation) VALUES (?, ?, ?)"
				" ON CONFLICT (kind, id) DO UPDATE SET generation = excluded.generation",
			    DB_ARGS(db_text(scope_kind_names[scopes[i].kind]), db_int(scopes[i].id),
				    db_int(generation))) < 0)
			return false;
		if (pending.n < PENDING_MAX) {
			pending.scopes[pending.n] = scopes[i];
			pending.generations[pending.n++] = generation;
		}
	}
	return true;
}

bool cache_invalidate(struct db *db)
{
	return cache_invalidate_scopes(db, &(struct cache_scope){CACHE_SCOPE_ALL, 0}, 1);
}

bool cache_changed(void)
{
	return pending.n > 0;
}

void cache_commit(void)
{
	pthread_mutex_lock(&cache.lock);
	if (cache.started)
		for (size_t i = 0; i < pending.n; i++)
			scope_changed(pending.scopes[i], pending.generations[i]);
	pthread_mutex_unlock(&cache.lock);
	pending.n = 0;
}

void cache_rollback(void)
{
	pending.n = 0;
}

/* Whether nothing e shows changed since it was made. Called with the lock
 * held. */
static bool entry_fresh(const struct entry *e)
{
	if (seconds_running() - e->made > MAX_AGE_S)
		return false;
	if (e->nscopes == 0)
		return e->generation >= cache.seen;
	if (cache.everything > e->generation)
		return false;
	for (size_t i = 0; i < e->nscopes; i++)
		if (scope_generation(e->scopes[i]) > e->generation)
			return false;
	return true;
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

bool cache_lookup(const char *key, const char *csrf, struct buf *out, const char **content_type)
{
	if (!cache_enabled())
		return false;
	unsigned hash = hash_str(key);
	size_t csrf_len = csrf ? strlen(csrf) : 0;
	pthread_mutex_lock(&cache.lock);
	struct entry *e = find(key, hash);
	if (e && !entry_fresh(e)) {
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

bool cache_store(const char *key, int64_t generation, const struct cache_scope *scopes, size_t nscopes,
		 const char *body, size_t len, const char *content_type, const char *csrf)
{
	/* One page may not crowd out the rest. */
	if (!cache_enabled() || generation < 0 || len > cache.max_bytes / 8)
		return false;
	struct entry *e = xcalloc(1, sizeof(*e));
	e->key = xstrdup(key);
	e->hash = hash_str(key);
	e->generation = generation;
	e->made = seconds_running();
	if (nscopes <= CACHE_MAX_SCOPES + 1) {
		memcpy(e->scopes, scopes, nscopes * sizeof(*scopes));
		e->nscopes = nscopes;
	}
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
	free(cache.slots);
	cache.slots = NULL;
	cache.used_slots = 0;
	pthread_mutex_unlock(&cache.lock);
}
