/* admin: the site's accounts and their roles. */
#include "features/features.h"

#include "auth/users.h"
#include "db/db.h"
#include "http/req.h"
#include "i18n/i18n.h"

#include <stdlib.h>
#include <string.h>

#define ADMIN_LIST_LIMIT 500

static const char *const roles[] = {"member", "moderator", "admin"};
static const char *const role_labels[] = {N_("Member"), N_("Moderator"), N_("Admin")};

json_t *admin_users(struct req *r)
{
	json_t *users = users_list(r->db, ADMIN_LIST_LIMIT);
	size_t i;
	json_t *u;
	json_array_foreach(users, i, u) {
		json_t *options = json_array();
		const char *role = json_string_value(json_object_get(u, "role"));
		for (size_t k = 0; k < 3; k++)
			json_array_append_new(options, json_pack("{s:s, s:s, s:b}", "role", roles[k],
								  "label", tr(r, role_labels[k]),
								  "selected", strcmp(role, roles[k]) == 0));
		json_object_set_new(u, "role_options", options);
	}
	return json_pack("{s:s, s:o}", "title", tr(r, N_("Members and roles")), "items", users);
}

json_t *admin_set_role(struct req *r)
{
	char *end = NULL;
	long long id = strtoll(req_path_param(r, "id"), &end, 10);
	const char *role = req_param(r, "role");
	struct user *target = *end || id <= 0 ? NULL : users_get(r->db, &r->arena, id);
	if (!target)
		return req_fail(r, 404, "not_found", N_("There is no such member."));
	bool known = false;
	for (size_t k = 0; k < 3; k++)
		known |= role && strcmp(role, roles[k]) == 0;
	if (!known) {
		req_fail(r, 422, "invalid", N_("Choose member, moderator or admin."));
		r->error.field = "role";
		return NULL;
	}
	/* A site always keeps someone who can run it. */
	if (strcmp(target->role, "admin") == 0 && strcmp(role, "admin") != 0 &&
	    users_count(r->db, "admin") <= 1)
		return req_fail(r, 409, "last_admin", N_("This is the last admin; make someone else admin first."));
	users_set_role(r->db, id, role);
	return req_done(r, 200, "/admin/users", users_to_json(users_get(r->db, &r->arena, id), true));
}

/* Site settings: each has a fixed set of values, the first the default. */
static const struct {
	const char *key, *label;
	const char *values[3], *labels[3];
} site_settings[] = {
	{"community_creation", N_("Who can create communities"),
	 {"admins", "members", NULL}, {N_("Admins only"), N_("Every member"), NULL}},
};

bool admin_setting_is(struct db *db, const char *key, const char *value)
{
	return db_exists(db, "SELECT 1 FROM settings WHERE key = ? AND value = ?",
			 DB_ARGS(db_text(key), db_text(value)));
}

json_t *admin_settings(struct req *r)
{
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof(site_settings) / sizeof(site_settings[0]); i++) {
		json_t *options = json_array();
		for (int v = 0; site_settings[i].values[v]; v++) {
			bool selected = admin_setting_is(r->db, site_settings[i].key, site_settings[i].values[v]) ||
					(v == 0 && !db_exists(r->db, "SELECT 1 FROM settings WHERE key = ?",
							      DB_ARGS(db_text(site_settings[i].key))));
			json_array_append_new(options, json_pack("{s:s, s:s, s:b}", "value", site_settings[i].values[v],
								 "label", tr(r, site_settings[i].labels[v]),
								 "selected", selected));
		}
		json_array_append_new(list, json_pack("{s:s, s:s, s:o}", "key", site_settings[i].key,
						      "label", tr(r, site_settings[i].label), "options", options));
	}
	return json_pack("{s:s, s:o, s:b}", "title", tr(r, N_("Site settings")), "items", list,
			 "saved", req_query(r, "saved") != NULL);
}

json_t *admin_save_settings(struct req *r)
{
	for (size_t i = 0; i < sizeof(site_settings) / sizeof(site_settings[0]); i++) {
		const char *value = req_param(r, site_settings[i].key);
		if (!value)
			continue;
		bool known = false;
		for (int v = 0; site_settings[i].values[v]; v++)
			known |= strcmp(value, site_settings[i].values[v]) == 0;
		if (!known) {
			req_fail(r, 422, "invalid", N_("Choose one of the values offered."));
			r->error.field = site_settings[i].key;
			return NULL;
		}
		db_exec(r->db, "INSERT INTO settings (key, value) VALUES (?, ?)"
			       " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			DB_ARGS(db_text(site_settings[i].key), db_text(value)));
	}
	json_t *saved = admin_settings(r);
	return req_done(r, 200, "/admin/settings?saved=1", saved);
}
