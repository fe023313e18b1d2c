/* users: the accounts table and the rules for its fields. */
#include "auth/users.h"

#include "auth/password.h"
#include "core/arena.h"
#include "core/text.h"
#include "db/db.h"
#include "http/req.h"
#include "i18n/i18n.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

const char *users_handle_problem(const char *handle)
{
	size_t n = handle ? strlen(handle) : 0;
	if (n == 0)
		return N_("Choose a handle.");
	if (n < 2 || n > 32)
		return N_("A handle has 2 to 32 characters.");
	for (const char *p = handle; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_' || *p == '-'))
			return N_("A handle has only lower-case letters a-z, digits, - and _.");
	if (!isalnum((unsigned char)handle[0]))
		return N_("A handle starts with a letter or a digit.");
	return NULL;
}

const char *users_email_problem(const char *email)
{
	if (!email || !*email)
		return N_("Enter your e-mail address.");
	const char *at = strchr(email, '@');
	if (strlen(email) > 254 || !at || at == email || strchr(at + 1, '@') ||
	    !strchr(at + 1, '.') || strpbrk(email, " \t\r\n<>\"'"))
		return N_("Enter a valid e-mail address.");
	return NULL;
}

const char *users_name_problem(const char *name)
{
	if (!name || !*name)
		return N_("Enter your name.");
	if (utf8_length(name) > 100)
		return N_("A name has at most 100 characters.");
	if (!text_printable(name, false))
		return N_("A name cannot hold control characters.");
	return NULL;
}

enum users_create_result users_create(struct db *db, const char *handle, const char *name,
				      const char *email, const char *password, const char *role,
				      int64_t *id)
{
	char hash[PASSWORD_HASH_MAX];
	if (!password_hash(password, hash))
		return USERS_FAILED;
	struct db_stmt *st = db_query(db,
		"INSERT INTO users (handle, name, email, password_hash, role, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		DB_ARGS(db_text(handle), db_text(name), db_text(email), db_text(hash),
			db_text(role), db_int(time(NULL))));
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_int_col(st, 0);
	db_done(st);
	if (rc == DB_ROW)
		return USERS_CREATED;
	if (db_unique_violation(db)) {
		if (db_exists(db, "SELECT 1 FROM users WHERE handle = ?", DB_ARGS(db_text(handle))))
			return USERS_HANDLE_TAKEN;
		return USERS_EMAIL_TAKEN;
	}
	return USERS_FAILED;
}

#define USER_COLUMNS "id, handle, name, email, role, locale"

static struct user *user_from_row(struct db_stmt *st, struct arena *a)
{
	struct user *u = arena_zalloc(a, sizeof(*u));
	u->id = db_int_col(st, 0);
	u->handle = arena_strdup(a, db_text_col(st, 1));
	u->name = arena_strdup(a, db_text_col(st, 2));
	u->email = arena_strdup(a, db_text_col(st, 3));
	u->role = arena_strdup(a, db_text_col(st, 4));
	u->locale = arena_strdup(a, db_text_col(st, 5));
	return u;
}

struct user *users_get(struct db *db, struct arena *a, int64_t id)
{
	struct db_stmt *st = db_query(db, "SELECT " USER_COLUMNS " FROM users WHERE id = ? AND status = 'active'",
				      DB_ARGS(db_int(id)));
	struct user *u = db_step(st) == DB_ROW ? user_from_row(st, a) : NULL;
	db_done(st);
	return u;
}

int64_t users_find_login(struct db *db, struct arena *a, const char *login, char **hash)
{
	struct db_stmt *st = db_query(db,
		"SELECT id, password_hash FROM users WHERE (handle = ? OR email = ?) AND status = 'active'",
		DB_ARGS(db_text(login), db_text(login)));
	int64_t id = 0;
	if (db_step(st) == DB_ROW) {
		id = db_int_col(st, 0);
		*hash = arena_strdup(a, db_text_col(st, 1));
	}
	db_done(st);
	return id;
}

bool users_set_password(struct db *db, int64_t id, const char *password)
{
	char hash[PASSWORD_HASH_MAX];
	return password_hash(password, hash) &&
	       db_exec(db, "UPDATE users SET password_hash = ? WHERE id = ?",
		       DB_ARGS(db_text(hash), db_int(id))) == 1;
}

bool users_set_locale(struct db *db, int64_t id, const char *locale)
{
	return db_exec(db, "UPDATE users SET locale = ? WHERE id = ?",
		       DB_ARGS(db_text(locale), db_int(id))) == 1;
}

bool users_set_name(struct db *db, int64_t id, const char *name)
{
	return db_exec(db, "UPDATE users SET name = ? WHERE id = ?",
		       DB_ARGS(db_text(name), db_int(id))) == 1;
}

bool users_set_role(struct db *db, int64_t id, const char *role)
{
	return db_exec(db, "UPDATE users SET role = ? WHERE id = ?",
		       DB_ARGS(db_text(role), db_int(id))) == 1;
}

int64_t users_count(struct db *db, const char *role)
{
	if (!role)
		return db_scalar_int(db, 0, "SELECT COUNT(*) FROM users", DB_NOARGS);
	return db_scalar_int(db, 0, "SELECT COUNT(*) FROM users WHERE role = ? AND status = 'active'",
			     DB_ARGS(db_text(role)));
}

json_t *users_to_json(const struct user *u, bool include_email)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)u->id, "handle", u->handle,
			      "name", u->name, "role", u->role);
	if (include_email) {
		json_object_set_new(o, "email", json_string(u->email));
		json_object_set_new(o, "locale", u->locale ? json_string(u->locale) : json_null());
	}
	return o;
}

json_t *users_list(struct db *db, int limit)
{
	struct arena a = {0};
	json_t *list = json_array();
	struct db_stmt *st = db_query(db, "SELECT " USER_COLUMNS " FROM users ORDER BY id DESC LIMIT ?",
				      DB_ARGS(db_int(limit)));
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, users_to_json(user_from_row(st, &a), true));
	db_done(st);
	arena_reset(&a);
	return list;
}
