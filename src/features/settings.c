/* settings: a member's own name, language, whether they follow what they
 * take part in, password, sessions and API tokens. */
#include "features/features.h"

#include "auth/apitoken.h"
#include "auth/loginlimit.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/users.h"
#include "core/text.h"
#include "db/db.h"
#include "features/feeds.h"
#include "features/follows.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "search/profiles.h"

#include <stdlib.h>
#include <string.h>

static json_t *locale_options(struct req *r, const char *selected)
{
	static const char *const names[][2] = {
		{"", N_("Automatic (from your browser)")},
		{"en", "English"},
		{"sv", "Svenska"},
		{"nl", "Nederlands"},
	};
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "code", names[i][0],
						      "name", i == 0 ? tr(r, names[i][1]) : names[i][1],
						      "selected", strcmp(selected ? selected : "", names[i][0]) == 0));
	return list;
}

static json_t *settings_model(struct req *r, const char *name, const char *locale)
{
	json_t *model = json_pack("{s:s, s:{s:s, s:b}, s:o, s:o, s:b}", "title", tr(r, N_("Settings")),
				  "values", "name", name ? name : "",
				  "auto_follow", follows_auto_enabled(r->db, r->user->id),
				  "locales", locale_options(r, locale),
				  "sessions", session_list(r),
				  "saved", req_query(r, "saved") != NULL);
	json_object_set_new(model, "personal_feed", feeds_personal_url(r));
	json_object_set_new(model, "calendar_feed", feeds_key_url(r, FEED_CALENDAR));
	return model;
}

json_t *settings_page(struct req *r)
{
	return settings_model(r, r->user->name, r->user->locale);
}

json_t *settings_save(struct req *r)
{
	const char *name = req_param(r, "name"), *locale = req_param(r, "locale");
	char *clean_name = name ? text_clean_name(arena_strdup(&r->arena, name)) : NULL;
	/* The form's box sends nothing when it is cleared; an API client that
	 * leaves the field out keeps the setting. */
	bool auto_follow = req_param_bool(r, "auto_follow", r->api && follows_auto_enabled(r->db, r->user->id));
	json_t *model = settings_model(r, name, locale);
	json_object_set_new(json_object_get(model, "values"), "auto_follow", json_boolean(auto_follow));
	const char *problem = users_name_problem(clean_name);
	if (problem)
		req_field_error(r, model, "name", problem);
	if (locale && *locale && i18n_locale_index(locale) < 0)
		req_field_error(r, model, "locale", N_("Choose one of the languages offered."));
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	json_decref(model);
	if (!users_set_name(r->db, r->user->id, clean_name) || !search_index_person(r->db, r->user->id) ||
	    !users_set_locale(r->db, r->user->id, locale && *locale ? locale : NULL) ||
	    !follows_set_auto(r->db, r->user->id, auto_follow))
		return req_fail_internal(r);
	struct user *u = users_get(r->db, &r->arena, r->user->id);
	json_t *saved = users_to_json(u, true);
	json_object_set_new(saved, "auto_follow", json_boolean(auto_follow));
	return req_done(r, 200, "/settings?saved=1", saved);
}

json_t *settings_password(struct req *r)
{
	const char *current = req_param(r, "current_password"), *next = req_param(r, "new_password");
	json_t *model = settings_model(r, r->user->name, r->user->locale);
	char *hash = NULL;
	users_find_login(r->db, &r->arena, r->user->handle, &hash);
	/* The current password is guessed here as at sign-in: the same limits. */
	struct login_attempt attempt;
	int wait = loginlimit_begin(r, r->user->id, NULL, &attempt);
	if (wait > 0)
		return loginlimit_refuse(r, model, wait);
	/* The guess counts whatever the answer, and the passwords, slow to
	 * check and to hash on purpose, are handled without holding the write
	 * lock that every other write waits on. */
	const char *problem = password_problem(next);
	char new_hash[PASSWORD_HASH_MAX];
	if (!db_commit(r->db))
		return req_fail_internal(r);
	bool right = current && password_verify(hash, current);
	bool hashed = right && !problem && password_hash(next, new_hash);
	if (!db_begin(r->db))
		return req_fail_internal(r);
	if (!right)
		req_field_error(r, model, "current_password", N_("This is not your current password."));
	else {
		loginlimit_succeeded(r, &attempt);
		if (problem)
			req_field_error(r, model, "new_password", problem);
	}
	/* A success is remembered whatever the answer: the rest of the
	 * request may still be rolled back. */
	if (!db_checkpoint(r->db))
		return req_fail_internal(r);
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	json_decref(model);
	if (!hashed || !users_set_password(r->db, r->user->id, new_hash))
		return req_fail_internal(r);
	loginlimit_password_changed(r, r->user->id);
	/* Whoever knew the old password is signed out: every other browser,
	 * and every browser when a program made the change. Tokens made with
	 * the old password go too, unless the member keeps them. */
	if (r->auth == AUTH_SESSION)
		session_end_others(r);
	else
		session_end_all(r, r->user->id);
	bool keep_tokens = req_param_bool(r, "keep_tokens", false);
	if (!keep_tokens)
		apitoken_revoke_all(r, r->user->id);
	return req_done(r, 200, "/settings?saved=1",
			json_pack("{s:b, s:b}", "changed", 1, "tokens_revoked", !keep_tokens));
}

json_t *settings_sessions_revoke(struct req *r)
{
	session_end_all(r, r->user->id);
	return req_done(r, 200, "/login", json_pack("{s:b}", "signed_out_everywhere", 1));
}

/* The scopes a new token may get, for the form's checkboxes. */
static json_t *scope_options(struct req *r, int checked)
{
	static const struct {
		int bit;
		const char *value, *label;
	} options[] = {
		{SCOPE_READ, "read", N_("Read: pages and lists, as you see them")},
		{SCOPE_WRITE, "write", N_("Write: post, answer, comment, react, upload and join")},
		{SCOPE_ACCOUNT, "account", N_("Account: your settings, profile, password, sessions and tokens")},
	};
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", options[i].value,
						      "label", tr(r, options[i].label),
						      "checked", (checked & options[i].bit) != 0));
	return list;
}

static json_t *tokens_model(struct req *r, int checked)
{
	return json_pack("{s:s, s:o, s:o}", "title", tr(r, N_("API tokens")),
			 "items", apitoken_list(r, r->user->id),
			 "scope_options", scope_options(r, checked));
}

json_t *settings_tokens(struct req *r)
{
	return tokens_model(r, APITOKEN_DEFAULT_SCOPES);
}

json_t *settings_token_create(struct req *r)
{
	const char *name = req_param(r, "name");
	char *clean = name ? text_trim(arena_strdup(&r->arena, name)) : NULL;
	/* Checkboxes (the form also sends an empty one, so that ticking none
	 * is seen), a JSON array or a comma-separated list. */
	const char *scopes_sent = req_param_all(r, "scopes");
	int scopes = scopes_sent ? apitoken_parse_scopes(scopes_sent) : APITOKEN_DEFAULT_SCOPES;
	json_t *model = tokens_model(r, scopes > 0 ? scopes : APITOKEN_DEFAULT_SCOPES);
	json_object_set_new(model, "values", json_pack("{s:s}", "name", name ? name : ""));
	if (!clean || !*clean)
		req_field_error(r, model, "name", N_("Give the token a name, such as the script that uses it."));
	else if (utf8_length(clean) > 100 || !text_printable(clean, false))
		req_field_error(r, model, "name", N_("A token name has at most 100 characters."));
	if (scopes < 0)
		req_field_error(r, model, "scopes", N_("The scopes are read, write and account."));
	else if (scopes == 0)
		req_field_error(r, model, "scopes", N_("Choose at least one scope."));
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	int64_t id = 0;
	const char *token = apitoken_create(r, r->user->id, clean, scopes, &id);
	json_decref(model);
	if (!token)
		return req_fail_internal(r);
	json_t *created = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)id, "name", clean,
				    "token", token, "scopes", apitoken_scope_names(scopes));
	if (r->api) {
		r->status = 201;
		return created;
	}
	/* The page shows the token once; only its hash is kept. */
	model = tokens_model(r, APITOKEN_DEFAULT_SCOPES);
	json_object_set_new(model, "created", created);
	return model;
}

json_t *settings_token_revoke(struct req *r)
{
	char *end = NULL;
	long long id = strtoll(req_path_param(r, "id"), &end, 10);
	if (*end || id <= 0 || !apitoken_revoke(r, r->user->id, id))
		return req_fail(r, 404, "not_found", N_("There is no such token."));
	return req_done(r, 200, "/settings/tokens", json_pack("{s:b}", "revoked", 1));
}
