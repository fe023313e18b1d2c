/* digests: the daily and weekly digests of what members follow (see
 * digests.h). */
#include "features/digests.h"

#include "auth/users.h"
#include "core/arena.h"
#include "core/grow.h"
#include "db/db.h"
#include "features/digest_mail.h"
#include "features/mail_content.h"
#include "features/mail_settings.h"
#include "features/notifications.h"
#include "http/req.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "jobs/jobs.h"

#include <stdio.h>
#include <string.h>

#define DAY (24 * 3600)
#define WEEK (7 * DAY)
/* A digest looks this much further back than its period: after the job
 * could not run for a while (a node down), what happened is told late
 * rather than never; the last notification each member's digest covered
 * keeps anything from being told twice. */
#define CATCH_UP WEEK
/* The most notifications one digest looks at; the rest wait for the next. */
#define DIGEST_ROWS 500
#define DB_ERROR "a database error (see the log)"

int64_t digests_due_at(int64_t now, bool weekly)
{
	int64_t day = now / DAY;
	if (weekly)
		day -= (day + 3) % 7; /* 1 January 1970 was a Thursday */
	int64_t at = day * DAY + DIGEST_HOUR * 3600;
	return at > now ? at - (weekly ? WEEK : DAY) : at;
}

bool digests_schedule(struct db *db, int64_t now)
{
	char key[64];
	snprintf(key, sizeof(key), "digests:%lld", (long long)(now / 3600));
	return jobs_enqueue(db, "digests", "{}", now, now, key);
}

/* Where a notification goes in a digest: a new question by whether it
 * has been answered, a new best practice or method on its own. */
static enum digest_section section_of(const struct notification_row *row)
{
	const char *kind = row->kind, *thread = row->thread_kind ? row->thread_kind : "";
	if (strcmp(kind, "post") == 0 && strcmp(thread, "question") == 0)
		return row->solved ? DIGEST_ACCEPTED : DIGEST_UNANSWERED;
	if (strcmp(kind, "post") == 0 && (strcmp(thread, "article") == 0 || strcmp(thread, "method") == 0))
		return DIGEST_PRACTICES;
	if (strcmp(kind, "accepted") == 0 || strcmp(kind, "solved") == 0)
		return DIGEST_ACCEPTED;
	if (strcmp(kind, "verified") == 0)
		return DIGEST_VERIFIED;
	return DIGEST_OTHER;
}

/* A line being made: answers and comments on one thread are one line. */
struct pending {
	struct digest_line line;
	const struct notification_row *first;
	int64_t count;
};

static bool grouped(const char *kind)
{
	return strcmp(kind, "answer") == 0 || strcmp(kind, "comment") == 0;
}

/* The digest's lines from the rows of its pace, in a; how many. */
static size_t digest_lines(struct arena *a, int locale, const struct notification_row *rows, size_t nrows,
			   const enum mail_pace *paces, enum mail_pace pace, struct digest_line **out)
{
	struct pending *p = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < nrows; i++) {
		const struct notification_row *row = &rows[i];
		if (mail_settings_pace_of(paces, row->kind) != pace)
			continue;
		size_t j = 0;
		while (j < n && !(grouped(row->kind) && strcmp(p[j].first->kind, row->kind) == 0 &&
				  p[j].first->thread_id == row->thread_id))
			j++;
		if (j < n) {
			p[j].count++;
			continue;
		}
		GROW_ARENA(a, p, n, cap);
		p[n++] = (struct pending){
			.line = {.section = section_of(row), .path = row->path, .where = row->community},
			.first = row,
			.count = 1,
		};
	}
	struct digest_line *lines = arena_alloc(a, (n ? n : 1) * sizeof(*lines));
	for (size_t j = 0; j < n; j++) {
		lines[j] = p[j].line;
		const struct notification_row *row = p[j].first;
		if (p[j].count == 1) {
			lines[j].title = notifications_sentence(a, locale, row);
			continue;
		}
		const char *msgid = strcmp(row->kind, "answer") == 0
					    ? N_("{{count}} new answer on {{title}}|{{count}} new answers on {{title}}")
					    : N_("{{count}} new comment on {{title}}|{{count}} new comments on {{title}}");
		lines[j].title = format_count(a, locale, msgid, p[j].count, "count",
					      arena_printf(a, "%lld", (long long)p[j].count), "title",
					      row->title && *row->title ? row->title : i18n_get(locale, N_("Update")), NULL);
	}
	*out = lines;
	return n;
}

/* The member's digest of the pace, of what happened before due and after
 * their last digest, back to since at most: made, queued and recorded in
 * one transaction, so that it is sent once or not at all. */
static bool send_member(struct db *db, struct arena *a, int64_t member_id, bool weekly, int64_t since, int64_t due,
			int64_t now)
{
	struct user *u = users_get(db, a, member_id);
	if (!u)
		return !db_failed(db);
	enum mail_pace paces[MAIL_KINDS];
	if (!mail_settings_paces(db, member_id, paces))
		return false;
	const char *pace = weekly ? "weekly" : "daily";
	int64_t last = db_scalar_int(db, 0, "SELECT last_notification_id FROM digests WHERE user_id = ? AND pace = ?",
				     DB_ARGS(db_int(member_id), db_text(pace)));
	struct notification_row *rows;
	ssize_t nrows = notifications_rows(db, a, member_id,
					   "n.id > ? AND n.created_at > ? AND n.created_at < ? AND " NOT_MAILED,
					   DB_ARGS(db_int(last), db_int(since), db_int(due)),
					   DIGEST_ROWS, &rows);
	if (nrows < 0)
		return false;
	int locale = mail_content_locale(u, 0);
	struct digest_line *lines;
	size_t nlines = digest_lines(a, locale, rows, (size_t)nrows, paces, weekly ? MAIL_WEEKLY : MAIL_DAILY, &lines);
	if (!db_begin(db))
		return false;
	const char *unsubscribe = nlines ? mail_settings_unsubscribe_url(db, a, member_id, pace, now) : NULL;
	struct digest_mail d = {
		.kind = weekly ? "weekly_digest" : "daily_digest",
		.user_id = member_id,
		.to_name = u->name,
		.to_address = u->email,
		.locale = locale,
		.weekly = weekly,
		.about = i18n_get(locale, N_("what you follow")),
		.lines = lines,
		.nlines = nlines,
		.rest_path = "/notifications",
		.settings_path = "/settings/notifications",
		.unsubscribe_url = unsubscribe,
	};
	bool ok = (!nlines || (unsubscribe && digest_mail_queue(db, a, &d, now))) &&
		  db_exec(db,
			  "INSERT INTO digests (user_id, pace, sent_at, last_notification_id) VALUES (?, ?, ?, ?)"
			  " ON CONFLICT (user_id, pace) DO UPDATE SET sent_at = excluded.sent_at,"
			  " last_notification_id = excluded.last_notification_id",
			  DB_ARGS(db_int(member_id), db_text(pace), db_int(now),
				  db_int(nrows ? rows[nrows - 1].id : last))) >= 0 &&
		  db_commit(db);
	if (!ok)
		db_rollback(db);
	return ok;
}

/* The members who have had no digest of the pace since it was last due,
 * and something new from before then, since its period began (or a week
 * earlier, when the job could not run for a while): what happens after it
 * was due waits for the next one. */
static bool send_pace(struct db *db, struct arena *a, bool weekly, bool at_once, int64_t now)
{
	int64_t due = at_once ? now + 1 : digests_due_at(now, weekly);
	int64_t since = due - (weekly ? WEEK : DAY) - CATCH_UP;
	int64_t *members = NULL;
	size_t n = 0, cap = 0;
	const char *pace = weekly ? "weekly" : "daily";
	const char *sql = arena_printf(
		a,
		"SELECT DISTINCT n.user_id FROM notifications n LEFT JOIN digests d ON d.user_id = n.user_id"
		" AND d.pace = ? WHERE n.created_at > ? AND n.created_at < ? AND " NOT_MAILED
		" AND n.id > COALESCE(d.last_notification_id, 0) AND (d.sent_at IS NULL OR d.sent_at < ?)"
		" AND %s = ? ORDER BY n.user_id",
		mail_settings_pace_sql(a, "n.user_id", "n.kind"));
	struct db_stmt *st =
		db_query(db, sql, DB_ARGS(db_text(pace), db_int(since), db_int(due), db_int(due), db_text(pace)));
	while (st && db_step(st) == DB_ROW) {
		GROW_ARENA(a, members, n, cap);
		members[n++] = db_int_col(st, 0);
	}
	db_done(st);
	if (db_failed(db))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!send_member(db, a, members[i], weekly, since, due, now))
			return false;
	return true;
}

const char *digests_send(struct db *db, struct arena *a, const struct job *job, int64_t now)
{
	json_t *payload = json_loads(job->payload, 0, NULL);
	bool at_once = json_is_true(json_object_get(payload, "now"));
	json_decref(payload);
	if (!send_pace(db, a, false, at_once, now) || !send_pace(db, a, true, at_once, now))
		return DB_ERROR;
	return NULL;
}

json_t *digests_send_now(struct req *r)
{
	if (!jobs_enqueue(r->db, "digests", "{\"now\": true}", r->now, r->now, NULL))
		return req_fail_internal(r);
	return req_done(r, 202, "/admin/mail?digests=1", json_pack("{s:b}", "queued", true));
}
