/* rsvp: sign-up for events (features/events.h): who is going and who is
 * waitlisted, the seats, promotion from the waitlist, hosts closing
 * sign-up and the attendees. This module owns the event_rsvps table and
 * the sign-up columns of event_details (signup_closed).
 *
 * A member who may read the event answers going or not going. While there
 * are seats they are going; when it is full they are waitlisted in the
 * order they signed up. When someone going cancels, the first on the
 * waitlist is going in the same transaction and is told (the event
 * rsvp.promoted, the notification `promoted`). Every answer is a write,
 * one transaction from dispatch to commit that holds the database's one
 * write lock on both backends (SQLite's BEGIN IMMEDIATE, PostgreSQL's
 * transaction-scoped advisory lock, db/db.h): the seats are counted and
 * taken under it, so two members taking the last seat at the same moment
 * cannot both get it, on one node or several. Sign-up closes at the
 * deadline, at the start, or when a host closes it; cancelling stays
 * possible until the start. The event's hosts are its author and the hosts
 * of its community (and the site's admins). */
#ifndef KRING_FEATURES_RSVP_H
#define KRING_FEATURES_RSVP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct item;
struct req;

/* The number going to the event whose id is the SQL expression item_col,
 * as an SQL expression (for lists). */
#define RSVP_GOING_COUNT_SQL(item_col) \
	"(SELECT COUNT(*) FROM event_rsvps x WHERE x.item_id = " item_col " AND x.state = 'going')"

/* Fills free seats from the waitlist, first come first served (every one
 * when there is no limit), each told; actor is who freed the seats. In
 * the caller's transaction; false on a database error. */
bool rsvp_fill_seats(struct db *db, int64_t item_id, int64_t community_id, int64_t actor, int64_t now);

/* What an event's page (and the API's item) shows of sign-up, into its
 * "event" object e: the counts and seats left (of capacity), whether
 * sign-up is open, the viewer's answer, and the attendees for members of
 * its community (with the waitlist for its hosts). */
void rsvp_fill(struct req *r, json_t *e, const struct item *it, int64_t capacity);

/* POST /items/{id}/rsvp with answer = going | not_going:
 * {"state": "going" | "waitlisted" | "not_going", "position": N} (the
 * place on the waitlist, 0 otherwise). 422 when sign-up is closed. */
json_t *rsvp_answer(struct req *r);

/* POST /items/{id}/rsvp/close and /open (the event's hosts): sign-up
 * closed or open again; {"signup_closed": bool}. */
json_t *rsvp_close(struct req *r);
json_t *rsvp_open(struct req *r);

/* GET /items/{id}/attendees.csv (the event's hosts): who is going and who
 * is waitlisted, in order, as CSV. */
json_t *rsvp_attendees_csv(struct req *r);

#endif
