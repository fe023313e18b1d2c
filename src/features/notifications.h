/* notifications: what the site tells a member about, shown at
 * /notifications with an unread count in every page's header. The
 * notifications table belongs here.
 *
 * A notification is made in the write's transaction by an in-step event
 * subscriber (src/subscribers.c), so a write that is rolled back tells no
 * one. It goes to:
 *   mention       a member @mentioned in a new post, answer or comment, or
 *                 in an edit of one that had not told them yet;
 *   answer        the followers of a question that was answered;
 *   comment       the followers of a thread that was commented on;
 *   accepted      the author of an answer that was accepted;
 *   post          the followers of a community, a tag or a person that a
 *                 new post (not an answer) is in, carries or is by;
 *   verified      the author of an item an expert verified;
 *   review        the expert whose verification of an item needs review
 *                 because someone else changed the item;
 *   join_request  the hosts of a community a member asked to join;
 *   invitation    the member invited into a community;
 *   solved        the followers of a question whose answer was accepted;
 *   lapsed        the expert and the author of an item whose verification
 *                 has lapsed (features/experts.h);
 *   promoted      the member moved from an event's waitlist to going
 *                 (features/rsvp.h);
 *   seat_offered  the same, when the event has a claim window: the member
 *                 must claim the seat in time;
 *   seat_lapsed   the member who did not claim that seat in time;
 *   cancelled     those going to or waitlisted for an event its hosts
 *                 cancelled (features/event_cancel.h);
 *   reminder      a member going to an event, the day before it
 *                 (features/event_reminders.h);
 *   event_message those going to an event (and its waitlist, when its
 *                 host chose so) that its host wrote to
 *                 (features/event_messages.h);
 *   report        the hosts of the community of reported content and the
 *                 site's moderators who may read it (features/reports.h);
 *   report_outcome each member whose report a moderator settled
 *                 (features/moderation.h);
 *   suspended, unsuspended, reinstated
 *                 the member suspended, whose suspension ended or was
 *                 lifted, or who was reinstated (features/member_states.h;
 *                 an excluded member is told by e-mail only);
 *   banned, unbanned
 *                 the member banned from a community, or whose ban was
 *                 lifted (features/community_bans.h);
 *   role_granted, role_revoked
 *                 the member made ambassador of a community, or no
 *                 longer (features/ambassadors.h);
 *   newcomer_joined
 *                 the ambassadors of a community someone joined (the
 *                 newcomer is its actor; it leads to their profile).
 *   warning       the member a moderator or host warned
 *                 (features/warnings.h).
 * Never to the member who did it, one per member and event (a mention
 * before a follow), and only when the recipient may read the item (the
 * policy's POLICY_ITEM_VISIBLE_SQL). When read, a notification whose item
 * or comment has since been deleted or become hidden to the member is
 * left out of the list and the count.
 *
 * Each recipient's cached pages (which show the count) are made stale
 * with the scope CACHE_SCOPE_MEMBER (http/cache.h). */
#ifndef KRING_NOTIFICATIONS_H
#define KRING_NOTIFICATIONS_H

#include "db/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct arena;

struct event;
struct req;

/* The in-step subscriber: makes the event's notifications. False on a
 * database error (the write then fails). */
bool notifications_on_event(struct db *db, const struct event *e);

/* How many notifications the member has not read (those they may still
 * see); 0 on a database error. */
int64_t notifications_unread(struct db *db, int64_t member_id);

/* GET /notifications: {"items": [...], "unread": N, "next": cursor or
 * null}, the newest first, ?cursor= for the next page. Notifications of
 * one kind about one thread that follow each other on a page are one
 * entry with "count" and "ids". */
json_t *notifications_page(struct req *r);

/* POST /notifications/read: marks the notification `id`, or all, read;
 * {"unread": N}. The HTML form goes back to /notifications. */
json_t *notifications_read(struct req *r);

/* A notification n not mailed on its own yet (notification_mails, which
 * features/notification_mail.h owns). */
#define NOT_MAILED "NOT EXISTS (SELECT 1 FROM notification_mails m WHERE m.notification_id = n.id)"

/* One notification as an e-mail or a digest tells it. */
struct notification_row {
	int64_t id, item_id, thread_id, comment_id;
	const char *kind;
	const char *actor;       /* who did it, or NULL */
	const char *title;       /* the thread's title ("" for an update), or NULL */
	const char *thread_kind; /* "question", "article", …, or NULL */
	bool solved;             /* the thread has an accepted answer */
	const char *community;   /* the community's name, or NULL */
	const char *path;        /* where it leads on the site */
	const char *note;        /* a reminder's time, a message's subject; or NULL */
	int64_t object_id;       /* the object of its event (a message), or 0 */
};

/* The member's notifications that meet `where` (a condition on the
 * notifications table n, binding args) and that they may still see,
 * oldest first, at most limit, into *rows (in a). How many; -1 on a
 * database error. */
ssize_t notifications_rows(struct db *db, struct arena *a, int64_t member_id, const char *where,
			   const struct db_value *args, size_t nargs, size_t limit, struct notification_row **rows);

/* What the notification says, in the locale ("Anna answered …"), in a. */
const char *notifications_sentence(struct arena *a, int locale, const struct notification_row *row);

#endif
