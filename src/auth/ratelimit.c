/* ratelimit: fixed-window counters in the database. */
#include "auth/ratelimit.h"

#include "db/db.h"

int ratelimit_take(struct db *db, const char *key, int limit, int window_s, int64_t now)
{
	/* A new window starts when the old one has ended. */
	struct db_stmt *st = db_query(db,
		"INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1) "
		"ON CONFLICT (key) DO UPDATE SET "
		"count = CASE WHEN rate_limits.window_start + ? <= excluded.window_start "
		"THEN 1 ELSE rate_limits.count + 1 END, "
		"window_start = CASE WHEN rate_limits.window_start + ? <= excluded.window_start "
		"THEN excluded.window_start ELSE rate_limits.window_start END "
		"RETURNING window_start, count",
		DB_ARGS(db_text(key), db_int(now), db_int(window_s), db_int(window_s)));
	int wait = 0;
	if (db_step(st) == DB_ROW) {
		int64_t start = db_int_col(st, 0), count = db_int_col(st, 1);
		int64_t left = start + window_s - now;
		/* Another node's clock may run ahead: never ask for more than a window. */
		if (count > limit)
			wait = (int)(left > window_s ? window_s : left < 1 ? 1 : left);
	}
	db_done(st);
	return wait;
}

void ratelimit_refund(struct db *db, const char *key)
{
	db_exec(db, "UPDATE rate_limits SET count = count - 1 WHERE key = ? AND count > 0",
		DB_ARGS(db_text(key)));
}

void ratelimit_clear(struct db *db, const char *key)
{
	db_exec(db, "DELETE FROM rate_limits WHERE key = ?", DB_ARGS(db_text(key)));
}

int64_t ratelimit_purge(struct db *db, int64_t now)
{
	/* A window that started longer ago than any window lasts has ended, and
	 * a missing counter is the same as an ended one: ratelimit_take starts
	 * a new window either way. */
	return db_exec(db, "DELETE FROM rate_limits WHERE window_start <= ?",
		       DB_ARGS(db_int(now - RATELIMIT_MAX_WINDOW)));
}
