/* apitoken: personal API tokens for Authorization: Bearer; only a hash of
 * each token is stored.
 *
 * A token carries scopes, chosen when it is made:
 *   read     GET: pages and lists, as the member sees them
 *   write    POST: content (items, answers, comments, reactions, files,
 *            memberships)
 *   account  the routes marked ROUTE_ACCOUNT, reading and changing:
 *            settings, profile, password, sessions and tokens
 * A request outside its token's scopes is refused with 403. */
#ifndef KRING_APITOKEN_H
#define KRING_APITOKEN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct req;

#define APITOKEN_PREFIX "krt_"

enum apitoken_scope {
	SCOPE_READ = 1 << 0,
	SCOPE_WRITE = 1 << 1,
	SCOPE_ACCOUNT = 1 << 2,
};
/* What a token gets when its maker names no scopes. */
#define APITOKEN_DEFAULT_SCOPES (SCOPE_READ | SCOPE_WRITE)

/* The scopes of a comma-separated list ("read,write"; empty parts are
 * skipped); -1 when it names one kring does not know. */
int apitoken_parse_scopes(const char *list);

/* The names of scopes as a JSON array: ["read", "write"]. */
json_t *apitoken_scope_names(int scopes);

/* Creates a token named name with the scopes for the member; returns the
 * token text (in the request arena, shown once) and sets *id, or NULL. */
const char *apitoken_create(struct req *r, int64_t user_id, const char *name, int scopes,
			    int64_t *id);
/* The member's tokens (id, name, scopes, created_at, last_used_at), newest
 * first. */
json_t *apitoken_list(struct req *r, int64_t user_id);
/* Revokes one of the member's tokens; false when it is not theirs. */
bool apitoken_revoke(struct req *r, int64_t user_id, int64_t id);
/* Revokes every token of the member (after a password change); false when
 * the database failed (sticky in a request, db.h). */
bool apitoken_revoke_all(struct req *r, int64_t user_id);
/* Reads Authorization: Bearer and, when valid, sets r->user and r->auth.
 * Returns false when a header was given but is not a valid token. A valid
 * token whose scopes do not cover the route (r->route, r->method) gets a
 * 403 answer here (r->error is set). */
bool apitoken_authenticate(struct req *r);

#endif
