/* ratelimit: fixed-window counters and growing delays in the database, so
 * every kring node on one database shares them. */
#ifndef KRING_RATELIMIT_H
#define KRING_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct db;

/* The longest window a caller may use. */
#define RATELIMIT_MAX_WINDOW (24 * 3600)

/* Counts one attempt under key, in one atomic statement, and returns 0 when
 * it is within limit for the current window of window_s seconds, else the
 * seconds until the window ends. Counting before the attempt is checked
 * keeps parallel attempts from slipping past the limit. */
int ratelimit_take(struct db *db, const char *key, int limit, int window_s, int64_t now);
/* Growing delays: the first free attempts under key in a window of
 * window_s seconds go through at once; after attempt n > free the next
 * waits 2^(n - free) seconds, at most max_delay. Returns 0 when this
 * attempt may go on (and counts it), else the seconds to wait. Two attempts
 * racing for one turn: one goes on, the other is told to wait a second. */
int ratelimit_backoff(struct db *db, const char *key, int free, int max_delay, int window_s,
		      int64_t now);
/* Gives back one attempt that turned out not to count (a good sign-in).
 * These two return false when the database failed; in a request that
 * failure is sticky (db.h) and the request answers 500. */
bool ratelimit_refund(struct db *db, const char *key);
bool ratelimit_clear(struct db *db, const char *key);
/* Deletes the counters whose window ended long ago (maintenance); returns
 * how many, or -1 on a database error. */
int64_t ratelimit_purge(struct db *db, int64_t now);

#endif
