/* methods: the method book (see methods.h). */
#include "features/methods.h"

#include "core/buf.h"
#include "core/text.h"
#include "db/db.h"
#include "features/experts.h"
#include "features/items.h"
#include "features/tags.h"
#include "features/writelimits.h"
#include "import/import.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"
#include "render/markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX 5000
#define STEPS_MAX 30
#define STEP_MAX 1000
#define DURATION_MIN 5
#define DURATION_MAX 1440
#define GROUP_MAX 1000
#define NOTE_MAX 500
#define USES_SHOWN 50
#define VARIATIONS_MAX 200
#define METHOD_PURPOSE_MAX 1000

/* What a method adds to an item, as it is read and stored. */
struct method_input {
	const char *when_to_use, *materials, *tips;
	const char *steps; /* one step per line, trimmed, no empty lines */
	int64_t duration, group_min, group_max;
};

/* The Markdown sections, in the order of the table's columns. */
static const char *const sections[] = {"when_to_use", "materials", "tips"};

#define METHOD_COLUMNS "when_to_use, materials, tips, duration_minutes, group_min, group_max, steps"

/* A whole number from lo to hi; -1 when the text is not one. */
static int64_t whole_number(const char *s, int64_t lo, int64_t hi)
{
	char *end = NULL;
	long long n = s && *s ? strtoll(s, &end, 10) : -1;
	return end && !*end && n >= lo && n <= hi ? (int64_t)n : -1;
}

/* The steps one per line, trimmed, without empty lines, into the arena;
 * NULL after a field error. */
static const char *clean_steps(struct req *r, json_t *model, const char *text)
{
	struct buf out = {0};
	int n = 0;
	const char *problem = NULL;
	char *copy = arena_strdup(&r->arena, text), *save = NULL;
	for (char *line = strtok_r(copy, "\r\n", &save); line && !problem; line = strtok_r(NULL, "\r\n", &save)) {
		line = text_trim(line);
		if (!*line)
			continue;
		if (++n > STEPS_MAX)
			problem = N_("A method has at most 30 steps.");
		else if (utf8_length(line) > STEP_MAX)
			problem = N_("A step has at most 1000 characters.");
		else if (!text_printable(line, false))
			problem = N_("The text cannot contain control characters.");
		buf_printf(&out, "%s%s", out.len ? "\n" : "", line);
	}
	if (!problem && n == 0)
		problem = N_("Write the steps, one per line.");
	const char *steps = problem ? NULL : arena_strdup(&r->arena, out.data);
	buf_free(&out);
	if (problem)
		req_field_error(r, model, "steps", problem);
	return steps;
}

/* Reads and checks the method's own fields; what the request leaves out
 * of an edit keeps its value. */
static void method_read(struct req *r, json_t *model, const struct item *current, void *input)
{
	struct method_input *in = input;
	struct db_stmt *st = current ? db_query(r->db, "SELECT " METHOD_COLUMNS " FROM methods WHERE item_id = ?",
						DB_ARGS(db_int(current->id)))
				     : NULL;
	bool found = st && db_step(st) == DB_ROW;
	const char **texts[] = {&in->when_to_use, &in->materials, &in->tips};
	for (int i = 0; i < 3; i++) {
		const char *v = req_param_trimmed(r, sections[i]);
		*texts[i] = v ? v : found ? arena_strdup(&r->arena, db_text_col(st, i)) : "";
		if (utf8_length(*texts[i]) > TEXT_MAX)
			req_field_error(r, model, sections[i], N_("The text has at most 5000 characters."));
		else if (!text_printable(*texts[i], true))
			req_field_error(r, model, sections[i], N_("The text cannot contain control characters."));
	}
	/* The numbers: what was sent, else what the method has. */
	static const char *const numbers[] = {"duration", "group_min", "group_max"};
	int64_t *values[] = {&in->duration, &in->group_min, &in->group_max};
	static const int64_t lo[] = {DURATION_MIN, 1, 1}, hi[] = {DURATION_MAX, GROUP_MAX, GROUP_MAX};
	static const char *const problems[] = {N_("Give the duration in minutes, from 5 to 1440."),
					       N_("Give the smallest group as a number from 1 to 1000."),
					       N_("Give the largest group as a number from 1 to 1000.")};
	for (int i = 0; i < 3; i++) {
		const char *v = req_param_trimmed(r, numbers[i]);
		*values[i] = v ? whole_number(v, lo[i], hi[i]) : found ? db_int_col(st, 3 + i) : -1;
		if (*values[i] < 0)
			req_field_error(r, model, numbers[i], problems[i]);
	}
	if (in->group_min > 0 && in->group_max > 0 && in->group_max < in->group_min)
		req_field_error(r, model, "group_max", N_("The largest group cannot be smaller than the smallest."));
	const char *steps = req_param_trimmed(r, "steps");
	if (!steps && found)
		in->steps = arena_strdup(&r->arena, db_text_col(st, 6));
	else
		in->steps = clean_steps(r, model, steps ? steps : "");
	db_done(st);
}

static bool store_method(struct db *db, int64_t item_id, const void *input)
{
	const struct method_input *in = input;
	return db_exec(db, "INSERT INTO methods (item_id, when_to_use, materials, tips, duration_minutes, group_min,"
			   " group_max, steps) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET"
			   " when_to_use = excluded.when_to_use, materials = excluded.materials, tips = excluded.tips,"
			   " duration_minutes = excluded.duration_minutes, group_min = excluded.group_min,"
			   " group_max = excluded.group_max, steps = excluded.steps",
		       DB_ARGS(db_int(item_id), db_text(in->when_to_use), db_text(in->materials), db_text(in->tips),
			       db_int(in->duration), db_int(in->group_min), db_int(in->group_max),
			       db_text(in->steps))) == 1;
}

static json_t *method_history(struct db *db, const void *input)
{
	(void)db;
	const struct method_input *in = input;
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:s}", "when_to_use", in->when_to_use,
			 "materials", in->materials, "tips", in->tips, "duration", (json_int_t)in->duration,
			 "group_min", (json_int_t)in->group_min, "group_max", (json_int_t)in->group_max,
			 "steps", in->steps);
}

static void method_from_history(struct req *r, json_t *fields, void *input)
{
	struct method_input *in = input;
	const char **texts[] = {&in->when_to_use, &in->materials, &in->tips, &in->steps};
	static const char *const keys[] = {"when_to_use", "materials", "tips", "steps"};
	for (int i = 0; i < 4; i++) {
		const char *v = json_string_value(json_object_get(fields, keys[i]));
		*texts[i] = arena_strdup(&r->arena, v ? v : "");
	}
	in->duration = json_integer_value(json_object_get(fields, "duration"));
	in->group_min = json_integer_value(json_object_get(fields, "group_min"));
	in->group_max = json_integer_value(json_object_get(fields, "group_max"));
}

static json_t *steps_json(struct req *r, const char *text)
{
	json_t *list = json_array();
	char *copy = arena_strdup(&r->arena, text), *save = NULL;
	int n = 0;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		json_array_append_new(list, json_pack("{s:i, s:s, s:o}", "number", ++n, "text", line,
						      "text_html", markdown_json(line)));
	return list;
}

static json_t *uses_json(struct req *r, int64_t method_id)
{
	int64_t viewer = r->user ? r->user->id : 0;
	json_t *items = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT u.handle, u.name, o.slug, o.name, mu.note, mu.created_at FROM method_uses mu"
		" JOIN users u ON u.id = mu.user_id LEFT JOIN orgs o ON o.id = u.org_id"
		" WHERE mu.method_id = ? ORDER BY mu.id DESC LIMIT ?",
		DB_ARGS(db_int(method_id), db_int(USES_SHOWN)));
	while (db_step(st) == DB_ROW) {
		json_t *use = json_pack("{s:{s:s, s:s}, s:s, s:I}", "author", "handle", db_text_col(st, 0),
					"name", db_text_col(st, 1), "note", db_text_col(st, 4),
					"created_at", (json_int_t)db_int_col(st, 5));
		json_object_set_new(use, "org", db_null_col(st, 2) ? json_null()
				    : json_pack("{s:s, s:s}", "slug", db_text_col(st, 2), "name", db_text_col(st, 3)));
		json_array_append_new(items, use);
	}
	db_done(st);
	/* How many, and whether the viewer's is among them (none signed out). */
	int64_t count = 0;
	bool mine = false;
	st = db_query(r->db, "SELECT COUNT(*), COALESCE(MAX(CASE WHEN user_id = ? THEN 1 ELSE 0 END), 0)"
			     " FROM method_uses WHERE method_id = ?", DB_ARGS(db_int(viewer), db_int(method_id)));
	if (db_step(st) == DB_ROW) {
		count = db_int_col(st, 0);
		mine = db_int_col(st, 1) != 0;
	}
	db_done(st);
	return json_pack("{s:I, s:b, s:o}", "count", (json_int_t)count, "mine", mine, "items", items);
}

static json_t *variations_json(struct req *r, int64_t method_id)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT v.id, v.title, v.body, v.created_at, u.handle, u.name FROM method_variations v"
		" JOIN users u ON u.id = v.author_id WHERE v.method_id = ? ORDER BY v.id LIMIT ?",
		DB_ARGS(db_int(method_id), db_int(VARIATIONS_MAX)));
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:o, s:I, s:{s:s, s:s}}",
						      "id", (json_int_t)db_int_col(st, 0), "title", db_text_col(st, 1),
						      "body", db_text_col(st, 2), "body_html", markdown_json(db_text_col(st, 2)),
						      "created_at", (json_int_t)db_int_col(st, 3), "author",
						      "handle", db_text_col(st, 4), "name", db_text_col(st, 5)));
	db_done(st);
	return list;
}

json_t *methods_plan(struct req *r, int64_t method_id)
{
	int64_t viewer = r->user ? r->user->id : 0;
	struct db_stmt *st = db_query(r->db,
		"SELECT i.title, m.duration_minutes, m.steps FROM items i JOIN methods m ON m.item_id = i.id"
		" WHERE i.id = ? AND i.kind = 'method' AND " POLICY_ITEM_VISIBLE_SQL,
		DB_ARGS(db_int(method_id), POLICY_ITEM_VISIBLE_ARGS(viewer)));
	json_t *plan = NULL;
	if (st && db_step(st) == DB_ROW) {
		/* Steps are kept one per line, without empty lines. */
		const char *steps = db_text_col(st, 2);
		int64_t count = *steps ? 1 : 0;
		for (const char *p = steps; *p; p++)
			count += *p == '\n' && p[1];
		const char *title = db_text_col(st, 0);
		plan = json_pack("{s:I, s:s, s:s, s:I, s:I}", "id", (json_int_t)method_id, "title", title, "url",
				 link_item(&r->arena, method_id, title), "duration", (json_int_t)db_int_col(st, 1),
				 "step_count", (json_int_t)count);
	}
	db_done(st);
	return plan;
}

static void fill_method(struct req *r, json_t *model, const struct item *it)
{
	json_t *method = json_object();
	struct db_stmt *st = db_query(r->db, "SELECT " METHOD_COLUMNS " FROM methods WHERE item_id = ?",
				      DB_ARGS(db_int(it->id)));
	if (db_step(st) == DB_ROW) {
		for (int i = 0; i < 3; i++) {
			json_object_set_new(method, sections[i], json_string(db_text_col(st, i)));
			json_object_set_new(method, arena_printf(&r->arena, "%s_html", sections[i]),
					    markdown_json(db_text_col(st, i)));
		}
		json_object_set_new(method, "duration", json_integer(db_int_col(st, 3)));
		json_object_set_new(method, "group_min", json_integer(db_int_col(st, 4)));
		json_object_set_new(method, "group_max", json_integer(db_int_col(st, 5)));
		json_object_set_new(method, "steps", steps_json(r, db_text_col(st, 6)));
	}
	db_done(st);
	json_object_set_new(model, "method", method);
	json_object_set_new(model, "purpose", json_incref(json_object_get(model, "body")));
	json_object_set_new(model, "uses", uses_json(r, it->id));
	json_object_set_new(model, "variations", variations_json(r, it->id));
	json_object_set_new(model, "can_mark_use", json_boolean(it->can_write));
}

static void method_form_values(struct req *r, json_t *values, int64_t item_id)
{
	struct db_stmt *st = db_query(r->db, "SELECT " METHOD_COLUMNS " FROM methods WHERE item_id = ?",
				      DB_ARGS(db_int(item_id)));
	if (db_step(st) == DB_ROW) {
		for (int i = 0; i < 3; i++)
			json_object_set_new(values, sections[i], json_string(db_text_col(st, i)));
		static const char *const numbers[] = {"duration", "group_min", "group_max"};
		for (int i = 0; i < 3; i++)
			json_object_set_new(values, numbers[i],
					    json_sprintf("%lld", (long long)db_int_col(st, 3 + i)));
		json_object_set_new(values, "steps", json_string(db_text_col(st, 6)));
	}
	db_done(st);
}

/* A method's fields from an import line (import/import.h); steps are an
 * array of strings. */
static bool method_import(struct importer *im, json_t *o, int64_t item_id, void *input)
{
	(void)item_id;
	struct method_input *in = input;
	in->when_to_use = import_text(im, o, "when_to_use", TEXT_MAX, false);
	in->materials = in->when_to_use ? import_text(im, o, "materials", TEXT_MAX, false) : NULL;
	in->tips = in->materials ? import_text(im, o, "tips", TEXT_MAX, false) : NULL;
	if (!in->tips)
		return false;
	static const char *const numbers[] = {"duration", "group_min", "group_max"};
	int64_t *values[] = {&in->duration, &in->group_min, &in->group_max};
	static const int64_t lo[] = {DURATION_MIN, 1, 1}, hi[] = {DURATION_MAX, GROUP_MAX, GROUP_MAX};
	for (int i = 0; i < 3; i++) {
		json_t *v = json_object_get(o, numbers[i]);
		*values[i] = json_is_integer(v) ? json_integer_value(v) : -1;
		if (*values[i] < lo[i] || *values[i] > hi[i])
			return import_fail(im, "\"%s\" must be a whole number from %lld to %lld", numbers[i],
					   (long long)lo[i], (long long)hi[i]);
	}
	if (in->group_max < in->group_min)
		return import_fail(im, "\"group_max\" is smaller than \"group_min\"");
	json_t *steps = json_object_get(o, "steps"), *step;
	size_t i;
	if (!json_is_array(steps) || json_array_size(steps) == 0 || json_array_size(steps) > STEPS_MAX)
		return import_fail(im, "\"steps\" must be an array of 1 to 30 strings");
	struct buf text = {0};
	json_array_foreach(steps, i, step) {
		const char *s = json_string_value(step);
		if (!s || !*s || strchr(s, '\n') || utf8_length(s) > STEP_MAX || !text_printable(s, false)) {
			buf_free(&text);
			return import_fail(im, "step %zu must be one line of 1 to 1000 characters", i + 1);
		}
		buf_printf(&text, "%s%s", i ? "\n" : "", s);
	}
	in->steps = import_keep(im, text.data);
	buf_free(&text);
	return true;
}

static const struct item_field method_fields[] = {
	{"when_to_use", N_("When to use it")}, {"duration", N_("Duration in minutes")},
	{"group_min", N_("Smallest group")}, {"group_max", N_("Largest group")},
	{"materials", N_("Materials")}, {"steps", N_("Steps")}, {"tips", N_("Facilitation tips")}, {NULL, NULL},
};

const struct item_kind kind_method = {
	.name = "method",
	.label = N_("Method"),
	.compose_title = N_("Add a method"),
	.submit_label = N_("Add to the method book"),
	.places = KIND_IN_COMMUNITY,
	.title_missing = N_("Give the method a title."),
	.body_field = "purpose",
	.body_label = N_("Purpose"),
	.body_max = METHOD_PURPOSE_MAX,
	.body_missing = N_("Say what the method is for."),
	.body_too_long = N_("A purpose has at most 1000 characters."),
	.tagged = true,
	.verifiable = true,
	.own_fields = "purpose,when_to_use,duration:int,group_min:int,group_max:int,materials,steps,tips",
	.history_fields = method_fields,
	.input_size = sizeof(struct method_input),
	.read = method_read,
	.store = store_method,
	.history = method_history,
	.from_history = method_from_history,
	.import = method_import,
	.fill = fill_method,
	.form_values = method_form_values,
	.search_text_sql = "SELECT when_to_use, materials, steps, tips FROM methods WHERE item_id = ?",
};

/* ---- marks and variations ---------------------------------------------------- */

/* The page that takes a mark's note or a variation again when something
 * in it was wrong. */
static json_t *form_model(struct req *r, const struct item *it, const char *title_msgid, const char *action,
			  const char *flag)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:{}}", "title", tr(r, title_msgid),
			 "url", link_item(&r->arena, it->id, it->title),
			 "action", arena_printf(&r->arena, "%s/%s", link_item_id(&r->arena, it->id), action), flag, 1,
			 "values");
}

/* The method of /items/{id}/…, when the viewer may add to it; false after
 * req_fail. */
static bool writable_method(struct req *r, struct item *it, const char *join_msgid)
{
	if (!items_load(r, req_path_param(r, "id"), it))
		return false;
	if (strcmp(it->kind, "method") != 0) {
		req_fail(r, 404, "not_found", N_("There is no such method."));
		return false;
	}
	return items_may_write(r, it, join_msgid);
}

/* Records what the viewer did to the method it (a use, a variation). */
static bool method_event(struct req *r, enum event_type type, const struct item *it, int64_t object_id)
{
	return event_record(r->db, &(struct event){.type = type, .actor_id = r->user->id,
						   .community_id = it->community_id, .item_id = it->id,
						   .object_id = object_id, .created_at = r->now});
}

json_t *methods_use(struct req *r)
{
	struct item it;
	if (!writable_method(r, &it, N_("Join the community to mark that you used this.")))
		return NULL;
	const char *note = req_param_trimmed(r, "note");
	if (!note)
		note = "";
	json_t *model = form_model(r, &it, N_("I used this"), "uses", "is_use");
	json_object_set_new(json_object_get(model, "values"), "note", json_string(note));
	if (utf8_length(note) > NOTE_MAX)
		req_field_error(r, model, "note", N_("A note has at most 500 characters."));
	else if (!text_printable(note, true))
		req_field_error(r, model, "note", N_("The text cannot contain control characters."));
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	json_decref(model);
	bool again = db_exists(r->db, "SELECT 1 FROM method_uses WHERE method_id = ? AND user_id = ?",
			       DB_ARGS(db_int(it.id), db_int(r->user->id)));
	/* Marking again makes the mark anew: the newest note, first in line. */
	bool ok = db_begin(r->db) &&
		  db_exec(r->db, "DELETE FROM method_uses WHERE method_id = ? AND user_id = ?",
			  DB_ARGS(db_int(it.id), db_int(r->user->id))) >= 0 &&
		  db_exec(r->db, "INSERT INTO method_uses (method_id, user_id, note, created_at) VALUES (?, ?, ?, ?)",
			  DB_ARGS(db_int(it.id), db_int(r->user->id), db_text(note), db_int(r->now))) == 1 &&
		  method_event(r, EVENT_METHOD_USED, &it, 0) && db_commit(r->db);
	if (!ok) {
		db_rollback(r->db);
		return req_fail_internal(r);
	}
	return req_done(r, again ? 200 : 201, arena_printf(&r->arena, "%s#uses", link_item(&r->arena, it.id, it.title)),
			uses_json(r, it.id));
}

json_t *methods_unuse(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	if (strcmp(it.kind, "method") != 0)
		return req_fail(r, 404, "not_found", N_("There is no such method."));
	int64_t removed = db_exec(r->db, "DELETE FROM method_uses WHERE method_id = ? AND user_id = ?",
				  DB_ARGS(db_int(it.id), db_int(r->user->id)));
	if (removed < 0 || (removed > 0 && !method_event(r, EVENT_METHOD_UNUSED, &it, 0)))
		return req_fail_internal(r);
	return req_done(r, 200, arena_printf(&r->arena, "%s#uses", link_item(&r->arena, it.id, it.title)),
			uses_json(r, it.id));
}

json_t *methods_add_variation(struct req *r)
{
	struct item it;
	if (!writable_method(r, &it, N_("Join the community to add a variation.")))
		return NULL;
	const char *title = req_param_trimmed(r, "title"), *body = req_param_trimmed(r, "body");
	title = title ? text_clean_name(arena_strdup(&r->arena, title)) : "";
	body = body ? body : "";
	json_t *model = form_model(r, &it, N_("Add a variation"), "variations", "is_variation");
	json_object_set_new(json_object_get(model, "values"), "title", json_string(title));
	json_object_set_new(json_object_get(model, "values"), "body", json_string(body));
	if (!*title)
		req_field_error(r, model, "title", N_("Give the variation a title."));
	else if (utf8_length(title) > 200)
		req_field_error(r, model, "title", N_("A title has at most 200 characters."));
	else if (!text_printable(title, false))
		req_field_error(r, model, "title", N_("A title cannot contain control characters."));
	if (!*body)
		req_field_error(r, model, "body", N_("Describe what you do differently."));
	else if (utf8_length(body) > TEXT_MAX)
		req_field_error(r, model, "body", N_("The text has at most 5000 characters."));
	else if (!text_printable(body, true))
		req_field_error(r, model, "body", N_("The text cannot contain control characters."));
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	if (!writelimit_take(r))
		return model;
	json_decref(model);
	int64_t now = r->now;
	int64_t id = db_scalar_int(r->db, 0, "INSERT INTO method_variations (method_id, author_id, title, body,"
					     " created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
				   DB_ARGS(db_int(it.id), db_int(r->user->id), db_text(title), db_text(body), db_int(now)));
	if (!id || !method_event(r, EVENT_VARIATION_ADDED, &it, id))
		return req_fail_internal(r);
	return req_done(r, 201,
			arena_printf(&r->arena, "%s#variation-%lld", link_item(&r->arena, it.id, it.title), (long long)id),
			json_pack("{s:I, s:s, s:s, s:o, s:I, s:{s:s, s:s}}", "id", (json_int_t)id, "title", title,
				  "body", body, "body_html", markdown_json(body), "created_at", (json_int_t)now,
				  "author", "handle", r->user->handle, "name", r->user->name));
}

/* ---- the method book ------------------------------------------------------------ */

static const int duration_choices[] = {30, 60, 120, 240};

/* A positive whole number filter from the query string into *out (0 when
 * absent); false after req_fail. */
static bool number_filter(struct req *r, const char *name, int64_t max, int64_t *out)
{
	const char *v = req_query(r, name);
	*out = 0;
	if (!v || !*v)
		return true;
	*out = whole_number(v, 1, max);
	if (*out > 0)
		return true;
	req_fail(r, 400, "bad_filter", N_("Give a whole number, such as 60 minutes or 12 people."));
	r->error.field = name;
	return false;
}

/* Sets duration, group size and use count on each summary of the page. */
static void summaries_fill(struct req *r, json_t *items)
{
	json_t *index;
	struct db_stmt *st = items_batch_query(r->db, items,
		"SELECT m.item_id, m.duration_minutes, m.group_min, m.group_max,"
		" (SELECT COUNT(*) FROM method_uses mu WHERE mu.method_id = m.item_id) FROM methods m WHERE m.item_id IN",
		"", DB_NOARGS, &index);
	while (db_step(st) == DB_ROW) {
		json_t *o = items_indexed(index, db_int_col(st, 0));
		json_object_set_new(o, "duration", json_integer(db_int_col(st, 1)));
		json_object_set_new(o, "group_min", json_integer(db_int_col(st, 2)));
		json_object_set_new(o, "group_max", json_integer(db_int_col(st, 3)));
		json_object_set_new(o, "use_count", json_integer(db_int_col(st, 4)));
	}
	db_done(st);
	json_decref(index);
}

json_t *methods_book(struct req *r)
{
	struct item_filter f = {.kind = "method", .cursor = req_query(r, "cursor")};
	int64_t max_duration, group_size;
	if (!number_filter(r, "max_duration", DURATION_MAX, &max_duration) ||
	    !number_filter(r, "group_size", GROUP_MAX, &group_size))
		return NULL;
	const char *tag = req_query(r, "tag");
	char norm[4 * TAG_MAX_CHARS + 8];
	if (tag && *tag) {
		if (!tag_normalise(tag, norm, sizeof(norm))) {
			req_fail(r, 400, "bad_filter", N_("A tag has 1 to 32 letters, digits or hyphens."));
			r->error.field = "tag";
			return NULL;
		}
		f.tag = norm;
	}
	const char *verified = req_query(r, "verified");
	if (verified && *verified && !experts_verified_filter(r, verified, &f.verified))
		return NULL;
	/* Unset, the bounds let every method through. */
	f.own_sql = "EXISTS (SELECT 1 FROM methods m WHERE m.item_id = i.id AND m.duration_minutes <= ?"
		    " AND m.group_min <= ? AND m.group_max >= ?)";
	f.own_args[0] = db_int(max_duration ? max_duration : DURATION_MAX);
	f.own_args[1] = db_int(group_size ? group_size : GROUP_MAX);
	f.own_args[2] = db_int(group_size ? group_size : 1);
	f.nown_args = 3;
	json_t *page = items_list(r, &f);
	if (!page)
		return NULL;
	summaries_fill(r, json_object_get(page, "items"));
	experts_fill_summaries(r, json_object_get(page, "items"));
	json_object_set_new(page, "title", json_string(tr(r, N_("Method book"))));
	char duration_text[24] = "", group_text[24] = "";
	if (max_duration)
		snprintf(duration_text, sizeof(duration_text), "%lld", (long long)max_duration);
	if (group_size)
		snprintf(group_text, sizeof(group_text), "%lld", (long long)group_size);
	const char *verified_text = f.verified > 0 ? "yes" : f.verified < 0 ? "no" : "";
	json_object_set_new(page, "filters", json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "tag", f.tag ? f.tag : "",
						       "max_duration", duration_text, "group_size", group_text,
						       "verified", verified_text, "verified_yes", f.verified > 0,
						       "verified_no", f.verified < 0));
	json_t *options = json_array();
	for (size_t i = 0; i < sizeof(duration_choices) / sizeof(duration_choices[0]); i++)
		json_array_append_new(options, json_pack("{s:i, s:o, s:b}", "value", duration_choices[i],
			"label", json_sprintf("≤ %d min", duration_choices[i]),
			"selected", max_duration == duration_choices[i]));
	json_object_set_new(page, "duration_options", options);
	json_t *next = json_object_get(page, "next");
	if (json_is_string(next)) {
		struct buf q = {0};
		buf_puts(&q, "/methods?cursor=");
		buf_put_url(&q, json_string_value(next));
		const char *keys[] = {"tag", "max_duration", "group_size", "verified"};
		const char *vals[] = {f.tag, duration_text, group_text, verified_text};
		buf_put_query(&q, keys, vals, 4);
		json_object_set_new(page, "next_url", json_string(q.data));
		buf_free(&q);
	}
	return page;
}
