/* event_recap: an event's plan, recap and best practice (see
 * event_recap.h). */
#include "features/event_recap.h"

#include "auth/policy.h"
#include "core/buf.h"
#include "core/text.h"
#include "db/db.h"
#include "features/files.h"
#include "features/item_kind.h"
#include "features/item_page.h"
#include "features/item_store.h"
#include "features/items.h"
#include "features/methods.h"
#include "features/tags.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "import/import.h"
#include "render/links.h"
#include "render/markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECAP_TEXT_MAX 20000
#define CONTACTS_MAX 5 /* a best practice's people to contact */
#define SUMMARY_BYTES 480 /* within a best practice's 500 characters */

/* The event's row: its plan, its recap and the best practice from it. */
struct recap_row {
	int64_t method_id, article_id;
	const char *notes, *learned;
};

static void load_row(struct req *r, int64_t item_id, struct recap_row *row)
{
	*row = (struct recap_row){0, 0, "", ""};
	struct db_stmt *st = db_query(r->db, "SELECT method_id, notes, learned, article_id FROM event_recaps"
					     " WHERE item_id = ?", DB_ARGS(db_int(item_id)));
	if (st && db_step(st) == DB_ROW) {
		row->method_id = db_null_col(st, 0) ? 0 : db_int_col(st, 0);
		row->notes = arena_strdup(&r->arena, db_text_col(st, 1));
		row->learned = arena_strdup(&r->arena, db_text_col(st, 2));
		row->article_id = db_null_col(st, 3) ? 0 : db_int_col(st, 3);
	}
	db_done(st);
}

/* ---- the fields ---------------------------------------------------------------- */

/* A Markdown text of the recap: what was sent, else what it has. */
static const char *read_text(struct req *r, json_t *model, const char *field, const char *stored)
{
	const char *v = req_param_trimmed(r, field);
	if (!v)
		return stored;
	if (utf8_length(v) > RECAP_TEXT_MAX)
		req_field_error(r, model, field, N_("The text has at most 20000 characters."));
	else if (!text_printable(v, true))
		req_field_error(r, model, field, N_("The text cannot contain control characters."));
	return v;
}

void event_extras_read(struct req *r, json_t *model, int64_t item_id, struct event_extras *in)
{
	struct recap_row row;
	load_row(r, item_id, &row);
	event_people_read(r, model, item_id, &in->people);
	/* The method: its number ("12" or "12-its-slug"); empty or 0 for none. */
	const char *method = req_param_trimmed(r, "method");
	in->method_id = row.method_id;
	if (method) {
		char *end = NULL;
		long long id = *method ? strtoll(method, &end, 10) : 0;
		json_t *plan = NULL;
		if (id < 0 || (end && *end && *end != '-') || (id > 0 && !(plan = methods_plan(r, id))))
			req_field_error(r, model, "method",
					N_("Choose a method from the method book that you can read, by its number."));
		json_decref(plan);
		in->method_id = id > 0 ? id : 0;
	}
	in->notes = read_text(r, model, "notes", row.notes);
	in->learned = read_text(r, model, "learned", row.learned);
}

bool event_extras_store(struct db *db, int64_t item_id, const struct event_extras *in)
{
	return event_people_store(db, item_id, &in->people) &&
	       db_exec(db, "INSERT INTO event_recaps (item_id, method_id, notes, learned) VALUES (?, ?, ?, ?)"
			   " ON CONFLICT (item_id) DO UPDATE SET method_id = excluded.method_id,"
			   " notes = excluded.notes, learned = excluded.learned",
		       DB_ARGS(db_int(item_id), in->method_id ? db_int(in->method_id) : db_null(),
			       db_text(in->notes ? in->notes : ""), db_text(in->learned ? in->learned : ""))) == 1;
}

void event_extras_history(struct db *db, json_t *fields, const struct event_extras *in)
{
	event_people_history(db, fields, &in->people);
	char method[24] = "";
	if (in->method_id)
		snprintf(method, sizeof(method), "%lld", (long long)in->method_id);
	json_object_set_new(fields, "method", json_string(method));
	json_object_set_new(fields, "notes", json_string(in->notes ? in->notes : ""));
	json_object_set_new(fields, "learned", json_string(in->learned ? in->learned : ""));
}

void event_extras_from_history(struct req *r, json_t *fields, struct event_extras *in)
{
	event_people_from_history(r, fields, &in->people);
	/* A method that is gone is left out. */
	const char *method = json_string_value(json_object_get(fields, "method"));
	in->method_id = method ? db_scalar_int(r->db, 0, "SELECT id FROM items WHERE id = ? AND kind = 'method'",
					       DB_ARGS(db_int(strtoll(method, NULL, 10))))
			       : 0;
	const char *notes = json_string_value(json_object_get(fields, "notes"));
	const char *learned = json_string_value(json_object_get(fields, "learned"));
	in->notes = arena_strdup(&r->arena, notes ? notes : "");
	in->learned = arena_strdup(&r->arena, learned ? learned : "");
}

bool event_extras_import(struct importer *im, json_t *o, struct event_extras *in)
{
	if (!event_people_import(im, o, &in->people))
		return false;
	const char *method = json_string_value(json_object_get(o, "method"));
	if (json_object_get(o, "method") && !method)
		return import_fail(im, "\"method\" must be the ref of a method defined above");
	in->method_id = method ? import_defined(im, IMPORT_ITEMS, method) : 0;
	if (method && !db_exists(import_db(im), "SELECT 1 FROM items WHERE id = ? AND kind = 'method'",
				 DB_ARGS(db_int(in->method_id))))
		return import_fail(im, "\"method\" must be the ref of a method defined above: %s", method);
	in->notes = import_text(im, o, "notes", RECAP_TEXT_MAX, false);
	in->learned = in->notes ? import_text(im, o, "learned", RECAP_TEXT_MAX, false) : NULL;
	return in->learned != NULL;
}

/* Links the event to the best practice drawn from it. */
static bool link_article(struct db *db, int64_t event_id, int64_t article_id)
{
	return db_exec(db, "INSERT INTO event_recaps (item_id, article_id) VALUES (?, ?)"
			   " ON CONFLICT (item_id) DO UPDATE SET article_id = excluded.article_id",
		       DB_ARGS(db_int(event_id), db_int(article_id))) == 1;
}

bool event_recap_import_article(struct importer *im, json_t *o, int64_t article_id)
{
	json_t *from = json_object_get(o, "from_event");
	if (!from)
		return true;
	const char *ref = json_string_value(from);
	int64_t event = ref ? import_defined(im, IMPORT_ITEMS, ref) : 0;
	if (!event || !db_exists(import_db(im), "SELECT 1 FROM items WHERE id = ? AND kind = 'event'",
				 DB_ARGS(db_int(event))))
		return import_fail(im, "\"from_event\" must be the ref of an event defined above");
	return link_article(import_db(im), event, article_id) || import_fail(im, "\"from_event\" cannot be stored");
}

/* The best practice drawn from the event, when it is there and the reader
 * may read it: {"id", "title", "url"}; NULL otherwise. */
static json_t *article_json(struct req *r, int64_t article_id)
{
	if (!article_id)
		return NULL;
	int64_t viewer = r->user ? r->user->id : 0;
	struct db_stmt *st = db_query(r->db, "SELECT i.title FROM items i WHERE i.id = ? AND " POLICY_ITEM_VISIBLE_SQL,
				      DB_ARGS(db_int(article_id), POLICY_ITEM_VISIBLE_ARGS(viewer)));
	json_t *o = NULL;
	if (st && db_step(st) == DB_ROW)
		o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)article_id, "title", db_text_col(st, 0), "url",
			      link_item(&r->arena, article_id, db_text_col(st, 0)));
	db_done(st);
	return o;
}

void event_extras_fill(struct req *r, json_t *event, const struct item *it, bool started, bool hosts)
{
	struct recap_row row;
	load_row(r, it->id, &row);
	event_people_fill(r, event, it->id);
	json_t *plan = row.method_id ? methods_plan(r, row.method_id) : NULL;
	json_object_set_new(event, "plan", plan ? plan : json_null());
	/* The page shows the method too, which may live in another community. */
	if (row.method_id)
		req_shows(r, CACHE_SCOPE_ITEM, row.method_id);
	json_t *recap = json_null();
	if (*row.notes || *row.learned)
		recap = json_pack("{s:s, s:o, s:s, s:o}", "notes", row.notes, "notes_html", markdown_json(row.notes),
				  "learned", row.learned, "learned_html", markdown_json(row.learned));
	json_object_set_new(event, "recap", recap);
	json_t *article = article_json(r, row.article_id);
	json_object_set_new(event, "article", article ? article : json_null());
	bool can_recap = started && hosts && !(it->in_community && it->access.archived);
	json_object_set_new(event, "can_recap", json_boolean(can_recap));
	json_object_set_new(event, "can_draft_article", json_boolean(can_recap && !article));
	if (can_recap) {
		json_object_set_new(event, "recap_values", json_pack("{s:s, s:s}", "notes", row.notes, "learned",
								     row.learned));
		files_form_fill(r, event);
	}
}

void event_extras_form_values(struct req *r, json_t *values, int64_t item_id)
{
	struct recap_row row;
	load_row(r, item_id, &row);
	event_people_form_values(r, values, item_id);
	json_object_set_new(values, "method", row.method_id ? json_sprintf("%lld", (long long)row.method_id)
							    : json_string(""));
}

/* ---- the recap ----------------------------------------------------------------- */

/* Whether r's member may add to the event now: one of its hosts, from its
 * start on, in a community that is not archived; after req_fail when not. */
static bool hosted_now(struct req *r, const struct item *it, bool started, const char *not_host_msgid)
{
	if (!event_people_hosts(r, it)) {
		req_fail(r, 403, "forbidden", not_host_msgid);
		return false;
	}
	if (!started) {
		req_fail(r, 409, "not_started", N_("The event has not started yet: this comes after it."));
		return false;
	}
	/* An archived community takes nothing new, not even from its hosts. */
	if (it->in_community && it->access.archived) {
		policy_refuse(r, POLICY_ARCHIVED, NULL, NULL);
		return false;
	}
	return true;
}

json_t *event_recap_save(struct req *r, const struct item *event, bool started)
{
	if (!hosted_now(r, event, started, N_("Only the event's hosts can add its recap.")))
		return NULL;
	struct item it = *event;
	const char *notes = req_param(r, "notes"), *learned = req_param(r, "learned");
	json_t *model = json_pack("{s:s, s:I, s:s, s:s, s:{s:s, s:s}}", "title", tr(r, N_("Recap")), "id",
				  (json_int_t)it.id, "item_title", it.title, "url",
				  link_item(&r->arena, it.id, it.title), "values", "notes", notes ? notes : "",
				  "learned", learned ? learned : "");
	files_form_fill(r, model);
	struct item_input in;
	item_input_read(r, model, item_kind_find("event"), it.language, &it, &in);
	struct file_inputs files;
	files_read(r, model, files_count(r->db, it.id), &files);
	if (!req_has_field_errors(r) && !notes && !learned && files.count == 0)
		req_field_error(r, model, "notes", N_("Add notes, slides or what you learned."));
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	json_decref(model);
	if (!item_store_edit(r, &it, &in, 0, NULL) || !files_store(r, it.id, &files))
		return req_fail_internal(r);
	json_t *saved = item_page_saved(r, &it);
	if (saved && r->redirect)
		r->redirect = arena_printf(&r->arena, "%s#recap", r->redirect);
	return saved;
}

/* ---- from event to knowledge ------------------------------------------------- */

/* The handles of the members to contact about what the event taught, as
 * the form's text: the speakers who are members, else the hosts who are,
 * else its author. */
static const char *contacts_text(struct req *r, const struct item *it)
{
	struct event_people p;
	event_people_load(r, it->id, &p);
	struct buf text = {0};
	int n = 0;
	for (int pass = 0; pass < 2 && n == 0; pass++) {
		const struct event_person *list = pass == 0 ? p.speakers : p.hosts;
		int count = pass == 0 ? p.nspeakers : p.nhosts;
		for (int i = 0; i < count && n < CONTACTS_MAX; i++) {
			if (!list[i].user_id)
				continue;
			struct db_stmt *st = db_query(r->db, "SELECT handle FROM users WHERE id = ? AND "
							     POLICY_ACCOUNT_SHOWN_SQL("status"),
						      DB_ARGS(db_int(list[i].user_id)));
			if (st && db_step(st) == DB_ROW)
				buf_printf(&text, "%s%s", n++ ? ", " : "", db_text_col(st, 0));
			db_done(st);
		}
	}
	if (n == 0 && it->author_handle)
		buf_puts(&text, it->author_handle);
	const char *out = arena_strdup(&r->arena, text.data ? text.data : "");
	buf_free(&text);
	return out;
}

/* What the composer shows of the event it drafts from: {"id", "title",
 * "url", "files": [{"name"}]} — the files come with the best practice. */
static json_t *from_event_json(struct req *r, const struct item *it)
{
	json_t *files = json_object();
	files_fill(r, files, it);
	json_t *names = json_array(), *f;
	size_t i;
	json_array_foreach(json_object_get(files, "files"), i, f)
		json_array_append_new(names, json_pack("{s:O}", "name", json_object_get(f, "name")));
	json_decref(files);
	return json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)it->id, "title", it->title, "url",
			 link_item(&r->arena, it->id, it->title), "files", names);
}

/* The composer's model points back at the event: it posts here again,
 * with publish set. */
static void mark_from_event(struct req *r, json_t *model, const struct item *it)
{
	json_object_set_new(model, "action", json_string(arena_printf(&r->arena, "%s/to-article",
								     link_item_id(&r->arena, it->id))));
	json_object_set_new(model, "from_event", from_event_json(r, it));
}

/* The draft: the composer of a best practice filled in from the event. */
static json_t *draft(struct req *r, const struct item *it)
{
	json_t *model = items_composer_model(r, "article", &it->access);
	json_t *values = json_object_get(model, "values");
	struct recap_row row;
	load_row(r, it->id, &row);
	char summary[SUMMARY_BYTES + 8];
	text_excerpt(it->body, SUMMARY_BYTES, summary, sizeof(summary));
	char *tags = tags_of_item_text(r->db, it->id);
	json_object_set_new(values, "title", json_string(it->title));
	json_object_set_new(values, "summary", json_string(summary));
	json_object_set_new(values, "situation", json_string(""));
	json_object_set_new(values, "approach", json_string(row.notes));
	json_object_set_new(values, "results", json_string(row.learned));
	json_object_set_new(values, "contacts", json_string(contacts_text(r, it)));
	json_object_set_new(values, "related", json_sprintf("%lld", (long long)it->id));
	json_object_set_new(values, "tags", json_string(tags ? tags : ""));
	json_object_set_new(values, "language", json_string(it->language));
	free(tags);
	mark_from_event(r, model, it);
	return model;
}

json_t *event_recap_to_article(struct req *r, const struct item *event, bool started)
{
	if (!hosted_now(r, event, started, N_("Only the event's hosts can turn it into a best practice.")))
		return NULL;
	struct item it = *event;
	struct recap_row row;
	load_row(r, it.id, &row);
	json_t *existing = article_json(r, row.article_id);
	if (existing) {
		json_decref(existing);
		return req_fail(r, 409, "exists", N_("This event has been turned into a best practice already."));
	}
	struct policy_subject place = {.kind = POLICY_COMMUNITY, .place = &it.access};
	enum policy_verdict v = policy_decide(r->user, POLICY_POST, &place);
	if (v != POLICY_ALLOW)
		return policy_refuse(r, v, N_("Join the community to post in it."),
				     N_("Join the community to post in it."));
	const char *kind = req_param(r, "kind");
	if (kind && strcmp(kind, "article") != 0) {
		req_fail(r, 422, "invalid", N_("An event becomes a best practice."));
		r->error.field = "kind";
		return NULL;
	}
	if (!req_param_bool(r, "publish", false))
		return draft(r, &it);

	/* Published: a best practice as the composer makes one, here. */
	if (!kind)
		params_add(&r->arena, &r->body, "kind", "article");
	json_t *made = items_create_in(r, &it.access);
	if (r->status != 201) {
		if (made)
			mark_from_event(r, made, &it);
		return made;
	}
	struct item article = {.id = json_integer_value(json_object_get(made, "id"))};
	json_decref(made);
	if (!link_article(r->db, it.id, article.id) || !files_copy(r->db, it.id, article.id, r->now))
		return req_fail_internal(r);
	/* The best practice as it now is, with the event's files. */
	json_t *saved = item_page_saved(r, &article);
	if (saved)
		r->status = 201;
	return saved;
}
