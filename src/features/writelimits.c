/* writelimits: per-member limits on posting (see writelimits.h). */
#include "features/writelimits.h"

#include "auth/policy.h"
#include "auth/ratelimit.h"
#include "db/db.h"
#include "features/ladder.h"
#include "http/req.h"
#include "http/router.h"
#include "i18n/i18n.h"

#include <stdio.h>

/* Sensible for people typing; a script posting in bulk meets them. */
const struct write_limit write_limits[WRITE_KINDS] = {
	[WRITE_ITEM] = {"items", N_("Questions, articles and other posts"), "items_per_minute", "items_per_hour", 5, 30},
	[WRITE_ANSWER] = {"answers", N_("Answers"), "answers_per_minute", "answers_per_hour", 10, 60},
	[WRITE_COMMENT] = {"comments", N_("Comments"), "comments_per_minute", "comments_per_hour", 10, 100},
};

int writelimit_setting(struct db *db, const char *key, int fallback)
{
	struct db_stmt *st = db_query(db, "SELECT CAST(value AS BIGINT) FROM settings WHERE key = ?",
				      DB_ARGS(db_text(key)));
	int64_t n = db_step(st) == DB_ROW ? db_int_col(st, 0) : fallback;
	db_done(st);
	return n >= 0 && n <= WRITELIMIT_MAX ? (int)n : fallback;
}

static int route_kind(const struct req *r)
{
	unsigned flags = r->route ? r->route->flags : 0;
	if (flags & ROUTE_LIMIT_ITEM)
		return WRITE_ITEM;
	if (flags & ROUTE_LIMIT_ANSWER)
		return WRITE_ANSWER;
	if (flags & ROUTE_LIMIT_COMMENT)
		return WRITE_COMMENT;
	return -1;
}

static void counter_key(const struct req *r, int kind, const char *window, char *key, size_t size)
{
	snprintf(key, size, "write:%s:%s:%lld", write_limits[kind].name, window, (long long)r->user->id);
}

/* Counts one write in a window of window_s seconds against limit (0: none);
 * returns the seconds to wait, 0 when within. */
static int take(struct req *r, int kind, const char *window, int window_s, int limit)
{
	if (limit == 0)
		return 0;
	if (policy_site_allows(r, POLICY_MODERATE))
		limit *= WRITELIMIT_STAFF_FACTOR;
	char key[128];
	counter_key(r, kind, window, key, sizeof(key));
	return ratelimit_take(r->db, key, limit, window_s, r->now);
}

bool writelimit_take(struct req *r)
{
	int kind = route_kind(r);
	if (kind < 0 || !r->user)
		return true;
	/* A member the ladder cooled down posts once in so many minutes. */
	if (!ladder_cooldown_take(r))
		return false;
	const struct write_limit *l = &write_limits[kind];
	int wait = take(r, kind, "minute", 60, writelimit_setting(r->db, l->minute_key, l->per_minute));
	int wait_hour = take(r, kind, "hour", 3600, writelimit_setting(r->db, l->hour_key, l->per_hour));
	if (wait_hour > wait)
		wait = wait_hour;
	if (wait == 0)
		return true;
	/* A refused write is no write (the request's rollback takes the count
	 * back): it does not keep the member waiting longer. */
	req_add_header(r, "Retry-After", arena_printf(&r->arena, "%d", wait));
	req_fail(r, 429, "rate_limited",
		 wait > 60 ? N_("You have posted a lot in the last hour. Wait a while before you post again.")
			   : N_("You are posting faster than this site allows. Wait a minute and try again."));
	return false;
}
