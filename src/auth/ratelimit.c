/* ratelimit: fixed-window counters in the database. */
#include "auth/ratelimit.h"

#include "db/db.h"

int ratelimit_wait(struct db *db, const char *key, int limit, int window_s, int64_t now)
{
	struct db_stmt *st = db_query(db, "SELECT window_start, count FROM rate_limits WHERE key = ?",
				      DB_ARGS(db_text(key)));
	int wait = 0;
	if (db_step(st) == DB_ROW) {
		int64_t start = db_int_col(st, 0), count = db_int_col(st, 1);
		if (now < start + window_s && count >= limit)
			wait = (int)(start + window_s - now);
	}
	db_done(st);
	return wait;
}

void ratelimit_count(struct db *db, const char *key, int window_s, int64_t now)
{
	/* A new window starts when the old one has ended. */
	db_exec(db, "INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1) "
		    "ON CONFLICT (key) DO UPDATE SET "
		    "count = CASE WHEN rate_limits.window_start + ? <= excluded.window_start "
		    "THEN 1 ELSE rate_limits.count + 1 END, "
		    "window_start = CASE WHEN rate_limits.window_start + ? <= excluded.window_start "
		    "THEN excluded.window_start ELSE rate_limits.window_start END",
		DB_ARGS(db_text(key), db_int(now), db_int(window_s), db_int(window_s)));
}

void ratelimit_clear(struct db *db, const char *key)
{
	db_exec(db, "DELETE FROM rate_limits WHERE key = ?", DB_ARGS(db_text(key)));
}
