/* ratelimit: fixed-window counters and growing delays in the database. */
#include "auth/ratelimit.h"

#include "db/db.h"

#include <stdbool.h>

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

/* The delay after attempt count of a backoff. */
static int64_t backoff_delay(int64_t count, int free, int max_delay)
{
	if (count <= free)
		return 0;
	int64_t over = count - free;
	return over >= 30 || (INT64_C(1) << over) > max_delay ? max_delay : INT64_C(1) << over;
}

int ratelimit_backoff(struct db *db, const char *key, int free, int max_delay, int window_s,
		      int64_t now)
{
	struct db_stmt *st = db_query(db, "SELECT window_start, count, next_at FROM rate_limits WHERE key = ?",
				      DB_ARGS(db_text(key)));
	bool found = db_step(st) == DB_ROW;
	int64_t start = found ? db_int_col(st, 0) : now, count = found ? db_int_col(st, 1) : 0;
	int64_t next = found ? db_int_col(st, 2) : 0;
	db_done(st);
	if (next > now)
		return (int)(next - now > max_delay ? max_delay : next - now);
	bool expired = !found || start + window_s <= now;
	int64_t n = expired ? 1 : count + 1;
	int64_t next_at = now + backoff_delay(n, free, max_delay);
	/* Compare and set: only the attempt that saw the row as it still is
	 * takes the turn. */
	int changed = found
		? db_exec(db, "UPDATE rate_limits SET window_start = ?, count = ?, next_at = ? "
			      "WHERE key = ? AND window_start = ? AND count = ?",
			  DB_ARGS(db_int(expired ? now : start), db_int(n), db_int(next_at), db_text(key),
				  db_int(start), db_int(count)))
		: db_exec(db, "INSERT INTO rate_limits (key, window_start, count, next_at) VALUES (?, ?, 1, ?) "
			      "ON CONFLICT (key) DO NOTHING",
			  DB_ARGS(db_text(key), db_int(now), db_int(next_at)));
	return changed == 1 ? 0 : 1;
}

bool ratelimit_refund(struct db *db, const char *key)
{
	return db_exec(db, "UPDATE rate_limits SET count = count - 1 WHERE key = ? AND count > 0",
		       DB_ARGS(db_text(key))) >= 0;
}

bool ratelimit_clear(struct db *db, const char *key)
{
	return db_exec(db, "DELETE FROM rate_limits WHERE key = ?", DB_ARGS(db_text(key))) >= 0;
}

int64_t ratelimit_purge(struct db *db, int64_t now)
{
	/* A window that started longer ago than any window lasts has ended, and
	 * a missing counter is the same as an ended one: ratelimit_take starts
	 * a new window either way. */
	return db_exec(db, "DELETE FROM rate_limits WHERE window_start <= ?",
		       DB_ARGS(db_int(now - RATELIMIT_MAX_WINDOW)));
}
