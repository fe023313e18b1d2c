/* reports: members report content and profiles (see reports.h). */
#include "features/reports.h"

#include "auth/users.h"
#include "core/arena.h"
#include "core/grow.h"
#include "core/text.h"
#include "features/comments.h"
#include "features/items.h"
#include "features/ladder.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"
#include "render/render.h"

#include <string.h>

static const struct {
	const char *code, *label;
} labels[] = {
	{"spam", N_("Spam")},
	{"harassment", N_("Harassment or abuse")},
	{"off_topic", N_("Off topic")},
	{"confidential", N_("Confidential information")},
	{"other", N_("Something else")},
	{"open", N_("Waiting for review")},
	{"dismissed", N_("Reviewed: no action needed")},
	{"hidden", N_("Reviewed: hidden by a moderator")},
	{"edited", N_("Reviewed: edited by a moderator")},
};
/* The first five are the reasons. */
#define REASONS 5

const char *reports_label(struct req *r, const char *code)
{
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].code, code) == 0)
			return tr(r, labels[i].label);
	return code;
}

static bool reason_known(const char *reason)
{
	for (size_t i = 0; reason && i < REASONS; i++)
		if (strcmp(labels[i].code, reason) == 0)
			return true;
	return false;
}

/* ---- the subject ------------------------------------------------------------ */

/* What is reported, loaded for the viewer from the path: the subject and
 * the model of what it is ({"kind", "label", "url"}); false after
 * answering 404. */
struct reported {
	struct report_subject s;
	const char *label, *url;
	const char *action; /* where the form posts */
};

static bool load_item(struct req *r, struct reported *out)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return false;
	*out = (struct reported){
		.s = {"item", it.id, it.id, it.community_id, it.author_id},
		.label = *it.title ? it.title : items_label(r, it.kind),
		.url = link_item_id(&r->arena, it.id),
	};
	out->action = arena_printf(&r->arena, "%s/report", out->url);
	return true;
}

static bool load_comment(struct req *r, struct reported *out)
{
	struct item it;
	int64_t id, author;
	if (!comments_load(r, &id, &author, &it))
		return false;
	*out = (struct reported){
		.s = {"comment", id, it.id, it.community_id, author},
		.label = *it.title ? it.title : items_label(r, it.kind),
		.url = arena_printf(&r->arena, "%s#comment-%lld", link_item_id(&r->arena, it.parent_id ? it.parent_id : it.id),
				    (long long)id),
		.action = arena_printf(&r->arena, "/comments/%lld/report", (long long)id),
	};
	return true;
}

static bool load_person(struct req *r, struct reported *out)
{
	struct profile p;
	if (!users_profile(r->db, &r->arena, req_path_param(r, "handle"), &p)) {
		req_fail(r, 404, "not_found", N_("There is no such member."));
		return false;
	}
	*out = (struct reported){
		.s = {"person", p.id, 0, 0, p.id},
		.label = p.name,
		.url = link_person(&r->arena, p.handle),
	};
	out->action = arena_printf(&r->arena, "%s/report", out->url);
	return true;
}

/* ---- the form ------------------------------------------------------------------ */

static json_t *form_model(struct req *r, const struct reported *what)
{
	json_t *m = req_form_model(r, N_("Report"), "reason,note");
	const char *chosen = req_param(r, "reason");
	json_t *reasons = json_array();
	for (size_t i = 0; i < REASONS; i++)
		json_array_append_new(reasons, json_pack("{s:s, s:s, s:b}", "code", labels[i].code, "label",
							 tr(r, labels[i].label),
							 "selected", chosen && strcmp(chosen, labels[i].code) == 0));
	json_object_set_new(m, "reasons", reasons);
	json_object_set_new(m, "subject", json_pack("{s:s, s:b, s:b, s:b, s:s, s:s, s:s}", "kind", what->s.kind,
						    "is_item", strcmp(what->s.kind, "item") == 0, "is_comment",
						    strcmp(what->s.kind, "comment") == 0, "is_person",
						    strcmp(what->s.kind, "person") == 0, "label", what->label, "url",
						    what->url, "action", what->action));
	return m;
}

typedef bool (*loader)(struct req *r, struct reported *out);

static json_t *form(struct req *r, loader load)
{
	struct reported what;
	if (!load(r, &what))
		return NULL;
	return form_model(r, &what);
}

json_t *reports_item_form(struct req *r)
{
	return form(r, load_item);
}

json_t *reports_comment_form(struct req *r)
{
	return form(r, load_comment);
}

json_t *reports_person_form(struct req *r)
{
	return form(r, load_person);
}

/* ---- filing ------------------------------------------------------------------ */

bool reports_import(struct db *db, int64_t reporter_id, const char *kind, int64_t id, int64_t community_id,
		    int64_t author_id, const char *reason, const char *note, int64_t at)
{
	return reason_known(reason) &&
	       db_exec(db,
		       "INSERT INTO reports (reporter_id, subject_kind, subject_id, community_id, author_id, reason, note,"
		       " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		       DB_ARGS(db_int(reporter_id), db_text(kind), db_int(id),
			       community_id ? db_int(community_id) : db_null(), db_int(author_id), db_text(reason),
			       db_text(note), db_int(at))) == 1;
}

static json_t *file(struct req *r, loader load)
{
	struct reported what;
	if (!load(r, &what))
		return NULL;
	if (what.s.author_id == r->user->id)
		return req_fail(r, 422, "own", N_("You cannot report what you wrote yourself."));
	const char *reason = req_param_trimmed(r, "reason");
	const char *typed = req_param_trimmed(r, "note");
	char *note = arena_strdup(&r->arena, typed ? typed : "");
	json_t *m = form_model(r, &what);
	if (!reason_known(reason))
		req_field_error(r, m, "reason", N_("Choose a reason: spam, harassment, off topic, confidential information or something else."));
	if (reason && strcmp(reason, "other") == 0 && !*note)
		req_field_error(r, m, "note", N_("Say what is wrong, so that the moderators know what to look at."));
	else if (utf8_length(note) > REPORT_NOTE_MAX)
		req_field_error(r, m, "note", N_("Keep the note under 1000 characters."));
	else if (!text_printable(note, true))
		req_field_error(r, m, "note", N_("The note holds characters that cannot be shown."));
	if (req_has_field_errors(r))
		return req_invalid(r, m);
	json_decref(m);
	const char *kind = what.s.kind;
	if (db_exists(r->db, "SELECT 1 FROM reports WHERE reporter_id = ? AND subject_kind = ? AND subject_id = ?"
			     " AND settled_at IS NULL",
		      DB_ARGS(db_int(r->user->id), db_text(kind), db_int(what.s.id))))
		return req_fail(r, 409, "already_reported",
				N_("You have reported this already; the moderators will look at it. You can see your reports under Settings."));
	struct db_stmt *st = db_query(
		r->db,
		"INSERT INTO reports (reporter_id, subject_kind, subject_id, community_id, author_id, reason, note,"
		" created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		DB_ARGS(db_int(r->user->id), db_text(kind), db_int(what.s.id),
			what.s.community_id ? db_int(what.s.community_id) : db_null(), db_int(what.s.author_id),
			db_text(reason), db_text(note), db_int(r->now)));
	int64_t id = st && db_step(st) == DB_ROW ? db_int_col(st, 0) : 0;
	db_done(st);
	/* Enough established members hide it until a moderator decides. */
	if (!id || !ladder_after_report(r->db, kind, what.s.id, what.s.community_id, r->now) ||
	    !event_record(r->db, &(struct event){.type = EVENT_REPORT_FILED, .actor_id = r->user->id,
						  .community_id = what.s.community_id, .item_id = what.s.item_id,
						  .member_id = what.s.author_id, .object_id = id, .created_at = r->now,
						  .payload = json_pack("{s:s, s:I, s:s}", "subject_kind", kind,
								       "subject_id", (json_int_t)what.s.id,
								       "reason", reason)}))
		return req_fail_internal(r);
	return req_done(r, 201, "/settings/reports?filed=1",
			json_pack("{s:I, s:s, s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "subject_kind", kind,
				  "subject_id", (json_int_t)what.s.id, "reason", reason, "note", note, "state", "open"));
}

json_t *reports_item(struct req *r)
{
	return file(r, load_item);
}

json_t *reports_comment(struct req *r)
{
	return file(r, load_comment);
}

json_t *reports_person(struct req *r)
{
	return file(r, load_person);
}

/* ---- the reporter's list ---------------------------------------------------------- */

#define MINE_LIMIT 200

json_t *reports_mine(struct req *r)
{
	struct db_stmt *st = db_query(
		r->db,
		"SELECT p.id, p.subject_kind, p.subject_id, p.reason, p.note, p.created_at, p.outcome, p.settled_at,"
		" COALESCE(ip.title, i.title, cp.title, ci.title), su.name"
		" FROM reports p LEFT JOIN items i ON p.subject_kind = 'item' AND i.id = p.subject_id"
		" LEFT JOIN items ip ON ip.id = i.parent_id"
		" LEFT JOIN comments k ON p.subject_kind = 'comment' AND k.id = p.subject_id"
		" LEFT JOIN items ci ON ci.id = k.item_id LEFT JOIN items cp ON cp.id = ci.parent_id"
		" LEFT JOIN users su ON p.subject_kind = 'person' AND su.id = p.subject_id"
		" WHERE p.reporter_id = ? ORDER BY p.id DESC LIMIT ?",
		DB_ARGS(db_int(r->user->id), db_int(MINE_LIMIT)));
	json_t *items = json_array();
	while (st && db_step(st) == DB_ROW) {
		const char *kind = db_text_col(st, 1);
		bool settled = !db_null_col(st, 7);
		const char *state = settled ? db_text_col(st, 6) : "open";
		const char *label = strcmp(kind, "person") == 0 ? (db_null_col(st, 9) ? "" : db_text_col(st, 9))
				    : db_null_col(st, 8) ? ""
							 : db_text_col(st, 8);
		json_t *subject = json_pack("{s:s, s:I, s:s, s:b, s:b, s:b}", "kind", kind, "id",
					    (json_int_t)db_int_col(st, 2), "label",
					    *label || strcmp(kind, "person") == 0 ? label : tr(r, N_("Update")), "is_item",
					    strcmp(kind, "item") == 0, "is_comment", strcmp(kind, "comment") == 0,
					    "is_person", strcmp(kind, "person") == 0);
		json_t *e = json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)db_int_col(st, 0),
				      "subject", subject, "reason", db_text_col(st, 3), "reason_label",
				      reports_label(r, db_text_col(st, 3)), "note", db_text_col(st, 4), "state", state,
				      "state_label", reports_label(r, state), "settled", settled);
		render_add_time(e, "created", db_int_col(st, 5));
		if (settled)
			render_add_time(e, "settled", db_int_col(st, 7));
		json_array_append_new(items, e);
	}
	db_done(st);
	if (db_failed(r->db)) {
		json_decref(items);
		return req_fail_internal(r);
	}
	return json_pack("{s:s, s:o, s:b, s:b}", "title", tr(r, N_("Your reports")), "items", items, "none",
			 json_array_size(items) == 0, "filed", req_query(r, "filed") != NULL);
}

/* ---- settling (features/moderation.h) --------------------------------------------- */

ssize_t reports_open_reporters(struct db *db, struct arena *a, const char *kind, int64_t id, int64_t **ids)
{
	int64_t *out = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st = db_query(db,
				      "SELECT reporter_id FROM reports WHERE subject_kind = ? AND subject_id = ?"
				      " AND settled_at IS NULL ORDER BY id",
				      DB_ARGS(db_text(kind), db_int(id)));
	while (st && db_step(st) == DB_ROW) {
		GROW_ARENA(a, out, n, cap);
		out[n++] = db_int_col(st, 0);
	}
	db_done(st);
	*ids = out;
	return db_failed(db) ? -1 : (ssize_t)n;
}

int64_t reports_settle(struct db *db, const char *kind, int64_t id, const char *outcome, int64_t by,
		       const char *note, int64_t now)
{
	return db_exec(db,
		       "UPDATE reports SET outcome = ?, settled_by = ?, settled_at = ?, settle_note = ?"
		       " WHERE subject_kind = ? AND subject_id = ? AND settled_at IS NULL",
		       DB_ARGS(db_text(outcome), db_int(by), db_int(now), db_text(note ? note : ""), db_text(kind),
			       db_int(id)));
}

json_t *reports_author_history(struct db *db, int64_t author_id, const char *kind, int64_t id)
{
	json_t *h = json_pack("{s:i, s:i, s:i, s:i, s:i}", "reports", 0, "open", 0, "dismissed", 0, "hidden", 0,
			      "edited", 0);
	struct db_stmt *st = db_query(db,
				      "SELECT COALESCE(outcome, 'open'), COUNT(*) FROM reports WHERE author_id = ?"
				      " AND NOT (subject_kind = ? AND subject_id = ?) GROUP BY COALESCE(outcome, 'open')",
				      DB_ARGS(db_int(author_id), db_text(kind), db_int(id)));
	int64_t total = 0;
	while (st && db_step(st) == DB_ROW) {
		total += db_int_col(st, 1);
		json_object_set_new(h, db_text_col(st, 0), json_integer(db_int_col(st, 1)));
	}
	db_done(st);
	json_object_set_new(h, "reports", json_integer(total));
	if (db_failed(db)) {
		json_decref(h);
		return NULL;
	}
	return h;
}
