/* events: the item kind `event` (a talk, a fika with a topic, a workshop
 * or a meetup in a community) with sign-up, and the list of events. This
 * module owns the event_details table.
 *
 * An event starts and ends at local times entered in an IANA time zone
 * (core/zone.h), stored as UTC seconds with the zone and shown in it. It
 * has a location or an online address (or both), a capacity (0: no
 * limit) and an optional sign-up deadline before the start.
 *
 * Sign-up (RSVP), the seats and the waitlist are features/rsvp.h. The
 * event's hosts are its author, the hosts of its community (and the site's
 * admins) and the members it names as hosts (features/event_people.h). A
 * cancelled event (features/event_cancel.h) takes no new sign-ups and
 * promotes no one. */
#ifndef KRING_FEATURES_EVENTS_H
#define KRING_FEATURES_EVENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct event;
struct item;
struct req;

/* The members going to or waitlisted for the event (bind its id), in
 * order: for telling them (features/notifications.h). */
#define EVENTS_ANSWERED_SQL "SELECT user_id FROM event_rsvps WHERE item_id = ? ORDER BY user_id"


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

/* POST /items/{id}/recap and /to-article: the event's recap and the best
 * practice drafted from it (features/event_recap.h), from its start on. */
json_t *events_recap(struct req *r);
json_t *events_to_article(struct req *r);

#endif
