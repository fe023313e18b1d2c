/* events: the item kind `event` (a talk, a fika with a topic, a workshop
 * or a meetup in a community) with sign-up, and the list of events. This
 * module owns the event_details and event_rsvps tables.
 *
 * An event starts and ends at local times entered in an IANA time zone
 * (core/zone.h), stored as UTC seconds with the zone and shown in it. It
 * has a location or an online address (or both), a capacity (0: no
 * limit) and an optional sign-up deadline before the start.
 *
 * Sign-up (RSVP): a member who may read the event answers going or not
 * going. While there are seats they are going; when it is full they are
 * waitlisted in the order they signed up. When someone going cancels, the
 * first on the waitlist is going in the same transaction and is told
 * (the event rsvp.promoted, the notification `promoted`). Every answer is
 * a write, one transaction from dispatch to commit that holds the
 * database's one write lock on both backends (SQLite's BEGIN IMMEDIATE,
 * PostgreSQL's transaction-scoped advisory lock, db/db.h): the seats are
 * counted and taken under it, so two members taking the last seat at the
 * same moment cannot both get it, on one node or several. Sign-up closes at
 * the deadline, at the start, or when a host closes it; cancelling stays
 * possible until the start. The event's hosts are its author and the hosts
 * of its community (and the site's admins). */
#ifndef KRING_FEATURES_EVENTS_H
#define KRING_FEATURES_EVENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct event;
struct item;
struct req;

/* Whether the viewer hosts the event it (as loaded for them): its author,
 * a host of its community or an admin. */
bool events_hosts(const struct item *it);

/* The in-step subscriber of an item edited or restored: when an event has
 * seats free (its capacity raised, or no limit now), the first on its
 * waitlist are going and told. Fewer seats move no one off them. False on
 * a database error. */
bool events_on_item_changed(struct db *db, const struct event *e);

/* The next `limit` events the viewer may see that have not ended, the
 * soonest first, in the community (0: any): [summary with "event"]. */
json_t *events_upcoming(struct req *r, int64_t community_id, int limit);

/* GET /events: upcoming events (the soonest first) or, with when=past,
 * past ones (the latest first); filters type, community (slug) and tag. */
json_t *events_list(struct req *r);

/* POST /items/{id}/rsvp with answer = going | not_going:
 * {"state": "going" | "waitlisted" | "not_going", "position": N} (the
 * place on the waitlist, 0 otherwise). 422 when sign-up is closed. */
json_t *events_rsvp(struct req *r);

/* POST /items/{id}/rsvp/close and /open (the event's hosts): sign-up
 * closed or open again; {"signup_closed": bool}. */
json_t *events_close_signup(struct req *r);
json_t *events_open_signup(struct req *r);

/* GET /items/{id}/attendees.csv (the event's hosts): who is going and who
 * is waitlisted, in order, as CSV. */
json_t *events_attendees_csv(struct req *r);

#endif
