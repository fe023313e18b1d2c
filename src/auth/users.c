/* users: the accounts table and the rules for its fields. */
#include "auth/account_states.h"
#include "auth/policy.h"
#include "auth/users.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/text.h"
#include "db/db.h"
#include "http/req.h"
#include "i18n/i18n.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		return N_("A name cannot contain control characters.");
	return NULL;
}

enum users_create_result users_create(struct db *db, const char *handle, const char *name,
				      const char *email, const char *hash, const char *role,
				      int64_t now, int64_t *id)
{
	/* In a savepoint (or a transaction of its own): a handle or address
	 * taken since it was checked is an answer, and the request goes on
	 * (db.h). */
	if (!db_begin(db))
		return USERS_FAILED;
	struct db_stmt *st = db_query(db,
		"INSERT INTO users (handle, name, email, password_hash, role, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		DB_ARGS(db_text(handle), db_text(name), db_text(email), db_text(hash),
			db_text(role), db_int(now)));
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_int_col(st, 0);
	db_done(st);
	if (rc == DB_ROW && db_commit(db))
		return USERS_CREATED;
	bool taken = rc != DB_ROW && db_unique_violation(db);
	db_rollback(db);
	if (taken) {
		if (users_handle_taken(db, handle))
			return USERS_HANDLE_TAKEN;
		return USERS_EMAIL_TAKEN;
	}
	return USERS_FAILED;
}

bool users_handle_taken(struct db *db, const char *handle)
{
	return db_exists(db, "SELECT 1 FROM users WHERE handle = ?", DB_ARGS(db_text(handle)));
}

int64_t users_email_owner(struct db *db, const char *email)
{
	return db_scalar_int(db, 0, "SELECT id FROM users WHERE lower(email) = lower(?)",
			     DB_ARGS(db_text(email)));
}

/* The member's expertise comes with the account: the policy asks it
 * (who may review) on every page, without a query of its own. */
#define USER_COLUMNS "id, handle, name, email, role, locale, status," \
	" EXISTS (SELECT 1 FROM tag_experts te WHERE te.user_id = users.id), " ACCOUNT_STATES_COLUMNS("users")

static struct user *user_from_row(struct db_stmt *st, struct arena *a)
{
	struct user *u = arena_zalloc(a, sizeof(*u));
	u->id = db_int_col(st, 0);
	u->handle = arena_strdup(a, db_text_col(st, 1));
	u->name = arena_strdup(a, db_text_col(st, 2));
	u->email = arena_strdup(a, db_text_col(st, 3));
	u->role = arena_strdup(a, db_text_col(st, 4));
	u->locale = arena_strdup(a, db_text_col(st, 5));
	u->status = arena_strdup(a, db_text_col(st, 6));
	u->expert = db_int_col(st, 7) != 0;
	if (strcmp(u->status, "suspended") == 0 && !db_null_col(st, 8)) {
		u->suspended_until = db_int_col(st, 8);
		u->suspension_reason = arena_strdup(a, db_text_col(st, 9));
	}
	return u;
}

struct user *users_get(struct db *db, struct arena *a, int64_t id)
{
	struct db_stmt *st = db_query(db, "SELECT " USER_COLUMNS " FROM users WHERE id = ? AND " POLICY_ACCOUNT_SHOWN_SQL("status"),
				      DB_ARGS(db_int(id)));
	struct user *u = db_step(st) == DB_ROW ? user_from_row(st, a) : NULL;
	db_done(st);
	return u;
}

int64_t users_find_login(struct db *db, struct arena *a, const char *login, char **hash)
{
	bool excluded;
	int64_t id = users_find_account(db, a, login, hash, &excluded);
	return excluded ? 0 : id;
}

int64_t users_find_account(struct db *db, struct arena *a, const char *login, char **hash, bool *excluded)
{
	struct db_stmt *st = db_query(db,
		"SELECT id, password_hash, CASE WHEN " POLICY_ACCOUNT_SHOWN_SQL("status") " THEN 0 ELSE 1 END FROM users"
		" WHERE handle = lower(?) OR lower(email) = lower(?)",
		DB_ARGS(db_text(login), db_text(login)));
	int64_t id = 0;
	*excluded = false;
	if (db_step(st) == DB_ROW) {
		id = db_int_col(st, 0);
		*hash = arena_strdup(a, db_text_col(st, 1));
		*excluded = db_int_col(st, 2) != 0;
	}
	db_done(st);
	return id;
}

bool users_set_password(struct db *db, int64_t id, const char *hash)
{
	return db_exec(db, "UPDATE users SET password_hash = ? WHERE id = ?",
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
		/* The member's own state: a suspension's end and reason. */
		json_object_set_new(o, "status", json_string(u->status ? u->status : "active"));
		if (u->suspended_until) {
			json_object_set_new(o, "suspended_until", json_integer(u->suspended_until));
			json_object_set_new(o, "suspension_reason", json_string(u->suspension_reason));
		}
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

/* ---- profiles ------------------------------------------------------------ */

#define PROFILE_COLUMNS \
	"id, handle, name, title, bio, ask_me_about, location, languages, org_id, created_at"

static void profile_from_row(struct db_stmt *st, struct arena *a, struct profile *p)
{
	p->id = db_int_col(st, 0);
	p->handle = arena_strdup(a, db_text_col(st, 1));
	p->name = arena_strdup(a, db_text_col(st, 2));
	p->title = arena_strdup(a, db_text_col(st, 3));
	p->bio = arena_strdup(a, db_text_col(st, 4));
	p->ask_me_about = arena_strdup(a, db_text_col(st, 5));
	p->location = arena_strdup(a, db_text_col(st, 6));
	p->languages = arena_strdup(a, db_text_col(st, 7));
	p->org_id = db_null_col(st, 8) ? 0 : db_int_col(st, 8);
	p->created_at = db_int_col(st, 9);
}

bool users_profile(struct db *db, struct arena *a, const char *handle, struct profile *out)
{
	struct db_stmt *st = db_query(db, "SELECT " PROFILE_COLUMNS " FROM users "
					  "WHERE handle = lower(?) AND " POLICY_ACCOUNT_SHOWN_SQL("status"),
				      DB_ARGS(db_text(handle)));
	bool found = db_step(st) == DB_ROW;
	if (found)
		profile_from_row(st, a, out);
	db_done(st);
	return found;
}

bool users_profile_id(struct db *db, struct arena *a, int64_t id, struct profile *out)
{
	struct db_stmt *st = db_query(db, "SELECT " PROFILE_COLUMNS " FROM users "
					  "WHERE id = ? AND " POLICY_ACCOUNT_SHOWN_SQL("status"),
				      DB_ARGS(db_int(id)));
	bool found = db_step(st) == DB_ROW;
	if (found)
		profile_from_row(st, a, out);
	db_done(st);
	return found;
}

bool users_set_profile(struct db *db, const struct profile *p)
{
	return db_exec(db, "UPDATE users SET name = ?, title = ?, bio = ?, ask_me_about = ?, "
			   "location = ?, languages = ?, org_id = ? WHERE id = ?",
		       DB_ARGS(db_text(p->name), db_text(p->title), db_text(p->bio),
			       db_text(p->ask_me_about), db_text(p->location), db_text(p->languages),
			       p->org_id ? db_int(p->org_id) : db_null(), db_int(p->id))) == 1;
}

/* Levels from the most to the least. */
static const char *const levels[] = {"expert", "practising", "learning"};
#define LEVEL_RANK_SQL "CASE e.level WHEN 'expert' THEN 0 WHEN 'practising' THEN 1 ELSE 2 END"

json_t *users_expertise(struct db *db, int64_t user_id)
{
	json_t *by_level = json_object();
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		json_object_set_new(by_level, levels[i], json_array());
	struct db_stmt *st = db_query(db, "SELECT t.name, e.level FROM expertise e "
					  "JOIN tags t ON t.id = e.tag_id WHERE e.user_id = ? "
					  "ORDER BY t.name",
				      DB_ARGS(db_int(user_id)));
	while (db_step(st) == DB_ROW) {
		json_t *list = json_object_get(by_level, db_text_col(st, 1));
		if (list)
			json_array_append_new(list, json_string(db_text_col(st, 0)));
	}
	db_done(st);
	return by_level;
}

bool users_set_expertise(struct db *db, int64_t user_id, const struct expertise *e, int n)
{
	if (db_exec(db, "DELETE FROM expertise WHERE user_id = ?", DB_ARGS(db_int(user_id))) < 0)
		return false;
	for (int i = 0; i < n; i++) {
		if (db_exec(db, "INSERT INTO expertise (user_id, tag_id, level) VALUES (?, ?, ?) "
				"ON CONFLICT (user_id, tag_id) DO UPDATE SET level = excluded.level",
			    DB_ARGS(db_int(user_id), db_int(e[i].tag_id), db_text(e[i].level))) < 0)
			return false;
	}
	return true;
}

json_t *users_top_expertise(struct db *db, const int64_t *ids, int n, int per_user)
{
	json_t *out = json_object();
	if (n <= 0)
		return out;
	struct buf sql = {0};
	buf_puts(&sql, "SELECT e.user_id, t.name, e.level FROM expertise e JOIN tags t ON t.id = e.tag_id "
		       "WHERE e.user_id IN (");
	struct db_value *args = xcalloc((size_t)n, sizeof(*args));
	for (int i = 0; i < n; i++) {
		buf_puts(&sql, i ? ", ?" : "?");
		args[i] = db_int(ids[i]);
	}
	buf_puts(&sql, ") ORDER BY e.user_id, " LEVEL_RANK_SQL ", t.name");
	struct db_stmt *st = db_query(db, sql.data, args, (size_t)n);
	while (db_step(st) == DB_ROW) {
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)db_int_col(st, 0));
		json_t *list = json_object_get(out, key);
		if (!list) {
			list = json_array();
			json_object_set_new(out, key, list);
		}
		if ((int)json_array_size(list) < per_user)
			json_array_append_new(list, json_pack("{s:s, s:s}", "tag", db_text_col(st, 1),
							      "level", db_text_col(st, 2)));
	}
	db_done(st);
	free(args);
	buf_free(&sql);
	return out;
}

size_t users_dir_query(struct arena *a, const struct users_dir_filter *f, struct buf *sql, struct db_value *args)
{
	size_t n = 0;
	buf_puts(sql, "SELECT u.id, u.handle, u.name, u.title, u.org_id, u.created_at, lower(u.name) "
		      "FROM users u WHERE " POLICY_ACCOUNT_SHOWN_SQL("u.status"));
	if (f->org_id) {
		buf_puts(sql, " AND u.org_id = ?");
		args[n++] = db_int(f->org_id);
	}
	if (f->tag_id) {
		buf_puts(sql, " AND EXISTS (SELECT 1 FROM expertise e WHERE e.user_id = u.id AND e.tag_id = ?)");
		args[n++] = db_int(f->tag_id);
	}
	if (f->language) {
		buf_puts(sql, " AND (',' || u.languages || ',') LIKE ?");
		args[n++] = db_text(arena_printf(a, "%%,%s,%%", f->language));
	}
	return n;
}

void users_dir_row_read(struct arena *a, struct db_stmt *st, struct users_dir_row *row)
{
	row->id = db_int_col(st, 0);
	row->handle = arena_strdup(a, db_text_col(st, 1));
	row->name = arena_strdup(a, db_text_col(st, 2));
	row->title = arena_strdup(a, db_text_col(st, 3));
	row->org_id = db_null_col(st, 4) ? 0 : db_int_col(st, 4);
	row->created_at = db_int_col(st, 5);
	row->key = arena_strdup(a, db_text_col(st, 6));
}

int users_directory(struct db *db, struct arena *a, const struct users_dir_filter *f,
		    struct users_dir_row **rows)
{
	struct buf sql = {0};
	struct db_value args[USERS_DIR_ARGS + 3];
	size_t n = users_dir_query(a, f, &sql, args);
	if (f->after && f->newest) {
		buf_puts(&sql, " AND (u.created_at, u.id) < (?, ?)");
		args[n++] = db_int(f->after_time);
		args[n++] = db_int(f->after_id);
	} else if (f->after) {
		buf_puts(&sql, " AND (lower(u.name), u.id) > (?, ?)");
		args[n++] = db_text(f->after_key ? f->after_key : "");
		args[n++] = db_int(f->after_id);
	}
	buf_puts(&sql, f->newest ? " ORDER BY u.created_at DESC, u.id DESC" : " ORDER BY lower(u.name), u.id");
	buf_puts(&sql, " LIMIT ?");
	args[n++] = db_int(f->limit > 0 ? f->limit : 30);

	int limit = f->limit > 0 ? f->limit : 30;
	*rows = arena_zalloc(a, sizeof(**rows) * (size_t)limit);
	int count = 0;
	struct db_stmt *st = db_query(db, sql.data, args, n);
	buf_free(&sql);
	if (!st)
		return -1;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && count < limit)
		users_dir_row_read(a, st, &(*rows)[count++]);
	db_done(st);
	return rc == DB_ERROR ? -1 : count;
}

json_t *users_org_counts(struct db *db, const int64_t *org_ids, size_t n)
{
	json_t *counts = json_object();
	struct db_stmt *st = db_query_in(db, "SELECT org_id, COUNT(*) FROM users WHERE " POLICY_ACCOUNT_SHOWN_SQL("status") " AND org_id IN",
					 " GROUP BY org_id", DB_NOARGS, org_ids, n);
	while (db_step(st) == DB_ROW) {
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)db_int_col(st, 0));
		json_object_set_new(counts, key, json_integer(db_int_col(st, 1)));
	}
	db_done(st);
	return counts;
}
