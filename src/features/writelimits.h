/*
 * writelimits: how many items, answers and comments one member may post
 * in a minute and in an hour. The limits are site settings an admin
 * changes (admin.c shows and stores them); admins and moderators may post
 * STAFF_FACTOR times as many. Writes are counted in the shared rate-limit
 * windows (auth/ratelimit.h), so every node on one database counts alike.
 *
 * A route takes part through its flag (ROUTE_LIMIT_ITEM, _ANSWER,
 * _COMMENT). Its handler counts the write once what was sent is valid and
 * before it is stored, so that a refusal comes back in the handler's own
 * form with everything typed; dispatch gives the write back when the
 * handler failed after counting it. A member in a posting cool-down
 * (features/ladder.h) is held to it here too.
 */
#ifndef KRING_WRITELIMITS_H
#define KRING_WRITELIMITS_H

#include <stdbool.h>
#include <stdint.h>

struct db;
struct req;

#define WRITELIMIT_STAFF_FACTOR 5
/* The largest limit a setting takes; 0 means no limit. */
#define WRITELIMIT_MAX 100000

enum write_kind { WRITE_ITEM, WRITE_ANSWER, WRITE_COMMENT, WRITE_KINDS };

struct write_limit {
	const char *name;       /* "comments", in counter keys */
	const char *label;      /* msgid, for the settings page */
	const char *minute_key; /* the settings holding the limits */
	const char *hour_key;
	int per_minute, per_hour; /* the defaults */
};

extern const struct write_limit write_limits[WRITE_KINDS];

/* The limit a setting holds, or its default. */
int writelimit_setting(struct db *db, const char *key, int fallback);

/* Counts the write the request's route makes, if its route is limited.
 * Returns true when it is within the member's limits; otherwise the
 * request has failed with 429 rate_limited and a Retry-After header, and
 * the handler answers with its form model. The count is written in the
 * request's transaction: a write that fails or is refused is rolled back
 * with it, and costs nothing. */
bool writelimit_take(struct req *r);

#endif
