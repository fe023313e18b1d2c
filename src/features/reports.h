/*
 * reports: members report an item (an answer too), a comment or a profile
 * to the moderators, with a reason; the owner of the reports table.
 *
 * Any signed-in member may report what they may read and did not write
 * (404 for what they may not read, as for reading it). A member has one
 * open report per subject: a second answers 409 until the first is
 * settled. Filing records report.filed, which tells the community's hosts
 * (for content in a community) and the site's moderators who may read the
 * community (notification kind "report"). Reporters see their reports and
 * how they were settled at /settings/reports.
 *
 * The review queue (features/moderation.h) settles them: every open report
 * on a subject at once, with one outcome.
 */
#ifndef KRING_REPORTS_H
#define KRING_REPORTS_H

#include "db/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct arena;
struct req;

/* The reasons, as forms and the API name them; "other" needs a note. */
#define REPORT_REASONS "spam, harassment, off_topic, confidential, other"
/* The longest note, in characters. */
#define REPORT_NOTE_MAX 1000

/* The translated label of a reason or of an outcome ("dismissed",
 * "hidden", "edited"); the code itself when it is neither. */
const char *reports_label(struct req *r, const char *code);

/* What was reported, as the queue and the reporter's list show it. kind
 * is "item", "comment" or "person"; item_id the item (for a comment: the
 * item it is on; 0 for a profile); author_id who wrote it (the profile's
 * member). */
struct report_subject {
	const char *kind;
	int64_t id, item_id, community_id, author_id;
};

/* The open reports on the subject: their reporters' ids into *ids (in a),
 * how many; -1 on a database error. */
ssize_t reports_open_reporters(struct db *db, struct arena *a, const char *kind, int64_t id, int64_t **ids);

/* Settles every open report on the subject with the outcome and the
 * moderator's note; how many, -1 on a database error. */
int64_t reports_settle(struct db *db, const char *kind, int64_t id, const char *outcome, int64_t by,
		       const char *note, int64_t now);

/* Earlier reports on the author's content and profile, other than on the
 * subject: {"reports": N, "open": N, "dismissed": N, "hidden": N,
 * "edited": N}; NULL on a database error. */
json_t *reports_author_history(struct db *db, int64_t author_id, const char *kind, int64_t id);

/* The in-step subscriber of report.filed and report.settled's
 * notifications lives in features/notifications.c; it asks this: the
 * members to tell of a new report on content in the community (0: none),
 * its active hosts and the site's moderators and admins who may read it. */
#define REPORTS_TOLD_SQL                                                                                \
	"SELECT u.id FROM users u WHERE (u.role IN ('moderator', 'admin') AND (? = 0 OR EXISTS (SELECT 1" \
	" FROM communities c WHERE c.id = ? AND (c.visibility <> 'private' OR EXISTS (SELECT 1 FROM"     \
	" memberships vm WHERE vm.community_id = c.id AND vm.user_id = u.id AND vm.state = 'active')))))" \
	" OR EXISTS (SELECT 1 FROM memberships m WHERE m.community_id = ? AND m.user_id = u.id"          \
	" AND m.role = 'host' AND m.state = 'active') ORDER BY u.id"

/* Stores an open report as the importer reads it (the demo's), without
 * telling anyone; false for an unknown reason or on a database error. */
bool reports_import(struct db *db, int64_t reporter_id, const char *kind, int64_t id, int64_t community_id,
		    int64_t author_id, const char *reason, const char *note, int64_t at);

/* Route handlers: the form (GET) and the report (POST) of an item, a
 * comment and a profile. POST fields: reason, note. 201 + the report
 * {"id", "subject_kind", "subject_id", "reason", "note", "state"}; the
 * HTML form goes on to /settings/reports. */
json_t *reports_item_form(struct req *r);
json_t *reports_item(struct req *r);
json_t *reports_comment_form(struct req *r);
json_t *reports_comment(struct req *r);
json_t *reports_person_form(struct req *r);
json_t *reports_person(struct req *r);
/* GET /settings/reports: the member's reports, the newest first, with
 * their state and outcome. */
json_t *reports_mine(struct req *r);

#endif
