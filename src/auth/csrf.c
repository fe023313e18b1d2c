/* csrf: tokens and the decision whether a state-changing request may pass
 * (see csrf.h for the rules). */
#include "auth/csrf.h"

#include "core/text.h"

#include <sodium.h>
#include <string.h>

void csrf_new_token(char out[CSRF_TOKEN_CHARS + 1])
{
	token_random(out, 32);
}

bool csrf_tokens_equal(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	size_t n = strlen(a);
	if (n == 0 || n != strlen(b))
		return false;
	return sodium_memcmp(a, b, n) == 0;
}

/* Whether an Origin header value names the host the request was sent to. */
static bool same_origin(const char *origin, const char *host)
{
	if (!host)
		return false;
	const char *p = strstr(origin, "://");
	if (!p)
		return false;
	return strcmp(p + 3, host) == 0;
}

enum csrf_verdict csrf_check(const struct csrf_request *c)
{
	if (c->origin && strcmp(c->origin, "null") != 0 && !same_origin(c->origin, c->host))
		return CSRF_BAD_ORIGIN;
	if (c->bearer)
		return CSRF_OK;
	if (c->given && *c->given)
		return csrf_tokens_equal(c->expected, c->given) ? CSRF_OK : CSRF_MISMATCH;
	/* Browsers cannot send a JSON body across origins without a preflight,
	 * so a signed-out JSON request needs no token. */
	if (c->json_body)
		return CSRF_OK;
	return CSRF_MISSING;
}
