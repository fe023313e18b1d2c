/*
 * premoderation: newcomers' posts held for a moderator's approval, the
 * owner of the premoderation_settings and pending_posts tables.
 *
 * The site (admins, /admin/premoderation) and each community (its hosts,
 * /c/{slug}/premoderation) choose a mode:
 *   off        nothing is held;
 *   newcomers  a member's posts are held until they have first_posts
 *              published posts (items, answers and comments);
 *   links      the same, and any post whose text has a link (an http(s)
 *              address or a Markdown link) is held too.
 * A community's choice only adds to the site's: the stricter of the two
 * holds. Hosts of the community and the site's moderators and admins are
 * never held.
 *
 * A held post is stored but pending: its author sees it, marked as
 * waiting, and may edit it; the community's hosts and the site's
 * moderators open it and find it in the review queue; for everyone else
 * it does not exist (the policy's POLICY_NOT_PENDING_SQL, part of
 * POLICY_ITEM_VISIBLE_SQL). Its creation event (item.created,
 * comment.added) is not recorded while it waits, so nothing follows from
 * it — no count, search entry, notification, follow, webhook — and its
 * edits and deletion record nothing either. Approving it records that
 * creation event then, with post.approved and an audit entry, in one
 * transaction; rejecting it keeps it for its author only, with the
 * reason, and records post.rejected. The author is notified of either.
 * An author who edits a rejected post sends it back to the queue.
 */
#ifndef KRING_PREMODERATION_H
#define KRING_PREMODERATION_H

#include "db/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct req;
struct community_access;

/* Why the viewer's new post with this text, in community c (NULL: on
 * their profile), is held: "newcomer", "link", or NULL when it is not.
 * Asked in the write's transaction once the post is stored. */
const char *premoderation_reason(struct req *r, const struct community_access *c, const char *text);

/* Holds the post (kind "item" or "comment"; item_id: the item, or the
 * comment's item) in the caller's transaction. False on a database
 * error. */
DB_MUST_CHECK bool premoderation_hold(struct req *r, const char *kind, int64_t id, int64_t item_id,
				      int64_t community_id, const char *reason);

/* The post's state: NULL when it is published (or on a database error),
 * "waiting" or "rejected"; *rejection (when not NULL) gets the reason of
 * a rejection, in r's arena. */
const char *premoderation_state(struct req *r, const char *kind, int64_t id, const char **rejection);

/* After its author edited the post: a rejected one waits for approval
 * again. In the caller's transaction; false on a database error. */
DB_MUST_CHECK bool premoderation_edited(struct req *r, const char *kind, int64_t id);

/* The answers to the question that are held or rejected, into *marks
 * (in r's arena): how many; -1 on a database error. One statement
 * however many answers it has. */
struct premoderation_mark {
	int64_t id;
	const char *state, *rejection;
};
ssize_t premoderation_answers(struct req *r, int64_t question, struct premoderation_mark **marks);

/* The posts waiting in the viewer's queue (the communities they host;
 * everything they may read for the site's moderators), oldest first:
 * [{"kind", "id", "title", "body", "url", "author", "community",
 * "reason", "reason_label", "held_iso", "action"}]. NULL on a database
 * error. */
json_t *premoderation_queue(struct req *r);

/* POST /moderation/pending/{kind}/{id}: `action` approve or reject, and
 * for a rejection its `reason` (at most 1000 characters). 200 +
 * {"subject_kind", "subject_id", "action"}; 404 when nothing of that
 * kind and id waits, 403 for who may not moderate it. */
json_t *premoderation_decide(struct req *r);

/* GET and POST /admin/premoderation (admins) and /c/{slug}/premoderation
 * (its hosts): `mode` (off, newcomers, links) and `first_posts` (1-100,
 * default 2). */
json_t *premoderation_site_page(struct req *r);
json_t *premoderation_site_save(struct req *r);
json_t *premoderation_community_page(struct req *r);
json_t *premoderation_community_save(struct req *r);

#endif
