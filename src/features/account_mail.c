/* account_mail: the welcome and the taken-address notice (see
 * account_mail.h). */
#include "features/account_mail.h"

#include "auth/ratelimit.h"
#include "core/config.h"
#include "features/mail_content.h"
#include "http/req.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "jobs/outbox.h"

#include <stdio.h>

#define TAKEN_WINDOW 3600

/* Queues a message to u whose HTML part is templates/mail/NAME.html with
 * model (taken), which gets the subject, name and handle too. */
static bool queue(struct req *r, const struct user *u, const char *kind, const char *subject,
		  const char *const *paragraphs, json_t *model, int locale)
{
	json_object_set_new(model, "subject", json_string(subject));
	json_object_set_new(model, "name", json_string(u->name));
	json_object_set_new(model, "handle", json_string(u->handle));
	struct outbox_message m = {
		.kind = kind,
		.user_id = u->id,
		.to_name = u->name,
		.to_address = u->email,
		.subject = subject,
		.text = mail_content_text(&r->arena, paragraphs),
		.html = mail_content_html(&r->arena, kind, model, locale),
	};
	return m.html && outbox_add(r->db, &m, r->now);
}

bool account_mail_welcome(struct req *r, const struct user *u)
{
	int locale = mail_content_locale(u, r->locale);
	struct arena *a = &r->arena;
	const char *link = mail_content_link(a, "/");
	const char *const paragraphs[] = {
		format_message(a, locale, N_("Hello {{name}},"), "name", u->name, NULL),
		format_message(a, locale, N_("Welcome to {{site_name}}! Your account @{{handle}} is ready."),
			       "site_name", config.site_name, "handle", u->handle, NULL),
		i18n_get(locale, N_("Ask a question, answer one, or follow the tags and communities that matter to "
				    "you: what is new there comes to you.")),
		link,
		NULL,
	};
	const char *subject =
		format_message(a, locale, N_("Welcome to {{site_name}}"), "site_name", config.site_name, NULL);
	return queue(r, u, "welcome", subject, paragraphs, json_pack("{s:s}", "link", link), locale);
}

bool account_mail_address_taken(struct req *r, const struct user *u)
{
	/* The form cannot fill the owner's mailbox. */
	char key[64];
	snprintf(key, sizeof(key), "signup-taken:%lld", (long long)u->id);
	if (ratelimit_take(r->db, key, ACCOUNT_MAIL_TAKEN_PER_HOUR, TAKEN_WINDOW, r->now) > 0)
		return true;
	int locale = mail_content_locale(u, r->locale);
	struct arena *a = &r->arena;
	const char *login = mail_content_link(a, "/login"), *forgot = mail_content_link(a, "/password/forgot");
	const char *const paragraphs[] = {
		format_message(a, locale, N_("Hello {{name}},"), "name", u->name, NULL),
		format_message(a, locale,
			       N_("Someone tried to create a new account on {{site_name}} with this e-mail address. "
				  "It belongs to your account @{{handle}} already, so no account was created."),
			       "site_name", config.site_name, "handle", u->handle, NULL),
		arena_printf(a, "%s: %s", i18n_get(locale, N_("Sign in")), login),
		arena_printf(a, "%s %s", i18n_get(locale, N_("Forgot your password?")), forgot),
		i18n_get(locale, N_("If this was not you, there is nothing to do.")),
		NULL,
	};
	const char *subject = format_message(a, locale, N_("Someone tried to sign up with your address on {{site_name}}"),
					     "site_name", config.site_name, NULL);
	return queue(r, u, "address_taken", subject, paragraphs,
		     json_pack("{s:s, s:s}", "login_link", login, "forgot_link", forgot), locale);
}
