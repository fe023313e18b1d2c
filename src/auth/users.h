/* users: the accounts table. */
#ifndef KRING_USERS_H
#define KRING_USERS_H

#include "db/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct buf;
struct db;
struct db_stmt;
struct db_value;
struct user;

enum users_create_result { USERS_CREATED, USERS_HANDLE_TAKEN, USERS_EMAIL_TAKEN, USERS_FAILED };

/* Creates an account at the time now with a password hash made by
 * password_hash (slow on purpose: made before, outside any write lock). On
 * success *id is set. */
enum users_create_result users_create(struct db *db, const char *handle, const char *name,
				      const char *email, const char *hash, const char *role,
				      int64_t now, int64_t *id);
/* Whether an account (of any status) has the handle. */
bool users_handle_taken(struct db *db, const char *handle);
/* The account (of any status) with the e-mail address, in any letter
 * case, or 0. */
int64_t users_email_owner(struct db *db, const char *email);
/* Loads a member by id; NULL when missing or excluded (an excluded member
 * is signed out everywhere). Strings live in the arena. */
struct user *users_get(struct db *db, struct arena *a, int64_t id);
/* Finds a member who may sign in (not excluded) by handle or e-mail
 * address and returns its id and password hash (in the arena), or 0. */
int64_t users_find_login(struct db *db, struct arena *a, const char *login, char **hash);
/* The same for any account, with *excluded set for one that may not sign
 * in (so that the right password can be told so). */
int64_t users_find_account(struct db *db, struct arena *a, const char *login, char **hash, bool *excluded);
/* Stores a hash made by password_hash as the member's password. */
bool users_set_password(struct db *db, int64_t id, const char *hash);
DB_MUST_CHECK bool users_set_locale(struct db *db, int64_t id, const char *locale);
DB_MUST_CHECK bool users_set_name(struct db *db, int64_t id, const char *name);
DB_MUST_CHECK bool users_set_role(struct db *db, int64_t id, const char *role);
/* Accounts in all, or active accounts with the role. */
int64_t users_count(struct db *db, const char *role);
/* The public view of a member, as the API shows it. */
json_t *users_to_json(const struct user *u, bool include_email);
/* Every member, newest first, for the admin list; at most limit. */
json_t *users_list(struct db *db, int limit);

/* ---- profiles ------------------------------------------------------------
 * The public fields of an account, and the member's expertise (the
 * expertise table belongs to this module too). */

/* Expertise entries a member may list. */
#define EXPERTISE_MAX 20

struct profile {
	int64_t id, org_id, created_at;  /* org_id 0: none */
	const char *handle, *name, *title, *bio, *ask_me_about, *location;
	const char *languages;           /* comma-separated codes: "en,sv" */
};

/* Loads a member's profile (not excluded) by handle (any case) or id; false when
 * there is none. Strings live in the arena. */
bool users_profile(struct db *db, struct arena *a, const char *handle, struct profile *out);
bool users_profile_id(struct db *db, struct arena *a, int64_t id, struct profile *out);
/* Saves every field of p but handle and created_at, for the member p->id. */
bool users_set_profile(struct db *db, const struct profile *p);

struct expertise {
	const char *tag;   /* normalised tag name */
	int64_t tag_id;    /* its id: the caller creates the tag (tags_ensure) */
	const char *level; /* "learning", "practising" or "expert" */
};

/* A member's expertise by level: {"expert": [tag…], "practising": […],
 * "learning": […]}, tags sorted by name. */
json_t *users_expertise(struct db *db, int64_t user_id);
/* Replaces a member's expertise (by e[].tag_id). Runs inside
 * the caller's transaction when there is one. */
bool users_set_expertise(struct db *db, int64_t user_id, const struct expertise *e, int n);
/* The first per_user areas of expertise (expert first, then practising,
 * learning; by tag) of each of ids[0..n): {"<id>": [{"tag", "level"}…]}. */
json_t *users_top_expertise(struct db *db, const int64_t *ids, int n, int per_user);

/* Members (not excluded) for the directory and organisation pages, with keyset
 * pagination: rows come after (after_key, after_id) in the sort order. */
struct users_dir_filter {
	int64_t org_id;       /* 0: any */
	int64_t tag_id;       /* expertise in this tag; 0: any */
	const char *language; /* a code from the profile's list; NULL: any */
	bool newest;          /* newest first; else by name */
	bool after;           /* continue after the row below */
	const char *after_key;/* name sort: the lower-cased name of that row */
	int64_t after_time;   /* newest: its created_at */
	int64_t after_id;
	int limit;
};
struct users_dir_row {
	int64_t id, org_id, created_at;
	const char *handle, *name, *title;
	const char *key;      /* the name sort key of the row */
};
/* The start of a query of the directory's rows: the active members under
 * the filter's organisation, expertise tag and language (not its paging),
 * appended to sql, which the caller may go on with " AND …"; its
 * arguments into args (room for USERS_DIR_ARGS), how many. Each row is
 * read with users_dir_row_read. */
#define USERS_DIR_ARGS 3
size_t users_dir_query(struct arena *a, const struct users_dir_filter *f, struct buf *sql, struct db_value *args);
void users_dir_row_read(struct arena *a, struct db_stmt *st, struct users_dir_row *row);
/* Fills *rows (in the arena) with at most f->limit rows; returns how many,
 * or -1 on a database error. */
int users_directory(struct db *db, struct arena *a, const struct users_dir_filter *f,
		    struct users_dir_row **rows);
/* Members (not excluded) of each of the n organisations (n > 0): {"<org id>":
 * count}, without the organisations that have none. */
json_t *users_org_counts(struct db *db, const int64_t *org_ids, size_t n);

/* Validation of the sign-up fields; NULL when fine, else a message id. */
const char *users_handle_problem(const char *handle);
const char *users_email_problem(const char *email);
const char *users_name_problem(const char *name);

#endif
