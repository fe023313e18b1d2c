/*
 * member_states: moderators and admins suspend, exclude and reinstate
 * members (the states themselves are auth/account_states.h's).
 *
 *   POST /people/{handle}/suspend    until (YYYY-MM-DD or YYYY-MM-DDTHH:MM,
 *                                    UTC), reason: reads, writes nothing
 *   POST /people/{handle}/unsuspend  lifts a suspension early
 *   POST /people/{handle}/exclude    reason, content (keep or hide): signed
 *                                    out everywhere at once, sessions and
 *                                    tokens revoked, requests to join and
 *                                    follows stopped, posts hidden or kept
 *   POST /people/{handle}/reinstate  undoes an exclusion: they can sign in
 *                                    again (their old sessions stay gone)
 *
 * Who may act on whom is the policy's POLICY_MODERATE on the account. Each
 * records its event (member.suspended, member.unsuspended, member.excluded,
 * member.reinstated) in the write's transaction, which tells the member
 * (features/notifications.h); a suspension, an exclusion and a
 * reinstatement are also mailed to them at once, as an excluded member
 * cannot sign in to read a notification.
 */
#ifndef KRING_MEMBER_STATES_H
#define KRING_MEMBER_STATES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct account_state;
struct arena;
struct db;
struct req;

json_t *member_states_suspend(struct req *r);
json_t *member_states_unsuspend(struct req *r);
json_t *member_states_exclude(struct req *r);
json_t *member_states_reinstate(struct req *r);

/* Suspends the member until the time for the reason, as actor_id (0: the
 * ladder, features/ladder.h), in r's transaction: the state, its event
 * member.suspended and the e-mail that tells them. False on a database
 * error. */
bool member_states_suspend_as(struct req *r, const struct account_state *who, const char *reason, int64_t until,
			      int64_t actor_id);

/* Where a moderator's form goes on to: "/moderation" when its field
 * `return` says so (the queue's forms), else the member's page. */
const char *member_states_return(struct req *r, const char *handle);

/* GET /people/{handle}: the person's page (people_profile) and, for a
 * moderator who may act on them, "moderation": {"status", "is_active",
 * "is_suspended", "is_excluded", "reason", "until_text", "hides_content"}
 * with the forms to act; for an excluded member, whose profile is gone,
 * that card alone. */
json_t *member_states_person_page(struct req *r);

/* The hourly maintenance: the suspensions that ended by now end, each with
 * its member.unsuspended event. How many; -1 on a database error. */
int64_t member_states_end_suspensions(struct db *db, struct arena *a, int64_t now);

#endif
