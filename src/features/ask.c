/*
 * ask: asking a question from anywhere (the header's "Ask a question"). The
 * member picks the community: one they are a member of, or an open one
 * they can see, which they then join on the way, in the same transaction
 * as the question. The question itself is made as in a community's own
 * composer (items_create_in), so it is checked and stored the same way.
 */
#include "features/ask.h"

#include "db/db.h"
#include "features/communities.h"
#include "features/item_page.h"
#include "http/req.h"
#include "i18n/i18n.h"

#include <string.h>

/* The composer's model made for /ask: its address, no community of its
 * own, and the communities to choose from, the chosen one selected. */
static json_t *ask_model(struct req *r, json_t *model, const char *chosen)
{
	json_t *choices = communities_askable(r);
	size_t i;
	json_t *c;
	json_array_foreach(choices, i, c)
		json_object_set_new(c, "selected", json_boolean(chosen && strcmp(chosen, json_string_value(
								  json_object_get(c, "slug"))) == 0));
	json_object_set_new(model, "choices", choices);
	json_object_set_new(model, "is_ask", json_true());
	json_object_set_new(model, "action", json_string("/ask"));
	json_object_set_new(model, "community", json_null());
	return model;
}

json_t *ask_form(struct req *r)
{
	return ask_model(r, items_composer_model(r, "question", NULL), req_param(r, "community"));
}

/* Whether the member may ask in the community, perhaps by joining it. */
static bool askable(const struct community_access *c)
{
	return !c->archived && (c->is_member || communities_open_to_join(c));
}

json_t *ask_create(struct req *r)
{
	const char *slug = req_param_trimmed(r, "community");
	const char *kind = req_param(r, "kind");
	struct community_access c;
	bool found = slug && *slug && communities_access(r, slug, &c) && askable(&c);
	if (!found || (kind && strcmp(kind, "question") != 0)) {
		/* The same answer whether the community is missing, private or
		 * closed to them, so that nothing is told about it. */
		json_t *model = ask_model(r, items_composer_model(r, "question", NULL), slug);
		if (!found)
			req_field_error(r, model, "community",
					N_("You can ask in your communities and in open ones; choose one of them."));
		if (kind && strcmp(kind, "question") != 0)
			req_field_error(r, model, "kind", N_("Here you can ask a question; share other posts in a community."));
		return req_invalid(r, model);
	}
	bool joining = !c.is_member;
	if (!db_begin(r->db))
		return req_fail_internal(r);
	if (joining && !communities_join_open(r, &c)) {
		db_rollback(r->db);
		return req_fail_internal(r);
	}
	json_t *model = items_create_in(r, &c);
	if (r->error.set || r->status != 201) {
		/* Nothing stays: not the question, nor the membership, nor the
		 * write counted against the posting limits. */
		db_rollback(r->db);
		return model ? ask_model(r, model, c.slug) : NULL;
	}
	if (!db_commit(r->db)) {
		db_rollback(r->db);
		json_decref(model);
		return req_fail_internal(r);
	}
	json_object_set_new(model, "joined", joining ? json_pack("{s:s, s:s}", "slug", c.slug, "name", c.name)
					       : json_null());
	if (joining && r->redirect)
		r->redirect = arena_printf(&r->arena, "%s?joined=1", r->redirect);
	return model;
}
