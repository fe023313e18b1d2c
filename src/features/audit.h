/*
 * audit: the log of every moderation and admin action, owner of the
 * audit_log table. An action records its entry with audit_record on the
 * request's connection, so the entry is written in the action's own
 * transaction: an action rolled back leaves no entry, and no action
 * commits without one.
 *
 * The log is append-only: kring INSERTs into audit_log and SELECTs from
 * it, and nowhere UPDATEs or DELETEs a row of it (tests/unit/test_one_place
 * holds the sources to that: only this module writes to the table, and
 * it changes no row; the log's pages read it). Nothing cascades into it
 * either.
 *
 * Read at /admin/audit and /c/{slug}/audit (features/audit_page.h). The
 * actions and what they record are listed in docs/moderation.md.
 */
#ifndef KRING_AUDIT_H
#define KRING_AUDIT_H

#include "db/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct event;
struct req;

/* One entry. subject_kind is "item", "comment", "member", "community",
 * "org" or "site" (subject_id 0); community_id is 0 when the action
 * is not in a community; reason is what the actor wrote (NULL: none);
 * detail a small JSON object of what else matters (NULL: {}). */
struct audit_entry {
	int64_t actor_id; /* 0: the command line or the clock */
	const char *action; /* "item.deleted", "report.dismissed", … */
	const char *subject_kind;
	int64_t subject_id;
	int64_t community_id;
	const char *reason;
	json_t *detail; /* taken (decref'd) */
	int64_t created_at;
};

/* Appends the entry on db, in the caller's transaction. False on a
 * database error (the caller's write then fails as a whole). */
DB_MUST_CHECK bool audit_record(struct db *db, struct audit_entry *e);

/* audit_record for r's member at r's time. */
DB_MUST_CHECK bool audit_by(struct req *r, const char *action, const char *subject_kind, int64_t subject_id,
			    int64_t community_id, const char *reason, json_t *detail);

/* The in-step subscriber of the events of moderating members (suspended,
 * unsuspended, excluded, reinstated, banned, unbanned; src/subscribers.c):
 * each is an entry, its action the event's type, its subject the member.
 * False on a database error. */
bool audit_on_event(struct db *db, const struct event *e);

#endif
