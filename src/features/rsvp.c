/* rsvp: sign-up for events (see rsvp.h). */
#include "features/rsvp.h"

#include "auth/policy.h"
#include "core/buf.h"
#include "db/db.h"
#include "features/items.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define ATTENDEES_SHOWN 500

/* What sign-up depends on, read in the answer's transaction. */
struct signup {
	int64_t capacity, starts_at, deadline;
	bool closed_by_host;
};

static bool load_signup(struct db *db, int64_t item_id, struct signup *s)
{
	struct db_stmt *st = db_query(db, "SELECT capacity, starts_at, signup_deadline, signup_closed FROM event_details"
					  " WHERE item_id = ?", DB_ARGS(db_int(item_id)));
	bool found = st && db_step(st) == DB_ROW;
	if (found)
		*s = (struct signup){db_int_col(st, 0), db_int_col(st, 1), db_null_col(st, 2) ? 0 : db_int_col(st, 2),
				     db_int_col(st, 3) != 0};
	db_done(st);
	return found;
}

static bool now_past_start(const struct signup *s, int64_t now)
{
	return now >= s->starts_at;
}

static bool signup_open(const struct signup *s, int64_t now)
{
	return !s->closed_by_host && now < s->starts_at && (!s->deadline || now < s->deadline);
}

static int64_t count_state(struct db *db, int64_t item_id, const char *state)
{
	return db_scalar_int(db, 0, "SELECT COUNT(*) FROM event_rsvps WHERE item_id = ? AND state = ?",
			     DB_ARGS(db_int(item_id), db_text(state)));
}

/* The member's state ("going", "waitlisted" or "not_going") and place on
 * the waitlist (0 when not on it). */
static const char *member_state(struct db *db, int64_t item_id, int64_t member_id, int64_t *position)
{
	*position = 0;
	struct db_stmt *st = db_query(db,
		"SELECT r.state, (SELECT COUNT(*) FROM event_rsvps w WHERE w.item_id = r.item_id"
		" AND w.state = 'waitlisted' AND w.id <= r.id) FROM event_rsvps r WHERE r.item_id = ? AND r.user_id = ?",
		DB_ARGS(db_int(item_id), db_int(member_id)));
	const char *state = "not_going";
	if (st && db_step(st) == DB_ROW) {
		state = strcmp(db_text_col(st, 0), "going") == 0 ? "going" : "waitlisted";
		if (strcmp(state, "waitlisted") == 0)
			*position = db_int_col(st, 1);
	}
	db_done(st);
	return state;
}

/* Each told by the event rsvp.promoted. */
bool rsvp_fill_seats(struct db *db, int64_t item_id, int64_t community_id, int64_t actor, int64_t now)
{
	for (;;) {
		int64_t capacity = db_scalar_int(db, -1, "SELECT capacity FROM event_details WHERE item_id = ?",
						 DB_ARGS(db_int(item_id)));
		if (capacity < 0 || (capacity > 0 && count_state(db, item_id, "going") >= capacity))
			return !db_failed(db);
		struct db_stmt *st = db_query(db, "SELECT id, user_id FROM event_rsvps WHERE item_id = ?"
						  " AND state = 'waitlisted' ORDER BY id LIMIT 1",
					      DB_ARGS(db_int(item_id)));
		int64_t id = 0, member = 0;
		if (st && db_step(st) == DB_ROW) {
			id = db_int_col(st, 0);
			member = db_int_col(st, 1);
		}
		db_done(st);
		if (db_failed(db))
			return false;
		if (!id)
			return true;
		if (db_exec(db, "UPDATE event_rsvps SET state = 'going' WHERE id = ?", DB_ARGS(db_int(id))) != 1 ||
		    !event_record(db, &(struct event){.type = EVENT_RSVP_PROMOTED, .actor_id = actor,
						      .community_id = community_id, .item_id = item_id,
						      .member_id = member, .created_at = now}))
			return false;
	}
}

/* The event of /items/{id}/…; false after req_fail. */
static bool load_event(struct req *r, struct item *it)
{
	if (!items_load(r, req_path_param(r, "id"), it))
		return false;
	if (strcmp(it->kind, "event") != 0) {
		req_fail(r, 404, "not_found", N_("There is no such event."));
		return false;
	}
	return true;
}

/* The event's hosts: its author, its community's hosts and the admins. */
static bool hosts_event(const struct item *it)
{
	return it->is_author || (it->in_community && it->access.can_host);
}

json_t *rsvp_answer(struct req *r)
{
	struct item it;
	if (!load_event(r, &it))
		return NULL;
	const char *answer = req_param_trimmed(r, "answer");
	bool going = answer && strcmp(answer, "going") == 0;
	if (!going && !(answer && strcmp(answer, "not_going") == 0)) {
		req_fail(r, 422, "invalid", N_("Answer going or not going."));
		r->error.field = "answer";
		return NULL;
	}
	/* The request's write lock is held to the commit: the seats counted
	 * below are the seats taken (events.h). The savepoint undoes a
	 * refused answer's reads and writes as one. */
	if (!db_begin(r->db))
		return req_fail_internal(r);
	struct signup s;
	int64_t position;
	bool ok = load_signup(r->db, it.id, &s);
	const char *state = ok ? member_state(r->db, it.id, r->user->id, &position) : NULL;
	const char *refusal = NULL;
	if (ok && going && strcmp(state, "not_going") == 0) {
		if (!signup_open(&s, r->now)) {
			refusal = now_past_start(&s, r->now) ? N_("The event has started: sign-up is closed.")
							      : N_("Sign-up for this event is closed.");
		} else {
			bool seat = s.capacity == 0 || count_state(r->db, it.id, "going") < s.capacity;
			ok = db_exec(r->db, "INSERT INTO event_rsvps (item_id, user_id, state, created_at) VALUES (?, ?, ?, ?)",
				     DB_ARGS(db_int(it.id), db_int(r->user->id), db_text(seat ? "going" : "waitlisted"),
					     db_int(r->now))) == 1;
		}
	} else if (ok && !going && strcmp(state, "not_going") != 0) {
		if (now_past_start(&s, r->now))
			refusal = N_("The event has started: answers can no longer change.");
		else
			ok = db_exec(r->db, "DELETE FROM event_rsvps WHERE item_id = ? AND user_id = ?",
				     DB_ARGS(db_int(it.id), db_int(r->user->id))) == 1 &&
			     (strcmp(state, "going") != 0 ||
			      rsvp_fill_seats(r->db, it.id, it.community_id, r->user->id, r->now));
	}
	if (refusal || !ok || !db_commit(r->db)) {
		db_rollback(r->db);
		return refusal ? req_fail(r, 422, "signup_closed", refusal) : req_fail_internal(r);
	}
	state = member_state(r->db, it.id, r->user->id, &position);
	return req_done(r, 200, arena_printf(&r->arena, "%s#signup", link_item(&r->arena, it.id, it.title)),
			json_pack("{s:s, s:I}", "state", state, "position", (json_int_t)position));
}

/* Closes or opens sign-up for the event's hosts. */
static json_t *set_closed(struct req *r, bool closed)
{
	struct item it;
	if (!load_event(r, &it))
		return NULL;
	if (!hosts_event(&it))
		return req_fail(r, 403, "forbidden", N_("Only the event's hosts can close or open sign-up."));
	if (db_exec(r->db, "UPDATE event_details SET signup_closed = ? WHERE item_id = ?",
		    DB_ARGS(db_int(closed), db_int(it.id))) != 1)
		return req_fail_internal(r);
	return req_done(r, 200, arena_printf(&r->arena, "%s#signup", link_item(&r->arena, it.id, it.title)),
			json_pack("{s:b}", "signup_closed", closed));
}

json_t *rsvp_close(struct req *r)
{
	return set_closed(r, true);
}

json_t *rsvp_open(struct req *r)
{
	return set_closed(r, false);
}

/* People who answered, going first and then the waitlist, each in the
 * order they signed up: [{"handle", "name", "state", "position",
 * "signed_up_at"}]. */
static json_t *attendees(struct req *r, int64_t item_id, bool waitlist)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT u.handle, u.name, e.state, e.created_at FROM event_rsvps e JOIN users u ON u.id = e.user_id"
		" WHERE e.item_id = ? AND (e.state = 'going' OR ? = 1) AND " POLICY_ACCOUNT_SHOWN_SQL("u.status")
		" ORDER BY CASE WHEN e.state = 'going' THEN 0 ELSE 1 END, e.id LIMIT ?",
		DB_ARGS(db_int(item_id), db_int(waitlist), db_int(ATTENDEES_SHOWN)));
	int64_t place = 0;
	while (st && db_step(st) == DB_ROW) {
		bool going = strcmp(db_text_col(st, 2), "going") == 0;
		json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I}", "handle", db_text_col(st, 0), "name",
				      db_text_col(st, 1), "state", going ? "going" : "waitlisted", "position",
				      (json_int_t)(going ? 0 : ++place), "signed_up_at", (json_int_t)db_int_col(st, 3));
		json_array_append_new(list, o);
	}
	db_done(st);
	return list;
}

/* One CSV field: quoted, quotes doubled, and a leading =, +, -, @ or
 * control made inert for spreadsheets with an apostrophe. */
static void csv_field(struct buf *out, const char *text, bool last)
{
	buf_putc(out, '"');
	if (strchr("=+-@\t\r", text[0]) && text[0])
		buf_putc(out, '\'');
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, *p);
	}
	buf_puts(out, last ? "\"\r\n" : "\",");
}

json_t *rsvp_attendees_csv(struct req *r)
{
	struct item it;
	if (!load_event(r, &it))
		return NULL;
	if (!hosts_event(&it))
		return req_fail(r, 403, "forbidden", N_("Only the event's hosts can see the list of attendees."));
	json_t *list = attendees(r, it.id, true);
	csv_field(&r->body_out, tr(r, N_("Name")), false);
	csv_field(&r->body_out, tr(r, N_("Handle")), false);
	csv_field(&r->body_out, tr(r, N_("State")), false);
	csv_field(&r->body_out, tr(r, N_("Place on the waitlist")), false);
	csv_field(&r->body_out, tr(r, N_("Signed up at (UTC)")), true);
	size_t i;
	json_t *a;
	json_array_foreach(list, i, a) {
		bool going = strcmp(json_string_value(json_object_get(a, "state")), "going") == 0;
		char when[32], place[24];
		time_t t = (time_t)json_integer_value(json_object_get(a, "signed_up_at"));
		struct tm tm;
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", gmtime_r(&t, &tm));
		snprintf(place, sizeof(place), "%lld", (long long)json_integer_value(json_object_get(a, "position")));
		csv_field(&r->body_out, json_string_value(json_object_get(a, "name")), false);
		csv_field(&r->body_out, json_string_value(json_object_get(a, "handle")), false);
		csv_field(&r->body_out, tr(r, going ? N_("Going") : N_("On the waitlist")), false);
		csv_field(&r->body_out, going ? "" : place, false);
		csv_field(&r->body_out, when, true);
	}
	json_decref(list);
	req_add_header(r, "Content-Disposition",
		       arena_printf(&r->arena, "attachment; filename=\"event-%lld-attendees.csv\"", (long long)it.id));
	r->status = 200;
	r->content_type = "text/csv; charset=utf-8";
	return NULL;
}

void rsvp_fill(struct req *r, json_t *e, const struct item *it, int64_t capacity)
{
	struct signup s;
	if (!load_signup(r->db, it->id, &s))
		return;
	int64_t going = count_state(r->db, it->id, "going"), waiting = count_state(r->db, it->id, "waitlisted");
	json_object_set_new(e, "going_count", json_integer(going));
	json_object_set_new(e, "waitlist_count", json_integer(waiting));
	json_object_set_new(e, "signup_open", json_boolean(signup_open(&s, r->now)));
	json_object_set_new(e, "signup_closed_by_host", json_boolean(s.closed_by_host));
	json_object_set_new(e, "seats_left", capacity ? json_integer(going < capacity ? capacity - going : 0)
						      : json_null());
	json_object_set_new(e, "full", json_boolean(capacity && going >= capacity));
	json_object_set_new(e, "started", json_boolean(now_past_start(&s, r->now)));
	if (r->user) {
		int64_t position;
		const char *state = member_state(r->db, it->id, r->user->id, &position);
		json_object_set_new(e, "my_state", json_string(state));
		json_object_set_new(e, "my_position", json_integer(position));
		json_object_set_new(e, arena_printf(&r->arena, "i_am_%s", state), json_true());
	}
	bool hosts = hosts_event(it);
	json_object_set_new(e, "can_manage", json_boolean(hosts));
	if (hosts || (it->in_community && it->access.is_member))
		json_object_set_new(e, "attendees", attendees(r, it->id, false));
	if (hosts) {
		json_t *all = attendees(r, it->id, true), *waitlist = json_array();
		size_t i;
		json_t *a;
		json_array_foreach(all, i, a)
			if (json_integer_value(json_object_get(a, "position")) > 0)
				json_array_append(waitlist, a);
		json_decref(all);
		json_object_set_new(e, "waitlist", waitlist);
	}
}
