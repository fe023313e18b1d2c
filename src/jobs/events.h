/*
 * events: what happened, recorded with the write that made it happen.
 *
 * Every write that changes what members see records an event with
 * event_record, on the caller's connection and so in its transaction: an
 * item created, an answer accepted, a member joining a community, … The
 * record is a row of the events table (its type, who did it, what it
 * happened to, when, and a small JSON payload), and it is the one place the
 * write's side effects start from. The subscribers (one table,
 * event_subscribers[], defined at the top level in src/subscribers.c) say
 * which types each takes and how it runs:
 *
 *   in step  runs inside event_record, in the same transaction: the search
 *            index, counters, the page cache. A failure fails the write.
 *   queued   a job (jobs.h) queued in the same transaction, of the kind
 *            named after the subscriber, that the jobs worker runs later
 *            with events_deliver (its row in src/job_kinds.c): the
 *            webhook. A rolled-back write queues nothing; a committed
 *            one is delivered at least once, and by one node at a time
 *            (the jobs' claims).
 *
 * A handler records the event and calls no side effect itself. The event
 * types and their payloads are described in docs/events.md.
 */
#ifndef KRING_EVENTS_H
#define KRING_EVENTS_H

#include "db/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct job;

/* The types of events; their names (event_type_name) are stored. */
enum event_type {
	EVENT_ITEM_CREATED,	 /* item (an answer too: payload parent_id) */
	EVENT_ITEM_EDITED,	 /* item */
	EVENT_ITEM_DELETED,	 /* item */
	EVENT_ITEM_RESTORED,	 /* item, object: the version restored */
	EVENT_ANSWER_ACCEPTED,	 /* item: the question, object: the answer */
	EVENT_COMMENT_ADDED,	 /* item, object: the comment */
	EVENT_COMMENT_EDITED,	 /* item, object: the comment */
	EVENT_COMMENT_DELETED,	 /* item, object: the comment */
	EVENT_REACTION_TOGGLED,	 /* item, object: the comment or 0 */
	EVENT_MEMBER_JOINED,	 /* community, member */
	EVENT_MEMBER_REQUESTED,	 /* community, member: asked to join */
	EVENT_MEMBER_APPROVED,	 /* community, member: request approved */
	EVENT_MEMBER_DECLINED,	 /* community, member: request declined */
	EVENT_MEMBER_INVITED,	 /* community, member */
	EVENT_MEMBER_LEFT,	 /* community, member: left or was removed */
	EVENT_MEMBER_ROLE,	 /* community, member: a new role */
	EVENT_EXPERT_ADDED,	 /* member, payload tag: named by an admin */
	EVENT_EXPERT_ENDORSED,	 /* member, payload tag: by an expert */
	EVENT_EXPERT_REVOKED,	 /* member, payload tag */
	EVENT_ITEM_VERIFIED,	 /* item, member: the expert */
	EVENT_VERIFICATION_WITHDRAWN, /* item, member: the expert */
	EVENT_FILE_ATTACHED,	 /* item, object: the file */
	EVENT_FILE_REMOVED,	 /* item, object: the file */
	EVENT_METHOD_USED,	 /* item */
	EVENT_METHOD_UNUSED,	 /* item */
	EVENT_VARIATION_ADDED,	 /* item: the method, object: the variation */
	EVENT_COMMUNITY_CREATED, /* community */
	EVENT_COMMUNITY_EDITED,	 /* community */
	EVENT_COMMUNITY_ARCHIVED, /* community, payload archived */
	EVENT_VERIFICATION_LAPSED, /* item, member: the expert; by the clock */
	EVENT_CASE_ROUND,	 /* item: a case, payload round: the new round */
	EVENT_RSVP_PROMOTED,	 /* item: the event, member: moved from its waitlist to going;
				    payload claim_by when they must claim the seat by then */
	EVENT_RSVP_LAPSED,	 /* item: the event, member: did not claim the seat in time */
	EVENT_EVENT_CANCELLED,	 /* item: the event, cancelled by its hosts */
	EVENT_REMINDER_SENT,	 /* item: the event, member: reminded the day before; by the clock */
	EVENT_MESSAGE_SENT,	 /* item: the event, object: the message its host wrote to attendees */
	EVENT_REPORT_FILED,	 /* item: the reported item or comment's item (0 for a profile), member: the
				    subject's author, object: the report; payload subject_kind, subject_id, reason */
	EVENT_REPORT_SETTLED,	 /* item and member as report.filed; payload subject_kind, subject_id,
				    outcome, reporters (their ids) */
	EVENT_CONTENT_UNHIDDEN,	 /* item and member as report.filed; payload subject_kind, subject_id */
	EVENT_MEMBER_SUSPENDED,	 /* member, payload reason, until */
	EVENT_MEMBER_UNSUSPENDED, /* member: lifted by a moderator, or ended by the clock (no actor) */
	EVENT_MEMBER_EXCLUDED,	 /* member, payload reason, content: keep or hide */
	EVENT_MEMBER_REINSTATED, /* member: an exclusion undone */
	EVENT_MEMBER_BANNED,	 /* community, member, payload reason */
	EVENT_MEMBER_UNBANNED,	 /* community, member */
	EVENT_MEMBER_WARNED,	 /* member, community (0: none); payload reason, warning, and subject_kind,
				    subject_id when it was about something (features/warnings.h) */
	EVENT_POST_APPROVED,	 /* item: the post or the comment's item, member: its author, object: the comment
				    or 0; payload subject_kind (features/premoderation.h) */
	EVENT_POST_REJECTED,	 /* as post.approved; payload subject_kind, reason */
	EVENT_TYPES
};

/* A set of types, for a subscriber: EVENT_SET(EVENT_ITEM_CREATED) | … */
typedef uint64_t event_set;
#define EVENT_SET(type) ((event_set)1 << (type))
#define EVENT_SET_ALL (EVENT_SET(EVENT_TYPES) - 1)
#define EVENT_SET_ITEM                                                                             \
	(EVENT_SET(EVENT_ITEM_CREATED) | EVENT_SET(EVENT_ITEM_EDITED) | EVENT_SET(EVENT_ITEM_DELETED) | \
	 EVENT_SET(EVENT_ITEM_RESTORED))

/* One event. The ids are 0 where the type has none; actor_id is 0 when no
 * member did it (the command line). payload is a JSON object or NULL. */
struct event {
	int64_t id; /* set by event_record */
	enum event_type type;
	int64_t actor_id;
	int64_t community_id;
	int64_t item_id;
	int64_t member_id; /* the member it is about (joined, invited, …) */
	int64_t object_id; /* a comment, a file, a version: see the types */
	int64_t created_at;
	json_t *payload;
};

/* "item.created", …; NULL for a number that is no type. */
const char *event_type_name(enum event_type type);
/* The type of a name, or -1. */
int event_type_of(const char *name);

/* How a subscriber runs. An in-step one gets the event in the write's
 * transaction and answers false on a database error, which fails the write.
 * A queued one gets it from the jobs worker, with the job's id as the
 * delivery's id, and answers NULL when done or why not (it is tried again
 * later; static text or in the arena). */
enum event_timing { EVENT_IN_STEP, EVENT_QUEUED };
struct event_subscriber {
	const char *name; /* a queued one's job kind */
	event_set types;
	enum event_timing timing;
	/* Optional, for a queued one: whether this event is for it at all,
	 * asked in the write's transaction (the webhook: is there one, and
	 * is the item public). Nothing is queued when it answers false. */
	bool (*wants)(struct db *db, const struct event *e);
	bool (*in_step)(struct db *db, const struct event *e);
	const char *(*queued)(struct db *db, struct arena *a, const struct event *e, int64_t delivery,
			      int64_t now);
};

/* Defined at the top level (src/subscribers.c). */
extern const struct event_subscriber event_subscribers[];
extern const size_t event_subscribers_count;

/* Whether the subscriber takes events of the type. */
bool event_subscriber_takes(const struct event_subscriber *s, enum event_type type);
/* The queued subscriber of that name (a job kind), or NULL. */
const struct event_subscriber *event_subscriber_queued(const char *name);

/* Records the event on db, in the caller's transaction: stores it, runs the
 * in-step subscribers that take its type and queues a job for each queued
 * one. Takes the payload (decref'd). Sets e->id. False on a database error
 * (the caller's write then fails as a whole). */
DB_MUST_CHECK bool event_record(struct db *db, struct event *e);

/* How many events this thread has recorded, ever: a request that records
 * none compares the count before and after (the request layer invalidates
 * the page cache itself for writes that record no event). */
int64_t events_recorded(void);

/* Reads the stored event id into *e with its payload (the caller
 * decrefs it): 1, 0 when there is none, -1 on a database error. */
int event_load(struct db *db, int64_t id, struct event *e);

/* The handler of a queued subscriber's jobs (payload {"event": id}). */
const char *events_deliver(struct db *db, struct arena *a, const struct job *job, int64_t now);

#endif
