/*
 * admin_roles: who holds which role, for admins, at /admin/roles: the
 * site's admins and moderators, and per community (those the admin may
 * read) its hosts and ambassadors; and, for a member looked up by handle,
 * every role they hold or could be given. The page only reads; its forms post to
 * the routes that change each role — /admin/users/{id}/role for site roles
 * (features/admin.c), /c/{slug}/members/{handle}/role for hosts
 * (features/communities.h) and …/ambassador for ambassadors
 * (features/ambassadors.h) — which keep their rules (the last admin, a
 * community's last host) and write their audit entries.
 */
#ifndef KRING_ADMIN_ROLES_H
#define KRING_ADMIN_ROLES_H

#include <jansson.h>

struct req;

/* GET /admin/roles?handle=: {"staff": [{"id", "handle", "name", "role",
 * "role_options"}], "communities": [{"slug", "name", "url", "hosts":
 * [{"handle", "name"}], "ambassadors": [...]}], "member": null, or the
 * member of handle as in staff with "communities": [{"slug", "name", "url",
 * "is_host", "is_ambassador"}], or {"missing": true, "handle"}}. */
json_t *admin_roles_page(struct req *r);

#endif
