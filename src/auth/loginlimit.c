/* loginlimit: the budgets of password guesses (see loginlimit.h). */
#include "auth/loginlimit.h"

#include "auth/ratelimit.h"
#include "db/db.h"
#include "http/req.h"
#include "i18n/i18n.h"

#include <ctype.h>
#include <stdio.h>

#define PAIR_LIMIT 5
#define PAIR_WINDOW (15 * 60)
#define ACCOUNT_FREE 10
#define ACCOUNT_MAX_DELAY (15 * 60)
#define ACCOUNT_WINDOW (24 * 3600)
#define ADDRESS_LIMIT 50
#define ADDRESS_WINDOW (15 * 60)
/* An address nobody signed in from for this long is forgotten. */
#define KNOWN_ADDRESS_LIFETIME (180 * 24 * 3600)

static bool address_known(struct db *db, int64_t user_id, const char *ip)
{
	return user_id && db_exists(db, "SELECT 1 FROM login_addresses WHERE user_id = ? AND ip = ?",
				    DB_ARGS(db_int(user_id), db_text(ip)));
}

int loginlimit_begin(struct req *r, int64_t user_id, const char *name, struct login_attempt *a)
{
	char subject[260];
	if (user_id)
		snprintf(subject, sizeof(subject), "user:%lld", (long long)user_id);
	else
		snprintf(subject, sizeof(subject), "name:%s", name ? name : "");
	for (char *p = subject; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	a->user_id = user_id;
	a->known_address = address_known(r->db, user_id, r->client_ip);
	snprintf(a->pair_key, sizeof(a->pair_key), "login:%s:%s", subject, r->client_ip);
	snprintf(a->account_key, sizeof(a->account_key), "login:%s", subject);
	snprintf(a->address_key, sizeof(a->address_key), "login-ip:%s", r->client_ip);

	int64_t now = r->now;
	int wait = ratelimit_take(r->db, a->pair_key, PAIR_LIMIT, PAIR_WINDOW, now);
	if (a->known_address || wait > 0)
		return wait;
	wait = ratelimit_take(r->db, a->address_key, ADDRESS_LIMIT, ADDRESS_WINDOW, now);
	if (wait > 0)
		return wait;
	return ratelimit_backoff(r->db, a->account_key, ACCOUNT_FREE, ACCOUNT_MAX_DELAY, ACCOUNT_WINDOW, now);
}

json_t *loginlimit_refuse(struct req *r, json_t *model, int wait)
{
	req_add_header(r, "Retry-After", arena_printf(&r->arena, "%d", wait));
	json_object_set_new(model, "retry_after", json_integer(wait));
	req_fail(r, 429, "rate_limited", N_("Too many failed attempts. Wait a few minutes and try again."));
	return model;
}

bool loginlimit_succeeded(struct req *r, const struct login_attempt *a)
{
	if (!ratelimit_clear(r->db, a->pair_key) || (!a->known_address && !ratelimit_refund(r->db, a->address_key)))
		return false;
	return !a->user_id ||
	       db_exec(r->db, "INSERT INTO login_addresses (user_id, ip, last_at) VALUES (?, ?, ?) "
			      "ON CONFLICT (user_id, ip) DO UPDATE SET last_at = excluded.last_at",
		       DB_ARGS(db_int(a->user_id), db_text(r->client_ip), db_int(r->now))) >= 0;
}

bool loginlimit_password_changed(struct req *r, int64_t user_id)
{
	return db_exec(r->db, "DELETE FROM login_addresses WHERE user_id = ? AND ip <> ?",
		       DB_ARGS(db_int(user_id), db_text(r->client_ip))) >= 0;
}

int64_t loginlimit_purge(struct db *db, int64_t now)
{
	return db_exec(db, "DELETE FROM login_addresses WHERE last_at <= ?",
		       DB_ARGS(db_int(now - KNOWN_ADDRESS_LIFETIME)));
}
