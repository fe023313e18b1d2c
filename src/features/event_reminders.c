/* event_reminders: those going are reminded the day before (see
 * event_reminders.h). */
#include "features/event_reminders.h"

#include "auth/policy.h"
#include "core/arena.h"
#include "core/grow.h"
#include "core/zone.h"
#include "db/db.h"
#include "features/event_cancel.h"
#include "features/guests.h"
#include "jobs/events.h"
#include "jobs/jobs.h"

#include <jansson.h>
#include <stdio.h>
#include <time.h>

#define DB_ERROR "a database error (see the log)"

bool event_reminders_schedule(struct db *db, int64_t now)
{
	char key[64];
	snprintf(key, sizeof(key), "event_reminders:%lld", (long long)(now / 3600));
	return jobs_enqueue(db, "event_reminders", "{}", now, now, key);
}

/* An event to remind of. */
struct due {
	int64_t item_id, community_id, starts_at;
	const char *zone;
};

/* The live events that start after now and within REMINDER_AHEAD, with
 * someone going who has not been reminded; how many into *out, -1 on a
 * database error. */
static ssize_t due_events(struct db *db, struct arena *a, int64_t now, struct due **out)
{
	struct due *list = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st = db_query(db,
		"SELECT i.id, i.community_id, ed.starts_at, ed.timezone FROM event_details ed"
		" JOIN items i ON i.id = ed.item_id WHERE ed.starts_at > ? AND ed.starts_at <= ?"
		" AND i.deleted_at IS NULL AND " EVENT_NOT_CANCELLED_SQL("i.id") " AND (EXISTS (SELECT 1 FROM event_rsvps r"
		" WHERE r.item_id = i.id AND r.state = 'going' AND NOT EXISTS (SELECT 1 FROM event_reminders m"
		" WHERE m.item_id = r.item_id AND m.user_id = r.user_id)) OR " GUESTS_UNREMINDED_SQL("i.id") ")"
		" ORDER BY ed.starts_at, i.id",
		DB_ARGS(db_int(now), db_int(now + REMINDER_AHEAD)));
	while (st && db_step(st) == DB_ROW) {
		GROW_ARENA(a, list, n, cap);
		list[n++] = (struct due){db_int_col(st, 0), db_null_col(st, 1) ? 0 : db_int_col(st, 1),
					 db_int_col(st, 2), arena_strdup(a, db_text_col(st, 3))};
	}
	db_done(st);
	if (db_failed(db))
		return -1;
	*out = list;
	return (ssize_t)n;
}

/* Reminds the member, unless they were already or may not read the event:
 * the record that they were and the event that tells them, in one
 * transaction. */
static bool remind(struct db *db, const struct due *d, int64_t member_id, const char *time, int64_t now)
{
	if (!db_begin(db))
		return false;
	bool readable = db_exists(db, "SELECT 1 FROM items i WHERE i.id = ? AND " POLICY_ITEM_VISIBLE_SQL,
				  DB_ARGS(db_int(d->item_id), POLICY_ITEM_VISIBLE_ARGS(member_id)));
	int64_t claimed = readable ? db_exec(db, "INSERT INTO event_reminders (item_id, user_id, sent_at)"
						 " VALUES (?, ?, ?) ON CONFLICT (item_id, user_id) DO NOTHING",
					     DB_ARGS(db_int(d->item_id), db_int(member_id), db_int(now)))
				   : 0;
	bool ok = claimed >= 0 && !db_failed(db) &&
		  (claimed == 0 ||
		   event_record(db, &(struct event){.type = EVENT_REMINDER_SENT, .community_id = d->community_id,
						    .item_id = d->item_id, .member_id = member_id, .created_at = now,
						    .payload = json_pack("{s:s}", "time", time)})) &&
		  db_commit(db);
	if (!ok)
		db_rollback(db);
	return ok;
}

/* Those going to the event who have not been reminded and whose account
 * is not excluded. */
static ssize_t going_unreminded(struct db *db, struct arena *a, int64_t item_id, int64_t **out)
{
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st = db_query(db,
		"SELECT r.user_id FROM event_rsvps r JOIN users u ON u.id = r.user_id WHERE r.item_id = ?"
		" AND r.state = 'going' AND " POLICY_ACCOUNT_SHOWN_SQL("u.status")
		" AND NOT EXISTS (SELECT 1 FROM event_reminders m WHERE m.item_id = r.item_id"
		" AND m.user_id = r.user_id) ORDER BY r.id",
		DB_ARGS(db_int(item_id)));
	while (st && db_step(st) == DB_ROW) {
		GROW_ARENA(a, ids, n, cap);
		ids[n++] = db_int_col(st, 0);
	}
	db_done(st);
	if (db_failed(db))
		return -1;
	*out = ids;
	return (ssize_t)n;
}

/* The number of the local day (days since 1970-01-01). */
static int64_t day_number(const struct zone_local *l)
{
	struct tm tm = {.tm_year = l->year - 1900, .tm_mon = l->month - 1, .tm_mday = l->day, .tm_hour = 12};
	return (int64_t)timegm(&tm) / (24 * 3600);
}

/* The start of the event as its clock shows it ("18:30 CET"), when that
 * is tomorrow on its clock; NULL otherwise (today already: it is too late
 * to say "tomorrow"). In a. */
static const char *tomorrow_at(struct arena *a, const struct due *d, int64_t now)
{
	struct zone_local start, today;
	char abbrev[16] = "";
	if (!zone_from_utc(d->zone, d->starts_at, &start, abbrev, sizeof(abbrev)) ||
	    !zone_from_utc(d->zone, now, &today, NULL, 0))
		return NULL;
	if (day_number(&start) != day_number(&today) + 1)
		return NULL;
	return arena_printf(a, "%02d:%02d %s", start.hour, start.minute, abbrev);
}

const char *event_reminders_send(struct db *db, struct arena *a, const struct job *job, int64_t now)
{
	(void)job;
	struct due *events;
	ssize_t n = due_events(db, a, now, &events);
	if (n < 0)
		return DB_ERROR;
	for (ssize_t i = 0; i < n; i++) {
		const char *time = tomorrow_at(a, &events[i], now);
		if (!time)
			continue;
		int64_t *members;
		ssize_t m = going_unreminded(db, a, events[i].item_id, &members);
		if (m < 0)
			return DB_ERROR;
		for (ssize_t j = 0; j < m; j++)
			if (!remind(db, &events[i], members[j], time, now))
				return DB_ERROR;
		if (!db_begin(db))
			return DB_ERROR;
		if (!guests_remind(db, events[i].item_id, now) || !db_commit(db)) {
			db_rollback(db);
			return DB_ERROR;
		}
	}
	return NULL;
}
