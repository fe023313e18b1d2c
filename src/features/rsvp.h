/* rsvp: sign-up for events (features/events.h): who is going and who is
 * waitlisted, the seats, promotion from the waitlist, hosts closing
 * sign-up and the attendees.
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
 * of its community (and the site's admins).
 *
 * Guests without an account (features/guests.h) sign up for events of
 * public communities; once they confirm they hold a seat or a place on the
 * waitlist like a member. Everyone signed up has a place in one line per
 * event, members and guests alike (a member's given when they answer, a
 * guest's when they confirm): seats and the waitlist are served in that
 * order. A guest promoted from the waitlist is told by mail.
 *
 * Claim window: a host may give the event a number of hours (0: none, the
 * default). Someone promoted from the waitlist then holds the seat only
 * until the window has passed, unless they claim it ("I am still coming",
 * answering going again; a guest through the link of their mail). A
 * seat_claims job, queued at the promotion to run when the window ends,
 * frees the seats left unclaimed: the lapsed are told (the event
 * rsvp.lapsed, a guest by mail) and the next on the waitlist is promoted,
 * with a window of their own. A promotion whose window would reach the
 * event's start is final. A cancelled event takes no sign-ups and promotes
 * no one. This module owns event_rsvps and event_claim_windows, the
 * column signup_closed of event_details and the seat columns of
 * event_guests (state, place, claim_by). */
#ifndef KRING_FEATURES_RSVP_H
#define KRING_FEATURES_RSVP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct item;
struct job;
struct req;

/* The longest claim window a host may set, in hours. */
#define RSVP_CLAIM_HOURS_MAX 168
/* The job kind that frees seats left unclaimed (src/job_kinds.c). */
#define RSVP_CLAIMS_JOB "seat_claims"

/* The number going to the event whose id is the SQL expression item_col,
 * members and guests, as an SQL expression (for lists). */
#define RSVP_GOING_COUNT_SQL(item_col)                                                              \
	"((SELECT COUNT(*) FROM event_rsvps x WHERE x.item_id = " item_col " AND x.state = 'going') + " \
	"(SELECT COUNT(*) FROM event_guests x WHERE x.item_id = " item_col " AND x.state = 'going'))"

/* What sign-up depends on, read in the write's transaction. */
struct rsvp_signup {
	int64_t capacity, starts_at, deadline; /* deadline 0: none */
	int64_t claim_hours;                   /* 0: no claim window */
	bool closed_by_host, cancelled;
};

/* The event's sign-up; false when it is no event (or on a database error). */
bool rsvp_load_signup(struct db *db, int64_t item_id, struct rsvp_signup *s);
/* NULL while sign-up is open, else why not (a msgid) with the error's
 * code into *code: closed by a host or by the deadline, or the event has
 * started (signup_closed), or it is cancelled (event_cancelled). */
const char *rsvp_signup_refusal(const struct rsvp_signup *s, int64_t now, const char **code);
/* The place at the end of the event's line into *place, and what it gets:
 * "going" while there are seats, else "waitlisted". */
const char *rsvp_next_place(struct db *db, int64_t item_id, const struct rsvp_signup *s, int64_t *place);
/* The number on the waitlist of whoever waits at the place. */
int64_t rsvp_waitlist_position(struct db *db, int64_t item_id, int64_t place);

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
 * place on the waitlist, 0 otherwise), with "claim_by" while a seat offered
 * waits to be claimed (answering going again claims it). 422 when sign-up
 * is closed, or the time to claim has passed. */
json_t *rsvp_answer(struct req *r);

/* POST /items/{id}/rsvp/close and /open (the event's hosts): sign-up
 * closed or open again; {"signup_closed": bool}. */
json_t *rsvp_close(struct req *r);
json_t *rsvp_open(struct req *r);

/* POST /items/{id}/rsvp/claim-window with hours (the event's hosts):
 * {"claim_hours": N}. */
json_t *rsvp_claim_window(struct req *r);

/* The seat_claims job: frees the seats whose claim window has passed. */
const char *rsvp_claims_run(struct db *db, struct arena *a, const struct job *job, int64_t now);

/* GET /items/{id}/attendees.csv (the event's hosts): who is going and who
 * is waitlisted, in order, as CSV. */
json_t *rsvp_attendees_csv(struct req *r);

#endif
