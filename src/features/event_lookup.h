/* event_lookup: the event a request's path names (/items/{id}/…), the
 * first question of every event feature (sign-up, guests, calendars,
 * cancelling). Who hosts it is features/event_people.h's. */
#ifndef KRING_FEATURES_EVENT_LOOKUP_H
#define KRING_FEATURES_EVENT_LOOKUP_H

#include <stdbool.h>

struct item;
struct req;

/* The event of the path's {id} for the viewer; false after req_fail (404
 * for an item that is no event, or that the viewer may not read). */
bool event_lookup(struct req *r, struct item *it);

#endif
