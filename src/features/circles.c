/* circles: what a circle has beyond a community (see circles.h). */
#include "features/circles.h"

#include "auth/policy.h"
#include "core/arena.h"
#include "core/text.h"
#include "db/db.h"
#include "http/req.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "render/links.h"
#include "render/markdown.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PURPOSE_MAX 1000
#define CADENCE_MAX 200
/* The methods the form offers as the working form, by title. */
#define METHODS_OFFERED 200

/* Members and open invitations: the seats a circle has given. */
static int64_t seats_taken(struct db *db, int64_t community_id)
{
	return db_scalar_int(db, 0,
			     "SELECT COUNT(*) FROM memberships WHERE community_id = ? AND state IN ('active', 'invited')",
			     DB_ARGS(db_int(community_id)));
}

static bool load(struct db *db, struct arena *a, int64_t community_id, struct circle_input *in)
{
	struct db_stmt *st = db_query(db, "SELECT member_limit, purpose, cadence, COALESCE(method_id, 0) FROM circles"
					  " WHERE community_id = ?", DB_ARGS(db_int(community_id)));
	bool found = db_step(st) == DB_ROW;
	if (found)
		*in = (struct circle_input){db_int_col(st, 0), arena_strdup(a, db_text_col(st, 1)),
					    arena_strdup(a, db_text_col(st, 2)), db_int_col(st, 3)};
	db_done(st);
	return found;
}

/* A method of the method book the member may read. */
static bool readable_method(struct req *r, int64_t id)
{
	int64_t viewer = r->user ? r->user->id : 0;
	return db_exists(r->db, "SELECT 1 FROM items i WHERE i.id = ? AND i.kind = 'method' AND " POLICY_ITEM_VISIBLE_SQL,
			 DB_ARGS(db_int(id), POLICY_ITEM_VISIBLE_ARGS(viewer)));
}

static bool parse_number(const char *text, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (errno || end == text || *end)
		return false;
	*out = v;
	return true;
}

void circles_read(struct req *r, json_t *model, int64_t community_id, struct circle_input *in)
{
	if (!community_id || !load(r->db, &r->arena, community_id, in))
		*in = (struct circle_input){CIRCLE_DEFAULT_LIMIT, "", "", 0};
	const char *limit = req_param_trimmed(r, "member_limit");
	if (limit && *limit) {
		int64_t n;
		if (!parse_number(limit, &n) || n < 2 || n > CIRCLE_MAX_LIMIT)
			req_field_error(r, model, "member_limit", N_("A circle has room for 2 to 30 members."));
		else if (community_id && n < seats_taken(r->db, community_id))
			req_field_error(r, model, "member_limit",
					N_("The circle has more members and invitations than that already."));
		else
			in->member_limit = n;
	}
	const char *purpose = req_param_trimmed(r, "purpose"), *cadence = req_param_trimmed(r, "cadence");
	if (purpose)
		in->purpose = purpose;
	if (cadence)
		in->cadence = cadence;
	if (!*in->purpose)
		req_field_error(r, model, "purpose", N_("Say what the circle is for."));
	else if (utf8_length(in->purpose) > PURPOSE_MAX || !text_printable(in->purpose, true))
		req_field_error(r, model, "purpose", N_("A purpose has at most 1000 characters."));
	if (utf8_length(in->cadence) > CADENCE_MAX || !text_printable(in->cadence, false))
		req_field_error(r, model, "cadence", N_("A cadence has at most 200 characters on one line."));
	const char *method = req_param_trimmed(r, "method");
	if (method && (!*method || strcmp(method, "0") == 0)) {
		in->method_id = 0;
	} else if (method) {
		int64_t id;
		if (!parse_number(method, &id) || id <= 0 || !readable_method(r, id))
			req_field_error(r, model, "method", N_("Choose a method from the method book."));
		else
			in->method_id = id;
	}
}

bool circles_store(struct db *db, int64_t community_id, const struct circle_input *in)
{
	return db_exec(db,
		       "INSERT INTO circles (community_id, member_limit, purpose, cadence, method_id) VALUES (?, ?, ?, ?, ?)"
		       " ON CONFLICT (community_id) DO UPDATE SET member_limit = excluded.member_limit,"
		       " purpose = excluded.purpose, cadence = excluded.cadence, method_id = excluded.method_id",
		       DB_ARGS(db_int(community_id), db_int(in->member_limit), db_text(in->purpose),
			       db_text(in->cadence), in->method_id ? db_int(in->method_id) : db_null())) == 1;
}

void circles_fill(struct req *r, json_t *model, int64_t community_id)
{
	struct circle_input in;
	if (!load(r->db, &r->arena, community_id, &in))
		return;
	int64_t taken = seats_taken(r->db, community_id);
	json_t *method = json_null();
	int64_t viewer = r->user ? r->user->id : 0;
	struct db_stmt *st = in.method_id ? db_query(r->db,
		"SELECT i.title FROM items i WHERE i.id = ? AND i.kind = 'method' AND " POLICY_ITEM_VISIBLE_SQL,
		DB_ARGS(db_int(in.method_id), POLICY_ITEM_VISIBLE_ARGS(viewer))) : NULL;
	if (st && db_step(st) == DB_ROW) {
		const char *title = arena_strdup(&r->arena, db_text_col(st, 0));
		method = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)in.method_id, "title", title, "url",
				   link_item(&r->arena, in.method_id, title));
	}
	db_done(st);
	json_t *circle = json_pack("{s:I, s:I, s:I, s:s, s:o, s:s, s:o}", "member_limit", (json_int_t)in.member_limit,
				   "members", (json_int_t)taken, "seats_left",
				   (json_int_t)(taken < in.member_limit ? in.member_limit - taken : 0), "purpose",
				   in.purpose, "purpose_html", markdown_json(in.purpose), "cadence", in.cadence, "method",
				   method);
	json_object_set_new(model, "circle", circle);
}

void circles_form(struct req *r, json_t *model, const struct circle_input *in)
{
	json_t *values = json_object_get(model, "values");
	if (values) {
		json_object_set_new(values, "member_limit",
				    json_string(arena_printf(&r->arena, "%lld", (long long)in->member_limit)));
		json_object_set_new(values, "purpose", json_string(in->purpose));
		json_object_set_new(values, "cadence", json_string(in->cadence));
	}
	int64_t viewer = r->user ? r->user->id : 0;
	json_t *methods = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT i.id, i.title FROM items i WHERE i.kind = 'method' AND " POLICY_ITEM_VISIBLE_SQL
		" ORDER BY i.title, i.id LIMIT ?",
		DB_ARGS(POLICY_ITEM_VISIBLE_ARGS(viewer), db_int(METHODS_OFFERED)));
	while (db_step(st) == DB_ROW)
		json_array_append_new(methods, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)db_int_col(st, 0), "title",
							 db_text_col(st, 1), "selected",
							 db_int_col(st, 0) == in->method_id));
	db_done(st);
	json_object_set_new(model, "methods", methods);
	json_object_set_new(model, "circle_form", json_true());
}

bool circles_has_room(struct db *db, int64_t community_id)
{
	int64_t limit = db_scalar_int(db, 0, "SELECT member_limit FROM circles WHERE community_id = ?",
				      DB_ARGS(db_int(community_id)));
	return !limit || seats_taken(db, community_id) < limit;
}
