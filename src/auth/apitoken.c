/* apitoken: personal API tokens; only a hash of each is stored. */
#include "auth/apitoken.h"

#include "auth/users.h"
#include "core/text.h"
#include "db/db.h"
#include "http/req.h"

#include <string.h>
#include <time.h>

/* last_used_at is written at most this often per token. */
#define TOKEN_TOUCH_INTERVAL 60

const char *apitoken_create(struct req *r, int64_t user_id, const char *name, int64_t *id)
{
	char random[64], hash[65];
	token_random(random, 32);
	const char *token = arena_printf(&r->arena, APITOKEN_PREFIX "%s", random);
	sha256_hex(hash, token, strlen(token));
	struct db_stmt *st = db_query(r->db, "INSERT INTO api_tokens (user_id, name, token_hash, created_at) "
					     "VALUES (?, ?, ?, ?) RETURNING id",
				      DB_ARGS(db_int(user_id), db_text(name), db_text(hash), db_int(time(NULL))));
	bool ok = db_step(st) == DB_ROW;
	if (ok)
		*id = db_int_col(st, 0);
	db_done(st);
	return ok ? token : NULL;
}

json_t *apitoken_list(struct req *r, int64_t user_id)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db, "SELECT id, name, created_at, last_used_at FROM api_tokens "
					     "WHERE user_id = ? ORDER BY id DESC",
				      DB_ARGS(db_int(user_id)));
	while (db_step(st) == DB_ROW) {
		json_t *t = json_pack("{s:I, s:s, s:I}", "id", (json_int_t)db_int_col(st, 0),
				      "name", db_text_col(st, 1), "created_at", (json_int_t)db_int_col(st, 2));
		json_object_set_new(t, "last_used_at", db_null_col(st, 3) ? json_null()
					: json_integer(db_int_col(st, 3)));
		json_array_append_new(list, t);
	}
	db_done(st);
	return list;
}

bool apitoken_revoke(struct req *r, int64_t user_id, int64_t id)
{
	return db_exec(r->db, "DELETE FROM api_tokens WHERE id = ? AND user_id = ?",
		       DB_ARGS(db_int(id), db_int(user_id))) == 1;
}

bool apitoken_authenticate(struct req *r)
{
	const char *h = req_header(r, "Authorization");
	if (!h || strncmp(h, "Bearer ", 7) != 0)
		return false;
	const char *token = h + 7;
	if (strncmp(token, APITOKEN_PREFIX, strlen(APITOKEN_PREFIX)) != 0 || strlen(token) > 100)
		return false;
	char hash[65];
	sha256_hex(hash, token, strlen(token));
	int64_t now = time(NULL);
	struct db_stmt *st = db_query(r->db, "SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = ?",
				      DB_ARGS(db_text(hash)));
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return false;
	}
	int64_t id = db_int_col(st, 0), user_id = db_int_col(st, 1);
	int64_t used = db_null_col(st, 2) ? 0 : db_int_col(st, 2);
	db_done(st);
	struct user *u = users_get(r->db, &r->arena, user_id);
	if (!u)
		return false;
	if (now - used > TOKEN_TOUCH_INTERVAL)
		db_exec(r->db, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
			DB_ARGS(db_int(now), db_int(id)));
	r->user = u;
	r->auth = AUTH_TOKEN;
	return true;
}
