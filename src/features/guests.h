/*
 * guests: people without an account who sign up for an event of a public
 * community with their name and e-mail address (the seats are
 * features/rsvp.h's).
 *
 * POST /items/{id}/guests takes a name and an e-mail address while sign-up
 * is open. The answer is the same whether or not the address is signed up
 * already, so the form tells nobody who comes; the address's owner is told
 * by mail instead: the link to confirm, or a note that it is signed up
 * already with the link to its page. Requests are limited as the other
 * forms for people without an account are (features/mail_optin.h); an
 * address signs up once per event.
 *
 * Double opt-in: the guest holds nothing until they confirm through
 * /guests/{secret} (GET shows the page with a button, as mail scanners
 * open links; POST /guests/{secret}/confirm confirms) within
 * GUEST_CONFIRM_DAYS and while sign-up is open: then they take the next
 * place in the event's line (a seat or the waitlist) and get a mail with
 * the link to cancel. POST /guests/{secret}/cancel gives the place up
 * until the start (a seat freed goes to the first waiting at once), and
 * POST /guests/{secret}/claim claims a seat offered within the event's
 * claim window. The secret in the address is the authority: these posts
 * need no CSRF token, and the pages are never cached.
 *
 * Only events of public communities that are not circles take guests: a
 * visitor who cannot read the event gets 404, an event they can read that
 * is not in a public community 403 not_public, an archived one 409. The
 * event's hosts see the guests' names and addresses among the attendees;
 * everyone else who sees the attendees sees a guest's name only.
 */
#ifndef KRING_GUESTS_H
#define KRING_GUESTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct event;
struct item;
struct req;

/* How long a confirmation link works. */
#define GUEST_CONFIRM_DAYS 7

/* What a guest is told by mail when the waitlist moves. */
enum guest_news {
	GUEST_PROMOTED,     /* a seat came free and is theirs */
	GUEST_SEAT_OFFERED, /* a seat came free: claim it within the window */
	GUEST_SEAT_LAPSED,  /* they did not claim it in time */
	GUEST_CANCELLED,    /* the event is cancelled */
	GUEST_REMINDER,     /* the event is tomorrow */
};

/* Queues the mail of the news to the guest, in their language, in the
 * caller's transaction; false on a database error. */
bool guests_tell(struct db *db, int64_t guest_id, enum guest_news news, int64_t now);
/* The same to every guest going to or waitlisted for the event. */
bool guests_tell_all(struct db *db, int64_t item_id, enum guest_news news, int64_t now);

/* A condition true while the event whose id is the SQL expression item
 * has a guest going who was not reminded (features/event_reminders.h). */
#define GUESTS_UNREMINDED_SQL(item)                                                                  \
	"EXISTS (SELECT 1 FROM event_guests g WHERE g.item_id = " item " AND g.state = 'going'"      \
	" AND NOT EXISTS (SELECT 1 FROM guest_reminders gr WHERE gr.guest_id = g.id))"
/* Reminds the guests going to the event that it is tomorrow, each once
 * (the mail and its record, in the caller's transaction); false on a
 * database error. */
bool guests_remind(struct db *db, int64_t item_id, int64_t now);

/* How many guests are going to the event (and waitlisted, with waitlist);
 * -1 on a database error. */
int64_t guests_count(struct db *db, int64_t item_id, bool waitlist);
/* Mails a message of the event's hosts (features/event_messages.h) to its
 * guests going (and waitlisted, with waitlist), in the caller's
 * transaction; false on a database error. */
bool guests_forward(struct db *db, int64_t item_id, const char *subject, const char *body, bool waitlist,
		    int64_t now);

/* The in-step subscriber of rsvp.promoted and rsvp.lapsed (src/subscribers.c):
 * a guest's (the event's object) is told by mail. False on a database error. */
bool guests_on_event(struct db *db, const struct event *e);

/* What the event's page offers a signed-out visitor while sign-up is open:
 * {"action": the form's address}, or NULL when the event takes no guests. */
json_t *guests_offer(struct req *r, const struct item *it);

/* GET /items/{id}/guests: the form on a page of its own (after sign-up,
 * with sent=1, what to do next). */
json_t *guests_form(struct req *r);
/* POST /items/{id}/guests with name and email: 202 {"sent": true,
 * "message"}. */
json_t *guests_signup(struct req *r);

/* GET /guests/{secret}: the guest's sign-up, with what they can do. */
json_t *guests_page(struct req *r);
/* POST /guests/{secret}/confirm, /cancel and /claim: {"state": "going" |
 * "waitlisted" | "not_going", "position": N, "claim_by" (while a seat
 * waits to be claimed)}. */
json_t *guests_confirm(struct req *r);
json_t *guests_cancel(struct req *r);
json_t *guests_claim(struct req *r);

/* Drops the sign-ups left unconfirmed for GUEST_CONFIRM_DAYS
 * (maintenance); returns how many, or -1 on a database error. */
int64_t guests_purge(struct db *db, int64_t now);

#endif
