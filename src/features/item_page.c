/* item_page: an item's page and the forms that write items (see
 * item_page.h). */
#include "features/item_page.h"

#include "auth/policy.h"
#include "core/arena.h"
#include "core/mem.h"
#include "db/db.h"
#include "features/audit.h"
#include "features/comments.h"
#include "features/communities.h"
#include "features/event_messages.h"
#include "features/experts.h"
#include "features/files.h"
#include "features/follows.h"
#include "features/item_kind.h"
#include "features/item_store.h"
#include "features/items.h"
#include "features/moderator_edits.h"
#include "features/pins.h"
#include "features/tags.h"
#include "features/writelimits.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"
#include "render/markdown.h"
#include "render/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ANSWERS_MAX 500

/* "is_question", "is_article", …: true for the kind, false for the others,
 * so that templates show what belongs to it. */
static void set_kind_flags(struct req *r, json_t *model, const struct item_kind *kind)
{
	for (const struct item_kind *const *k = item_kinds; *k; k++)
		json_object_set_new(model, arena_printf(&r->arena, "is_%s", (*k)->name), json_boolean(*k == kind));
}

/* An item's JSON but for its tags, reactions and comments: they are null
 * here, holding their places, until fill_parts fetches them for a whole
 * list of items at once. */
static json_t *item_members(struct req *r, const struct item *it)
{
	/* A page has an item for each answer: made member by member, without
	 * json_pack's format and checks of what the database holds. */
	json_t *author = json_null();
	if (it->author_handle) {
		author = json_object();
		json_object_set_new_nocheck(author, "handle", json_checked_text(it->author_handle));
		json_object_set_new_nocheck(author, "name", json_checked_text(it->author_name));
	}
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "id", json_integer(it->id));
	json_object_set_new_nocheck(o, "kind", json_checked_text(it->kind));
	json_object_set_new_nocheck(o, "title", json_checked_text(it->title));
	json_object_set_new_nocheck(o, "body", json_checked_text(it->body));
	json_object_set_new_nocheck(o, "body_html", markdown_json_kept(it->id, it->body));
	json_object_set_new_nocheck(o, "language", json_checked_text(it->language));
	json_object_set_new_nocheck(o, "created_at", json_integer(it->created_at));
	json_object_set_new_nocheck(o, "author", author);
	json_object_set_new_nocheck(o, "tags", json_null());
	json_object_set_new_nocheck(o, "reactions", json_null());
	json_object_set_new(o, "url", json_string(link_item(&r->arena, it->id, it->title)));
	/* Absent values are null, not missing, so that templates do not find
	 * an enclosing item's value instead (an answer inside its question). */
	json_object_set_new(o, "edited_at", it->edited_at ? json_integer(it->edited_at) : json_null());
	json_object_set_new(o, "needed_by", it->needed_by ? json_integer(it->needed_by) : json_null());
	if (it->needed_by)
		render_add_time(o, "needed_by", it->needed_by);
	json_object_set_new(o, "community", it->in_community
			    ? json_pack("{s:s, s:s}", "slug", it->access.slug, "name", it->access.name)
			    : json_null());
	json_object_set_new(o, "comments", json_null());
	json_object_set_new(o, "can_edit", json_boolean(it->can_edit));
	json_object_set_new(o, "can_delete", json_boolean(it->can_delete));
	json_object_set_new(o, "hidden", json_boolean(it->hidden));
	/* Held for approval (features/premoderation.h): only its author and
	 * its moderators get this far. */
	json_object_set_new(o, "pending", json_boolean(it->pending != NULL));
	json_object_set_new(o, "rejected", json_boolean(it->pending && strcmp(it->pending, "rejected") == 0));
	json_object_set_new(o, "rejection", it->pending && strcmp(it->pending, "rejected") == 0
					      ? json_string(it->rejection) : json_null());
	/* Any other signed-in member may report it (features/reports.h). */
	/* Reporting is writing: not for a suspended member. */
	json_object_set_new(o, "can_report", json_boolean(r->user && !it->is_author && policy_site_allows(r, POLICY_POST)));
	json_object_set_new(o, "can_comment", json_boolean(it->can_write));
	json_object_set_new(o, "can_react", json_boolean(it->can_write));
	const struct item_kind *kind = item_kind_find(it->kind);
	if (kind && kind->fill)
		kind->fill(r, o, it);
	event_messages_fill(r, o, it);
	if (!it->parent_id) {
		files_fill(r, o, it);
		experts_fill(r, o, it);
	}
	return o;
}

/* Fills the tags, reactions and comments of item_members objects, with a
 * statement each for the whole list. The items share the community of it
 * (a question and its answers). */
static void fill_parts(struct req *r, json_t *list, const struct item *it)
{
	tags_fill(r->db, list);
	reactions_fill(r, list);
	struct policy_subject place = items_subject(it);
	comments_fill(r, list, &place);
}

static json_t *item_json(struct req *r, const struct item *it)
{
	json_t *o = item_members(r, it);
	/* An answer on its own: its question's page fills answers together. */
	if (it->parent_id)
		experts_fill(r, o, it);
	json_t *list = json_pack("[O]", o);
	fill_parts(r, list, it);
	json_decref(list);
	return o;
}

/* The question's answers, the accepted one first, as item_members. */
static json_t *answers_json(struct req *r, const struct item *question)
{
	json_t *list = json_array();
	size_t n;
	struct item *answers = items_answers(r, question, ANSWERS_MAX, &n);
	for (size_t i = 0; i < n; i++) {
		json_t *aj = item_members(r, &answers[i]);
		json_object_set_new(aj, "accepted", json_boolean(answers[i].id == question->accepted_answer_id));
		json_object_set_new(aj, "can_accept", json_boolean(question->can_accept));
		json_object_set_new(aj, "question_id", json_integer(question->id));
		json_array_append_new(list, aj);
	}
	experts_fill_answers(r, list, question);
	return list;
}

json_t *items_page(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	/* The page shows a thread and its community and changes with them
	 * (the page cache's scopes, src/subscribers.c). */
	req_shows(r, CACHE_SCOPE_ITEM, it.parent_id ? it.parent_id : it.id);
	if (it.in_community)
		req_shows(r, CACHE_SCOPE_COMMUNITY, it.community_id);
	if (it.parent_id) {
		/* An item under another is shown in its place there. */
		struct item parent;
		char id_text[24];
		snprintf(id_text, sizeof(id_text), "%lld", (long long)it.parent_id);
		if (!items_load(r, id_text, &parent))
			return NULL;
		const char *to = arena_printf(&r->arena, "%s#answer-%lld", link_item(&r->arena, parent.id, parent.title),
					      (long long)it.id);
		return req_done(r, 200, to, item_json(r, &it));
	}
	const struct item_kind *kind = item_kind_find(it.kind);
	json_t *model = item_members(r, &it);
	/* The item and its answers are filled together. */
	json_t *filled = json_pack("[O]", model);
	json_object_set_new(model, "title", json_string(it.title[0] ? it.title : tr(r, N_("Update"))));
	set_kind_flags(r, model, kind);
	if (kind && kind->answered) {
		const char *status = items_status(it.answer_count, it.accepted_answer_id != 0);
		json_object_set_new(model, "status", json_string(status));
		json_object_set_new(model, "status_label", json_string(items_label(r, status)));
		json_object_set_new(model, "answer_count", json_integer(it.answer_count));
		json_t *answers = answers_json(r, &it);
		json_array_extend(filled, answers);
		json_object_set_new(model, "answers", answers);
		json_object_set_new(model, "can_answer", json_boolean(it.can_write));
	}
	fill_parts(r, filled, &it);
	json_decref(filled);
	json_t *follow = follows_button(r, FOLLOW_ITEM, it.id, link_item_id(&r->arena, it.id));
	if (follow)
		json_object_set_new(model, "follow", follow);
	json_object_set_new(model, "revision_count",
			    json_integer(db_scalar_int(r->db, 0, "SELECT COUNT(*) FROM item_revisions WHERE item_id = ?",
						       DB_ARGS(db_int(it.id)))));
	json_t *pin = pins_item_model(r, &it);
	if (pin)
		json_object_set_new(model, "pin", pin);
	/* Asking from the header joined the community on the way (ask.c). */
	if (req_query(r, "joined") && it.in_community && it.access.is_member)
		json_object_set_new(model, "joined", json_pack("{s:s}", "name", it.access.name));
	return model;
}

json_t *item_page_saved(struct req *r, struct item *it)
{
	char id_text[24];
	snprintf(id_text, sizeof(id_text), "%lld", (long long)it->id);
	if (!items_load(r, id_text, it))
		return req_fail_internal(r);
	return req_done(r, 200, link_item(&r->arena, it->id, it->title), item_json(r, it));
}

/* ---- forms ---------------------------------------------------------------- */

/* What a form of the kind shows besides its fields: the flags of the
 * kinds, the labels, and the kind's options (an article's organisations). */
static void form_model(struct req *r, json_t *m, const struct item_kind *kind, json_t *values)
{
	set_kind_flags(r, m, kind);
	json_object_set_new(m, "kind", json_string(kind->name));
	json_object_set_new(m, "has_tags", json_boolean(kind->tagged));
	json_object_set_new(m, "has_deadline", json_boolean(kind->has_deadline));
	/* A kind without fields of its own has the plain title and body. */
	json_object_set_new(m, "plain_fields", json_boolean(!kind->own_fields));
	json_object_set_new(m, "has_title", json_boolean(kind->title_missing != NULL));
	json_object_set_new(m, "title_label", kind->title_label ? json_string(tr(r, kind->title_label)) : json_null());
	json_object_set_new(m, "body_label", json_string(tr(r, kind->body_label)));
	json_object_set_new(m, "submit_label", json_string(tr(r, kind->submit_label)));
	json_object_set_new(m, "values", values);
	if (kind->form_options)
		kind->form_options(r, m, values);
}

/* The kind the composer may create in c (NULL: on a profile), or NULL: a
 * case only in a circle. */
static const struct item_kind *creatable(const char *name, const struct community_access *c)
{
	const struct item_kind *kind = item_kind_find(name);
	unsigned place = c ? KIND_IN_COMMUNITY : KIND_ON_PROFILE;
	if (kind && kind->circle_only && !(c && c->circle))
		return NULL;
	return kind && (kind->places & place) ? kind : NULL;
}

static json_t *composer_model(struct req *r, const struct item_kind *kind, const struct community_access *c)
{
	const char *lang = req_param(r, "language");
	if (!lang)
		lang = c ? c->language : i18n_locale_code(r->locale);
	json_t *langs = json_array();
	for (int i = 0; i < LOCALE_COUNT; i++)
		json_array_append_new(langs, json_pack("{s:s, s:s, s:b}", "code", i18n_locale_code(i),
						       "name", i18n_locale_name(i),
						       "selected", strcmp(lang, i18n_locale_code(i)) == 0));
	json_t *m = json_pack("{s:s, s:o}", "title", tr(r, kind->compose_title), "languages", langs);
	form_model(r, m, kind, item_input_values(r, kind, false));
	json_object_set_new(m, "action", json_string(c ? arena_printf(&r->arena, "%s/items", link_community(&r->arena, c->slug))
						     : "/items"));
	files_form_fill(r, m);
	json_object_set_new(m, "community", c ? json_pack("{s:s, s:s}", "slug", c->slug, "name", c->name) : json_null());
	return m;
}

json_t *items_composer_model(struct req *r, const char *kind, const struct community_access *c)
{
	return composer_model(r, item_kind_find(kind), c);
}

/* The community of /c/{slug}/…, when the member may post in it. */
static bool postable_community(struct req *r, struct community_access *c)
{
	if (!communities_access(r, req_path_param(r, "slug"), c)) {
		req_fail(r, 404, "not_found", N_("There is no such community."));
		return false;
	}
	struct policy_subject s = {.kind = POLICY_COMMUNITY, .place = c};
	enum policy_verdict v = policy_decide(r->user, POLICY_POST, &s);
	if (v == POLICY_ALLOW)
		return true;
	if (v == POLICY_NOT_FOUND)
		req_fail(r, 404, "not_found", N_("There is no such community."));
	else
		policy_refuse(r, v, N_("Join the community to post in it."), N_("Join the community to post in it."));
	return false;
}

json_t *items_composer(struct req *r)
{
	struct community_access c;
	if (!postable_community(r, &c))
		return NULL;
	const char *name = req_query(r, "kind");
	const struct item_kind *kind = creatable(name ? name : "question", &c);
	if (!kind)
		return req_fail(r, 404, "not_found", N_("There is no such kind of post."));
	return composer_model(r, kind, &c);
}

json_t *items_create_in(struct req *r, const struct community_access *c)
{
	const char *name = req_param(r, "kind");
	const struct item_kind *kind = creatable(name ? name : c ? "question" : "update", c);
	if (!kind) {
		req_fail(r, 422, "invalid", N_("Choose a question, an update, a best practice or a method."));
		r->error.field = "kind";
		return NULL;
	}
	json_t *model = composer_model(r, kind, c);
	struct item_input in;
	item_input_read(r, model, kind, c ? c->language : i18n_locale_code(r->locale), NULL, &in);
	struct file_inputs files;
	files_read(r, model, 0, &files);
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	if (!writelimit_take(r))
		return model;
	json_decref(model);
	int64_t id = item_store_insert(r, c, 0, &in);
	if (!id || !files_store(r, id, &files))
		return req_fail_internal(r);
	struct item it;
	char id_text[24];
	snprintf(id_text, sizeof(id_text), "%lld", (long long)id);
	if (!items_load(r, id_text, &it))
		return NULL;
	return req_done(r, 201, link_item(&r->arena, id, in.title), item_json(r, &it));
}

json_t *items_create_in_community(struct req *r)
{
	struct community_access c;
	if (!postable_community(r, &c))
		return NULL;
	return items_create_in(r, &c);
}

json_t *items_create_on_profile(struct req *r)
{
	return items_create_in(r, NULL);
}

/* The edit form of the item with the values in it. */
static json_t *edit_model(struct req *r, const struct item *it, json_t *values)
{
	json_t *m = json_pack("{s:s, s:I, s:s, s:b}", "title", tr(r, N_("Edit")), "id", (json_int_t)it->id,
			      "url", link_item(&r->arena, it->id, it->title), "moderating",
			      moderator_edits_others(r, it->author_id));
	form_model(r, m, item_kind_find(it->kind), values);
	return m;
}

/* The item the member may edit; NULL after req_fail. */
static bool load_editable(struct req *r, struct item *it)
{
	if (!items_load(r, req_path_param(r, "id"), it))
		return false;
	if (it->pending && it->can_moderate && !it->is_author) {
		moderator_edits_refuse_pending(r);
		return false;
	}
	if (!it->can_edit || !item_kind_find(it->kind)) {
		req_fail(r, 403, "forbidden", N_("Only the author can edit this."));
		return false;
	}
	return true;
}

json_t *items_edit_form(struct req *r)
{
	struct item it;
	if (!load_editable(r, &it))
		return NULL;
	const struct item_kind *kind = item_kind_find(it.kind);
	char *tags = tags_of_item_text(r->db, it.id);
	char needed[16] = "";
	if (it.needed_by) {
		time_t t = (time_t)it.needed_by;
		struct tm tm;
		strftime(needed, sizeof(needed), "%Y-%m-%d", gmtime_r(&t, &tm));
	}
	json_t *values = json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", it.title, "body", it.body, "tags", tags,
				   "language", it.language, "needed_by", needed);
	free(tags);
	json_object_set_new(values, kind->body_field, json_string(it.body));
	if (kind->form_values)
		kind->form_values(r, values, it.id);
	return edit_model(r, &it, values);
}

json_t *items_edit(struct req *r)
{
	struct item it;
	if (!load_editable(r, &it))
		return NULL;
	const struct item_kind *kind = item_kind_find(it.kind);
	/* What was sent comes back in the form when something is wrong. */
	json_t *model = edit_model(r, &it, item_input_values(r, kind, true));
	struct item_input in;
	item_input_read(r, model, kind, it.language, &it, &in);
	bool moderating = moderator_edits_others(r, it.author_id);
	const char *note = moderating ? moderator_edit_note(r, model) : NULL;
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	json_decref(model);
	if (!item_store_edit(r, &it, &in, 0, note))
		return req_fail_internal(r);
	return item_page_saved(r, &it);
}

json_t *items_delete(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	if (!it.can_delete)
		return req_fail(r, 403, "forbidden", N_("You cannot delete this."));
	/* A moderator removing someone else's post is a moderation action. */
	if (!item_store_delete(r, &it) ||
	    (it.author_id != r->user->id &&
	     !audit_by(r, "item.deleted", "item", it.id, it.community_id, NULL,
		       json_pack("{s:s, s:s, s:s?}", "kind", it.kind, "title", it.title, "author", it.author_handle))))
		return req_fail_internal(r);
	const char *to = "/";
	if (it.parent_id) {
		to = link_item_id(&r->arena, it.parent_id);
	} else if (it.in_community) {
		to = link_community(&r->arena, it.access.slug);
	}
	return req_done(r, 200, to, json_pack("{s:b}", "deleted", 1));
}
