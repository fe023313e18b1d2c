/* mail_optin: forms answered by mail for people without an account (see
 * mail_optin.h). */
#include "features/mail_optin.h"

#include "auth/ratelimit.h"
#include "auth/users.h"
#include "core/config.h"
#include "core/text.h"
#include "http/req.h"
#include "i18n/i18n.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Requests are counted per client address over this window, mails per
 * address over the other. */
#define CLIENT_WINDOW 3600
#define ADDRESS_WINDOW (24 * 3600)
/* 32 random bytes, as URL-safe base64 */
#define SECRET_BYTES 32

const char *mail_optin_secret(struct arena *a)
{
	char fresh[2 * SECRET_BYTES + 1];
	token_random(fresh, SECRET_BYTES);
	return arena_strdup(a, fresh);
}

bool mail_optin_secret_shaped(const char *secret)
{
	return secret && token_shaped(secret, SECRET_BYTES);
}

const char *mail_optin_address_key(struct arena *a, const char *email)
{
	char *key = arena_strdup(a, email);
	for (char *p = key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return key;
}

void mail_optin_read(struct req *r, json_t *model, const char **name, const char **email)
{
	char *n = arena_strdup(&r->arena, req_param(r, "name") ? req_param(r, "name") : "");
	char *e = arena_strdup(&r->arena, req_param(r, "email") ? req_param(r, "email") : "");
	*name = text_trim(n);
	*email = text_trim(e);
	const char *problem = users_name_problem(*name);
	if (problem)
		req_field_error(r, model, "name", problem);
	problem = users_email_problem(*email);
	if (problem)
		req_field_error(r, model, "email", problem);
}

bool mail_optin_client_allowed(struct req *r, json_t *model, const char *form)
{
	if (config.signup_limit <= 0)
		return true;
	char key[100];
	snprintf(key, sizeof(key), "%s-ip:%s", form, r->client_ip);
	int wait = ratelimit_take(r->db, key, config.signup_limit, CLIENT_WINDOW, r->now);
	if (wait <= 0)
		return true;
	req_add_header(r, "Retry-After", arena_printf(&r->arena, "%d", wait));
	json_object_set_new(model, "retry_after", json_integer(wait));
	req_fail(r, 429, "rate_limited", N_("Too many requests came from your address. Try again later."));
	return false;
}

bool mail_optin_address_allowed(struct req *r, const char *form, const char *key)
{
	char hash[65], counter[100];
	sha256_hex(hash, key, strlen(key));
	snprintf(counter, sizeof(counter), "%s-address:%s", form, hash);
	return ratelimit_take(r->db, counter, MAIL_OPTIN_MAILS_PER_ADDRESS, ADDRESS_WINDOW, r->now) == 0;
}
