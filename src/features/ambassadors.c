/* ambassadors: who welcomes newcomers and pins posts in a community (see
 * ambassadors.h). */
#include "features/ambassadors.h"

#include "auth/account_states.h"
#include "auth/policy.h"
#include "core/arena.h"
#include "db/db.h"
#include "features/audit.h"
#include "features/communities.h"
#include "features/community_bans.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"

#include <string.h>

/* The community of the path for who runs it, and the member of the path:
 * an active member of it when member_only. False after answering. */
static bool target(struct req *r, struct community_access *a, struct account_state *who, bool member_only)
{
	if (!communities_managed(r, a))
		return false;
	bool found = account_states_find(r->db, &r->arena, req_path_param(r, "handle"), who) &&
		     strcmp(who->status, "excluded") != 0 &&
		     (!member_only || db_exists(r->db, "SELECT 1 FROM memberships WHERE community_id = ? AND user_id = ?"
						       " AND state = 'active'",
						DB_ARGS(db_int(a->id), db_int(who->id))));
	if (db_failed(r->db)) {
		req_fail_internal(r);
		return false;
	}
	if (!found) {
		req_fail(r, 404, "not_found", N_("This person is not a member."));
		return false;
	}
	return true;
}

/* The event and audit entry of a change, and the answer. */
static json_t *changed(struct req *r, const struct community_access *a, const struct account_state *who,
		       bool granted)
{
	if (!event_record(r->db, &(struct event){.type = EVENT_MEMBER_ROLE, .actor_id = r->user->id,
						  .community_id = a->id, .member_id = who->id, .created_at = r->now,
						  .payload = json_pack("{s:s, s:b}", "role", "ambassador", "granted",
								       granted)}) ||
	    !audit_by(r, granted ? "community.ambassador_granted" : "community.ambassador_revoked", "member", who->id,
		      a->id, NULL, NULL))
		return req_fail_internal(r);
	return req_done(r, 200, arena_printf(&r->arena, "%s/members", link_community(&r->arena, a->slug)),
			json_pack("{s:s, s:s, s:b}", "community", a->slug, "handle", who->handle, "ambassador", granted));
}

json_t *ambassadors_grant(struct req *r)
{
	struct community_access a;
	struct account_state who;
	if (!target(r, &a, &who, true))
		return NULL;
	if (strcmp(who.status, "suspended") == 0)
		return req_fail(r, 409, "suspended", N_("A suspended member cannot be made ambassador."));
	int64_t added = db_exec(r->db,
				"INSERT INTO community_ambassadors (community_id, user_id, granted_by, created_at)"
				" VALUES (?, ?, ?, ?) ON CONFLICT (community_id, user_id) DO NOTHING",
				DB_ARGS(db_int(a.id), db_int(who.id), db_int(r->user->id), db_int(r->now)));
	if (added < 0)
		return req_fail_internal(r);
	if (added == 0)
		return req_fail(r, 409, "ambassador", N_("This member is an ambassador of this community already."));
	return changed(r, &a, &who, true);
}

json_t *ambassadors_revoke(struct req *r)
{
	struct community_access a;
	struct account_state who;
	if (!target(r, &a, &who, false))
		return NULL;
	int64_t removed = db_exec(r->db, "DELETE FROM community_ambassadors WHERE community_id = ? AND user_id = ?",
				  DB_ARGS(db_int(a.id), db_int(who.id)));
	if (removed < 0)
		return req_fail_internal(r);
	if (removed == 0)
		return req_fail(r, 404, "not_found", N_("This member is not an ambassador of this community."));
	return changed(r, &a, &who, false);
}

json_t *ambassadors_of(struct req *r, int64_t community_id)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
				      "SELECT u.handle, u.name FROM community_ambassadors ca JOIN memberships m"
				      " ON m.community_id = ca.community_id AND m.user_id = ca.user_id AND m.state = 'active'"
				      " JOIN users u ON u.id = ca.user_id WHERE ca.community_id = ? AND "
				      POLICY_ACCOUNT_SHOWN_SQL("u.status") " ORDER BY u.name, u.id",
				      DB_ARGS(db_int(community_id)));
	while (st && db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:s, s:s}", "handle", db_text_col(st, 0), "name",
						      db_text_col(st, 1)));
	db_done(st);
	return list;
}

json_t *ambassadors_members_page(struct req *r)
{
	json_t *m = community_bans_members_page(r);
	if (!m)
		return NULL;
	json_t *ambassadors = ambassadors_of(r, json_integer_value(json_object_get(m, "id")));
	if (db_failed(r->db)) {
		json_decref(ambassadors);
		json_decref(m);
		return req_fail_internal(r);
	}
	size_t i, j;
	json_t *member, *amb;
	json_array_foreach(json_object_get(m, "items"), i, member) {
		bool is = false;
		json_array_foreach(ambassadors, j, amb)
			is |= json_equal(json_object_get(amb, "handle"), json_object_get(member, "handle"));
		json_object_set_new(member, "is_ambassador", json_boolean(is));
	}
	json_object_set_new(m, "ambassadors", ambassadors);
	return m;
}

bool ambassadors_on_event(struct db *db, const struct event *e)
{
	return e->type != EVENT_MEMBER_LEFT ||
	       db_exec(db, "DELETE FROM community_ambassadors WHERE community_id = ? AND user_id = ?",
		       DB_ARGS(db_int(e->community_id), db_int(e->member_id))) >= 0;
}

bool ambassadors_store(struct db *db, int64_t community_id, int64_t member_id, int64_t now)
{
	return db_exec(db, "INSERT INTO community_ambassadors (community_id, user_id, created_at) VALUES (?, ?, ?)"
			   " ON CONFLICT (community_id, user_id) DO NOTHING",
		       DB_ARGS(db_int(community_id), db_int(member_id), db_int(now))) >= 0;
}
