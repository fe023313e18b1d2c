/* event_people: an event's hosts and speakers (see event_people.h). */
#include "features/event_people.h"

#include "auth/policy.h"
#include "core/buf.h"
#include "core/text.h"
#include "db/db.h"
#include "features/items.h"
#include "http/req.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "import/import.h"
#include "render/links.h"

#include <string.h>

#define GUEST_NAME_MAX 100

static const char *const roles[] = {"host", "speaker"};
static const char *const fields[] = {"hosts", "speakers"};

/* One role's list and count (role 0 the hosts, 1 the speakers). */
#define ROLE_LIST(p, role) ((role) == 0 ? (p)->hosts : (p)->speakers)
#define ROLE_COUNT(p, role) (*((role) == 0 ? &(p)->nhosts : &(p)->nspeakers))

bool event_people_hosts(struct req *r, const struct item *it)
{
	if (it->is_author || (it->in_community && it->access.can_host))
		return true;
	return r->user && db_exists(r->db, "SELECT 1 FROM event_people WHERE item_id = ? AND role = 'host'"
					   " AND user_id = ?", DB_ARGS(db_int(it->id), db_int(r->user->id)));
}

static bool listed(const struct event_person *list, int n, const struct event_person *p)
{
	for (int i = 0; i < n; i++)
		if (p->user_id ? list[i].user_id == p->user_id : !list[i].user_id && strcmp(list[i].name, p->name) == 0)
			return true;
	return false;
}

/* Adds one person to the list (twice named: once); false after a field
 * error at field. */
static bool add_person(struct req *r, json_t *model, const char *field, struct event_person *list, int *n,
		       const struct event_person *p)
{
	if (listed(list, *n, p))
		return true;
	if (*n == EVENT_PEOPLE_MAX) {
		req_field_error(r, model, field, strcmp(field, "hosts") == 0 ? N_("Name at most 10 hosts.")
									    : N_("Name at most 10 speakers."));
		return false;
	}
	list[(*n)++] = *p;
	return true;
}

/* The active member with the handle ("@anna" or "anna"); 0 when none. */
static int64_t member_id(struct db *db, const char *handle)
{
	if (*handle == '@')
		handle++;
	return *handle ? db_scalar_int(db, 0, "SELECT id FROM users WHERE lower(handle) = lower(?) AND "
					      POLICY_ACCOUNT_SHOWN_SQL("status"), DB_ARGS(db_text(handle)))
		       : 0;
}

/* One field's text: a line that starts with "@" holds handles (separated
 * by commas or spaces), any other line a guest's name. */
static void read_list(struct req *r, json_t *model, const char *field, char *text, struct event_person *list,
		      int *n)
{
	*n = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		line = text_clean_name(line);
		if (!*line)
			continue;
		if (*line != '@') {
			if (utf8_length(line) > GUEST_NAME_MAX) {
				req_field_error(r, model, field, N_("A guest's name has at most 100 characters."));
				return;
			}
			if (!text_printable(line, false)) {
				req_field_error(r, model, field, N_("The text cannot contain control characters."));
				return;
			}
			if (!add_person(r, model, field, list, n, &(struct event_person){0, line}))
				return;
			continue;
		}
		char *inner = NULL;
		for (char *h = strtok_r(line, ", \t", &inner); h; h = strtok_r(NULL, ", \t", &inner)) {
			int64_t id = member_id(r->db, h);
			if (!id) {
				req_field_error(r, model, field,
						format_message(&r->arena, r->locale,
							       N_("There is no member @{{handle}}. Name members by "
								  "their handle, guests by their name."),
							       "handle", *h == '@' ? h + 1 : h, NULL));
				return;
			}
			if (!add_person(r, model, field, list, n, &(struct event_person){id, ""}))
				return;
		}
	}
}

void event_people_read(struct req *r, json_t *model, int64_t item_id, struct event_people *in)
{
	struct event_people old = {0};
	bool loaded = false;
	for (int role = 0; role < 2; role++) {
		const char *text = req_param(r, fields[role]);
		if (text) {
			read_list(r, model, fields[role], arena_strdup(&r->arena, text), ROLE_LIST(in, role),
				  &ROLE_COUNT(in, role));
			continue;
		}
		if (!item_id)
			continue;
		if (!loaded)
			event_people_load(r, item_id, &old);
		loaded = true;
		memcpy(ROLE_LIST(in, role), ROLE_LIST(&old, role),
		       sizeof(struct event_person) * (size_t)ROLE_COUNT(&old, role));
		ROLE_COUNT(in, role) = ROLE_COUNT(&old, role);
	}
}

void event_people_load(struct req *r, int64_t item_id, struct event_people *out)
{
	out->nhosts = out->nspeakers = 0;
	struct db_stmt *st = db_query(r->db, "SELECT role, user_id, name FROM event_people WHERE item_id = ?"
					     " ORDER BY role, position", DB_ARGS(db_int(item_id)));
	while (st && db_step(st) == DB_ROW) {
		int role = strcmp(db_text_col(st, 0), "host") == 0 ? 0 : 1;
		if (ROLE_COUNT(out, role) < EVENT_PEOPLE_MAX)
			ROLE_LIST(out, role)[ROLE_COUNT(out, role)++] =
				(struct event_person){db_null_col(st, 1) ? 0 : db_int_col(st, 1),
						      arena_strdup(&r->arena, db_text_col(st, 2))};
	}
	db_done(st);
}

bool event_people_store(struct db *db, int64_t item_id, const struct event_people *in)
{
	bool ok = db_exec(db, "DELETE FROM event_people WHERE item_id = ?", DB_ARGS(db_int(item_id))) >= 0;
	for (int role = 0; ok && role < 2; role++) {
		const struct event_person *list = ROLE_LIST(in, role);
		for (int i = 0; ok && i < ROLE_COUNT(in, role); i++)
			ok = db_exec(db, "INSERT INTO event_people (item_id, role, position, user_id, name)"
					 " VALUES (?, ?, ?, ?, ?)",
				     DB_ARGS(db_int(item_id), db_text(roles[role]), db_int(i),
					     list[i].user_id ? db_int(list[i].user_id) : db_null(),
					     db_text(list[i].user_id ? "" : list[i].name))) == 1;
	}
	return ok;
}

/* The list as text, one per line, members as "@handle"; false on a
 * database error. */
static bool list_text(struct db *db, const struct event_person *list, int n, struct buf *out)
{
	for (int i = 0; i < n; i++) {
		if (out->len)
			buf_putc(out, '\n');
		if (!list[i].user_id) {
			buf_puts(out, list[i].name);
			continue;
		}
		struct db_stmt *st = db_query(db, "SELECT handle FROM users WHERE id = ?",
					      DB_ARGS(db_int(list[i].user_id)));
		if (st && db_step(st) == DB_ROW)
			buf_printf(out, "@%s", db_text_col(st, 0));
		db_done(st);
	}
	return !db_failed(db);
}

void event_people_history(struct db *db, json_t *fields_out, const struct event_people *in)
{
	for (int role = 0; role < 2; role++) {
		struct buf text = {0};
		list_text(db, ROLE_LIST(in, role), ROLE_COUNT(in, role), &text);
		json_object_set_new(fields_out, fields[role], json_string(text.data ? text.data : ""));
		buf_free(&text);
	}
}

void event_people_from_history(struct req *r, json_t *fields_in, struct event_people *in)
{
	for (int role = 0; role < 2; role++) {
		struct event_person *list = ROLE_LIST(in, role);
		int *n = &ROLE_COUNT(in, role);
		*n = 0;
		const char *text = json_string_value(json_object_get(fields_in, fields[role]));
		char *copy = arena_strdup(&r->arena, text ? text : ""), *save = NULL;
		for (char *line = strtok_r(copy, "\n", &save); line && *n < EVENT_PEOPLE_MAX;
		     line = strtok_r(NULL, "\n", &save)) {
			bool member = line[0] == '@';
			struct event_person p = {member ? member_id(r->db, line) : 0, member ? "" : line};
			if ((p.user_id || !member) && !listed(list, *n, &p))
				list[(*n)++] = p;
		}
	}
}

bool event_people_import(struct importer *im, json_t *o, struct event_people *in)
{
	for (int role = 0; role < 2; role++) {
		struct event_person *list = ROLE_LIST(in, role);
		int *n = &ROLE_COUNT(in, role);
		json_t *array = json_object_get(o, fields[role]), *el;
		*n = 0;
		if (!array)
			continue;
		if (!json_is_array(array) || json_array_size(array) > EVENT_PEOPLE_MAX)
			return import_fail(im, "\"%s\" must be an array of at most %d handles or {\"name\": …}",
					   fields[role], EVENT_PEOPLE_MAX);
		size_t i;
		json_array_foreach(array, i, el) {
			const char *handle = json_string_value(el);
			struct event_person p = {0, ""};
			if (handle) {
				p.user_id = import_defined(im, IMPORT_PEOPLE, handle);
				if (!p.user_id)
					return import_fail(im, "person \"%s\" in \"%s\" is not defined above", handle,
							   fields[role]);
			} else {
				const char *name = import_text(im, el, "name", GUEST_NAME_MAX, true);
				if (!name)
					return false;
				if (strchr(name, '\n') || name[0] == '@')
					return import_fail(im, "a guest's name in \"%s\" is one line, not a handle",
							   fields[role]);
				p.name = name;
			}
			if (!listed(list, *n, &p))
				list[(*n)++] = p;
		}
	}
	return true;
}

/* A list for reading: members that are shown, with their profiles. */
static json_t *list_json(struct req *r, int64_t item_id, const char *role)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT p.user_id, p.name, u.handle, u.name FROM event_people p LEFT JOIN users u ON u.id = p.user_id"
		" WHERE p.item_id = ? AND p.role = ?"
		" AND (p.user_id IS NULL OR " POLICY_ACCOUNT_SHOWN_SQL("u.status") ")"
		" ORDER BY p.position", DB_ARGS(db_int(item_id), db_text(role)));
	while (st && db_step(st) == DB_ROW) {
		if (db_null_col(st, 0)) {
			json_array_append_new(list, json_pack("{s:s, s:n, s:b}", "name", db_text_col(st, 1), "handle",
							      "guest", 1));
			continue;
		}
		const char *handle = db_text_col(st, 2);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "handle", handle, "name", db_text_col(st, 3),
						      "url", link_person(&r->arena, handle)));
	}
	db_done(st);
	return list;
}

void event_people_fill(struct req *r, json_t *event, int64_t item_id)
{
	for (int role = 0; role < 2; role++)
		json_object_set_new(event, fields[role], list_json(r, item_id, roles[role]));
}

void event_people_form_values(struct req *r, json_t *values, int64_t item_id)
{
	struct event_people p;
	event_people_load(r, item_id, &p);
	for (int role = 0; role < 2; role++) {
		struct buf text = {0};
		list_text(r->db, ROLE_LIST(&p, role), ROLE_COUNT(&p, role), &text);
		json_object_set_new(values, fields[role], json_string(text.data ? text.data : ""));
		buf_free(&text);
	}
}
