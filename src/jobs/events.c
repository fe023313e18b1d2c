/* events: recording what happened and handing it to the subscribers (see
 * events.h). */
#include "jobs/events.h"

#include "core/arena.h"
#include "core/mem.h"
#include "db/db.h"
#include "jobs/jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[EVENT_TYPES] = {
	[EVENT_ITEM_CREATED] = "item.created",
	[EVENT_ITEM_EDITED] = "item.edited",
	[EVENT_ITEM_DELETED] = "item.deleted",
	[EVENT_ITEM_RESTORED] = "item.restored",
	[EVENT_ANSWER_ACCEPTED] = "answer.accepted",
	[EVENT_COMMENT_ADDED] = "comment.added",
	[EVENT_COMMENT_EDITED] = "comment.edited",
	[EVENT_COMMENT_DELETED] = "comment.deleted",
	[EVENT_REACTION_TOGGLED] = "reaction.toggled",
	[EVENT_MEMBER_JOINED] = "member.joined",
	[EVENT_MEMBER_REQUESTED] = "member.requested",
	[EVENT_MEMBER_APPROVED] = "member.approved",
	[EVENT_MEMBER_DECLINED] = "member.declined",
	[EVENT_MEMBER_INVITED] = "member.invited",
	[EVENT_MEMBER_LEFT] = "member.left",
	[EVENT_MEMBER_ROLE] = "member.role",
	[EVENT_EXPERT_ADDED] = "expert.added",
	[EVENT_EXPERT_ENDORSED] = "expert.endorsed",
	[EVENT_EXPERT_REVOKED] = "expert.revoked",
	[EVENT_ITEM_VERIFIED] = "item.verified",
	[EVENT_VERIFICATION_WITHDRAWN] = "verification.withdrawn",
	[EVENT_VERIFICATION_LAPSED] = "verification.lapsed",
	[EVENT_CASE_ROUND] = "case.round",
	[EVENT_FILE_ATTACHED] = "file.attached",
	[EVENT_FILE_REMOVED] = "file.removed",
	[EVENT_METHOD_USED] = "method.used",
	[EVENT_METHOD_UNUSED] = "method.unused",
	[EVENT_VARIATION_ADDED] = "variation.added",
	[EVENT_COMMUNITY_CREATED] = "community.created",
	[EVENT_COMMUNITY_EDITED] = "community.edited",
	[EVENT_COMMUNITY_ARCHIVED] = "community.archived",
	[EVENT_RSVP_PROMOTED] = "rsvp.promoted",
	[EVENT_RSVP_LAPSED] = "rsvp.lapsed",
	[EVENT_EVENT_CANCELLED] = "event.cancelled",
	[EVENT_REMINDER_SENT] = "reminder.sent",
	[EVENT_MESSAGE_SENT] = "message.sent",
	[EVENT_REPORT_FILED] = "report.filed",
	[EVENT_REPORT_SETTLED] = "report.settled",
	[EVENT_CONTENT_UNHIDDEN] = "content.unhidden",
	[EVENT_MEMBER_SUSPENDED] = "member.suspended",
	[EVENT_MEMBER_UNSUSPENDED] = "member.unsuspended",
	[EVENT_MEMBER_EXCLUDED] = "member.excluded",
	[EVENT_MEMBER_REINSTATED] = "member.reinstated",
	[EVENT_MEMBER_BANNED] = "member.banned",
	[EVENT_MEMBER_UNBANNED] = "member.unbanned",
	[EVENT_MEMBER_WARNED] = "member.warned",
	[EVENT_POST_APPROVED] = "post.approved",
	[EVENT_POST_REJECTED] = "post.rejected",
};

/* Read by the request layer of the same thread only. */
static _Thread_local int64_t recorded;

const char *event_type_name(enum event_type type)
{
	return (unsigned)type < EVENT_TYPES ? type_names[type] : NULL;
}

int event_type_of(const char *name)
{
	for (int t = 0; name && t < EVENT_TYPES; t++)
		if (strcmp(type_names[t], name) == 0)
			return t;
	return -1;
}

bool event_subscriber_takes(const struct event_subscriber *s, enum event_type type)
{
	return (unsigned)type < EVENT_TYPES && (s->types & EVENT_SET(type));
}

const struct event_subscriber *event_subscriber_queued(const char *name)
{
	for (size_t i = 0; i < event_subscribers_count; i++)
		if (event_subscribers[i].timing == EVENT_QUEUED && strcmp(event_subscribers[i].name, name) == 0)
			return &event_subscribers[i];
	return NULL;
}

static struct db_value id_or_null(int64_t id)
{
	return id ? db_int(id) : db_null();
}

/* Stores e and sets its id. */
static bool store(struct db *db, struct event *e)
{
	char *payload = e->payload ? json_dumps(e->payload, JSON_COMPACT) : NULL;
	struct db_stmt *st = db_query(db,
		"INSERT INTO events (type, actor_id, community_id, item_id, member_id, object_id, created_at, payload)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		DB_ARGS(db_text(event_type_name(e->type)), id_or_null(e->actor_id), id_or_null(e->community_id),
			id_or_null(e->item_id), id_or_null(e->member_id), id_or_null(e->object_id),
			db_int(e->created_at), db_text(payload ? payload : "{}")));
	e->id = db_step(st) == DB_ROW ? db_int_col(st, 0) : 0;
	db_done(st);
	json_text_free(payload);
	return e->id != 0;
}

/* Queues s's job for the stored event: once per event and subscriber,
 * however often this is called. */
static bool enqueue(struct db *db, const struct event_subscriber *s, const struct event *e)
{
	char payload[48], key[160];
	snprintf(payload, sizeof(payload), "{\"event\":%lld}", (long long)e->id);
	snprintf(key, sizeof(key), "event:%lld:%s", (long long)e->id, s->name);
	return jobs_enqueue(db, s->name, payload, e->created_at, e->created_at, key);
}

bool event_record(struct db *db, struct event *e)
{
	bool ok = store(db, e);
	for (size_t i = 0; ok && i < event_subscribers_count; i++) {
		const struct event_subscriber *s = &event_subscribers[i];
		if (!event_subscriber_takes(s, e->type))
			continue;
		if (s->timing == EVENT_IN_STEP)
			ok = s->in_step(db, e);
		else if (!s->wants || s->wants(db, e))
			ok = enqueue(db, s, e);
	}
	json_decref(e->payload);
	e->payload = NULL;
	if (ok)
		recorded++;
	return ok;
}

int64_t events_recorded(void)
{
	return recorded;
}

int event_load(struct db *db, int64_t id, struct event *e)
{
	struct db_stmt *st = db_query(db,
		"SELECT type, actor_id, community_id, item_id, member_id, object_id, created_at, payload"
		" FROM events WHERE id = ?", DB_ARGS(db_int(id)));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		int type = event_type_of(db_text_col(st, 0));
		*e = (struct event){
			.id = id,
			.type = type < 0 ? EVENT_TYPES : (enum event_type)type,
			.actor_id = db_int_col(st, 1),
			.community_id = db_int_col(st, 2),
			.item_id = db_int_col(st, 3),
			.member_id = db_int_col(st, 4),
			.object_id = db_int_col(st, 5),
			.created_at = db_int_col(st, 6),
			.payload = json_loads(db_text_col(st, 7), 0, NULL),
		};
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

const char *events_deliver(struct db *db, struct arena *a, const struct job *job, int64_t now)
{
	const struct event_subscriber *s = event_subscriber_queued(job->kind);
	json_t *payload = json_loads(job->payload, 0, NULL);
	int64_t id = json_integer_value(json_object_get(payload, "event"));
	json_decref(payload);
	if (!s)
		return arena_printf(a, "no subscriber is called \"%s\"", job->kind);
	struct event e;
	int rc = id > 0 ? event_load(db, id, &e) : 0;
	if (rc < 0)
		return "a database error (see the log)";
	if (rc == 0)
		return "the job names no stored event";
	const char *error = e.type == EVENT_TYPES ? "the event's type is not known" : s->queued(db, a, &e, job->id, now);
	json_decref(e.payload);
	return error;
}
