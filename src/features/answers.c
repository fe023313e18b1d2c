/* answers: the answer kind and answering (see answers.h). */
#include "features/answers.h"

#include "core/arena.h"
#include "features/item_store.h"
#include "features/items.h"
#include "features/premoderation.h"
#include "features/writelimits.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"

#include <string.h>

const struct item_kind kind_answer = {
	.name = "answer",
	.label = N_("Answer"),
	.compose_title = N_("Your answer"),
	.submit_label = N_("Answer"),
	.places = KIND_UNDER_ITEM,
	.body_field = "body",
	.body_label = N_("Your answer"),
	.body_max = 20000,
	.body_missing = N_("Write your answer."),
	.body_too_long = N_("The text has at most 20000 characters."),
	.verifiable = true,
};

bool answers_load_question(struct req *r, struct item *q)
{
	if (!items_load(r, req_path_param(r, "id"), q))
		return false;
	const struct item_kind *kind = item_kind_find(q->kind);
	if (!kind || !kind->answered) {
		req_fail(r, 404, "not_found", N_("Only questions have answers."));
		return false;
	}
	return items_may_write(r, q, N_("Join the community to answer."));
}

json_t *answers_create(struct req *r)
{
	struct item q;
	if (!answers_load_question(r, &q))
		return NULL;
	const char *body = req_param(r, "body");
	json_t *model = json_pack("{s:s, s:{s:s}}", "title", tr(r, kind_answer.compose_title), "values", "body", body ? body : "");
	json_object_set_new(model, "url", json_string(link_item(&r->arena, q.id, q.title)));
	struct item_input in;
	item_input_read(r, model, &kind_answer, q.language, NULL, &in);
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	if (!writelimit_take(r))
		return model;
	json_decref(model);
	int64_t id = item_store_insert(r, q.in_community ? &q.access : NULL, q.id, &in);
	if (!id)
		return req_fail_internal(r);
	const char *url = arena_printf(&r->arena, "%s#answer-%lld", link_item(&r->arena, q.id, q.title), (long long)id);
	/* Held for approval, it waits before others see it (features/premoderation.h). */
	bool pending = premoderation_state(r, "item", id, NULL) != NULL;
	return req_done(r, 201, url, json_pack("{s:I, s:s, s:I, s:s, s:s, s:b}", "id", (json_int_t)id, "kind", "answer",
					       "question", (json_int_t)q.id, "body", in.body, "url", url, "pending", pending));
}
