/* notification_mail: a notification by e-mail at once (see
 * notification_mail.h). */
#include "features/notification_mail.h"

#include "auth/users.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/grow.h"
#include "core/text.h"
#include "db/db.h"
#include "features/event_messages.h"
#include "features/mail_content.h"
#include "features/mail_settings.h"
#include "features/notifications.h"
#include "http/req.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "jobs/jobs.h"
#include "jobs/outbox.h"
#include "render/markdown.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Notifications of one event to one member: one, nearly always. */
#define EVENT_ROWS 8

/* A short piece of what was written: the comment, else the item; a
 * message to an event's attendees whole. */
static const char *excerpt(struct db *db, struct arena *a, const struct notification_row *row)
{
	if (strcmp(row->kind, "event_message") == 0)
		return event_messages_body(db, a, row->object_id);
	bool comment = row->comment_id != 0;
	const char *sql = comment ? "SELECT body FROM comments WHERE id = ?" : "SELECT body FROM items WHERE id = ?";
	struct db_stmt *st = db_query(db, sql, DB_ARGS(db_int(comment ? row->comment_id : row->item_id)));
	const char *text = NULL;
	if (st && db_step(st) == DB_ROW) {
		if (comment) {
			char cut[MARKDOWN_EXCERPT_MAX + 8];
			text_excerpt(db_text_col(st, 0), MARKDOWN_EXCERPT_MAX, cut, sizeof(cut));
			text = arena_strdup(a, cut);
		} else {
			json_t *cut = markdown_excerpt_json(db_text_col(st, 0));
			text = arena_strdup(a, json_string_value(cut));
			json_decref(cut);
		}
	}
	db_done(st);
	return text && *text ? text : NULL;
}

static bool queue_one(struct db *db, struct arena *a, const struct user *u, const struct notification_row *row,
		      int64_t now)
{
	int locale = mail_content_locale(u, 0);
	const char *sentence = notifications_sentence(a, locale, row);
	const char *quote = row->item_id ? excerpt(db, a, row) : NULL;
	const char *link = mail_content_link(a, row->path);
	const char *settings = mail_content_link(a, "/settings/notifications");
	const char *unsubscribe = mail_settings_unsubscribe_url(db, a, u->id, row->kind, now);
	if (!unsubscribe)
		return false;
	const char *paragraphs[8];
	size_t np = 0;
	paragraphs[np++] = format_message(a, locale, N_("Hello {{name}},"), "name", u->name, NULL);
	paragraphs[np++] = sentence;
	if (quote && strcmp(row->kind, "event_message") == 0)
		paragraphs[np++] = quote;
	else if (quote)
		paragraphs[np++] = arena_printf(a, "> %s", quote);
	paragraphs[np++] = link;
	paragraphs[np++] = arena_printf(a, "%s: %s", i18n_get(locale, N_("Choose what you receive by e-mail")), settings);
	paragraphs[np++] = arena_printf(a, "%s: %s", i18n_get(locale, N_("Unsubscribe")), unsubscribe);
	paragraphs[np] = NULL;
	json_t *model = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "subject", sentence, "name", u->name, "sentence",
				  sentence, "link", link, "settings_link", settings, "unsubscribe_link", unsubscribe);
	if (quote)
		json_object_set_new(model, "quote", json_string(quote));
	struct outbox_message m = {
		.kind = arena_printf(a, "notification_%s", row->kind),
		.user_id = u->id,
		.to_name = u->name,
		.to_address = u->email,
		.subject = sentence,
		.text = mail_content_text(a, paragraphs),
		.html = mail_content_html(a, "notification", model, locale),
		.unsubscribe_url = unsubscribe,
	};
	return m.html && outbox_add(db, &m, now);
}

/* The member's notifications of the event that they want at once: each
 * claimed (notification_mails) and queued in one transaction. */
static bool mail_member(struct db *db, struct arena *a, int64_t member_id, int64_t event_id, int64_t now)
{
	struct user *u = users_get(db, a, member_id);
	if (!u) /* excluded since, or gone */
		return !db_failed(db);
	enum mail_pace paces[MAIL_KINDS];
	if (!mail_settings_paces(db, member_id, paces))
		return false;
	struct notification_row *rows;
	ssize_t n = notifications_rows(db, a, member_id, "n.event_id = ? AND n.read_at IS NULL AND " NOT_MAILED,
				       DB_ARGS(db_int(event_id)), EVENT_ROWS, &rows);
	for (ssize_t i = 0; i < n; i++) {
		if (mail_settings_pace_of(paces, rows[i].kind) != MAIL_IMMEDIATELY)
			continue;
		if (!db_begin(db))
			return false;
		int64_t claimed = db_exec(db, "INSERT INTO notification_mails (notification_id, mailed_at) VALUES (?, ?)"
					      " ON CONFLICT (notification_id) DO NOTHING",
					  DB_ARGS(db_int(rows[i].id), db_int(now)));
		if (claimed < 0 || (claimed > 0 && !queue_one(db, a, u, &rows[i], now)) || !db_commit(db)) {
			db_rollback(db);
			return false;
		}
	}
	return n >= 0;
}

const char *notification_mail_send(struct db *db, struct arena *a, const struct job *job, int64_t now)
{
	json_t *payload = json_loads(job->payload, 0, NULL);
	int64_t event_id = json_integer_value(json_object_get(payload, "event"));
	json_decref(payload);
	int64_t *members = NULL;
	size_t n = 0, cap = 0;
	/* Only those who want one of its kinds at once: most want what
	 * merely happened in a digest. */
	const char *sql = arena_printf(a,
				       "SELECT DISTINCT n.user_id FROM notifications n WHERE n.event_id = ?"
				       " AND n.read_at IS NULL AND " NOT_MAILED " AND %s = 'immediately' ORDER BY n.user_id",
				       mail_settings_pace_sql(a, "n.user_id", "n.kind"));
	struct db_stmt *st = db_query(db, sql, DB_ARGS(db_int(event_id)));
	while (st && db_step(st) == DB_ROW) {
		GROW_ARENA(a, members, n, cap);
		members[n++] = db_int_col(st, 0);
	}
	db_done(st);
	if (db_failed(db))
		return "a database error (see the log)";
	for (size_t i = 0; i < n; i++)
		if (!mail_member(db, a, members[i], event_id, now))
			return "a database error (see the log)";
	return NULL;
}
