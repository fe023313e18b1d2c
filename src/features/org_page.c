/* org_page: the page of a member organisation, with its people and what
 * they shared. The organisations themselves are kept by features/orgs. */
#include "features/org_page.h"

#include "auth/policy.h"
#include "auth/users.h"
#include "features/items.h"
#include "features/orgs.h"
#include "features/people.h"
#include "http/req.h"
#include "i18n/i18n.h"

#define ORG_PEOPLE_SHOWN 50

json_t *org_page(struct req *r)
{
	struct org o;
	if (!orgs_find(r->db, &r->arena, req_path_param(r, "slug"), &o))
		return req_fail(r, 404, "not_found", N_("There is no such organisation."));

	struct users_dir_filter f = {.org_id = o.id, .limit = ORG_PEOPLE_SHOWN + 1};
	struct users_dir_row *rows = NULL;
	int n = users_directory(r->db, &r->arena, &f, &rows);
	if (n < 0)
		return req_fail_internal(r);
	bool more = n > ORG_PEOPLE_SHOWN;
	if (more)
		n = ORG_PEOPLE_SHOWN;

	struct item_filter items_filter = {.org_id = o.id, .cursor = req_query(r, "cursor"), .limit = 20};
	json_t *shared = items_list(r, &items_filter);
	if (!shared)
		return NULL;

	json_t *model = json_pack("{s:s, s:o, s:o, s:b, s:b}",
				  "title", o.name,
				  "org", orgs_json(r->db, &r->arena, &o),
				  "people", people_summaries(r, rows, n),
				  "more_people", more,
				  "can_edit", policy_site_allows(r, POLICY_ADMINISTER));
	json_t *items = json_object_get(shared, "items"), *next = json_object_get(shared, "next");
	json_object_set_new(model, "items", items ? json_incref(items) : json_array());
	json_object_set_new(model, "next", next ? json_incref(next) : json_null());
	json_decref(shared);
	return model;
}
