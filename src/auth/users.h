/* users: the accounts table. */
#ifndef KRING_USERS_H
#define KRING_USERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct user;

enum users_create_result { USERS_CREATED, USERS_HANDLE_TAKEN, USERS_EMAIL_TAKEN, USERS_FAILED };

/* Creates an account; the password is hashed here. On success *id is set. */
enum users_create_result users_create(struct db *db, const char *handle, const char *name,
				      const char *email, const char *password, const char *role,
				      int64_t *id);
/* Loads a member by id; NULL when missing. Strings live in the arena. */
struct user *users_get(struct db *db, struct arena *a, int64_t id);
/* Finds a member by handle or e-mail address and returns its id and
 * password hash (in the arena), or 0. */
int64_t users_find_login(struct db *db, struct arena *a, const char *login, char **hash);
bool users_set_password(struct db *db, int64_t id, const char *password);
bool users_set_locale(struct db *db, int64_t id, const char *locale);
bool users_set_name(struct db *db, int64_t id, const char *name);
bool users_set_role(struct db *db, int64_t id, const char *role);
/* Accounts in all, or active accounts with the role. */
int64_t users_count(struct db *db, const char *role);
/* The public view of a member, as the API shows it. */
json_t *users_to_json(const struct user *u, bool include_email);
/* Every member, newest first, for the admin list; at most limit. */
json_t *users_list(struct db *db, int limit);

/* Validation of the sign-up fields; NULL when fine, else a message id. */
const char *users_handle_problem(const char *handle);
const char *users_email_problem(const char *email);
const char *users_name_problem(const char *name);

#endif
