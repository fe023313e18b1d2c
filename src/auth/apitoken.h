/* apitoken: personal API tokens for Authorization: Bearer; only a hash of
 * each token is stored. */
#ifndef KRING_APITOKEN_H
#define KRING_APITOKEN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct req;

#define APITOKEN_PREFIX "krt_"

/* Creates a token named name for the member; returns the token text (in the
 * request arena, shown once) and sets *id, or NULL. */
const char *apitoken_create(struct req *r, int64_t user_id, const char *name, int64_t *id);
/* The member's tokens (id, name, created_at, last_used_at), newest first. */
json_t *apitoken_list(struct req *r, int64_t user_id);
/* Revokes one of the member's tokens; false when it is not theirs. */
bool apitoken_revoke(struct req *r, int64_t user_id, int64_t id);
/* Reads Authorization: Bearer and, when valid, sets r->user and r->auth.
 * Returns false when a header was given but is not a valid token. */
bool apitoken_authenticate(struct req *r);

#endif
