/* item_revisions: an item's history (see item_revisions.h). */
#include "features/item_revisions.h"

#include "core/arena.h"
#include "db/db.h"
#include "features/item_kind.h"
#include "features/item_page.h"
#include "features/item_store.h"
#include "features/items.h"
#include "features/moderator_edits.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"

#include <stdlib.h>
#include <string.h>

/* The lines that changed between two texts: what stands between their
 * common beginning and common end. */
static json_t *text_change(const char *before, const char *after)
{
	size_t bl = strlen(before), al = strlen(after), head = 0, tail = 0;
	while (head < bl && head < al && before[head] == after[head])
		head++;
	while (tail < bl - head && tail < al - head && before[bl - 1 - tail] == after[al - 1 - tail])
		tail++;
	/* Widen to whole lines, so the change reads in context: the common end
	 * must begin a line in both texts. */
	while (head > 0 && before[head - 1] != '\n')
		head--;
	while (tail > 0 && ((bl > tail && before[bl - tail - 1] != '\n') || (al > tail && after[al - tail - 1] != '\n')))
		tail--;
	return json_pack("{s:s%, s:s%}", "removed", before + head, bl - head - tail,
			 "added", after + head, al - head - tail);
}

/* The fields every revision records, with their labels; a kind's own
 * follow (item_kind.history_fields). */
static const struct item_field common_fields[] = {
	{"title", N_("Title")}, {"tags", N_("Tags")}, {"body", N_("Text")}, {NULL, NULL},
};

/* A recorded field as text, "" when the revision has none. */
static const char *revision_value(struct req *r, json_t *v, const char *key)
{
	json_t *f = json_object_get(v, key);
	if (!f)
		f = json_object_get(json_object_get(v, "fields"), key);
	if (json_is_integer(f))
		return arena_printf(&r->arena, "%" JSON_INTEGER_FORMAT, json_integer_value(f));
	return json_is_string(f) ? json_string_value(f) : "";
}

/* What changed from revision a to b: {"title": {"removed", "added"}, …},
 * and the same as a list with labels for the page. */
static json_t *revision_changes(struct req *r, const struct item_kind *kind, json_t *a, json_t *b, json_t **list)
{
	json_t *changes = json_object();
	*list = json_array();
	const struct item_field *groups[] = {common_fields, kind ? kind->history_fields : NULL};
	for (size_t g = 0; g < 2; g++) {
		for (const struct item_field *f = groups[g]; f && f->key; f++) {
			const char *before = revision_value(r, a, f->key);
			const char *after = revision_value(r, b, f->key);
			if (strcmp(before, after) == 0)
				continue;
			json_t *change = text_change(before, after);
			json_object_set(changes, f->key, change);
			json_object_set_new(change, "label", json_string(tr(r, f->label)));
			json_object_set_new(change, "field", json_string(f->key));
			json_array_append_new(*list, change);
		}
	}
	return changes;
}

/* Every revision of the item, oldest first, with its fields parsed. */
static json_t *revisions_of(struct req *r, int64_t item_id)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT v.id, v.title, v.body, v.tags, v.created_at, u.handle, u.name, v.fields FROM item_revisions v"
		" LEFT JOIN users u ON u.id = v.editor_id WHERE v.item_id = ? ORDER BY v.id", DB_ARGS(db_int(item_id)));
	int number = 0;
	while (db_step(st) == DB_ROW) {
		json_t *v = json_pack("{s:I, s:i, s:s, s:s, s:s, s:I, s:{s:s?, s:s?}}",
				      "id", (json_int_t)db_int_col(st, 0), "number", ++number,
				      "title", db_text_col(st, 1), "body", db_text_col(st, 2),
				      "tags", db_text_col(st, 3), "created_at", (json_int_t)db_int_col(st, 4),
				      "editor", "handle", db_text_col(st, 5), "name", db_text_col(st, 6));
		json_t *fields = *db_text_col(st, 7) ? json_loads(db_text_col(st, 7), 0, NULL) : NULL;
		json_object_set_new(v, "fields", fields ? fields : json_object());
		json_array_append_new(list, v);
	}
	db_done(st);
	return list;
}

/* A revision number from the query string; 0 when absent, -1 when not one
 * of the n revisions. */
static int revision_number(struct req *r, const char *name, int n)
{
	const char *v = req_query(r, name);
	if (!v || !*v)
		return 0;
	char *end = NULL;
	long k = strtol(v, &end, 10);
	return *end || k < 1 || k > n ? -1 : (int)k;
}

json_t *items_revisions(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	json_t *list = revisions_of(r, it.id);
	int n = (int)json_array_size(list);
	int from = revision_number(r, "from", n), to = revision_number(r, "to", n);
	if (from < 0 || to < 0) {
		json_decref(list);
		return req_fail(r, 400, "bad_filter", N_("Choose two versions of this post."));
	}
	bool can_restore = it.can_edit;
	const struct item_kind *kind = item_kind_find(it.kind);
	for (int i = 0; i < n; i++) {
		json_t *v = json_array_get(list, (size_t)i), *shown;
		if (i > 0) {
			json_object_set_new(v, "changes", revision_changes(r, kind, json_array_get(list, (size_t)i - 1), v, &shown));
			json_object_set_new(v, "change_list", shown);
		}
		json_object_set_new(v, "can_restore", json_boolean(can_restore && i < n - 1));
	}
	/* Any two versions side by side: by default the last against the one
	 * before it. */
	json_t *compare = json_null();
	if (n > 1) {
		if (!to)
			to = n;
		if (!from)
			from = to > 1 ? to - 1 : 1;
		json_t *shown;
		json_t *changes = revision_changes(r, kind, json_array_get(list, (size_t)from - 1),
						   json_array_get(list, (size_t)to - 1), &shown);
		compare = json_pack("{s:i, s:i, s:o, s:o}", "from", from, "to", to, "changes", changes,
				    "change_list", shown);
	}
	json_t *numbers = json_array();
	for (int i = n; i >= 1; i--)
		json_array_append_new(numbers, json_pack("{s:i, s:b, s:b}", "number", i, "is_from", i == from,
							 "is_to", i == to));
	/* Newest first to read, as history pages do. */
	json_t *newest_first = json_array();
	for (size_t i = json_array_size(list); i > 0; i--)
		json_array_append(newest_first, json_array_get(list, i - 1));
	json_decref(list);
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:b}", "title", tr(r, N_("Revisions")),
			 "id", (json_int_t)it.id, "item_title", it.title, "url", link_item(&r->arena, it.id, it.title),
			 "revisions_url", arena_printf(&r->arena, "%s/revisions", link_item_id(&r->arena, it.id)),
			 "items", newest_first, "compare", compare, "numbers", numbers, "moderating",
			 can_restore && moderator_edits_others(r, it.author_id));
}

json_t *items_restore(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	if (it.pending && it.can_moderate && !it.is_author)
		return moderator_edits_refuse_pending(r);
	if (!it.can_edit)
		return req_fail(r, 403, "forbidden", N_("Only the author can edit this."));
	/* A moderator restoring someone's version says why, as for an edit. */
	const char *note = NULL;
	if (moderator_edits_others(r, it.author_id) && !(note = moderator_edit_note(r, NULL)))
		return NULL;
	json_t *list = revisions_of(r, it.id);
	char *end = NULL;
	const char *number_text = req_path_param(r, "number");
	long number = strtol(number_text ? number_text : "", &end, 10);
	json_t *v = *end || number < 1 ? NULL : json_array_get(list, (size_t)number - 1);
	if (!v) {
		json_decref(list);
		return req_fail(r, 404, "not_found", N_("There is no such version."));
	}
	/* The version as it was, in the item's language and deadline as they
	 * are now; the tags and the kind's fields from the version. */
	struct item_input in;
	item_input_from_revision(r, &it, v, &in);
	json_decref(list);
	if (!in.kind || !item_store_edit(r, &it, &in, number, note))
		return req_fail_internal(r);
	return item_page_saved(r, &it);
}
