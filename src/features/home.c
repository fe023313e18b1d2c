/* home: the front page, the signed-in member's own record and the health
 * check. */
#include "features/features.h"

#include "auth/users.h"
#include "db/db.h"
#include "features/communities.h"
#include "features/items.h"
#include "http/req.h"
#include "i18n/i18n.h"

#include <string.h>

/* Unanswered questions in the member's areas of expertise (practising or
 * expert), which they could answer. */
static json_t *questions_for(struct req *r)
{
	json_t *expertise = users_expertise(r->db, r->user->id);
	const char *tags[8];
	int n = 0;
	const char *levels[] = {"expert", "practising"};
	for (int l = 0; l < 2; l++) {
		size_t i;
		json_t *t;
		json_array_foreach(json_object_get(expertise, levels[l]), i, t)
			if (n < 8)
				tags[n++] = arena_strdup(&r->arena, json_string_value(t));
	}
	json_decref(expertise);
	if (n == 0)
		return json_pack("{s:[], s:n}", "items", "next");
	struct item_filter f = {.kind = "question", .status = "unanswered", .tags_any = tags, .ntags_any = n, .limit = 5};
	return items_list(r, &f);
}

json_t *home_page(struct req *r)
{
	json_t *model = json_pack("{s:s}", "title", tr(r, N_("Home")));
	const char *cursor = req_query(r, "cursor");
	if (r->user) {
		json_object_set_new(model, "member", users_to_json(r->user, false));
		struct item_filter stream = {.member_of = r->user->id, .cursor = cursor};
		json_t *items = items_list(r, &stream);
		if (!items) {
			json_decref(model);
			return NULL;
		}
		json_object_set_new(model, "stream", items);
		json_object_set_new(model, "questions_for_you", questions_for(r));
		json_object_set_new(model, "communities", communities_of_member(r, r->user->id));
	} else {
		/* Visitors see what is public, and an invitation to join. */
		struct item_filter stream = {.cursor = cursor};
		json_t *items = items_list(r, &stream);
		if (!items) {
			json_decref(model);
			return NULL;
		}
		json_object_set_new(model, "stream", items);
	}
	struct item_filter open = {.kind = "question", .status = "unanswered", .limit = 5};
	json_object_set_new(model, "unanswered", items_list(r, &open));
	return model;
}

json_t *home_me(struct req *r)
{
	return req_done(r, 200, "/settings", users_to_json(r->user, true));
}

json_t *home_healthz(struct req *r)
{
	bool ok = db_scalar_int(r->db, 0, "SELECT 1", DB_NOARGS) == 1;
	if (!ok) {
		r->status = 503;
		return json_pack("{s:s, s:s}", "status", "unavailable", "database", "unreachable");
	}
	return json_pack("{s:s, s:s}", "status", "ok", "database", "ok");
}
