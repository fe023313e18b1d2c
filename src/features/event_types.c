/* event_types: the kinds of events, built in and added by admins (see
 * event_types.h). */
#include "features/event_types.h"

#include "core/arena.h"
#include "core/grow.h"
#include "core/text.h"
#include "db/db.h"
#include "features/audit.h"
#include "http/req.h"
#include "i18n/i18n.h"

#include <string.h>

#define CODE_MAX 16
#define NAME_MAX 60

/* The built-in kinds, in the order they are offered, before the added
 * ones. */
static const struct {
	const char *code, *label;
} builtins[] = {
	{"talk", N_("Talk")},
	{"fika", N_("Fika with a topic")},
	{"workshop", N_("Workshop")},
	{"meetup", N_("Meetup")},
};
#define BUILTINS (sizeof(builtins) / sizeof(builtins[0]))

/* One kind as the pages show it. names[] by LOCALE_* ("" when not given). */
struct kind {
	const char *code;
	const char *builtin; /* the built-in name's msgid, or NULL */
	const char *names[LOCALE_COUNT];
	bool retired;
};

static const char *builtin_label(const char *code)
{
	for (size_t i = 0; code && i < BUILTINS; i++)
		if (strcmp(code, builtins[i].code) == 0)
			return builtins[i].label;
	return NULL;
}

/* The names' columns, in the order of LOCALE_*. */
#define NAME_COLUMNS "name_en, name_sv, name_nl"
static const char *const name_fields[LOCALE_COUNT] = {"name_en", "name_sv", "name_nl"};

static void read_row(struct arena *a, struct db_stmt *st, int first, struct kind *k)
{
	for (int l = 0; l < LOCALE_COUNT; l++)
		k->names[l] = arena_strdup(a, db_text_col(st, first + l));
	k->retired = !db_null_col(st, first + LOCALE_COUNT);
}

/* Every kind: the built-in ones first, then those added, oldest first.
 * How many into *out (in a); -1 on a database error. */
static ssize_t load_all(struct db *db, struct arena *a, struct kind **out)
{
	size_t n = 0, cap = BUILTINS;
	struct kind *kinds = arena_alloc(a, cap * sizeof(*kinds));
	for (size_t i = 0; i < BUILTINS; i++)
		kinds[n++] = (struct kind){.code = builtins[i].code, .builtin = builtins[i].label,
					   .names = {"", "", ""}};
	struct db_stmt *st = db_query(db, "SELECT code, " NAME_COLUMNS ", retired_at FROM event_types"
					  " ORDER BY created_at, code", DB_NOARGS);
	while (st && db_step(st) == DB_ROW) {
		const char *code = db_text_col(st, 0);
		size_t i = 0;
		while (i < BUILTINS && strcmp(kinds[i].code, code) != 0)
			i++;
		if (i == BUILTINS) {
			GROW_ARENA(a, kinds, n, cap);
			i = n++;
			kinds[i] = (struct kind){.code = arena_strdup(a, code)};
		}
		read_row(a, st, 1, &kinds[i]);
	}
	db_done(st);
	if (db_failed(db))
		return -1;
	*out = kinds;
	return (ssize_t)n;
}

/* The one kind of that code into *k; false when there is none. */
static bool load_one(struct db *db, struct arena *a, const char *code, struct kind *k)
{
	*k = (struct kind){.code = code, .builtin = builtin_label(code), .names = {"", "", ""}};
	struct db_stmt *st = db_query(db, "SELECT " NAME_COLUMNS ", retired_at FROM event_types WHERE code = ?",
				      DB_ARGS(db_text(code ? code : "")));
	bool row = st && db_step(st) == DB_ROW;
	if (row)
		read_row(a, st, 0, k);
	db_done(st);
	return row || k->builtin;
}

static const char *label_of(const struct kind *k, int locale)
{
	if (*k->names[locale])
		return k->names[locale];
	if (k->builtin)
		return i18n_get(locale, k->builtin);
	return *k->names[LOCALE_EN] ? k->names[LOCALE_EN] : k->code;
}

bool event_types_known(struct db *db, const char *code)
{
	struct arena a = {0};
	struct kind k;
	bool known = load_one(db, &a, code, &k) && !db_failed(db);
	arena_reset(&a);
	return known;
}

bool event_types_offered(struct db *db, const char *code)
{
	struct arena a = {0};
	struct kind k;
	bool offered = load_one(db, &a, code, &k) && !k.retired && !db_failed(db);
	arena_reset(&a);
	return offered;
}

const char *event_types_label(struct req *r, const char *code)
{
	struct kind k;
	return load_one(r->db, &r->arena, code, &k) ? label_of(&k, r->locale) : code;
}

json_t *event_types_options(struct req *r, const char *chosen)
{
	json_t *options = json_array();
	struct kind *kinds;
	ssize_t n = load_all(r->db, &r->arena, &kinds);
	for (ssize_t i = 0; i < n; i++) {
		bool selected = chosen && strcmp(chosen, kinds[i].code) == 0;
		if (kinds[i].retired && !selected)
			continue;
		json_array_append_new(options, json_pack("{s:s, s:s, s:b}", "value", kinds[i].code, "label",
							 label_of(&kinds[i], r->locale), "selected", selected));
	}
	return options;
}

/* ---- administration ------------------------------------------------------------ */

static json_t *kind_json(struct req *r, const struct kind *k)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "code", k->code, "label", label_of(k, r->locale),
			 "name_en", k->names[LOCALE_EN], "name_sv", k->names[LOCALE_SV], "name_nl",
			 k->names[LOCALE_NL], "builtin", k->builtin != NULL, "retired", k->retired);
}

/* The page: every kind, and the form to add one with what was typed. */
static json_t *page_model(struct req *r)
{
	struct kind *kinds;
	ssize_t n = load_all(r->db, &r->arena, &kinds);
	if (n < 0)
		return req_fail_internal(r);
	json_t *list = json_array();
	for (ssize_t i = 0; i < n; i++)
		json_array_append_new(list, kind_json(r, &kinds[i]));
	json_t *model = req_form_model(r, N_("Kinds of events"), "code,name_en,name_sv,name_nl");
	json_object_set_new(model, "types", list);
	return model;
}

json_t *event_types_page(struct req *r)
{
	json_t *model = page_model(r);
	if (model && req_query(r, "saved"))
		json_object_set_new(model, "saved", json_true());
	return model;
}

/* A name as given: cleaned, at most NAME_MAX characters; NULL when left
 * out. A field error on the model when it is wrong. */
static const char *read_name(struct req *r, json_t *model, const char *field)
{
	const char *v = req_param_trimmed(r, field);
	if (!v)
		return NULL;
	char *name = text_clean_name(arena_strdup(&r->arena, v));
	if (utf8_length(name) > NAME_MAX)
		req_field_error(r, model, field, N_("A name has at most 60 characters."));
	else if (!text_printable(name, false))
		req_field_error(r, model, field, N_("The text cannot contain control characters."));
	return name;
}

static bool code_shaped(const char *code)
{
	size_t len = strlen(code);
	if (len < 2 || len > CODE_MAX || code[0] < 'a' || code[0] > 'z')
		return false;
	return strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789-") == len;
}

json_t *event_types_add(struct req *r)
{
	json_t *model = page_model(r);
	if (!model)
		return NULL;
	const char *code = req_param_trimmed(r, "code");
	if (!code || !code_shaped(code))
		req_field_error(r, model, "code",
				N_("Give a code of 2 to 16 small letters, digits or hyphens that starts with a letter."));
	else if (event_types_known(r->db, code))
		req_field_error(r, model, "code", N_("There is already a kind of event with that code."));
	const char *names[LOCALE_COUNT];
	for (int l = 0; l < LOCALE_COUNT; l++) {
		names[l] = read_name(r, model, name_fields[l]);
		if (!names[l])
			names[l] = "";
	}
	if (!*names[LOCALE_EN])
		req_field_error(r, model, "name_en", N_("Give the kind a name in English."));
	if (db_failed(r->db))
		return req_fail_internal(r);
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	json_decref(model);
	if (db_exec(r->db, "INSERT INTO event_types (code, " NAME_COLUMNS ", created_at) VALUES (?, ?, ?, ?, ?)",
		    DB_ARGS(db_text(code), db_text(names[LOCALE_EN]), db_text(names[LOCALE_SV]),
			    db_text(names[LOCALE_NL]), db_int(r->now))) != 1 ||
	    !audit_by(r, "event_type.added", "site", 0, 0, NULL, json_pack("{s:s, s:s}", "code", code, "name_en",
									      names[LOCALE_EN])))
		return req_fail_internal(r);
	struct kind k = {.code = code, .names = {names[0], names[1], names[2]}};
	return req_done(r, 201, "/admin/event-types?saved=1", kind_json(r, &k));
}

json_t *event_types_save(struct req *r)
{
	const char *code = req_path_param(r, "code");
	struct kind k;
	if (!load_one(r->db, &r->arena, code, &k))
		return db_failed(r->db) ? req_fail_internal(r)
					: req_fail(r, 404, "not_found", N_("There is no such kind of event."));
	json_t *model = page_model(r);
	if (!model)
		return NULL;
	for (int l = 0; l < LOCALE_COUNT; l++) {
		const char *name = read_name(r, model, name_fields[l]);
		if (name)
			k.names[l] = name;
	}
	/* An added kind has no other name to fall back on. */
	if (!k.builtin && !*k.names[LOCALE_EN])
		req_field_error(r, model, "name_en", N_("Give the kind a name in English."));
	if (req_has_field_errors(r)) {
		/* The page says so above the list; the form to add a kind
		 * stays empty. */
		json_object_set(model, "edit_errors", json_object_get(model, "errors"));
		json_object_del(model, "errors");
		json_object_set_new(model, "values", json_object());
		json_object_set_new(model, "edit_code", json_string(code));
		return req_invalid(r, model);
	}
	json_decref(model);
	k.retired = req_param_bool(r, "retired", k.retired);
	if (db_exec(r->db,
		    "INSERT INTO event_types (code, " NAME_COLUMNS ", retired_at, created_at) VALUES (?, ?, ?, ?, ?, ?)"
		    " ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, name_sv = excluded.name_sv,"
		    " name_nl = excluded.name_nl, retired_at = CASE WHEN excluded.retired_at IS NULL THEN NULL"
		    " ELSE COALESCE(event_types.retired_at, excluded.retired_at) END",
		    DB_ARGS(db_text(code), db_text(k.names[LOCALE_EN]), db_text(k.names[LOCALE_SV]),
			    db_text(k.names[LOCALE_NL]), k.retired ? db_int(r->now) : db_null(), db_int(r->now))) != 1 ||
	    !audit_by(r, "event_type.changed", "site", 0, 0, NULL,
		      json_pack("{s:s, s:s, s:b}", "code", code, "name_en", k.names[LOCALE_EN], "retired", k.retired)))
		return req_fail_internal(r);
	return req_done(r, 200, "/admin/event-types?saved=1", kind_json(r, &k));
}
