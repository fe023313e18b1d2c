/*
 * moderation: the review queue at /moderation, where reports
 * (features/reports.h) are settled.
 *
 * Who sees what: the site's moderators and admins see every open report
 * on content they may read (a private community's only when they are in
 * it) and on profiles; a community's hosts see the reports on content in
 * the communities they host; anyone else signed in is refused (403).
 *
 * The queue groups open reports by subject: the content with its context
 * (where it is, its community, its author), every report with its reason
 * and reporter, and the author's history (their earlier reports and how
 * they were settled). Actions on a subject, POST /moderation/{kind}/{id}
 * with `action` and `note`:
 *   dismiss  nothing is wrong: its open reports are settled "dismissed";
 *   hide     the content is hidden (features/hidden.h) and its open
 *            reports settled "hidden" (an item or a comment);
 *   unhide   hidden content is shown again (settles nothing).
 * Acting settles every open report on the subject at once, records
 * report.settled (which tells each reporter, notification kind
 * report_outcome) and one audit entry (features/audit.h) in the same
 * transaction. Hiding and showing again record nothing when nothing
 * changes (409). Correcting content is the edit form's: a moderator's
 * edit settles its reports "edited" (features/moderator_edits.h).
 */
#ifndef KRING_MODERATION_H
#define KRING_MODERATION_H

#include <jansson.h>
#include <stdbool.h>

struct db;
struct event;
struct req;

/* GET /moderation: {"items": [subject…], "hidden": [subject…]}. */
json_t *moderation_queue(struct req *r);
/* POST /moderation/{kind}/{id}: 200 + {"subject_kind", "subject_id",
 * "action", "settled", "hidden"}; the HTML form goes back to the queue. */
json_t *moderation_act(struct req *r);

/* In-step subscriber of item.edited, item.restored and comment.edited: a
 * moderator's change of someone else's content (payload moderator_note,
 * features/moderator_edits.h) settles its open reports "edited" and is an
 * audit entry with the note. */
bool moderation_on_edit(struct db *db, const struct event *e);

#endif
