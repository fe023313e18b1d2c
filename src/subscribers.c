/*
 * subscribers: what each event sets off (jobs/events.h). One row per
 * subscriber: the types it takes, and whether it runs in step (in the
 * write's transaction: what must never disagree with the write) or queued
 * (from the jobs worker, after the commit: what talks to the outside
 * world). A new feature that reacts to what happens (notifications, mail,
 * an audit log) adds its row here and its function in its own module; a
 * queued one is also a kind of job, a row in src/job_kinds.c run by
 * events_deliver.
 */
#include "features/ambassadors.h"
#include "features/audit.h"
#include "features/cases.h"
#include "features/community_webhooks.h"
#include "features/counters.h"
#include "features/events.h"
#include "features/experts.h"
#include "features/follows.h"
#include "features/guests.h"
#include "features/item_store.h"
#include "features/items.h"
#include "features/moderation.h"
#include "features/ladder.h"
#include "features/notifications.h"
#include "features/webhooks.h"
#include "http/cache.h"
#include "jobs/events.h"
#include "search/index.h"

/* What a search finds changes with the item. */
static bool index_item(struct db *db, const struct event *e)
{
	return search_index_item(db, e->item_id);
}

/* Every event changes some pages: those cached before it that show what
 * it changed are stale once it commits (the generation moves in the same
 * transaction), and so is every page that names no scopes (lists across
 * communities, search, profiles, home). Something posted changes its
 * thread and its community's lists; a member joining or leaving changes
 * the community and so what its threads offer them; an expert named or a
 * community renamed shows on pages of every thread. */
static bool invalidate_pages(struct db *db, const struct event *e)
{
	switch (e->type) {
	case EVENT_EXPERT_ADDED:
	case EVENT_EXPERT_ENDORSED:
	case EVENT_EXPERT_REVOKED:
	case EVENT_COMMUNITY_CREATED:
	case EVENT_COMMUNITY_EDITED:
	case EVENT_COMMUNITY_ARCHIVED:
		return cache_invalidate(db);
	default:
		break;
	}
	struct cache_scope scopes[2];
	size_t n = 0;
	if (e->item_id) {
		int64_t thread, community_id;
		if (!items_thread(db, e->item_id, &thread, &community_id))
			return db_failed(db) ? false : cache_invalidate(db);
		scopes[n++] = (struct cache_scope){CACHE_SCOPE_ITEM, thread};
		if (community_id)
			scopes[n++] = (struct cache_scope){CACHE_SCOPE_POSTS, community_id};
	} else if (e->community_id) {
		scopes[n++] = (struct cache_scope){CACHE_SCOPE_COMMUNITY, e->community_id};
	}
	return n ? cache_invalidate_scopes(db, scopes, n) : cache_invalidate(db);
}

const struct event_subscriber event_subscribers[] = {
	{"search", EVENT_SET_ITEM, EVENT_IN_STEP, .in_step = index_item},
	{"answer_count", EVENT_SET(EVENT_ITEM_CREATED) | EVENT_SET(EVENT_ITEM_DELETED), EVENT_IN_STEP,
	 .in_step = counters_answers},
	{"comment_count", EVENT_SET(EVENT_COMMENT_ADDED) | EVENT_SET(EVENT_COMMENT_DELETED), EVENT_IN_STEP,
	 .in_step = counters_comments},
	{"reaction_count", EVENT_SET(EVENT_REACTION_TOGGLED), EVENT_IN_STEP, .in_step = counters_reactions},
	{"member_count",
	 EVENT_SET(EVENT_COMMUNITY_CREATED) | EVENT_SET(EVENT_MEMBER_JOINED) | EVENT_SET(EVENT_MEMBER_REQUESTED) |
		 EVENT_SET(EVENT_MEMBER_APPROVED) | EVENT_SET(EVENT_MEMBER_DECLINED) | EVENT_SET(EVENT_MEMBER_INVITED) |
		 EVENT_SET(EVENT_MEMBER_LEFT),
	 EVENT_IN_STEP, .in_step = counters_members},
	{"verifications", EVENT_SET(EVENT_ITEM_EDITED) | EVENT_SET(EVENT_ITEM_RESTORED), EVENT_IN_STEP,
	 .in_step = experts_item_edited},
	{"event_seats", EVENT_SET(EVENT_ITEM_EDITED) | EVENT_SET(EVENT_ITEM_RESTORED), EVENT_IN_STEP,
	 .in_step = events_on_item_changed},
	{"approved_dates", EVENT_SET(EVENT_POST_APPROVED), EVENT_IN_STEP, .in_step = item_store_on_approved},
	{"follow_own", EVENT_SET(EVENT_ITEM_CREATED) | EVENT_SET(EVENT_COMMENT_ADDED), EVENT_IN_STEP,
	 .in_step = follows_on_contribution},
	{"case_rounds", EVENT_SET(EVENT_COMMENT_ADDED), EVENT_IN_STEP, .in_step = cases_contribution_added},
	{"guest_mail", EVENT_SET(EVENT_RSVP_PROMOTED) | EVENT_SET(EVENT_RSVP_LAPSED), EVENT_IN_STEP,
	 .in_step = guests_on_event},
	{"moderator_edits", EVENT_SET(EVENT_ITEM_EDITED) | EVENT_SET(EVENT_ITEM_RESTORED) | EVENT_SET(EVENT_COMMENT_EDITED),
	 EVENT_IN_STEP, .in_step = moderation_on_edit},
	{"ambassadors", EVENT_SET(EVENT_MEMBER_LEFT), EVENT_IN_STEP, .in_step = ambassadors_on_event},
	{"audit",
	 EVENT_SET(EVENT_MEMBER_SUSPENDED) | EVENT_SET(EVENT_MEMBER_UNSUSPENDED) | EVENT_SET(EVENT_MEMBER_EXCLUDED) |
		 EVENT_SET(EVENT_MEMBER_REINSTATED) | EVENT_SET(EVENT_MEMBER_BANNED) | EVENT_SET(EVENT_MEMBER_UNBANNED) |
		 EVENT_SET(EVENT_MEMBER_WARNED),
	 EVENT_IN_STEP, .in_step = audit_on_event},
	{"exclusion_decided", EVENT_SET(EVENT_MEMBER_EXCLUDED), EVENT_IN_STEP, .in_step = ladder_on_excluded},
	{"notifications",
	 EVENT_SET(EVENT_ITEM_CREATED) | EVENT_SET(EVENT_COMMENT_ADDED) | EVENT_SET(EVENT_COMMENT_EDITED) |
		 EVENT_SET(EVENT_ANSWER_ACCEPTED) |
		 EVENT_SET(EVENT_ITEM_VERIFIED) | EVENT_SET(EVENT_ITEM_EDITED) | EVENT_SET(EVENT_ITEM_RESTORED) |
		 EVENT_SET(EVENT_MEMBER_REQUESTED) | EVENT_SET(EVENT_MEMBER_INVITED) |
		 EVENT_SET(EVENT_VERIFICATION_LAPSED) | EVENT_SET(EVENT_RSVP_PROMOTED) | EVENT_SET(EVENT_EVENT_CANCELLED) |
		 EVENT_SET(EVENT_REMINDER_SENT) | EVENT_SET(EVENT_MESSAGE_SENT) |
		 EVENT_SET(EVENT_RSVP_LAPSED) | EVENT_SET(EVENT_REPORT_FILED) | EVENT_SET(EVENT_REPORT_SETTLED) |
		 EVENT_SET(EVENT_MEMBER_SUSPENDED) | EVENT_SET(EVENT_MEMBER_UNSUSPENDED) |
		 EVENT_SET(EVENT_MEMBER_REINSTATED) | EVENT_SET(EVENT_MEMBER_BANNED) | EVENT_SET(EVENT_MEMBER_UNBANNED) |
		 EVENT_SET(EVENT_MEMBER_ROLE) | EVENT_SET(EVENT_MEMBER_JOINED) | EVENT_SET(EVENT_MEMBER_APPROVED) |
		 EVENT_SET(EVENT_MEMBER_WARNED) |
		 EVENT_SET(EVENT_POST_APPROVED) | EVENT_SET(EVENT_POST_REJECTED),
	 EVENT_IN_STEP, .in_step = notifications_on_event},
	{"community_webhooks", EVENT_SET(EVENT_ITEM_CREATED) | EVENT_SET(EVENT_ANSWER_ACCEPTED), EVENT_IN_STEP,
	 .in_step = community_webhooks_on_event},
	{"page_cache", EVENT_SET_ALL, EVENT_IN_STEP, .in_step = invalidate_pages},
	{"webhook", EVENT_SET_ITEM, EVENT_QUEUED, .wants = webhooks_wants, .queued = webhooks_deliver},
};
const size_t event_subscribers_count = sizeof(event_subscribers) / sizeof(event_subscribers[0]);
