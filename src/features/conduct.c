/* conduct: the code of conduct and who accepted which version (see
 * conduct.h). */
#include "features/conduct.h"

#include "core/arena.h"
#include "core/text.h"
#include "features/audit.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"
#include "render/markdown.h"
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

/* The longest text a version may have, in characters. */
#define CONDUCT_MAX 50000

int64_t conduct_current(struct db *db)
{
	return db_scalar_int(db, 0, "SELECT COALESCE(MAX(number), 0) FROM conduct_versions", DB_NOARGS);
}

int64_t conduct_to_accept(struct db *db, int64_t member)
{
	return db_scalar_int(db, 0,
			     "SELECT v.number FROM conduct_versions v WHERE v.number = (SELECT MAX(number) FROM"
			     " conduct_versions) AND NOT EXISTS (SELECT 1 FROM conduct_acceptances a WHERE a.user_id = ?"
			     " AND a.version = v.number)",
			     DB_ARGS(db_int(member)));
}

bool conduct_record(struct db *db, int64_t member, int64_t version, int64_t now)
{
	return db_exec(db,
		       "INSERT INTO conduct_acceptances (user_id, version, accepted_at) VALUES (?, ?, ?)"
		       " ON CONFLICT (user_id, version) DO NOTHING",
		       DB_ARGS(db_int(member), db_int(version), db_int(now))) >= 0;
}

bool conduct_add(struct db *db, const char *body, int64_t author, int64_t now, int64_t *number)
{
	*number = conduct_current(db) + 1;
	return !db_failed(db) &&
	       db_exec(db, "INSERT INTO conduct_versions (number, body, author_id, created_at) VALUES (?, ?, ?, ?)",
		       DB_ARGS(db_int(*number), db_text(body), author ? db_int(author) : db_null(), db_int(now))) == 1;
}

bool conduct_accepted_by_all(struct db *db, int64_t version, int64_t now)
{
	return db_exec(db,
		       "INSERT INTO conduct_acceptances (user_id, version, accepted_at) SELECT id, ?, ? FROM users WHERE true"
		       " ON CONFLICT (user_id, version) DO NOTHING",
		       DB_ARGS(db_int(version), db_int(now))) >= 0;
}

void conduct_signup_fill(struct req *r, json_t *model)
{
	int64_t current = conduct_current(r->db);
	if (current)
		json_object_set_new(model, "conduct", json_pack("{s:I}", "version", (json_int_t)current));
}

int64_t conduct_signup_check(struct req *r, json_t *model)
{
	int64_t current = conduct_current(r->db);
	if (!current)
		return 0;
	const char *sent = req_param(r, "conduct");
	long long read = sent ? strtoll(sent, NULL, 10) : 0;
	if (read == current)
		return current;
	req_field_error(r, model, "conduct",
			read ? N_("The code of conduct has changed since you opened the form: read it and accept it again.")
			     : N_("Read the code of conduct and accept it to sign up."));
	return -1;
}

/* A version as pages show it; NULL when there is no such one. */
static json_t *version_model(struct req *r, int64_t number)
{
	struct db_stmt *st = db_query(r->db,
				      "SELECT v.number, v.body, v.created_at, u.handle, u.name FROM conduct_versions v"
				      " LEFT JOIN users u ON u.id = v.author_id WHERE v.number = ?",
				      DB_ARGS(db_int(number)));
	json_t *v = NULL;
	if (st && db_step(st) == DB_ROW) {
		v = json_pack("{s:I, s:s, s:o, s:I, s:s}", "number", (json_int_t)db_int_col(st, 0), "body",
			      db_text_col(st, 1), "body_html", markdown_json(db_text_col(st, 1)), "created_at",
			      (json_int_t)db_int_col(st, 2), "url",
			      arena_printf(&r->arena, "/conduct?version=%lld", (long long)db_int_col(st, 0)));
		if (!db_null_col(st, 3))
			json_object_set_new(v, "author", json_pack("{s:s, s:s, s:s}", "handle", db_text_col(st, 3), "name",
								   db_text_col(st, 4), "url",
								   link_person(&r->arena, db_text_col(st, 3))));
	}
	db_done(st);
	return v;
}

json_t *conduct_page(struct req *r)
{
	int64_t current = conduct_current(r->db);
	const char *asked = req_query(r, "version");
	char *end = NULL;
	long long number = asked && *asked ? strtoll(asked, &end, 10) : current;
	json_t *v = number > 0 && (!end || !*end) ? version_model(r, number) : NULL;
	if (!current)
		return json_pack("{s:s, s:b}", "title", tr(r, N_("Code of conduct")), "none", true);
	if (!v)
		return req_fail(r, 404, "not_found", N_("There is no such version of the code of conduct."));
	bool accepted = r->user && db_exists(r->db, "SELECT 1 FROM conduct_acceptances WHERE user_id = ? AND version = ?",
					     DB_ARGS(db_int(r->user->id), db_int(current)));
	return json_pack("{s:s, s:o, s:b, s:b, s:b, s:I}", "title", tr(r, N_("Code of conduct")), "version", v,
			 "current", number == current, "accepted", accepted, "can_accept", r->user && !accepted,
			 "current_version", (json_int_t)current);
}

json_t *conduct_accept(struct req *r)
{
	int64_t current = conduct_current(r->db);
	if (!current)
		return req_fail(r, 404, "not_found", N_("There is no code of conduct to accept."));
	const char *sent = req_param(r, "version");
	if (sent && *sent && strtoll(sent, NULL, 10) != current)
		return req_fail(r, 409, "changed",
				N_("The code of conduct has changed since you opened it: read the new version and accept it."));
	if (!conduct_record(r->db, r->user->id, current, r->now))
		return req_fail_internal(r);
	return req_done(r, 200, "/conduct", json_pack("{s:I, s:b}", "version", (json_int_t)current, "accepted", true));
}

/* The admin's page: the form (with what was typed after an error) and
 * every version, newest first. */
static json_t *admin_model(struct req *r)
{
	int64_t current = conduct_current(r->db);
	json_t *v = current ? version_model(r, current) : NULL;
	const char *typed = r->error.set ? req_param(r, "body") : NULL;
	json_t *m = json_pack("{s:s, s:{s:s}, s:[]}", "title", tr(r, N_("Code of conduct")), "values", "body",
			      typed ? typed : v ? json_string_value(json_object_get(v, "body")) : "", "versions");
	json_decref(v);
	struct db_stmt *st = db_query(r->db,
				      "SELECT v.number, v.created_at, u.handle, u.name FROM conduct_versions v"
				      " LEFT JOIN users u ON u.id = v.author_id ORDER BY v.number DESC",
				      DB_NOARGS);
	while (st && db_step(st) == DB_ROW) {
		json_t *o = json_pack("{s:I, s:I, s:s, s:b}", "number", (json_int_t)db_int_col(st, 0), "created_at",
				      (json_int_t)db_int_col(st, 1), "url",
				      arena_printf(&r->arena, "/conduct?version=%lld", (long long)db_int_col(st, 0)),
				      "current", db_int_col(st, 0) == current);
		if (!db_null_col(st, 2))
			json_object_set_new(o, "author", json_pack("{s:s, s:s}", "handle", db_text_col(st, 2), "name",
								   db_text_col(st, 3)));
		json_array_append_new(json_object_get(m, "versions"), o);
	}
	db_done(st);
	if (req_query(r, "saved"))
		json_object_set_new(m, "saved", json_true());
	return m;
}

json_t *conduct_admin_page(struct req *r)
{
	return admin_model(r);
}

json_t *conduct_publish(struct req *r)
{
	json_t *model = admin_model(r);
	const char *typed = req_param(r, "body");
	char *body = typed ? text_trim(arena_strdup(&r->arena, typed)) : "";
	if (!*body)
		req_field_error(r, model, "body", N_("Write the code of conduct."));
	else if (utf8_length(body) > CONDUCT_MAX)
		req_field_error(r, model, "body", N_("The code of conduct has at most 50000 characters."));
	else if (!text_printable(body, true))
		req_field_error(r, model, "body", N_("The text cannot contain control characters."));
	if (req_has_field_errors(r)) {
		json_object_set_new(json_object_get(model, "values"), "body", json_string(typed ? typed : ""));
		return req_invalid(r, model);
	}
	json_decref(model);
	int64_t number;
	if (!conduct_add(r->db, body, r->user->id, r->now, &number) ||
	    /* Its author has read it. */
	    !conduct_record(r->db, r->user->id, number, r->now) ||
	    !audit_by(r, "conduct.published", "site", 0, 0, NULL, json_pack("{s:I}", "version", (json_int_t)number)))
		return req_fail_internal(r);
	return req_done(r, 201, "/admin/conduct?saved=1", json_pack("{s:I}", "number", (json_int_t)number));
}
