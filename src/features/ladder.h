/*
 * ladder: the graduated steps that follow warnings by themselves, and the
 * content hidden by itself when enough established members report it;
 * owner of the tables posting_cooldowns and exclusion_flags. The
 * thresholds are site settings an admin changes at
 * /admin/moderation-settings (stored in the settings table, admin.c's).
 *
 * After each warning (features/warnings.h), in its transaction, the
 * member's warnings within the window (90 days) decide the step; the
 * highest threshold reached is taken:
 *   cool-down   (2 warnings) one post, answer or comment per 60 minutes
 *               for 7 days, enforced where posting is limited
 *               (features/writelimits.h): 429 cooldown, saying when they
 *               may post next;
 *   suspension  (3) suspended for 7 days with the reason "automatic: N
 *               warnings" (features/member_states.h tells them);
 *   decision    (4) the member is put at the top of /moderation for a
 *               moderator to exclude or keep them: the ladder never
 *               excludes anyone itself.
 * Each step is an entry of the audit log without an actor (automatic).
 *
 * Content reported by N (3) established members — an account older than
 * 30 days with at least 5 posts, answers or comments not deleted — is
 * hidden (features/hidden.h, hidden_by empty: "hidden automatically,
 * pending review") until a moderator decides; dismissing its reports
 * shows it again.
 */
#ifndef KRING_LADDER_H
#define KRING_LADDER_H

#include "db/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct account_state;
struct event;
struct arena;
struct req;

/* The settings, each 0 ("off") or more. */
struct ladder_settings {
	int window_days;
	int cooldown_after, cooldown_minutes, cooldown_days;
	int suspend_after, suspend_days;
	int decide_after;
	int autohide_reports;
};
void ladder_settings_load(struct db *db, struct ladder_settings *out);

/* GET and POST /admin/moderation-settings. */
json_t *ladder_settings_page(struct req *r);
json_t *ladder_settings_save(struct req *r);

/* Takes the step the member's warnings reached, in r's transaction,
 * after a warning was stored: "none", "cooldown", "suspended" or
 * "decision"; NULL on a database error. */
const char *ladder_after_warning(struct req *r, const struct account_state *who);

/* For a route whose posts are limited (features/writelimits.h): true when
 * the member is in no cool-down, or may post now (which counts, in r's
 * transaction); otherwise r failed with 429 cooldown and when they may
 * post next. */
bool ladder_cooldown_take(struct req *r);

/* The member's cool-down, for their standing: {"minutes", "until_iso",
 * "until_text", "next_iso", "next_text" (when they may not post yet)}, or
 * NULL when they have none. */
json_t *ladder_cooldown(struct db *db, int64_t member_id, int64_t now);

/* The members put before the moderators for a decision on exclusion, for
 * the queue of a site moderator: [{"handle", "name", "url", "warnings",
 * "flagged_iso", "flagged_text"}]; NULL on a database error. */
json_t *ladder_decisions(struct req *r);

/* POST /people/{handle}/keep: a moderator decides not to exclude a member
 * the ladder flagged; the flag goes. Field note, return. */
json_t *ladder_keep(struct req *r);

/* The in-step subscriber of member.excluded (src/subscribers.c): the
 * decision is taken, so the member leaves the list, also when reinstated
 * later. False on a database error. */
bool ladder_on_excluded(struct db *db, const struct event *e);

/* After a report on the item or comment was filed (in its transaction):
 * hides it when enough established members reported it. False on a
 * database error. */
bool ladder_after_report(struct db *db, const char *kind, int64_t id, int64_t community_id, int64_t now);

#endif
