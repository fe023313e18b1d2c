/* community_bans: removing and banning members of a community (see
 * community_bans.h). */
#include "features/community_bans.h"

#include "auth/account_states.h"
#include "auth/policy.h"
#include "core/arena.h"
#include "core/text.h"
#include "db/db.h"
#include "features/communities.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"
#include "render/render.h"

#include <string.h>

/* The community and the member of the path, for one of its hosts or an
 * admin who may act on that member; false after answering. */
static bool ban_target(struct req *r, struct community_access *a, struct account_state *who)
{
	if (!communities_managed(r, a))
		return false;
	if (!account_states_find(r->db, &r->arena, req_path_param(r, "handle"), who) ||
	    strcmp(who->status, "excluded") == 0) {
		if (!db_failed(r->db))
			req_fail(r, 404, "not_found", N_("There is no member with that handle."));
		return false;
	}
	if (who->id == r->user->id) {
		req_fail(r, 403, "forbidden", N_("You cannot ban yourself."));
		return false;
	}
	if (strcmp(who->role, "admin") == 0) {
		req_fail(r, 403, "forbidden", N_("An admin cannot be banned from a community."));
		return false;
	}
	bool admin = policy_site_allows(r, POLICY_ADMINISTER);
	if (!admin && db_exists(r->db, "SELECT 1 FROM memberships WHERE community_id = ? AND user_id = ?"
				       " AND role = 'host' AND state = 'active'",
				DB_ARGS(db_int(a->id), db_int(who->id)))) {
		req_fail(r, 403, "forbidden", N_("Only an admin can ban one of the community's hosts."));
		return false;
	}
	return !db_failed(r->db);
}

static bool ban_event(struct req *r, enum event_type type, int64_t community_id, int64_t member, const char *reason)
{
	return event_record(r->db, &(struct event){.type = type, .actor_id = r->user->id, .community_id = community_id,
						   .member_id = member, .created_at = r->now,
						   .payload = reason ? json_pack("{s:s}", "reason", reason) : NULL});
}

static const char *members_page(struct req *r, const struct community_access *a)
{
	return arena_printf(&r->arena, "%s/members", link_community(&r->arena, a->slug));
}

json_t *community_bans_ban(struct req *r)
{
	struct community_access a;
	struct account_state who;
	if (!ban_target(r, &a, &who))
		return db_failed(r->db) ? req_fail_internal(r) : NULL;
	const char *reason = account_states_reason_field(r);
	if (!reason)
		return NULL;
	bool last_host;
	if (!communities_remove(r, &a, who.id, &last_host))
		return last_host ? req_fail(r, 409, "last_host", N_("A community keeps at least one host."))
				 : req_fail_internal(r);
	if (db_exec(r->db,
		    "INSERT INTO community_bans (community_id, user_id, reason, actor_id, created_at) VALUES (?, ?, ?, ?, ?)"
		    " ON CONFLICT (community_id, user_id) DO UPDATE SET reason = excluded.reason,"
		    " actor_id = excluded.actor_id, created_at = excluded.created_at",
		    DB_ARGS(db_int(a.id), db_int(who.id), db_text(reason), db_int(r->user->id), db_int(r->now))) != 1 ||
	    !ban_event(r, EVENT_MEMBER_BANNED, a.id, who.id, reason))
		return req_fail_internal(r);
	return req_done(r, 200, members_page(r, &a),
			json_pack("{s:s, s:s, s:b, s:s}", "community", a.slug, "handle", who.handle, "banned", 1,
				  "reason", reason));
}

json_t *community_bans_unban(struct req *r)
{
	struct community_access a;
	struct account_state who;
	if (!ban_target(r, &a, &who))
		return db_failed(r->db) ? req_fail_internal(r) : NULL;
	int64_t lifted = db_exec(r->db, "DELETE FROM community_bans WHERE community_id = ? AND user_id = ?",
				 DB_ARGS(db_int(a.id), db_int(who.id)));
	if (lifted < 0 || (lifted > 0 && !ban_event(r, EVENT_MEMBER_UNBANNED, a.id, who.id, NULL)))
		return req_fail_internal(r);
	if (lifted == 0)
		return req_fail(r, 404, "not_found", N_("This member is not banned from this community."));
	return req_done(r, 200, members_page(r, &a),
			json_pack("{s:s, s:s, s:b}", "community", a.slug, "handle", who.handle, "banned", 0));
}

static json_t *bans(struct req *r, int64_t community_id)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
				      "SELECT u.handle, u.name, b.reason, b.created_at FROM community_bans b"
				      " JOIN users u ON u.id = b.user_id WHERE b.community_id = ? AND "
				      POLICY_ACCOUNT_SHOWN_SQL("u.status") " ORDER BY b.created_at DESC, b.user_id",
				      DB_ARGS(db_int(community_id)));
	while (st && db_step(st) == DB_ROW) {
		json_t *b = json_pack("{s:s, s:s, s:s}", "handle", db_text_col(st, 0), "name", db_text_col(st, 1),
				      "reason", db_text_col(st, 2));
		render_add_time(b, "since", db_int_col(st, 3));
		json_array_append_new(list, b);
	}
	db_done(st);
	return list;
}

json_t *community_bans_members_page(struct req *r)
{
	json_t *m = communities_members(r);
	if (!m || !json_is_true(json_object_get(m, "can_manage")))
		return m;
	json_t *list = bans(r, json_integer_value(json_object_get(m, "id")));
	if (db_failed(r->db)) {
		json_decref(list);
		json_decref(m);
		return req_fail_internal(r);
	}
	json_object_set_new(m, "bans", list);
	return m;
}
