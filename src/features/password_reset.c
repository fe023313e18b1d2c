/* password_reset: the forgotten-password form, the link by e-mail and the
 * new password (see password_reset.h). */
#include "features/password_reset.h"

#include "auth/apitoken.h"
#include "auth/loginlimit.h"
#include "auth/password.h"
#include "auth/policy.h"
#include "auth/ratelimit.h"
#include "auth/session.h"
#include "auth/users.h"
#include "core/config.h"
#include "core/text.h"
#include "db/db.h"
#include "features/mail_content.h"
#include "http/req.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "jobs/outbox.h"

#include <stdio.h>
#include <string.h>

/* Requests are counted per client address over this window
 * (config.signup_limit of them, as sign-ups). */
#define FORGOT_WINDOW 3600
/* 32 random bytes, as URL-safe base64 */
#define TOKEN_BYTES 32
#define TOKEN_CHARS 43

json_t *password_forgot_form(struct req *r)
{
	json_t *model = req_form_model(r, N_("Forgot your password?"), "");
	if (req_query(r, "sent"))
		json_object_set_new(model, "sent", json_true());
	return model;
}

/* The message with the link, in the member's language. */
static struct outbox_message reset_message(struct req *r, const struct user *u, const char *token)
{
	int locale = mail_content_locale(u, r->locale);
	const char *link = mail_content_link(&r->arena, arena_printf(&r->arena, "/password/reset/%s", token));
	const char *subject = format_message(&r->arena, locale, N_("Reset your password on {{site_name}}"),
					     "site_name", config.site_name, NULL);
	const char *const paragraphs[] = {
		format_message(&r->arena, locale, N_("Hello {{name}},"), "name", u->name, NULL),
		format_message(&r->arena, locale,
			       N_("Someone asked to reset the password of your account @{{handle}} on {{site_name}}. "
				  "To choose a new password, open this link within an hour:"),
			       "handle", u->handle, "site_name", config.site_name, NULL),
		link,
		i18n_get(locale, N_("The link works once. If you did not ask for this, ignore this message: "
				    "your password stays as it is.")),
		NULL,
	};
	json_t *model = json_pack("{s:s, s:s, s:s, s:s}", "subject", subject, "name", u->name, "handle", u->handle,
				  "link", link);
	return (struct outbox_message){
		.kind = "password_reset",
		.user_id = u->id,
		.to_name = u->name,
		.to_address = u->email,
		.subject = subject,
		.text = mail_content_text(&r->arena, paragraphs),
		.html = mail_content_html(&r->arena, "password_reset", model, locale),
	};
}

json_t *password_forgot(struct req *r)
{
	json_t *model = req_form_model(r, N_("Forgot your password?"), "email");
	char *email = arena_strdup(&r->arena, req_param(r, "email") ? req_param(r, "email") : "");
	email = text_trim(email);
	const char *problem = users_email_problem(email);
	if (problem) {
		req_field_error(r, model, "email", problem);
		return req_invalid(r, model);
	}
	if (config.signup_limit > 0) {
		char key[100];
		snprintf(key, sizeof(key), "forgot-ip:%s", r->client_ip);
		int wait = ratelimit_take(r->db, key, config.signup_limit, FORGOT_WINDOW, r->now);
		if (wait > 0) {
			req_add_header(r, "Retry-After", arena_printf(&r->arena, "%d", wait));
			json_object_set_new(model, "retry_after", json_integer(wait));
			req_fail(r, 429, "rate_limited", N_("Too many requests came from your address. Try again later."));
			return model;
		}
	}

	/* The same work whether or not the address has an account (a token,
	 * a hash, a message), so that the answer takes as long: only the
	 * rows written differ. */
	int64_t owner = users_email_owner(r->db, email);
	struct user *u = owner ? users_get(r->db, &r->arena, owner) : NULL;
	struct user nobody = {.handle = "nobody", .name = "nobody", .email = "nobody@localhost"};
	char token[TOKEN_CHARS + 8], hash[65];
	token_random(token, TOKEN_BYTES);
	sha256_hex(hash, token, strlen(token));
	struct outbox_message m = reset_message(r, u ? u : &nobody, token);
	/* A member gets a few links an hour however often someone asks:
	 * the form cannot fill their mailbox. */
	char key[64];
	snprintf(key, sizeof(key), "forgot-user:%lld", (long long)owner);
	if (u && ratelimit_take(r->db, key, PASSWORD_RESET_PER_ACCOUNT, FORGOT_WINDOW, r->now) == 0) {
		/* Links that lapsed are of no use to anyone. */
		bool queued = m.html &&
			      db_exec(r->db, "DELETE FROM password_resets WHERE user_id = ? AND expires_at <= ?",
				      DB_ARGS(db_int(u->id), db_int(r->now))) >= 0 &&
			      db_exec(r->db, "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at)"
					     " VALUES (?, ?, ?, ?)",
				      DB_ARGS(db_text(hash), db_int(u->id), db_int(r->now),
					      db_int(r->now + PASSWORD_RESET_LIFETIME))) == 1 &&
			      outbox_add(r->db, &m, r->now);
		if (!queued) {
			json_decref(model);
			return req_fail_internal(r);
		}
	}
	json_decref(model);
	return req_done(r, 202, "/password/forgot?sent=1",
			json_pack("{s:b, s:s}", "sent", 1, "message",
				  tr(r, N_("If an account has this address, we sent it a link to choose a new "
					   "password. Check your e-mail: the link works for an hour."))));
}

/* The account whose link the path's token is, while the link works; 0
 * after answering 410 when it does not. */
static int64_t link_owner(struct req *r, char hash[65])
{
	const char *token = req_path_param(r, "token");
	int64_t id = 0;
	if (token && strlen(token) == TOKEN_CHARS) {
		sha256_hex(hash, token, strlen(token));
		id = db_scalar_int(r->db, 0,
				   "SELECT p.user_id FROM password_resets p JOIN users u ON u.id = p.user_id"
				   " WHERE p.token_hash = ? AND p.expires_at > ?"
				   " AND " POLICY_ACCOUNT_SHOWN_SQL("u.status"),
				   DB_ARGS(db_text(hash), db_int(r->now)));
	}
	if (!id)
		req_fail(r, 410, "link_expired",
			 N_("This link does not work any more: it was used already, or more than an hour has "
			    "passed. Ask for a new one."));
	/* A page for a link that was used must not be served again from a
	 * cache (the site's Referrer-Policy keeps the token from other
	 * sites). */
	req_add_header(r, "Cache-Control", "no-store");
	return id;
}

/* The form of the link's page, and the account the link is for (0, after
 * an answer, when it is none; hash gets the token's hash). */
static json_t *reset_form(struct req *r, char hash[65], int64_t *id)
{
	*id = link_owner(r, hash);
	if (!*id)
		return NULL;
	json_t *model = req_form_model(r, N_("Choose a new password"), "");
	json_object_set_new(model, "token", json_string(req_path_param(r, "token")));
	return model;
}

json_t *password_reset_form(struct req *r)
{
	char hash[65];
	int64_t id;
	return reset_form(r, hash, &id);
}

json_t *password_reset(struct req *r)
{
	char hash[65];
	int64_t id;
	json_t *model = reset_form(r, hash, &id);
	if (!model)
		return NULL;
	const char *password = req_param(r, "password");
	const char *problem = password_problem(password);
	if (problem) {
		req_field_error(r, model, "password", problem);
		return req_invalid(r, model);
	}
	/* The password is hashed, slow on purpose, without holding the write
	 * lock; the link is checked again after, and used up by the one
	 * statement that can only succeed once. */
	char new_hash[PASSWORD_HASH_MAX];
	if (!db_commit(r->db) || !password_hash(password, new_hash) || !db_begin(r->db)) {
		json_decref(model);
		return req_fail_internal(r);
	}
	json_decref(model);
	int64_t used = db_exec(r->db, "DELETE FROM password_resets WHERE token_hash = ? AND expires_at > ?",
			       DB_ARGS(db_text(hash), db_int(r->now)));
	if (used < 0)
		return req_fail_internal(r);
	if (used == 0)
		return req_fail(r, 410, "link_expired",
				N_("This link does not work any more: it was used already, or more than an hour has "
				   "passed. Ask for a new one."));
	/* Whoever was signed in, or held a token or another link, is out. */
	if (!users_set_password(r->db, id, new_hash) ||
	    db_exec(r->db, "DELETE FROM password_resets WHERE user_id = ?", DB_ARGS(db_int(id))) < 0 ||
	    !session_end_all(r, id) || !apitoken_revoke_all(r, id) || !loginlimit_password_changed(r, id))
		return req_fail_internal(r);
	return req_done(r, 200, "/login?reset=1", json_pack("{s:b}", "reset", 1));
}
