/* ratelimit: fixed-window counters in the database, so every kring node on
 * one database shares them. */
#ifndef KRING_RATELIMIT_H
#define KRING_RATELIMIT_H

#include <stdint.h>

struct db;

/* Seconds until key may be used again when it has reached limit in the
 * current window of window_s seconds, else 0. Does not count. */
int ratelimit_wait(struct db *db, const char *key, int limit, int window_s, int64_t now);
/* Counts one event under key. */
void ratelimit_count(struct db *db, const char *key, int window_s, int64_t now);
void ratelimit_clear(struct db *db, const char *key);

#endif
