/* session: cookie sessions stored in the database; only a hash of the
 * token is kept. The functions that write return false when the database
 * failed; in a request that failure is sticky (db.h) and answers 500. */
#ifndef KRING_SESSION_H
#define KRING_SESSION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct req;

#define SESSION_COOKIE "kring_session"
#define ANON_CSRF_COOKIE "kring_csrf"
#define SESSION_LIFETIME (30 * 24 * 3600)

/* Starts a session for the member, sets the cookie and r->csrf. */
bool session_start(struct req *r, int64_t user_id);
/* Reads the session cookie and, when valid, sets r->user, r->auth,
 * r->session_id and r->csrf. */
void session_resume(struct req *r);
/* Ends this request's session and clears the cookie. */
bool session_end(struct req *r);
/* Ends the member's sessions other than this request's (after a password
 * change). */
bool session_end_others(struct req *r);
/* Ends every session of the member (sign out everywhere). */
bool session_end_all(struct req *r, int64_t user_id);
/* The signed-in member's sessions, most recently used first, marking the
 * current one; with the browser and platform read from the User-Agent. */
json_t *session_list(struct req *r);
/* Deletes the sessions that expired by now (maintenance); returns how many,
 * or -1 on a database error. */
int64_t session_purge_expired(struct db *db, int64_t now);

#endif
