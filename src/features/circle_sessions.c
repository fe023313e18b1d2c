/* circle_sessions: a circle's sessions and who attended them (see
 * circle_sessions.h). */
#include "features/circle_sessions.h"

#include "auth/policy.h"
#include "core/arena.h"
#include "db/db.h"
#include "features/items.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"

#include <string.h>

/* The most people a checklist shows: a circle has at most 30 members. */
#define SESSION_PEOPLE_MAX 100

/* The circle's members now and whoever was recorded present (one may
 * have left since), by name, with whether they attended. */
#define PEOPLE_SQL \
	"SELECT u.id, u.handle, u.name, EXISTS (SELECT 1 FROM circle_attendance a WHERE a.item_id = ?" \
	" AND a.user_id = u.id) FROM users u WHERE (u.id IN (SELECT m.user_id FROM memberships m" \
	" WHERE m.community_id = ? AND m.state = 'active') OR u.id IN (SELECT a.user_id FROM circle_attendance a" \
	" WHERE a.item_id = ?)) AND " POLICY_ACCOUNT_SHOWN_SQL("u.status") " ORDER BY u.name, u.handle LIMIT ?"

static bool is_session(const struct item *it)
{
	return strcmp(it->kind, "event") == 0 && it->in_community && it->access.circle;
}

static json_t *people(struct req *r, const struct item *it, int64_t *present)
{
	json_t *list = json_array();
	*present = 0;
	struct db_stmt *st = db_query(r->db, PEOPLE_SQL,
				      DB_ARGS(db_int(it->id), db_int(it->community_id), db_int(it->id),
					      db_int(SESSION_PEOPLE_MAX)));
	while (db_step(st) == DB_ROW) {
		bool here = db_int_col(st, 3) != 0;
		*present += here;
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "handle", db_text_col(st, 1), "name",
						      db_text_col(st, 2), "present", here));
	}
	db_done(st);
	return list;
}

void circle_sessions_fill(struct req *r, json_t *event, const struct item *it)
{
	/* Only the circle's members read its sessions; the check says so
	 * again where the page is made. */
	if (!is_session(it) || !it->access.is_member)
		return;
	bool started = json_is_true(json_object_get(event, "started"));
	int64_t present;
	json_t *list = people(r, it, &present);
	json_t *session = json_pack("{s:I, s:o, s:b, s:I, s:b, s:b}", "item_id", (json_int_t)it->id, "members", list,
				    "recorded", present > 0,
				    "present_count", (json_int_t)present, "started", started, "can_record",
				    started && it->access.can_host && it->can_write);
	json_object_set_new(event, "session", session);
}

/* The session's start (UTC seconds), as the events module stored it;
 * 0 when it has none. */
static int64_t session_start(struct db *db, int64_t item_id)
{
	return db_scalar_int(db, 0, "SELECT starts_at FROM event_details WHERE item_id = ?", DB_ARGS(db_int(item_id)));
}

/* The next handle of a comma-separated list (a leading @ dropped), or
 * NULL at its end. */
static const char *next_handle(struct req *r, const char **rest)
{
	while (**rest) {
		const char *start = *rest, *comma = strchr(start, ',');
		size_t n = comma ? (size_t)(comma - start) : strlen(start);
		*rest = comma ? comma + 1 : start + n;
		while (n && (*start == ' ' || *start == '@')) {
			start++;
			n--;
		}
		while (n && start[n - 1] == ' ')
			n--;
		if (n)
			return arena_strndup(&r->arena, start, n);
	}
	return NULL;
}

json_t *circle_sessions_attendance(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	if (!is_session(&it))
		return req_fail(r, 404, "not_found", N_("Attendance is kept for the sessions of a circle."));
	if (!items_may_write(r, &it, N_("Join the circle to take part.")))
		return NULL;
	if (!it.access.can_host)
		return req_fail(r, 403, "forbidden", N_("The circle's hosts record who attended."));
	if (r->now < session_start(r->db, it.id))
		return req_fail(r, 409, "not_started",
				N_("The session has not started yet: record who attended once it has."));
	const char *sent = req_param_all(r, "present");
	json_t *model = json_pack("{s:s, s:s, s:{s:s}}", "title", tr(r, N_("Who attended")), "url",
				  link_item(&r->arena, it.id, it.title), "values", "present", sent ? sent : "");
	/* Each one present must be a member of the circle now. */
	int64_t ids[SESSION_PEOPLE_MAX];
	size_t n = 0;
	const char *rest = sent ? sent : "";
	for (const char *handle; (handle = next_handle(r, &rest));) {
		int64_t id = db_scalar_int(r->db, 0,
					   "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id"
					   " WHERE lower(u.handle) = lower(?) AND m.community_id = ? AND m.state = 'active'",
					   DB_ARGS(db_text(handle), db_int(it.community_id)));
		if (!id || n == SESSION_PEOPLE_MAX) {
			req_field_error(r, model, "present", N_("Choose the people present among the circle's members."));
			break;
		}
		bool seen = false;
		for (size_t i = 0; i < n; i++)
			seen |= ids[i] == id;
		if (!seen)
			ids[n++] = id;
	}
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	json_decref(model);
	bool ok = db_exec(r->db, "DELETE FROM circle_attendance WHERE item_id = ?", DB_ARGS(db_int(it.id))) >= 0;
	for (size_t i = 0; ok && i < n; i++)
		ok = db_exec(r->db, "INSERT INTO circle_attendance (item_id, user_id, recorded_by, recorded_at)"
				    " VALUES (?, ?, ?, ?)",
			     DB_ARGS(db_int(it.id), db_int(ids[i]), db_int(r->user->id), db_int(r->now))) == 1;
	if (!ok)
		return req_fail_internal(r);
	int64_t present;
	json_t *list = people(r, &it, &present), *handles = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(list, i, p)
		if (json_is_true(json_object_get(p, "present")))
			json_array_append(handles, json_object_get(p, "handle"));
	json_decref(list);
	return req_done(r, 200, arena_printf(&r->arena, "%s#attendance", link_item(&r->arena, it.id, it.title)),
			json_pack("{s:o, s:I}", "present", handles, "present_count", (json_int_t)present));
}
