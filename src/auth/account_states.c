/* account_states: the reasons and ends of account states (see
 * account_states.h). */
#include "auth/account_states.h"

#include "core/buf.h"
#include "core/text.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "render/template.h"
#include "core/arena.h"
#include "core/grow.h"
#include "http/req.h"

#include <string.h>

void account_states_at(struct user *u, int64_t now)
{
	if (u && u->status && strcmp(u->status, "suspended") == 0 && u->suspended_until && u->suspended_until <= now) {
		u->status = "active";
		u->suspended_until = 0;
		u->suspension_reason = NULL;
	}
}

/* users.status is this module's to set (users.h reads it). */
static bool set_status(struct db *db, int64_t member_id, const char *status)
{
	return db_exec(db, "UPDATE users SET status = ? WHERE id = ?", DB_ARGS(db_text(status), db_int(member_id))) == 1;
}

const char *account_states_time_text(struct arena *a, int64_t t)
{
	struct buf text = {0};
	tmpl_write_time(t, false, &text);
	const char *s = arena_strndup(a, text.data ? text.data : "", text.len);
	buf_free(&text);
	return s;
}

const char *account_states_suspension_text(struct arena *a, int locale, const struct user *u)
{
	if (!u || !u->suspended_until || !u->suspension_reason)
		return i18n_get(locale, N_("Your account is suspended: you can read, but not post or change anything."));
	return format_message(a, locale, N_("You are suspended until {{until}} because: {{reason}}"), "until",
			      account_states_time_text(a, u->suspended_until), "reason", u->suspension_reason, NULL);
}

/* The row of the decision, replacing one the member had. */
static bool record(struct db *db, int64_t member_id, const char *reason, int64_t until, bool hide, int64_t actor_id,
		   int64_t now)
{
	return db_exec(db,
		       "INSERT INTO account_states (user_id, reason, ends_at, hides_content, actor_id, created_at)"
		       " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET reason = excluded.reason,"
		       " ends_at = excluded.ends_at, hides_content = excluded.hides_content,"
		       " actor_id = excluded.actor_id, created_at = excluded.created_at",
		       DB_ARGS(db_int(member_id), db_text(reason), until ? db_int(until) : db_null(), db_int(hide),
			       actor_id ? db_int(actor_id) : db_null(), db_int(now))) == 1;
}

bool account_states_suspend(struct db *db, int64_t member_id, const char *reason, int64_t until, int64_t actor_id,
			    int64_t now)
{
	return record(db, member_id, reason, until, false, actor_id, now) &&
	       set_status(db, member_id, "suspended");
}

bool account_states_exclude(struct db *db, int64_t member_id, const char *reason, bool hide_content,
			    int64_t actor_id, int64_t now)
{
	return record(db, member_id, reason, 0, hide_content, actor_id, now) &&
	       set_status(db, member_id, "excluded");
}

bool account_states_reinstate(struct db *db, int64_t member_id)
{
	return db_exec(db, "DELETE FROM account_states WHERE user_id = ?", DB_ARGS(db_int(member_id))) >= 0 &&
	       set_status(db, member_id, "active");
}

bool account_states_find(struct db *db, struct arena *a, const char *handle, struct account_state *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st = db_query(db,
				      "SELECT u.id, u.handle, u.name, u.email, u.locale, u.role, u.status, s.reason,"
				      " s.ends_at, s.hides_content FROM users u"
				      " LEFT JOIN account_states s ON s.user_id = u.id WHERE u.handle = lower(?)",
				      DB_ARGS(db_text(handle)));
	bool found = st && db_step(st) == DB_ROW;
	if (found) {
		out->id = db_int_col(st, 0);
		out->handle = arena_strdup(a, db_text_col(st, 1));
		out->name = arena_strdup(a, db_text_col(st, 2));
		out->email = arena_strdup(a, db_text_col(st, 3));
		out->locale = db_null_col(st, 4) ? NULL : arena_strdup(a, db_text_col(st, 4));
		out->role = arena_strdup(a, db_text_col(st, 5));
		out->status = arena_strdup(a, db_text_col(st, 6));
		out->reason = db_null_col(st, 7) ? NULL : arena_strdup(a, db_text_col(st, 7));
		out->ends_at = db_null_col(st, 8) ? 0 : db_int_col(st, 8);
		out->hides_content = !db_null_col(st, 9) && db_int_col(st, 9) != 0;
	}
	db_done(st);
	return found;
}

const char *account_states_reason_field(struct req *r)
{
	const char *sent = req_param(r, "reason");
	const char *reason = sent ? text_trim(arena_strdup(&r->arena, sent)) : NULL;
	const char *problem = NULL;
	if (!reason || !*reason)
		problem = N_("Give the reason the member will read.");
	else if (utf8_length(reason) > ACCOUNT_STATES_REASON_MAX)
		problem = N_("A reason has at most 1000 characters.");
	else if (!text_printable(reason, true))
		problem = N_("A reason cannot contain control characters.");
	if (!problem)
		return reason;
	req_fail(r, 422, "invalid", problem);
	r->error.field = "reason";
	return NULL;
}

int64_t *account_states_ended(struct db *db, struct arena *a, int64_t now, size_t *n)
{
	int64_t *ids = NULL;
	size_t cap = 0;
	*n = 0;
	struct db_stmt *st = db_query(db,
				      "SELECT u.id FROM users u JOIN account_states s ON s.user_id = u.id"
				      " WHERE u.status = 'suspended' AND s.ends_at <= ? ORDER BY u.id",
				      DB_ARGS(db_int(now)));
	while (st && db_step(st) == DB_ROW) {
		GROW_ARENA(a, ids, *n, cap);
		ids[(*n)++] = db_int_col(st, 0);
	}
	db_done(st);
	if (db_failed(db))
		*n = 0;
	return *n ? ids : NULL;
}

int account_states_end_suspension(struct db *db, int64_t member_id, int64_t now)
{
	int64_t ended = db_exec(db,
				"UPDATE users SET status = 'active' WHERE id = ? AND status = 'suspended' AND EXISTS"
				" (SELECT 1 FROM account_states s WHERE s.user_id = users.id AND s.ends_at <= ?)",
				DB_ARGS(db_int(member_id), db_int(now)));
	if (ended <= 0)
		return ended < 0 ? -1 : 0;
	return db_exec(db, "DELETE FROM account_states WHERE user_id = ?", DB_ARGS(db_int(member_id))) < 0 ? -1 : 1;
}
