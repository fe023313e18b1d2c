/* outbox: queuing and sending e-mail (see outbox.h). */
#include "jobs/outbox.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "jobs/jobs.h"
#include "jobs/mail_format.h"
#include "jobs/mail_send.h"

#include <stdio.h>
#include <string.h>

bool outbox_add(struct db *db, const struct outbox_message *m, int64_t now)
{
	struct mail mail = {
		.from_name = config.site_name,
		.from_address = config.mail_from,
		.to_name = m->to_name,
		.to_address = m->to_address,
		.subject = m->subject,
		.text = m->text,
		.html = m->html,
		.unsubscribe_url = m->unsubscribe_url,
		.date = now,
	};
	struct buf text = {0};
	if (!mail_format(&mail, &text)) {
		fprintf(stderr, "mail: %s to account %lld not queued: the address cannot be sent to\n", m->kind,
			(long long)m->user_id);
		buf_free(&text);
		return true;
	}
	struct db_stmt *st = db_query(db,
		"INSERT INTO mail_outbox (kind, user_id, to_address, subject, message, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		DB_ARGS(db_text(m->kind), m->user_id ? db_int(m->user_id) : db_null(), db_text(m->to_address),
			db_text(m->subject), db_text(text.data), db_int(now)));
	int64_t id = db_step(st) == DB_ROW ? db_int_col(st, 0) : 0;
	db_done(st);
	buf_free(&text);
	if (!id)
		return false;
	char payload[64], key[64];
	snprintf(payload, sizeof(payload), "{\"mail\": %lld}", (long long)id);
	snprintf(key, sizeof(key), "mail:%lld", (long long)id);
	return jobs_enqueue(db, "mail", payload, now, now, key);
}

const char *outbox_send(struct db *db, struct arena *a, const struct job *job, int64_t now)
{
	json_t *payload = json_loads(job->payload, 0, NULL);
	int64_t id = json_integer_value(json_object_get(payload, "mail"));
	json_decref(payload);
	struct db_stmt *st = db_query(db, "SELECT to_address, message, created_at FROM mail_outbox"
					  " WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL",
				      DB_ARGS(db_int(id)));
	int rc = db_step(st);
	const char *to = rc == DB_ROW ? arena_strdup(a, db_text_col(st, 0)) : NULL;
	const char *message = rc == DB_ROW ? arena_strdup(a, db_text_col(st, 1)) : NULL;
	int64_t created_at = rc == DB_ROW ? db_int_col(st, 2) : 0;
	db_done(st);
	if (rc == DB_DONE)
		return NULL; /* sent already (a lapsed claim run again), or gone */
	if (rc != DB_ROW)
		return "a database error (see the log)";
	if (db_exec(db, "UPDATE mail_outbox SET attempts = attempts + 1, last_attempt_at = ? WHERE id = ?",
		    DB_ARGS(db_int(now), db_int(id))) < 0)
		return "a database error (see the log)";

	const char *sent_to = "smtp", *error;
	if (config.smtp_url && *config.smtp_url)
		error = mail_send_smtp(a, to, message);
	else
		error = mail_write_file(a, id, created_at, message, &sent_to);
	if (error) {
		/* The job's last attempt fails the message too. */
		bool final = job->attempts >= JOBS_MAX_ATTEMPTS;
		if (db_exec(db, "UPDATE mail_outbox SET last_error = ?, failed_at = ? WHERE id = ?",
			    DB_ARGS(db_text(error), final ? db_int(now) : db_null(), db_int(id))) < 0)
			fprintf(stderr, "mail: cannot record why message %lld failed\n", (long long)id);
		return error;
	}
	/* What it said (a reset link) is the recipient's alone from now on. */
	if (db_exec(db, "UPDATE mail_outbox SET sent_at = ?, sent_to = ?, last_error = NULL, message = ''"
			" WHERE id = ?", DB_ARGS(db_int(now), db_text(sent_to), db_int(id))) < 0)
		fprintf(stderr, "mail: message %lld was sent but cannot be marked so\n", (long long)id);
	return NULL;
}

int64_t outbox_purge(struct db *db, int64_t before)
{
	return db_exec(db, "DELETE FROM mail_outbox WHERE sent_at <= ? OR failed_at <= ?",
		       DB_ARGS(db_int(before), db_int(before)));
}

json_t *outbox_recent(struct db *db, int limit)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(db,
		"SELECT id, kind, to_address, subject, attempts, last_error, created_at, sent_at, sent_to, failed_at"
		" FROM mail_outbox ORDER BY id DESC LIMIT ?", DB_ARGS(db_int(limit)));
	while (db_step(st) == DB_ROW) {
		bool sent = !db_null_col(st, 7), failed = !db_null_col(st, 9);
		const char *sent_to = db_text_col(st, 8);
		const char *state = sent ? "sent" : failed ? "failed" : db_int_col(st, 4) > 0 ? "retrying" : "queued";
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s?, s:I}", "id", (json_int_t)db_int_col(st, 0),
				      "kind", db_text_col(st, 1), "to", db_text_col(st, 2), "subject",
				      db_text_col(st, 3), "state", state, "attempts", (json_int_t)db_int_col(st, 4),
				      "last_error", db_text_col(st, 5), "created_at", (json_int_t)db_int_col(st, 6));
		json_object_set_new(o, "sent_at", sent ? json_integer(db_int_col(st, 7)) : json_null());
		json_object_set_new(o, "sent_to", sent_to ? json_string(sent_to) : json_null());
		json_object_set_new(o, "file", sent_to && strcmp(sent_to, "smtp") != 0 ? json_string(sent_to)
										      : json_null());
		json_array_append_new(list, o);
	}
	db_done(st);
	return list;
}
