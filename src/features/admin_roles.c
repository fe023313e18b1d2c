/* admin_roles: who holds which role (see admin_roles.h). */
#include "features/admin_roles.h"

#include "auth/policy.h"
#include "db/db.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"

#include <string.h>

/* The most of each list shown. */
#define ROLES_LIMIT 1000

static const char *const site_roles[][2] = {
	{"member", N_("Member")}, {"moderator", N_("Moderator")}, {"admin", N_("Admin")}};

/* A member as the page shows them, from a row of (id, handle, name,
 * site role): with their role's label and the options of its form. */
static json_t *member_row(struct req *r, struct db_stmt *st)
{
	const char *role = db_text_col(st, 3);
	json_t *options = json_array();
	const char *label = role;
	for (size_t k = 0; k < sizeof(site_roles) / sizeof(site_roles[0]); k++) {
		bool is = strcmp(role, site_roles[k][0]) == 0;
		if (is)
			label = tr(r, site_roles[k][1]);
		json_array_append_new(options, json_pack("{s:s, s:s, s:b}", "role", site_roles[k][0], "label",
							  tr(r, site_roles[k][1]), "selected", is));
	}
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)db_int_col(st, 0), "handle",
			 db_text_col(st, 1), "name", db_text_col(st, 2), "role", role, "role_label", label,
			 "role_options", options);
}

static json_t *staff(struct req *r)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
				      "SELECT u.id, u.handle, u.name, u.role FROM users u WHERE u.role IN ('admin', 'moderator')"
				      " AND " POLICY_ACCOUNT_SHOWN_SQL("u.status") " ORDER BY u.role, u.name, u.id LIMIT ?",
				      DB_ARGS(db_int(ROLES_LIMIT)));
	while (st && db_step(st) == DB_ROW)
		json_array_append_new(list, member_row(r, st));
	db_done(st);
	return list;
}

/* The member of ?handle= with their site role and the communities they
 * are in that the admin may read, each with whether they host it and
 * whether they are its ambassador, so that every role can be given or
 * taken back from here; {"missing": true} when there is no such member. */
static json_t *looked_up(struct req *r, const char *handle)
{
	struct db_stmt *st = db_query(r->db,
				      "SELECT u.id, u.handle, u.name, u.role FROM users u WHERE u.handle = ? AND "
				      POLICY_ACCOUNT_SHOWN_SQL("u.status"), DB_ARGS(db_text(handle)));
	json_t *member = st && db_step(st) == DB_ROW ? member_row(r, st) : NULL;
	db_done(st);
	if (!member)
		return json_pack("{s:b, s:s}", "missing", true, "handle", handle);
	json_t *places = json_array();
	st = db_query(r->db,
		      "SELECT c.slug, c.name, m.role, EXISTS (SELECT 1 FROM community_ambassadors ca"
		      " WHERE ca.community_id = c.id AND ca.user_id = m.user_id)"
		      " FROM memberships m JOIN communities c ON c.id = m.community_id"
		      " WHERE m.user_id = ? AND m.state = 'active' AND " POLICY_COMMUNITY_VISIBLE_SQL
		      " ORDER BY c.name, c.id LIMIT ?",
		      DB_ARGS(db_int(json_integer_value(json_object_get(member, "id"))),
			      POLICY_COMMUNITY_VISIBLE_ARGS(r->user->id), db_int(ROLES_LIMIT)));
	while (st && db_step(st) == DB_ROW) {
		const char *slug = db_text_col(st, 0);
		json_array_append_new(places, json_pack("{s:s, s:s, s:s, s:b, s:b}", "slug", slug, "name",
							db_text_col(st, 1), "url", link_community(&r->arena, slug),
							"is_host", strcmp(db_text_col(st, 2), "host") == 0,
							"is_ambassador", db_int_col(st, 3) != 0));
	}
	db_done(st);
	json_object_set_new(member, "communities", places);
	return member;
}

/* The communities the admin may read that have hosts or ambassadors,
 * by name, each with both lists. */
static json_t *communities(struct req *r)
{
	int64_t viewer = r->user->id;
	json_t *list = json_array(), *current = NULL;
	int64_t current_id = 0;
	struct db_stmt *st = db_query(
		r->db,
		"SELECT c.id, c.slug, c.name, x.kind, u.handle, u.name FROM ("
		" SELECT m.community_id, m.user_id, 'hosts' AS kind FROM memberships m"
		" WHERE m.role = 'host' AND m.state = 'active'"
		" UNION ALL SELECT ca.community_id, ca.user_id, 'ambassadors' FROM community_ambassadors ca"
		" JOIN memberships am ON am.community_id = ca.community_id AND am.user_id = ca.user_id"
		" AND am.state = 'active') x"
		" JOIN communities c ON c.id = x.community_id JOIN users u ON u.id = x.user_id"
		" WHERE " POLICY_COMMUNITY_VISIBLE_SQL " AND " POLICY_ACCOUNT_SHOWN_SQL("u.status")
		" ORDER BY c.name, c.id, x.kind, u.name, u.id LIMIT ?",
		DB_ARGS(POLICY_COMMUNITY_VISIBLE_ARGS(viewer), db_int(ROLES_LIMIT)));
	while (st && db_step(st) == DB_ROW) {
		int64_t id = db_int_col(st, 0);
		if (!current || id != current_id) {
			const char *slug = db_text_col(st, 1);
			current = json_pack("{s:s, s:s, s:s, s:[], s:[]}", "slug", slug, "name", db_text_col(st, 2), "url",
					    link_community(&r->arena, slug), "hosts", "ambassadors");
			json_array_append_new(list, current);
			current_id = id;
		}
		json_array_append_new(json_object_get(current, db_text_col(st, 3)),
				      json_pack("{s:s, s:s}", "handle", db_text_col(st, 4), "name", db_text_col(st, 5)));
	}
	db_done(st);
	return list;
}

json_t *admin_roles_page(struct req *r)
{
	const char *handle = req_query(r, "handle");
	json_t *people = staff(r), *places = communities(r);
	json_t *member = handle && *handle ? looked_up(r, handle) : json_null();
	if (db_failed(r->db)) {
		json_decref(people);
		json_decref(places);
		json_decref(member);
		return req_fail_internal(r);
	}
	return json_pack("{s:s, s:o, s:o, s:o}", "title", tr(r, N_("Roles")), "staff", people, "communities", places,
			 "member", member);
}
