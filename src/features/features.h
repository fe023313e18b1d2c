/* features: the handlers the route table (routes.c) points to. Each
 * returns the view model of its page, or NULL after req_fail. */
#ifndef KRING_FEATURES_H
#define KRING_FEATURES_H

#include <jansson.h>
#include <stdbool.h>

struct req;

/* home.c */
json_t *home_page(struct req *r);
json_t *home_dismiss_start(struct req *r);
json_t *home_me(struct req *r);
json_t *home_healthz(struct req *r);

/* accounts.c */
json_t *accounts_signup_form(struct req *r);
json_t *accounts_signup(struct req *r);
json_t *accounts_login_form(struct req *r);
json_t *accounts_login(struct req *r);
json_t *accounts_logout_form(struct req *r);
json_t *accounts_logout(struct req *r);

/* settings.c */
json_t *settings_page(struct req *r);
json_t *settings_save(struct req *r);
json_t *settings_password(struct req *r);
json_t *settings_sessions_revoke(struct req *r);
json_t *settings_tokens(struct req *r);
json_t *settings_token_create(struct req *r);
json_t *settings_token_revoke(struct req *r);

/* admin.c: accounts, roles and site settings (the settings table) */
json_t *admin_users(struct req *r);
json_t *admin_set_role(struct req *r);
json_t *admin_settings(struct req *r);
json_t *admin_save_settings(struct req *r);
/* mail_admin.c: the outbox */
json_t *admin_mail(struct req *r);
struct arena;
struct db;
/* Whether the site setting key has the value. */
bool admin_setting_is(struct db *db, const char *key, const char *value);
/* The value of the site setting key (in the arena), or NULL when unset. */
const char *admin_setting_get(struct db *db, struct arena *a, const char *key);
/* Stores a site setting (NULL: removes it); false on a database error. */
bool admin_setting_set(struct db *db, const char *key, const char *value);

#endif
