/* moderation: the review queue and its actions (see moderation.h). */
#include "features/moderation.h"

#include "auth/policy.h"
#include "core/arena.h"
#include "core/text.h"
#include "db/db.h"
#include "features/audit.h"
#include "features/communities.h"
#include "features/hidden.h"
#include "features/ladder.h"
#include "features/premoderation.h"
#include "features/reports.h"
#include "features/warnings.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"
#include "render/render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Subjects the queue shows at most, and hidden ones. */
#define QUEUE_LIMIT 100
#define HIDDEN_LIMIT 100
/* The most of a body the queue shows. */
#define BODY_SHOWN 2000

/* Whether the viewer hosts some community. */
static bool hosts_any(struct req *r)
{
	return db_exists(r->db, "SELECT 1 FROM memberships WHERE user_id = ? AND role = 'host' AND state = 'active'",
			 DB_ARGS(db_int(r->user->id)));
}

/* ---- the subjects ----------------------------------------------------------- */

/* A subject as the queue shows it: what it is, where, by whom; NULL when
 * it no longer exists at all. */
static json_t *subject_model(struct req *r, const char *kind, int64_t id)
{
	const char *sql;
	if (strcmp(kind, "item") == 0)
		sql = "SELECT i.id, COALESCE(p.title, i.title), i.body, i.kind, COALESCE(i.parent_id, 0),"
		      " CASE WHEN i.deleted_at IS NULL THEN 0 ELSE 1 END, u.id, u.handle, u.name, c.slug, c.name"
		      " FROM items i JOIN users u ON u.id = i.author_id LEFT JOIN items p ON p.id = i.parent_id"
		      " LEFT JOIN communities c ON c.id = i.community_id WHERE i.id = ?";
	else if (strcmp(kind, "comment") == 0)
		sql = "SELECT t.id, COALESCE(p.title, t.title), k.body, 'comment', COALESCE(t.parent_id, 0),"
		      " CASE WHEN k.deleted_at IS NULL THEN 0 ELSE 1 END, u.id, u.handle, u.name, c.slug, c.name"
		      " FROM comments k JOIN items t ON t.id = k.item_id JOIN users u ON u.id = k.author_id"
		      " LEFT JOIN items p ON p.id = t.parent_id LEFT JOIN communities c ON c.id = t.community_id"
		      " WHERE k.id = ?";
	else
		sql = "SELECT 0, u.name, COALESCE(u.bio, ''), 'person', 0, 0, u.id, u.handle, u.name, NULL, NULL"
		      " FROM users u WHERE u.id = ?";
	struct db_stmt *st = db_query(r->db, sql, DB_ARGS(db_int(id)));
	json_t *s = NULL;
	if (st && db_step(st) == DB_ROW) {
		int64_t item = db_int_col(st, 0), parent = db_int_col(st, 4);
		const char *title = db_text_col(st, 1);
		char body[BODY_SHOWN + 8];
		text_excerpt(db_text_col(st, 2), BODY_SHOWN, body, sizeof(body));
		const char *handle = db_text_col(st, 7);
		const char *url;
		if (strcmp(kind, "person") == 0)
			url = link_person(&r->arena, handle);
		else if (strcmp(kind, "comment") == 0)
			url = arena_printf(&r->arena, "%s#comment-%lld", link_item_id(&r->arena, parent ? parent : item),
					   (long long)id);
		else if (parent)
			url = arena_printf(&r->arena, "%s#answer-%lld", link_item_id(&r->arena, parent), (long long)id);
		else
			url = link_item(&r->arena, item, title);
		s = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:{s:I, s:s, s:s, s:s}}", "kind",
			      kind, "id", (json_int_t)id, "title", *title ? title : tr(r, N_("Update")), "body", body,
			      "item_kind", db_text_col(st, 3), "url", url, "deleted", db_int_col(st, 5) != 0,
			      "hidden", false, "is_item",
			      strcmp(kind, "item") == 0, "is_comment", strcmp(kind, "comment") == 0, "is_person",
			      strcmp(kind, "person") == 0, "author", "id", (json_int_t)db_int_col(st, 6), "handle",
			      handle, "name", db_text_col(st, 8), "url", link_person(&r->arena, handle));
		if (!db_null_col(st, 9))
			json_object_set_new(s, "community", json_pack("{s:s, s:s, s:s}", "slug", db_text_col(st, 9), "name",
								      db_text_col(st, 10), "url",
								      link_community(&r->arena, db_text_col(st, 9))));
		json_object_set_new(s, "action", json_string(arena_printf(&r->arena, "/moderation/%s/%lld", kind,
									   (long long)id)));
		/* Editing is the edit form's, a comment's on its thread (the
		 * policy says who may). */
		if (strcmp(kind, "item") == 0)
			json_object_set_new(s, "edit_url", json_string(arena_printf(&r->arena, "%s/edit",
										     link_item_id(&r->arena, id))));
		else if (strcmp(kind, "comment") == 0)
			json_object_set_new(s, "edit_url", json_string(url));
	}
	db_done(st);
	/* The statement is done before the next one runs. */
	if (s && hidden_kind_known(kind)) {
		json_object_set_new(s, "hidden", json_boolean(hidden_is(r->db, kind, id)));
		json_object_set_new(s, "hidden_automatically", json_boolean(hidden_automatically(r->db, kind, id)));
	}
	return s;
}

/* ---- the queue ------------------------------------------------------------------ */

json_t *moderation_queue(struct req *r)
{
	bool staff = policy_site_allows(r, POLICY_MODERATE);
	if (!staff && !hosts_any(r))
		return req_fail(r, 403, "forbidden", N_("The review queue is for moderators and the hosts of communities."));
	int64_t me = r->user->id;
	struct db_stmt *st = db_query(
		r->db,
		"SELECT p.id, p.subject_kind, p.subject_id, p.author_id, p.reason, p.note, p.created_at, u.handle, u.name"
		" FROM reports p JOIN users u ON u.id = p.reporter_id WHERE p.settled_at IS NULL AND "
		POLICY_MODERATED_SQL("p.community_id") " ORDER BY p.subject_kind, p.subject_id, p.id",
		DB_ARGS(POLICY_MODERATED_ARGS(staff, me)));
	/* One group per subject, its reports in the order they came. */
	json_t *groups = json_array(), *group = NULL;
	while (st && db_step(st) == DB_ROW) {
		const char *kind = db_text_col(st, 1);
		int64_t id = db_int_col(st, 2);
		if (!group || strcmp(json_string_value(json_object_get(group, "kind")), kind) != 0 ||
		    json_integer_value(json_object_get(group, "id")) != id) {
			if (json_array_size(groups) == QUEUE_LIMIT)
				break;
			group = json_pack("{s:s, s:I, s:I, s:[]}", "kind", kind, "id", (json_int_t)id, "author_id",
					  (json_int_t)db_int_col(st, 3), "reports");
			json_array_append_new(groups, group);
		}
		json_t *report = json_pack("{s:I, s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "id", (json_int_t)db_int_col(st, 0),
					   "reason", db_text_col(st, 4), "reason_label",
					   reports_label(r, db_text_col(st, 4)), "note", db_text_col(st, 5), "reporter",
					   "handle", db_text_col(st, 7), "name", db_text_col(st, 8), "url",
					   link_person(&r->arena, db_text_col(st, 7)));
		render_add_time(report, "created", db_int_col(st, 6));
		json_array_append_new(json_object_get(group, "reports"), report);
	}
	db_done(st);
	/* Each subject's content and its author's history, now that the
	 * list's statement is done. */
	json_t *items = json_array();
	size_t i;
	json_array_foreach(groups, i, group) {
		const char *kind = json_string_value(json_object_get(group, "kind"));
		int64_t id = json_integer_value(json_object_get(group, "id"));
		json_t *s = subject_model(r, kind, id);
		if (!s)
			continue;
		json_object_set(s, "reports", json_object_get(group, "reports"));
		json_object_set_new(s, "count", json_integer((json_int_t)json_array_size(json_object_get(group, "reports"))));
		json_t *history = reports_author_history(r->db, json_integer_value(json_object_get(group, "author_id")),
							 kind, id);
		if (history)
			json_object_set_new(s, "history", history);
		/* What the viewer may do about its author (features/warnings.h). */
		warnings_author_actions(r, s);
		json_array_append_new(items, s);
	}
	json_decref(groups);

	/* Hidden content without open reports, to show again. */
	json_t *hidden = json_array();
	int64_t *ids = NULL;
	const char **kinds = NULL;
	size_t n = 0;
	st = db_query(r->db,
		      "SELECT h.subject_kind, h.subject_id FROM hidden_content h"
		      " LEFT JOIN items i ON h.subject_kind = 'item' AND i.id = h.subject_id"
		      " LEFT JOIN comments k ON h.subject_kind = 'comment' AND k.id = h.subject_id"
		      " LEFT JOIN items ki ON ki.id = k.item_id"
		      " WHERE " POLICY_MODERATED_SQL("COALESCE(i.community_id, ki.community_id)")
		      " AND NOT EXISTS (SELECT 1 FROM reports p WHERE p.subject_kind = h.subject_kind"
		      " AND p.subject_id = h.subject_id AND p.settled_at IS NULL) ORDER BY h.hidden_at DESC LIMIT ?",
		      DB_ARGS(POLICY_MODERATED_ARGS(staff, me), db_int(HIDDEN_LIMIT)));
	ids = arena_alloc(&r->arena, HIDDEN_LIMIT * sizeof(*ids));
	kinds = arena_alloc(&r->arena, HIDDEN_LIMIT * sizeof(*kinds));
	while (st && db_step(st) == DB_ROW && n < HIDDEN_LIMIT) {
		kinds[n] = strcmp(db_text_col(st, 0), "item") == 0 ? "item" : "comment";
		ids[n++] = db_int_col(st, 1);
	}
	db_done(st);
	for (size_t k = 0; k < n; k++) {
		json_t *s = subject_model(r, kinds[k], ids[k]);
		if (s)
			json_array_append_new(hidden, s);
	}
	/* Members the ladder put before the site's moderators come first;
	 * posts waiting for approval (features/premoderation.h) after the
	 * reports. */
	json_t *decisions = staff ? ladder_decisions(r) : json_array();
	json_t *pending = premoderation_queue(r);
	if (db_failed(r->db) || !decisions || !pending) {
		json_decref(items);
		json_decref(hidden);
		json_decref(decisions);
		json_decref(pending);
		return req_fail_internal(r);
	}
	return json_pack("{s:s, s:o, s:o, s:b, s:b, s:b, s:o, s:o, s:b}", "title", tr(r, N_("Moderation")), "items",
			 items, "hidden", hidden, "none", json_array_size(items) == 0 && json_array_size(decisions) == 0,
			 "any_hidden", json_array_size(hidden) > 0, "site", staff, "decisions", decisions, "pending",
			 pending, "any_pending", json_array_size(pending) > 0);
}

/* ---- acting ---------------------------------------------------------------------- */

/* The subject of the path, where it lives and who wrote it; false after
 * answering 404 (no such subject, or none the viewer may know of) or 403
 * (not theirs to moderate). */
static bool load_target(struct req *r, struct report_subject *s)
{
	const char *kind = req_path_param(r, "kind");
	char *end = NULL;
	long long id = strtoll(req_path_param(r, "id"), &end, 10);
	memset(s, 0, sizeof(*s));
	const char *sql = NULL;
	if (kind && strcmp(kind, "item") == 0) {
		s->kind = "item";
		sql = "SELECT id, COALESCE(community_id, 0), author_id FROM items WHERE id = ?";
	} else if (kind && strcmp(kind, "comment") == 0) {
		s->kind = "comment";
		sql = "SELECT t.id, COALESCE(t.community_id, 0), k.author_id FROM comments k JOIN items t"
		      " ON t.id = k.item_id WHERE k.id = ?";
	} else if (kind && strcmp(kind, "person") == 0) {
		s->kind = "person";
		sql = "SELECT 0, 0, id FROM users WHERE id = ?";
	}
	bool found = false;
	if (sql && id > 0 && !*end) {
		struct db_stmt *st = db_query(r->db, sql, DB_ARGS(db_int(id)));
		if ((found = st && db_step(st) == DB_ROW)) {
			s->id = id;
			s->item_id = db_int_col(st, 0);
			s->community_id = db_int_col(st, 1);
			s->author_id = db_int_col(st, 2);
		}
		db_done(st);
	}
	if (!found) {
		req_fail(r, 404, "not_found", N_("There is no such page."));
		return false;
	}
	struct community_access a;
	bool may;
	if (s->community_id) {
		if (!communities_access_id(r, s->community_id, &a) || !a.can_read) {
			req_fail(r, 404, "not_found", N_("There is no such page."));
			return false;
		}
		may = a.can_moderate;
	} else {
		may = policy_site_allows(r, POLICY_MODERATE);
	}
	if (!may) {
		req_fail(r, 403, "forbidden", N_("Only moderators and the community's hosts can do that."));
		return false;
	}
	return true;
}

static const struct {
	const char *action, *outcome, *audit;
} actions[] = {
	{"dismiss", "dismissed", "report.dismissed"},
	{"hide", "hidden", "content.hidden"},
	{"unhide", NULL, "content.unhidden"},
};

/* Settles every open report on the subject with the outcome and note, by
 * the member, and puts the outcome and the reporters' ids into payload
 * (report.settled's, which tells them); how many, -1 on a database error. */
static int64_t settle(struct db *db, struct arena *a, const struct report_subject *s, const char *outcome,
		      int64_t by, const char *note, int64_t now, json_t *payload)
{
	int64_t *reporters = NULL;
	ssize_t n = reports_open_reporters(db, a, s->kind, s->id, &reporters);
	if (n < 0)
		return -1;
	int64_t settled = reports_settle(db, s->kind, s->id, outcome, by, note, now);
	json_t *ids = json_array();
	for (ssize_t k = 0; k < n; k++)
		json_array_append_new(ids, json_integer(reporters[k]));
	json_object_set_new(payload, "outcome", json_string(outcome));
	json_object_set_new(payload, "reporters", ids);
	return settled;
}

/* What the audit entry of an action holds besides its subject. */
static json_t *audit_detail(int64_t settled, int64_t author, bool unhidden)
{
	json_t *d = json_pack("{s:I, s:I}", "reports", (json_int_t)settled, "author", (json_int_t)author);
	if (unhidden)
		json_object_set_new(d, "unhidden", json_true());
	return d;
}

json_t *moderation_act(struct req *r)
{
	struct report_subject s;
	if (!load_target(r, &s))
		return NULL;
	const char *action = req_param_trimmed(r, "action");
	int which = -1;
	for (int k = 0; action && k < (int)(sizeof(actions) / sizeof(actions[0])); k++)
		if (strcmp(action, actions[k].action) == 0)
			which = k;
	const char *typed = req_param_trimmed(r, "note");
	const char *note = typed ? typed : "";
	if (which < 0) {
		req_fail(r, 422, "invalid", N_("Choose dismiss, hide or unhide."));
		r->error.field = "action";
		return NULL;
	}
	bool hiding = which == 1, showing = which == 2;
	if ((hiding || showing) && !hidden_kind_known(s.kind)) {
		req_fail(r, 422, "invalid", N_("A profile cannot be hidden."));
		r->error.field = "action";
		return NULL;
	}
	if (utf8_length(note) > REPORT_NOTE_MAX || !text_printable(note, true)) {
		req_fail(r, 422, "invalid", N_("Keep the note under 1000 characters."));
		r->error.field = "note";
		return NULL;
	}
	int64_t *reporters;
	ssize_t nreporters = reports_open_reporters(r->db, &r->arena, s.kind, s.id, &reporters);
	if (nreporters < 0)
		return req_fail_internal(r);
	bool was_hidden = hidden_kind_known(s.kind) && hidden_is(r->db, s.kind, s.id);
	/* Dismissing the reports that hid it by itself shows it again. */
	bool unhiding = which == 0 && was_hidden && hidden_automatically(r->db, s.kind, s.id);
	if (showing && !was_hidden)
		return req_fail(r, 409, "not_hidden", N_("This is not hidden."));
	if (hiding && was_hidden && nreporters == 0)
		return req_fail(r, 409, "hidden", N_("This is hidden already."));
	if (!hiding && !showing && nreporters == 0)
		return req_fail(r, 409, "no_reports", N_("There are no open reports on this."));

	bool ok = true;
	int64_t settled = 0;
	json_t *payload = json_pack("{s:s, s:I}", "subject_kind", s.kind, "subject_id", (json_int_t)s.id);
	if (hiding)
		ok = hidden_set(r->db, s.kind, s.id, r->user->id, r->now);
	else if (showing || unhiding)
		ok = hidden_clear(r->db, s.kind, s.id);
	if (ok && actions[which].outcome) {
		settled = settle(r->db, &r->arena, &s, actions[which].outcome, r->user->id, note, r->now, payload);
		ok = settled >= 0;
		if (unhiding)
			json_object_set_new(payload, "unhidden", json_true());
	}
	if (!ok) {
		json_decref(payload);
		return req_fail_internal(r);
	}
	ok = event_record(r->db, &(struct event){.type = showing ? EVENT_CONTENT_UNHIDDEN : EVENT_REPORT_SETTLED,
						  .actor_id = r->user->id, .community_id = s.community_id,
						  .item_id = s.item_id, .member_id = s.author_id, .created_at = r->now,
						  .payload = payload}) &&
	     audit_by(r, actions[which].audit, s.kind, s.id, s.community_id, note, audit_detail(settled, s.author_id, unhiding));
	if (!ok)
		return req_fail_internal(r);
	return req_done(r, 200, "/moderation",
			json_pack("{s:s, s:I, s:s, s:I, s:b}", "subject_kind", s.kind, "subject_id", (json_int_t)s.id,
				  "action", action, "settled", (json_int_t)settled, "hidden",
				  hiding || (was_hidden && !showing && !unhiding)));
}

bool moderation_on_edit(struct db *db, const struct event *e)
{
	const char *note = json_string_value(json_object_get(e->payload, "moderator_note"));
	if (!note)
		return true;
	bool comment = e->type == EVENT_COMMENT_EDITED;
	struct report_subject s = {.kind = comment ? "comment" : "item", .id = comment ? e->object_id : e->item_id,
				   .item_id = e->item_id, .community_id = e->community_id, .author_id = e->member_id};
	struct arena a = {0};
	json_t *payload = json_pack("{s:s, s:I}", "subject_kind", s.kind, "subject_id", (json_int_t)s.id);
	int64_t settled = settle(db, &a, &s, "edited", e->actor_id, note, e->created_at, payload);
	arena_reset(&a);
	bool ok = settled >= 0;
	/* The reporters hear of it only when there were reports. */
	if (ok && settled > 0)
		ok = event_record(db, &(struct event){.type = EVENT_REPORT_SETTLED, .actor_id = e->actor_id,
						      .community_id = s.community_id, .item_id = s.item_id,
						      .member_id = s.author_id, .created_at = e->created_at,
						      .payload = payload});
	else
		json_decref(payload);
	return ok && audit_record(db, &(struct audit_entry){
			     .actor_id = e->actor_id, .action = "content.edited", .subject_kind = s.kind,
			     .subject_id = s.id, .community_id = s.community_id, .reason = note,
			     .detail = json_pack("{s:I, s:I}", "reports", (json_int_t)settled, "author",
						 (json_int_t)s.author_id),
			     .created_at = e->created_at});
}
