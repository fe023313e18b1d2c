/*
 * csrf: protection of every state-changing request.
 *
 * A cookie session carries its own token (stored with the session); forms
 * send it as the field `csrf`, scripts as the header X-CSRF-Token. Before
 * signing in, a random `kring_csrf` cookie is the token (double submit).
 * Bearer-token requests need none: browsers never add that header on their
 * own. Anonymous JSON posts need the JSON content type, which browsers cannot
 * send across origins without a preflight kring never grants. A request whose
 * Origin header names another host is refused in every case.
 */
#ifndef KRING_CSRF_H
#define KRING_CSRF_H

#include <stdbool.h>

#define CSRF_TOKEN_CHARS 43 /* 32 random bytes, URL-safe base64 */

enum csrf_verdict { CSRF_OK, CSRF_MISSING, CSRF_MISMATCH, CSRF_BAD_ORIGIN };

struct csrf_request {
	bool bearer;              /* authenticated by an API token */
	const char *expected;     /* session token, or the kring_csrf cookie */
	const char *given;        /* form field or X-CSRF-Token header */
	bool json_body;           /* a signed-out request with Content-Type:
				   * application/json (the caller sets it only
				   * when there is no session) */
	const char *origin;       /* Origin header, may be NULL */
	const char *host;         /* Host header */
};

void csrf_new_token(char out[CSRF_TOKEN_CHARS + 1]);
/* Constant-time equality; false when either is NULL or lengths differ. */
bool csrf_tokens_equal(const char *a, const char *b);
enum csrf_verdict csrf_check(const struct csrf_request *c);

#endif
