/* moderation_log: a community's public moderation log (see
 * moderation_log.h). */
#include "features/moderation_log.h"

#include "core/arena.h"
#include "db/db.h"
#include "features/audit.h"
#include "features/audit_page.h"
#include "features/communities.h"
#include "http/cache.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"
#include "render/render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Entries on one page. */
#define PAGE_SIZE 50

/* The audit log's actions that are moderation in a community: only these
 * are shown, named as the audit log's pages name them. */
static const char *const actions[] = {
	"report.dismissed", "content.hidden", "content.unhidden", "content.hidden_automatically", "content.edited",
	"item.deleted", "comment.deleted", "member.banned", "member.unbanned", "member.warned",
};
#define ACTIONS (sizeof(actions) / sizeof(actions[0]))

/* What the log calls what was acted on: never who or which. */
static const char *kind_label(struct req *r, const char *kind)
{
	if (strcmp(kind, "item") == 0)
		return tr(r, N_("a post"));
	if (strcmp(kind, "comment") == 0)
		return tr(r, N_("a comment"));
	return tr(r, N_("a member"));
}

bool moderation_log_public(struct db *db, int64_t community_id)
{
	return db_exists(db, "SELECT 1 FROM community_public_logs WHERE community_id = ?",
			 DB_ARGS(db_int(community_id)));
}

/* One page of entries before the id `before`, the newest first. */
static json_t *entries(struct req *r, int64_t community_id, int64_t before, int64_t *next)
{
	struct db_value args[ACTIONS + 3];
	size_t n = 0;
	args[n++] = db_int(community_id);
	args[n++] = db_int(before);
	char in[ACTIONS * 3 + 1] = "";
	for (size_t i = 0; i < ACTIONS; i++) {
		strcat(in, i ? ", ?" : "?");
		args[n++] = db_text(actions[i]);
	}
	args[n++] = db_int(PAGE_SIZE + 1);
	struct db_stmt *st = db_query(r->db,
				      arena_printf(&r->arena,
						   "SELECT e.id, e.action, e.subject_kind, e.created_at FROM audit_log e"
						   " WHERE e.community_id = ? AND e.id < ? AND e.action IN (%s)"
						   " ORDER BY e.id DESC LIMIT ?",
						   in),
				      args, n);
	json_t *items = json_array();
	int rows = 0;
	*next = 0;
	while (st && db_step(st) == DB_ROW) {
		int64_t id = db_int_col(st, 0);
		if (rows++ == PAGE_SIZE) {
			*next = json_integer_value(json_object_get(json_array_get(items, PAGE_SIZE - 1), "id"));
			break;
		}
		const char *action = db_text_col(st, 1), *label = audit_action_label(r, action);
		const char *kind = db_text_col(st, 2);
		json_t *e = json_pack("{s:I, s:s, s:s, s:{s:s, s:s}}", "id", (json_int_t)id, "action", action,
				      "action_label", label, "subject", "kind", kind, "kind_label", kind_label(r, kind));
		render_add_time(e, "created", db_int_col(st, 3));
		json_array_append_new(items, e);
	}
	db_done(st);
	return items;
}

json_t *moderation_log_page(struct req *r)
{
	struct community_access a;
	if (!communities_access(r, req_path_param(r, "slug"), &a) || !a.can_read)
		return req_fail(r, 404, "not_found", N_("There is no such community."));
	if (!moderation_log_public(r->db, a.id))
		return db_failed(r->db) ? req_fail_internal(r)
					: req_fail(r, 404, "not_found", N_("This community's moderation log is not public."));
	int64_t before = INT64_MAX;
	const char *cursor = req_query(r, "cursor");
	if (cursor && *cursor) {
		char *end;
		errno = 0;
		long long v = strtoll(cursor, &end, 10);
		if (errno || *end || v <= 0)
			return req_fail(r, 400, "invalid", N_("The page's address is not valid."));
		before = v;
	}
	int64_t next = 0;
	json_t *items = entries(r, a.id, before, &next);
	if (db_failed(r->db)) {
		json_decref(items);
		return req_fail_internal(r);
	}
	const char *base = arena_printf(&r->arena, "%s/moderation-log", link_community(&r->arena, a.slug));
	json_t *m = json_pack("{s:s, s:{s:s, s:s}, s:o, s:b}", "title", tr(r, N_("Moderation log")), "community",
			      "slug", a.slug, "name", a.name, "items", items, "none", json_array_size(items) == 0);
	json_object_set_new(m, "next", next ? json_sprintf("%lld", (long long)next) : json_null());
	if (next)
		json_object_set_new(m, "next_url", json_sprintf("%s?cursor=%lld", base, (long long)next));
	return m;
}

json_t *moderation_log_set(struct req *r)
{
	struct community_access a;
	if (!communities_managed(r, &a))
		return NULL;
	bool on = req_param_bool(r, "public", false);
	bool was = moderation_log_public(r->db, a.id);
	struct cache_scope scope = {CACHE_SCOPE_COMMUNITY, a.id};
	if (on != was &&
	    ((on ? db_exec(r->db, "INSERT INTO community_public_logs (community_id, turned_on_by, created_at)"
				  " VALUES (?, ?, ?)", DB_ARGS(db_int(a.id), db_int(r->user->id), db_int(r->now)))
		 : db_exec(r->db, "DELETE FROM community_public_logs WHERE community_id = ?", DB_ARGS(db_int(a.id)))) != 1 ||
	     !audit_by(r, "community.moderation_log", "community", a.id, a.id, NULL, json_pack("{s:b}", "public", on)) ||
	     !cache_invalidate_scopes(r->db, &scope, 1)))
		return req_fail_internal(r);
	if (db_failed(r->db))
		return req_fail_internal(r);
	return req_done(r, 200, arena_printf(&r->arena, "%s/edit", link_community(&r->arena, a.slug)),
			json_pack("{s:s, s:b}", "community", a.slug, "public", on));
}

json_t *moderation_log_settings_form(struct req *r)
{
	json_t *m = communities_edit_form(r);
	json_t *c = json_object_get(m, "community");
	if (!c)
		return m;
	int64_t id = json_integer_value(json_object_get(c, "id"));
	bool on = moderation_log_public(r->db, id);
	if (db_failed(r->db)) {
		json_decref(m);
		return req_fail_internal(r);
	}
	json_object_set_new(m, "moderation_log", json_pack("{s:b, s:s}", "public", on, "url",
							   arena_printf(&r->arena, "%s/moderation-log",
									json_string_value(json_object_get(c, "url")))));
	return m;
}

bool moderation_log_store(struct db *db, int64_t community_id, int64_t now)
{
	return db_exec(db, "INSERT INTO community_public_logs (community_id, created_at) VALUES (?, ?)"
			   " ON CONFLICT (community_id) DO NOTHING",
		       DB_ARGS(db_int(community_id), db_int(now))) >= 0;
}
