/* rsvp: sign-up for events (see rsvp.h). */
#include "features/rsvp.h"

#include "auth/policy.h"
#include "core/buf.h"
#include "db/db.h"
#include "features/event_lookup.h"
#include "features/event_people.h"
#include "features/items.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "jobs/jobs.h"
#include "render/render.h"
#include "render/links.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ATTENDEES_SHOWN 500
/* Seats freed in one transaction by the seat_claims job. */
#define LAPSE_BATCH 64

/* Everyone who holds a seat or a place on the waitlist of the event
 * bound twice (item_id, item_id): members and confirmed guests, each
 * with who ('member' or 'guest'), id, person (the member's id or 0),
 * state, place and claim_by. */
#define SIGNUPS_SQL                                                                                       \
	"(SELECT 'member' AS who, id, user_id AS person, state, place, claim_by FROM event_rsvps"           \
	" WHERE item_id = ? UNION ALL SELECT 'guest', id, 0, state, place, claim_by FROM event_guests" \
	" WHERE item_id = ? AND state <> 'unconfirmed')"

bool rsvp_load_signup(struct db *db, int64_t item_id, struct rsvp_signup *s)
{
	struct db_stmt *st = db_query(db, "SELECT capacity, starts_at, signup_deadline, signup_closed,"
					  " (SELECT COALESCE(MAX(w.hours), 0) FROM event_claim_windows w WHERE w.item_id = e.item_id),"
					  " (SELECT COUNT(*) FROM event_cancellations c WHERE c.item_id = e.item_id)"
					  " FROM event_details e WHERE item_id = ?", DB_ARGS(db_int(item_id)));
	bool found = st && db_step(st) == DB_ROW;
	if (found)
		*s = (struct rsvp_signup){.capacity = db_int_col(st, 0),
					  .starts_at = db_int_col(st, 1),
					  .deadline = db_null_col(st, 2) ? 0 : db_int_col(st, 2),
					  .closed_by_host = db_int_col(st, 3) != 0,
					  .claim_hours = db_int_col(st, 4),
					  .cancelled = db_int_col(st, 5) != 0};
	db_done(st);
	return found;
}

static bool now_past_start(const struct rsvp_signup *s, int64_t now)
{
	return now >= s->starts_at;
}

static bool signup_open(const struct rsvp_signup *s, int64_t now)
{
	return !s->closed_by_host && !s->cancelled && now < s->starts_at && (!s->deadline || now < s->deadline);
}

const char *rsvp_signup_refusal(const struct rsvp_signup *s, int64_t now, const char **code)
{
	*code = "signup_closed";
	if (signup_open(s, now))
		return NULL;
	if (s->cancelled) {
		*code = "event_cancelled";
		return N_("The event is cancelled: sign-up is closed.");
	}
	return now_past_start(s, now) ? N_("The event has started: sign-up is closed.")
				      : N_("Sign-up for this event is closed.");
}

static int64_t count_state(struct db *db, int64_t item_id, const char *state)
{
	return db_scalar_int(db, 0, "SELECT COUNT(*) FROM " SIGNUPS_SQL " s WHERE s.state = ?",
			     DB_ARGS(db_int(item_id), db_int(item_id), db_text(state)));
}

int64_t rsvp_waitlist_position(struct db *db, int64_t item_id, int64_t place)
{
	return db_scalar_int(db, 0, "SELECT COUNT(*) FROM " SIGNUPS_SQL " s WHERE s.state = 'waitlisted' AND s.place <= ?",
			     DB_ARGS(db_int(item_id), db_int(item_id), db_int(place)));
}

const char *rsvp_next_place(struct db *db, int64_t item_id, const struct rsvp_signup *s, int64_t *place)
{
	*place = db_scalar_int(db, 0, "SELECT COALESCE(MAX(s.place), 0) + 1 FROM " SIGNUPS_SQL " s",
			       DB_ARGS(db_int(item_id), db_int(item_id)));
	return s->capacity == 0 || count_state(db, item_id, "going") < s->capacity ? "going" : "waitlisted";
}

/* The member's state ("going", "waitlisted" or "not_going"), place on the
 * waitlist (0 when not on it) and the time by which to claim the seat (0:
 * it is theirs). */
static const char *member_state(struct db *db, int64_t item_id, int64_t member_id, int64_t *position,
				int64_t *claim_by)
{
	*position = *claim_by = 0;
	struct db_stmt *st = db_query(db, "SELECT state, place, claim_by FROM event_rsvps WHERE item_id = ? AND user_id = ?",
				      DB_ARGS(db_int(item_id), db_int(member_id)));
	const char *state = "not_going";
	int64_t place = 0;
	if (st && db_step(st) == DB_ROW) {
		state = strcmp(db_text_col(st, 0), "going") == 0 ? "going" : "waitlisted";
		place = db_int_col(st, 1);
		*claim_by = db_null_col(st, 2) ? 0 : db_int_col(st, 2);
	}
	db_done(st);
	if (strcmp(state, "waitlisted") == 0)
		*position = rsvp_waitlist_position(db, item_id, place);
	return state;
}

/* The time by which someone promoted now must claim the seat: 0 when the
 * event has no claim window, or when the window would reach its start (a
 * seat given so late is theirs). */
static int64_t claim_deadline(const struct rsvp_signup *s, int64_t now)
{
	int64_t by = now + s->claim_hours * 3600;
	return s->claim_hours > 0 && by < s->starts_at ? by : 0;
}

/* Each member is told by the event rsvp.promoted (with "claim_by" in its
 * payload when they must claim the seat), each guest by mail; a claim
 * window is watched by a seat_claims job at its end. */
bool rsvp_fill_seats(struct db *db, int64_t item_id, int64_t community_id, int64_t actor, int64_t now)
{
	for (;;) {
		struct rsvp_signup s;
		if (!rsvp_load_signup(db, item_id, &s))
			return !db_failed(db);
		if (s.cancelled || (s.capacity > 0 && count_state(db, item_id, "going") >= s.capacity))
			return !db_failed(db);
		struct db_stmt *st = db_query(db, "SELECT s.who, s.id, s.person FROM " SIGNUPS_SQL " s"
						  " WHERE s.state = 'waitlisted' ORDER BY s.place, s.who DESC LIMIT 1",
					      DB_ARGS(db_int(item_id), db_int(item_id)));
		int64_t id = 0, member = 0;
		bool guest = false;
		if (st && db_step(st) == DB_ROW) {
			guest = strcmp(db_text_col(st, 0), "guest") == 0;
			id = db_int_col(st, 1);
			member = db_int_col(st, 2);
		}
		db_done(st);
		if (db_failed(db))
			return false;
		if (!id)
			return true;
		int64_t claim_by = claim_deadline(&s, now);
		struct db_value by = claim_by ? db_int(claim_by) : db_null();
		/* A guest is told by mail (features/guests.h) from the event;
		 * event_record takes the payload. */
		bool ok = db_exec(db,
				  guest ? "UPDATE event_guests SET state = 'going', claim_by = ? WHERE id = ?"
					: "UPDATE event_rsvps SET state = 'going', claim_by = ? WHERE id = ?",
				  DB_ARGS(by, db_int(id))) == 1 &&
			  event_record(db, &(struct event){
						   .type = EVENT_RSVP_PROMOTED, .actor_id = actor,
						   .community_id = community_id, .item_id = item_id, .member_id = member,
						   .object_id = guest ? id : 0, .created_at = now,
						   .payload = claim_by ? json_pack("{s:I}", "claim_by", (json_int_t)claim_by)
								       : NULL});
		if (ok && claim_by) {
			char payload[64], key[96];
			snprintf(payload, sizeof(payload), "{\"item\": %lld}", (long long)item_id);
			snprintf(key, sizeof(key), "seat_claims:%lld:%lld", (long long)item_id, (long long)claim_by);
			ok = jobs_enqueue(db, RSVP_CLAIMS_JOB, payload, now, claim_by, key);
		}
		if (!ok)
			return false;
	}
}

/* Frees up to a batch of the seats whose claim window has passed: each
 * one lapsed is told, and the seats go to the next on the waitlist. In the
 * caller's transaction; how many, or -1 on a database error. */
static int lapse_claims(struct db *db, int64_t now)
{
	struct lapsed {
		bool guest;
		int64_t id, member, item_id, community_id;
	} rows[LAPSE_BATCH];
	size_t n = 0;
	struct db_stmt *st = db_query(db,
		"SELECT 'member', r.id, r.user_id, r.item_id, COALESCE(i.community_id, 0) FROM event_rsvps r"
		" JOIN items i ON i.id = r.item_id WHERE r.claim_by <= ? AND r.state = 'going'"
		" UNION ALL SELECT 'guest', g.id, 0, g.item_id, COALESCE(i.community_id, 0) FROM event_guests g"
		" JOIN items i ON i.id = g.item_id WHERE g.claim_by <= ? AND g.state = 'going' ORDER BY 4, 2",
		DB_ARGS(db_int(now), db_int(now)));
	while (st && n < sizeof(rows) / sizeof(rows[0]) && db_step(st) == DB_ROW)
		rows[n++] = (struct lapsed){strcmp(db_text_col(st, 0), "guest") == 0, db_int_col(st, 1),
					    db_int_col(st, 2), db_int_col(st, 3), db_int_col(st, 4)};
	db_done(st);
	for (size_t i = 0; i < n && !db_failed(db); i++) {
		/* Recorded before the row goes: a guest's mail reads it. */
		bool ok = event_record(db, &(struct event){.type = EVENT_RSVP_LAPSED,
							   .community_id = rows[i].community_id,
							   .item_id = rows[i].item_id, .member_id = rows[i].member,
							   .object_id = rows[i].guest ? rows[i].id : 0,
							   .created_at = now}) &&
			  db_exec(db,
				  rows[i].guest ? "DELETE FROM event_guests WHERE id = ?"
						: "DELETE FROM event_rsvps WHERE id = ?",
				  DB_ARGS(db_int(rows[i].id))) == 1;
		if (!ok || !rsvp_fill_seats(db, rows[i].item_id, rows[i].community_id, 0, now))
			return -1;
	}
	return db_failed(db) ? -1 : (int)n;
}

const char *rsvp_claims_run(struct db *db, struct arena *a, const struct job *job, int64_t now)
{
	(void)a;
	(void)job;
	/* A batch at a time, each in a transaction of its own. */
	for (int n = LAPSE_BATCH; n == LAPSE_BATCH;) {
		if (!db_begin(db))
			return "a database error (see the log)";
		n = lapse_claims(db, now);
		if (n < 0 || !db_commit(db)) {
			db_rollback(db);
			return "a database error (see the log)";
		}
	}
	return NULL;
}

/* The answer's JSON: the member's state and place, and claim_by while
 * the seat waits for them to claim it. */
static json_t *answer_model(struct req *r, int64_t item_id)
{
	int64_t position, claim_by;
	const char *state = member_state(r->db, item_id, r->user->id, &position, &claim_by);
	json_t *o = json_pack("{s:s, s:I}", "state", state, "position", (json_int_t)position);
	if (claim_by)
		json_object_set_new(o, "claim_by", json_integer(claim_by));
	return o;
}

json_t *rsvp_answer(struct req *r)
{
	struct item it;
	if (!event_lookup(r, &it))
		return NULL;
	const char *answer = req_param_trimmed(r, "answer");
	bool going = answer && strcmp(answer, "going") == 0;
	if (!going && !(answer && strcmp(answer, "not_going") == 0)) {
		req_fail(r, 422, "invalid", N_("Answer going or not going."));
		r->error.field = "answer";
		return NULL;
	}
	/* The request's write lock is held to the commit: the seats counted
	 * below are the seats taken (rsvp.h). The savepoint undoes a
	 * refused answer's reads and writes as one. */
	if (!db_begin(r->db))
		return req_fail_internal(r);
	struct rsvp_signup s;
	int64_t position, claim_by, place;
	bool ok = rsvp_load_signup(r->db, it.id, &s);
	const char *state = ok ? member_state(r->db, it.id, r->user->id, &position, &claim_by) : NULL;
	const char *refusal = NULL, *code = "signup_closed";
	if (ok && going && strcmp(state, "not_going") == 0) {
		refusal = rsvp_signup_refusal(&s, r->now, &code);
		if (!refusal) {
			const char *taken = rsvp_next_place(r->db, it.id, &s, &place);
			ok = db_exec(r->db, "INSERT INTO event_rsvps (item_id, user_id, state, created_at, place)"
					    " VALUES (?, ?, ?, ?, ?)",
				     DB_ARGS(db_int(it.id), db_int(r->user->id), db_text(taken), db_int(r->now),
					     db_int(place))) == 1;
		}
	} else if (ok && going && claim_by) {
		/* "I am still coming": the seat offered is theirs, while the
		 * window lasts. */
		if (r->now >= claim_by) {
			refusal = N_("The time to confirm your seat has passed: it goes to the next on the waitlist.");
			code = "claim_lapsed";
		} else {
			ok = db_exec(r->db, "UPDATE event_rsvps SET claim_by = NULL WHERE item_id = ? AND user_id = ?",
				     DB_ARGS(db_int(it.id), db_int(r->user->id))) == 1;
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
		return refusal ? req_fail(r, 422, code, refusal) : req_fail_internal(r);
	}
	return req_done(r, 200, arena_printf(&r->arena, "%s#signup", link_item(&r->arena, it.id, it.title)),
			answer_model(r, it.id));
}

/* POST /items/{id}/rsvp/claim-window: hours (0 to RSVP_CLAIM_HOURS_MAX)
 * for the event's hosts. A new window holds for the next promotions; who
 * holds a seat to claim keeps the time they were given. */
json_t *rsvp_claim_window(struct req *r)
{
	struct item it;
	if (!event_lookup(r, &it))
		return NULL;
	if (!event_people_hosts(r, &it))
		return req_fail(r, 403, "forbidden", N_("Only the event's hosts can set the time to confirm a seat."));
	const char *v = req_param_trimmed(r, "hours");
	char *end = NULL;
	long long hours = v && *v ? strtoll(v, &end, 10) : -1;
	if (!end || *end || hours < 0 || hours > RSVP_CLAIM_HOURS_MAX) {
		req_fail(r, 422, "invalid", N_("Give the hours to confirm a seat, from 0 (no need to confirm) to 168."));
		r->error.field = "hours";
		return NULL;
	}
	if (db_exec(r->db, "DELETE FROM event_claim_windows WHERE item_id = ?", DB_ARGS(db_int(it.id))) < 0 ||
	    (hours > 0 && db_exec(r->db, "INSERT INTO event_claim_windows (item_id, hours) VALUES (?, ?)",
				  DB_ARGS(db_int(it.id), db_int(hours))) != 1))
		return req_fail_internal(r);
	return req_done(r, 200, arena_printf(&r->arena, "%s#signup", link_item(&r->arena, it.id, it.title)),
			json_pack("{s:I}", "claim_hours", (json_int_t)hours));
}

/* Closes or opens sign-up for the event's hosts. */
static json_t *set_closed(struct req *r, bool closed)
{
	struct item it;
	if (!event_lookup(r, &it))
		return NULL;
	if (!event_people_hosts(r, &it))
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

/* Who answered, going first and then the waitlist, each in the order of
 * their places: [{"handle" (null for a guest), "name", "guest", "state",
 * "position", "signed_up_at", "claim_by" (while a seat waits to be
 * claimed)}]; "email" is a guest's address when with_email (for the
 * hosts), else null. */
static json_t *attendees(struct req *r, int64_t item_id, bool waitlist, bool with_email)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT u.handle, u.name, '', e.state, e.created_at, e.place, e.claim_by FROM event_rsvps e"
		" JOIN users u ON u.id = e.user_id WHERE e.item_id = ? AND (e.state = 'going' OR ? = 1) AND "
		POLICY_ACCOUNT_SHOWN_SQL("u.status")
		" UNION ALL SELECT NULL, g.name, g.email, g.state, g.confirmed_at, g.place, g.claim_by FROM event_guests g"
		" WHERE g.item_id = ? AND (g.state = 'going' OR (? = 1 AND g.state = 'waitlisted'))"
		" ORDER BY 4, 6 LIMIT ?",
		DB_ARGS(db_int(item_id), db_int(waitlist), db_int(item_id), db_int(waitlist), db_int(ATTENDEES_SHOWN)));
	int64_t place = 0;
	while (st && db_step(st) == DB_ROW) {
		bool going = strcmp(db_text_col(st, 3), "going") == 0, guest = db_null_col(st, 0);
		json_t *o = json_pack("{s:s?, s:s, s:b, s:s, s:I, s:I}", "handle", guest ? NULL : db_text_col(st, 0),
				      "name", db_text_col(st, 1), "guest", guest, "state", going ? "going" : "waitlisted",
				      "position", (json_int_t)(going ? 0 : ++place), "signed_up_at",
				      (json_int_t)db_int_col(st, 4));
		json_object_set_new(o, "email", guest && with_email ? json_string(db_text_col(st, 2)) : json_null());
		if (!db_null_col(st, 6))
			json_object_set_new(o, "claim_by", json_integer(db_int_col(st, 6)));
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
	if (!event_lookup(r, &it))
		return NULL;
	if (!event_people_hosts(r, &it))
		return req_fail(r, 403, "forbidden", N_("Only the event's hosts can see the list of attendees."));
	json_t *list = attendees(r, it.id, true, true);
	csv_field(&r->body_out, tr(r, N_("Name")), false);
	csv_field(&r->body_out, tr(r, N_("Handle")), false);
	csv_field(&r->body_out, tr(r, N_("State")), false);
	csv_field(&r->body_out, tr(r, N_("Place on the waitlist")), false);
	csv_field(&r->body_out, tr(r, N_("Signed up at (UTC)")), false);
	csv_field(&r->body_out, tr(r, N_("Guest's e-mail address")), true);
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
		const char *handle = json_string_value(json_object_get(a, "handle"));
		const char *email = json_string_value(json_object_get(a, "email"));
		csv_field(&r->body_out, handle ? handle : "", false);
		csv_field(&r->body_out, tr(r, going ? N_("Going") : N_("On the waitlist")), false);
		csv_field(&r->body_out, going ? "" : place, false);
		csv_field(&r->body_out, when, false);
		csv_field(&r->body_out, email ? email : "", true);
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
	struct rsvp_signup s;
	if (!rsvp_load_signup(r->db, it->id, &s))
		return;
	int64_t going = count_state(r->db, it->id, "going"), waiting = count_state(r->db, it->id, "waitlisted");
	json_object_set_new(e, "going_count", json_integer(going));
	json_object_set_new(e, "waitlist_count", json_integer(waiting));
	json_object_set_new(e, "signup_open", json_boolean(signup_open(&s, r->now)));
	json_object_set_new(e, "signup_closed_by_host", json_boolean(s.closed_by_host));
	json_object_set_new(e, "cancelled", json_boolean(s.cancelled));
	json_object_set_new(e, "claim_hours", json_integer(s.claim_hours));
	json_object_set_new(e, "seats_left", capacity ? json_integer(going < capacity ? capacity - going : 0)
						      : json_null());
	json_object_set_new(e, "full", json_boolean(capacity && going >= capacity));
	json_object_set_new(e, "started", json_boolean(now_past_start(&s, r->now)));
	if (r->user) {
		int64_t position, claim_by;
		const char *state = member_state(r->db, it->id, r->user->id, &position, &claim_by);
		json_object_set_new(e, "my_state", json_string(state));
		json_object_set_new(e, "my_position", json_integer(position));
		json_object_set_new(e, arena_printf(&r->arena, "i_am_%s", state), json_true());
		if (claim_by) {
			json_object_set_new(e, "my_claim_by", json_integer(claim_by));
			render_add_time(e, "my_claim_by", claim_by);
		}
	}
	bool hosts = event_people_hosts(r, it);
	json_object_set_new(e, "can_manage", json_boolean(hosts));
	if (hosts || (it->in_community && it->access.is_member))
		json_object_set_new(e, "attendees", attendees(r, it->id, false, hosts));
	if (hosts) {
		json_t *all = attendees(r, it->id, true, true), *waitlist = json_array();
		size_t i;
		json_t *a;
		json_array_foreach(all, i, a)
			if (json_integer_value(json_object_get(a, "position")) > 0)
				json_array_append(waitlist, a);
		json_decref(all);
		json_object_set_new(e, "waitlist", waitlist);
	}
}
