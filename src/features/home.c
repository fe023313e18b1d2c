/* home: the front page, the signed-in member's own record and the health
 * check. */
#include "features/features.h"

#include "auth/users.h"
#include "db/db.h"
#include "http/req.h"
#include "i18n/i18n.h"

json_t *home_page(struct req *r)
{
	json_t *model = json_pack("{s:s}", "title", tr(r, N_("Home")));
	if (r->user)
		json_object_set_new(model, "member", users_to_json(r->user, false));
	return model;
}

json_t *home_me(struct req *r)
{
	return req_done(r, 200, "/settings", users_to_json(r->user, true));
}

json_t *home_healthz(struct req *r)
{
	r->api = true; /* monitors read JSON */
	bool ok = db_scalar_int(r->db, 0, "SELECT 1", DB_NOARGS) == 1;
	if (!ok) {
		r->status = 503;
		return json_pack("{s:s, s:s}", "status", "unavailable", "database", "unreachable");
	}
	return json_pack("{s:s, s:s}", "status", "ok", "database", "ok");
}
