/* accounts: sign up, sign in, sign out. */
#include "features/conduct.h"
#include "features/features.h"

#include "auth/loginlimit.h"
#include "auth/password.h"
#include "auth/ratelimit.h"
#include "auth/session.h"
#include "auth/users.h"
#include "core/config.h"
#include "core/text.h"
#include "db/db.h"
#include "features/account_mail.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "search/profiles.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Sign-ups are counted per client address over this window
 * (config.signup_limit of them). */
#define SIGNUP_WINDOW 3600


json_t *accounts_signup_form(struct req *r)
{
	if (r->user)
		return req_done(r, 200, "/", users_to_json(r->user, true));
	json_t *model = req_form_model(r, N_("Sign up"), "");
	conduct_signup_fill(r, model);
	return model;
}

/* A sign-up whose only problem is a name someone else has: 409. */
static void signup_taken(struct req *r)
{
	r->status = 409;
	r->error.code = "taken";
}

/* A sign-up with the e-mail address of an account gets the answer a
 * sign-up waiting for its e-mail confirmation would get (202), so that the
 * form does not tell who has an account here. Nothing is created. */
static json_t *signup_email_in_use(struct req *r, int64_t owner)
{
	/* Its owner is told by e-mail (sign in, or reset the password). An
	 * excluded account is told nothing. */
	struct user *u = users_get(r->db, &r->arena, owner);
	if (u && !account_mail_address_taken(r, u))
		return req_fail_internal(r);
	json_t *model = req_form_model(r, N_("Sign up"), "email");
	json_object_set_new(model, "pending", json_true());
	json_object_set_new(model, "message", json_string(tr(r, N_("Check your e-mail to continue signing up."))));
	return req_done(r, 202, NULL, model);
}

json_t *accounts_signup(struct req *r)
{
	json_t *model = req_form_model(r, N_("Sign up"), "handle,name,email");
	conduct_signup_fill(r, model);
	const char *handle = req_param(r, "handle");
	const char *name = req_param(r, "name");
	const char *email = req_param(r, "email");
	const char *password = req_param(r, "password");
	char *clean_handle = handle ? arena_strdup(&r->arena, handle) : NULL;
	for (char *p = clean_handle; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	char *clean_name = name ? text_clean_name(arena_strdup(&r->arena, name)) : NULL;
	char *clean_email = email ? text_trim(arena_strdup(&r->arena, email)) : NULL;

	/* Every field is checked in one round, so the form comes back once
	 * with all that needs fixing. */
	const char *problem;
	bool handle_taken = false;
	if ((problem = users_handle_problem(clean_handle)))
		req_field_error(r, model, "handle", problem);
	else if ((handle_taken = users_handle_taken(r->db, clean_handle)))
		req_field_error(r, model, "handle", N_("This handle is taken. Choose another one."));
	if ((problem = users_name_problem(clean_name)))
		req_field_error(r, model, "name", problem);
	if ((problem = users_email_problem(clean_email)))
		req_field_error(r, model, "email", problem);
	if ((problem = password_problem(password)))
		req_field_error(r, model, "password", problem);
	/* Once there is a code of conduct, it is accepted (features/conduct.h). */
	int64_t conduct = conduct_signup_check(r, model);
	if (req_has_field_errors(r)) {
		if (handle_taken && json_object_size(r->error.fields) == 1)
			signup_taken(r);
		return req_invalid(r, model);
	}

	/* Only complete sign-ups count: a typing mistake costs nothing. */
	if (config.signup_limit > 0) {
		char key[100];
		snprintf(key, sizeof(key), "signup-ip:%s", r->client_ip);
		int wait = ratelimit_take(r->db, key, config.signup_limit, SIGNUP_WINDOW, r->now);
		if (wait > 0) {
			req_add_header(r, "Retry-After", arena_printf(&r->arena, "%d", wait));
			json_object_set_new(model, "retry_after", json_integer(wait));
			req_fail(r, 429, "rate_limited",
				 N_("Too many accounts were created from your address. Try again later."));
			return model;
		}
	}

	/* The password is hashed, slow on purpose, without holding the write
	 * lock that every other write waits on (as sign-in checks it): what
	 * came before is saved first. A taken e-mail address is answered after
	 * the same wait, so the time tells nothing either. */
	char hash[PASSWORD_HASH_MAX];
	if (!db_commit(r->db) || !password_hash(password, hash) || !db_begin(r->db)) {
		json_decref(model);
		return req_fail_internal(r);
	}
	int64_t id = 0, owner = users_email_owner(r->db, clean_email);
	if (owner) {
		json_decref(model);
		return signup_email_in_use(r, owner);
	}
	switch (users_create(r->db, clean_handle, clean_name, clean_email, hash, "member", r->now, &id)) {
	case USERS_CREATED:
		/* Found by a people search at once, and their acceptance of
		 * the code of conduct is kept with its version. */
		if (!search_index_person(r->db, id) || (conduct > 0 && !conduct_record(r->db, id, conduct, r->now))) {
			json_decref(model);
			return req_fail_internal(r);
		}
		break;
	case USERS_HANDLE_TAKEN: /* taken since the check above */
		req_field_error(r, model, "handle", N_("This handle is taken. Choose another one."));
		signup_taken(r);
		return model;
	case USERS_EMAIL_TAKEN: /* taken since the check above */
		json_decref(model);
		return signup_email_in_use(r, users_email_owner(r->db, clean_email));
	case USERS_FAILED:
		json_decref(model);
		return req_fail_internal(r);
	}
	json_decref(model);
	if (!session_start(r, id) || !account_mail_welcome(r, r->user))
		return req_fail_internal(r);
	return req_done(r, 201, "/", users_to_json(r->user, true));
}

/* Only paths on this site may be the target after signing in: a path of
 * plain URL characters, never "//host" (browsers drop tabs and turn
 * backslashes into slashes, so those are refused too). */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/')
		return "/";
	for (const char *p = next; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/-._~%?=&#+:@,;", *p))
			return "/";
	return next;
}

json_t *accounts_login_form(struct req *r)
{
	if (r->user)
		return req_done(r, 200, safe_next(req_query(r, "next")), users_to_json(r->user, true));
	/* reset: after a new password was chosen (features/password_reset.h) */
	return req_form_model(r, N_("Sign in"), "next,reset");
}

json_t *accounts_login(struct req *r)
{
	json_t *model = req_form_model(r, N_("Sign in"), "login,next");
	const char *login = req_param(r, "login"), *password = req_param(r, "password");
	if (!login || !*login)
		req_field_error(r, model, "login", N_("Enter your handle or e-mail address."));
	if (!password || !*password)
		req_field_error(r, model, "password", N_("Enter your password."));
	else if (strlen(password) > PASSWORD_MAX_BYTES)
		req_field_error(r, model, "password", N_("The password is too long."));
	if (req_has_field_errors(r))
		return req_invalid(r, model);

	/* The limits hold for the account whether it is named by handle or
	 * e-mail address. */
	char *hash = NULL;
	bool excluded = false;
	int64_t id = users_find_account(r->db, &r->arena, login, &hash, &excluded);
	struct login_attempt attempt;
	int wait = loginlimit_begin(r, id, login, &attempt);
	/* The attempt counts whatever the answer (a wrong password, 401,
	 * would roll it back), and the password, slow to check on purpose, is
	 * checked without holding the write lock. */
	if (!db_commit(r->db))
		return req_fail_internal(r);
	if (wait > 0)
		return loginlimit_refuse(r, model, wait);

	bool ok = id ? password_verify(hash, password) : (password_waste_time(password), false);
	if (!ok) {
		req_fail(r, 401, "invalid_login", N_("The handle, e-mail address or password is wrong."));
		return model;
	}
	/* Told only to who knows the password (features/member_states.h). */
	if (excluded) {
		req_fail(r, 403, "excluded",
			 N_("Your account is closed: you can no longer sign in. The e-mail we sent you says why."));
		return model;
	}
	if (!db_begin(r->db)) {
		json_decref(model);
		return req_fail_internal(r);
	}
	loginlimit_succeeded(r, &attempt);
	json_decref(model);
	if (!session_start(r, id))
		return req_fail_internal(r);
	return req_done(r, 200, safe_next(req_param(r, "next")), users_to_json(r->user, true));
}

json_t *accounts_logout_form(struct req *r)
{
	if (!r->user)
		return req_done(r, 200, "/", json_pack("{s:b}", "signed_in", 0));
	return json_pack("{s:s}", "title", tr(r, N_("Sign out")));
}

json_t *accounts_logout(struct req *r)
{
	if (r->auth == AUTH_SESSION)
		session_end(r);
	return req_done(r, 200, "/", json_pack("{s:b}", "signed_out", 1));
}
