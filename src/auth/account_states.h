/*
 * account_states: why an account is not active, and for how long. The
 * state itself is users.status (active, suspended, excluded), which the
 * policy decides with (auth/policy.h); the table account_states, which
 * belongs here, keeps what a moderator decided with it: the reason the
 * member is told, the end of a suspension, and whether an excluded
 * member's posts are hidden (POLICY_AUTHOR_SHOWN_SQL).
 *
 * A suspension ends by itself: the request's member is active again from
 * its end on (account_states_at, at dispatch), and the hourly maintenance
 * records its end (features/member_states.h), which tells the member.
 */
#ifndef KRING_ACCOUNT_STATES_H
#define KRING_ACCOUNT_STATES_H

#include "db/db.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct req;
struct user;

/* Two columns for a query of the users table (its name or alias given):
 * the end of the account's suspension and its reason, NULL when it has
 * none. */
#define ACCOUNT_STATES_COLUMNS(users)                                                            \
	"(SELECT ast.ends_at FROM account_states ast WHERE ast.user_id = " users ".id),"         \
	" (SELECT ast.reason FROM account_states ast WHERE ast.user_id = " users ".id)"

/* The member as of now: a suspension that has ended leaves them active. */
void account_states_at(struct user *u, int64_t now);

/* What a suspended member is told on every page and in the API's
 * refusals: "You are suspended until … because: …", in the locale, in a. */
const char *account_states_suspension_text(struct arena *a, int locale, const struct user *u);
/* A time as pages write it ("2026-12-14 09:00 UTC"), in a. */
const char *account_states_time_text(struct arena *a, int64_t t);

/* Suspends the member until the time, for the reason; replaces a
 * suspension they have. */
DB_MUST_CHECK bool account_states_suspend(struct db *db, int64_t member_id, const char *reason, int64_t until,
					  int64_t actor_id, int64_t now);
/* Excludes the member for the reason, their posts hidden or kept. Their
 * sessions and tokens are the caller's to end, in the same transaction. */
DB_MUST_CHECK bool account_states_exclude(struct db *db, int64_t member_id, const char *reason, bool hide_content,
					  int64_t actor_id, int64_t now);
/* Makes the member active again (a suspension lifted, an exclusion
 * undone): their posts are shown again. */
DB_MUST_CHECK bool account_states_reinstate(struct db *db, int64_t member_id);

/* An account, whatever its state, and what is decided about it. */
struct account_state {
	int64_t id;
	const char *handle, *name, *email, *locale, *role;
	const char *status; /* "active", "suspended" or "excluded" */
	const char *reason; /* NULL when active */
	int64_t ends_at;    /* a suspension's end */
	bool hides_content;
};
/* Loads the account with the handle (any case, any status) into *out,
 * strings in a; false when there is none or on a database error. */
bool account_states_find(struct db *db, struct arena *a, const char *handle, struct account_state *out);

/* The longest reason a moderator gives, in characters. */
#define ACCOUNT_STATES_REASON_MAX 1000
/* The request's `reason` for a step on an account (a suspension,
 * exclusion, warning or ban), trimmed; NULL after answering 422 when it is
 * missing, too long or has control characters. */
const char *account_states_reason_field(struct req *r);

/* The members whose suspension ended by now and who are not yet made
 * active again: their ids in a, *n of them; NULL with *n 0 on none, and
 * on a database error (db_failed tells). */
int64_t *account_states_ended(struct db *db, struct arena *a, int64_t now, size_t *n);
/* Makes one of them active again: 1, or 0 when someone did already (a
 * moderator, another node's maintenance), -1 on a database error. */
int account_states_end_suspension(struct db *db, int64_t member_id, int64_t now);

#endif
