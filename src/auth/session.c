/* session: cookie sessions stored in the database by the hash of their
 * token, so a leaked database does not hand out live sessions. */
#include "auth/session.h"

#include "auth/csrf.h"
#include "auth/useragent.h"
#include "auth/users.h"
#include "core/text.h"
#include "db/db.h"
#include "http/req.h"

#include <jansson.h>
#include <string.h>

/* Sessions are touched at most this often, so reads stay reads. */
#define SESSION_TOUCH_INTERVAL 300

bool session_start(struct req *r, int64_t user_id)
{
	/* A new sign-in replaces the session this browser had. */
	if (r->session_id && db_exec(r->db, "DELETE FROM sessions WHERE id = ?", DB_ARGS(db_int(r->session_id))) < 0)
		return false;
	char token[64], hash[65], csrf[CSRF_TOKEN_CHARS + 1];
	token_random(token, 32);
	sha256_hex(hash, token, strlen(token));
	csrf_new_token(csrf);
	int64_t now = r->now;
	const char *ua = req_header(r, "User-Agent");
	if (db_exec(r->db, "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at,"
			   " last_seen_at, user_agent, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		    DB_ARGS(db_text(hash), db_int(user_id), db_text(csrf), db_int(now),
			    db_int(now + SESSION_LIFETIME), db_int(now),
			    db_text(ua ? arena_strndup(&r->arena, ua, strnlen(ua, 200)) : NULL),
			    db_text(r->client_ip))) != 1)
		return false;
	req_set_cookie(r, SESSION_COOKIE, arena_strdup(&r->arena, token), SESSION_LIFETIME);
	r->csrf = arena_strdup(&r->arena, csrf);
	r->auth = AUTH_SESSION;
	r->user = users_get(r->db, &r->arena, user_id);
	return r->user != NULL;
}

void session_resume(struct req *r)
{
	const char *token = req_cookie(r, SESSION_COOKIE);
	if (!token || strlen(token) > 100)
		return;
	char hash[65];
	sha256_hex(hash, token, strlen(token));
	int64_t now = r->now;
	struct db_stmt *st = db_query(r->db, "SELECT id, user_id, csrf_token, last_seen_at FROM sessions "
					     "WHERE token_hash = ? AND expires_at > ?",
				      DB_ARGS(db_text(hash), db_int(now)));
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return;
	}
	int64_t id = db_int_col(st, 0), user_id = db_int_col(st, 1), seen = db_int_col(st, 3);
	const char *csrf = arena_strdup(&r->arena, db_text_col(st, 2));
	db_done(st);
	struct user *u = users_get(r->db, &r->arena, user_id);
	if (!u)
		return; /* suspended or removed */
	/* Bookkeeping: a read is served even when it cannot be written. */
	if (now - seen > SESSION_TOUCH_INTERVAL)
		db_exec_optional(r->db, "UPDATE sessions SET last_seen_at = ? WHERE id = ?",
				 DB_ARGS(db_int(now), db_int(id)));
	r->user = u;
	r->auth = AUTH_SESSION;
	r->session_id = id;
	r->csrf = csrf;
}

bool session_end(struct req *r)
{
	if (r->session_id && db_exec(r->db, "DELETE FROM sessions WHERE id = ?", DB_ARGS(db_int(r->session_id))) < 0)
		return false;
	req_set_cookie(r, SESSION_COOKIE, "", 0);
	r->session_id = 0;
	return true;
}

bool session_end_others(struct req *r)
{
	return db_exec(r->db, "DELETE FROM sessions WHERE user_id = ? AND id <> ?",
		       DB_ARGS(db_int(r->user->id), db_int(r->session_id))) >= 0;
}

bool session_end_all(struct req *r, int64_t user_id)
{
	if (db_exec(r->db, "DELETE FROM sessions WHERE user_id = ?", DB_ARGS(db_int(user_id))) < 0)
		return false;
	if (r->auth == AUTH_SESSION && r->user && r->user->id == user_id) {
		req_set_cookie(r, SESSION_COOKIE, "", 0);
		r->session_id = 0;
	}
	return true;
}

json_t *session_list(struct req *r)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db, "SELECT id, created_at, last_seen_at, user_agent, ip "
					     "FROM sessions WHERE user_id = ? AND expires_at > ? "
					     "ORDER BY last_seen_at DESC",
				      DB_ARGS(db_int(r->user->id), db_int(r->now)));
	while (db_step(st) == DB_ROW) {
		json_t *s = json_pack("{s:I, s:I, s:I, s:s?, s:s?, s:b}",
				      "id", (json_int_t)db_int_col(st, 0),
				      "created_at", (json_int_t)db_int_col(st, 1),
				      "last_seen_at", (json_int_t)db_int_col(st, 2),
				      "user_agent", db_text_col(st, 3), "ip", db_text_col(st, 4),
				      "current", db_int_col(st, 0) == r->session_id);
		struct useragent ua;
		useragent_parse(db_text_col(st, 3), &ua);
		json_object_set_new(s, "browser", ua.browser ? json_string(ua.browser) : json_null());
		json_object_set_new(s, "platform", ua.platform ? json_string(ua.platform) : json_null());
		json_object_set_new(s, "program", json_boolean(ua.program));
		json_array_append_new(list, s);
	}
	db_done(st);
	return list;
}

int64_t session_purge_expired(struct db *db, int64_t now)
{
	/* session_resume takes only sessions that expire after now. */
	return db_exec(db, "DELETE FROM sessions WHERE expires_at <= ?", DB_ARGS(db_int(now)));
}
