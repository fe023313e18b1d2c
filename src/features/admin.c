/* admin: the site's accounts and their roles. */
#include "features/features.h"

#include "auth/users.h"
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
