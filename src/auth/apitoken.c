/* apitoken: personal API tokens; only a hash of each is stored. */
#include "auth/apitoken.h"

#include "auth/users.h"
#include "core/text.h"
#include "db/db.h"
#include "http/req.h"
#include "http/router.h"
#include "i18n/i18n.h"

#include <string.h>

/* last_used_at is written at most this often per token. */
#define TOKEN_TOUCH_INTERVAL 60

static const struct {
	int bit;
	const char *name;
} scope_names[] = {
	{SCOPE_READ, "read"},
	{SCOPE_WRITE, "write"},
	{SCOPE_ACCOUNT, "account"},
};
#define NSCOPES (sizeof(scope_names) / sizeof(scope_names[0]))

int apitoken_parse_scopes(const char *list)
{
	int scopes = 0;
	const char *p = list ? list : "";
	while (*p) {
		size_t n = strcspn(p, ",");
		char word[16];
		size_t w = 0;
		for (size_t i = 0; i < n; i++)
			if (p[i] != ' ' && w < sizeof(word) - 1)
				word[w++] = p[i];
		word[w] = '\0';
		if (w) {
			size_t k = 0;
			while (k < NSCOPES && strcmp(word, scope_names[k].name) != 0)
				k++;
			if (k == NSCOPES || n > 20)
				return -1;
			scopes |= scope_names[k].bit;
		}
		p += n + (p[n] == ',');
	}
	return scopes;
}

/* The stored form of scopes: "read,write". */
static const char *scopes_text(struct req *r, int scopes)
{
	char text[32] = "";
	for (size_t k = 0; k < NSCOPES; k++)
		if (scopes & scope_names[k].bit) {
			if (*text)
				strcat(text, ",");
			strcat(text, scope_names[k].name);
		}
	return arena_strdup(&r->arena, text);
}

json_t *apitoken_scope_names(int scopes)
{
	json_t *list = json_array();
	for (size_t k = 0; k < NSCOPES && scopes > 0; k++)
		if (scopes & scope_names[k].bit)
			json_array_append_new(list, json_string(scope_names[k].name));
	return list;
}

/* Whether a token with the scopes may use the request's route: the
 * member's own account and the site's administration need account;
 * otherwise reading needs read and writing write. */
static bool scopes_allow(const struct req *r, int scopes)
{
	if (r->route && (r->route->flags & (ROUTE_ACCOUNT | ROUTE_ADMIN)))
		return scopes & SCOPE_ACCOUNT;
	if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)
		return scopes & SCOPE_READ;
	return scopes & SCOPE_WRITE;
}

const char *apitoken_create(struct req *r, int64_t user_id, const char *name, int scopes,
			    int64_t *id)
{
	char random[64], hash[65];
	token_random(random, 32);
	const char *token = arena_printf(&r->arena, APITOKEN_PREFIX "%s", random);
	sha256_hex(hash, token, strlen(token));
	struct db_stmt *st = db_query(r->db, "INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at) "
					     "VALUES (?, ?, ?, ?, ?) RETURNING id",
				      DB_ARGS(db_int(user_id), db_text(name), db_text(hash),
					      db_text(scopes_text(r, scopes)), db_int(r->now)));
	bool ok = db_step(st) == DB_ROW;
	if (ok)
		*id = db_int_col(st, 0);
	db_done(st);
	return ok ? token : NULL;
}

json_t *apitoken_list(struct req *r, int64_t user_id)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db, "SELECT id, name, created_at, last_used_at, scopes FROM api_tokens "
					     "WHERE user_id = ? ORDER BY id DESC",
				      DB_ARGS(db_int(user_id)));
	while (db_step(st) == DB_ROW) {
		json_t *t = json_pack("{s:I, s:s, s:I}", "id", (json_int_t)db_int_col(st, 0),
				      "name", db_text_col(st, 1), "created_at", (json_int_t)db_int_col(st, 2));
		json_object_set_new(t, "last_used_at", db_null_col(st, 3) ? json_null()
					: json_integer(db_int_col(st, 3)));
		json_object_set_new(t, "scopes", apitoken_scope_names(apitoken_parse_scopes(db_text_col(st, 4))));
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

bool apitoken_revoke_all(struct req *r, int64_t user_id)
{
	return db_exec(r->db, "DELETE FROM api_tokens WHERE user_id = ?", DB_ARGS(db_int(user_id))) >= 0;
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
	int64_t now = r->now;
	struct db_stmt *st = db_query(r->db, "SELECT id, user_id, last_used_at, scopes FROM api_tokens "
					     "WHERE token_hash = ?",
				      DB_ARGS(db_text(hash)));
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return false;
	}
	int64_t id = db_int_col(st, 0), user_id = db_int_col(st, 1);
	int64_t used = db_null_col(st, 2) ? 0 : db_int_col(st, 2);
	int scopes = apitoken_parse_scopes(db_text_col(st, 3));
	db_done(st);
	struct user *u = users_get(r->db, &r->arena, user_id);
	if (!u)
		return false;
	/* Bookkeeping: a read is served even when it cannot be written. */
	if (now - used > TOKEN_TOUCH_INTERVAL)
		db_exec_optional(r->db, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
				 DB_ARGS(db_int(now), db_int(id)));
	r->user = u;
	r->auth = AUTH_TOKEN;
	if (scopes <= 0 || !scopes_allow(r, scopes))
		req_fail(r, 403, "insufficient_scope", N_("This API token may not do that: its scopes do not allow it."));
	return true;
}
