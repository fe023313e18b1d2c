/* event_cancel: an event's hosts (features/events.h) call it off.
 *
 * A cancelled event stays where it was, marked "Cancelled" on its page,
 * in /events, in the next events and in calendars (STATUS:CANCELLED,
 * features/calendars.h); it takes no new sign-ups (422 event_cancelled)
 * and promotes no one from its waitlist, and those who were going or
 * waitlisted keep their answer. The write records event.cancelled, from
 * which everyone going or waitlisted is told (the notification
 * `cancelled`, by e-mail as their settings say). When and by whom it was
 * cancelled is a row of event_cancellations. */
#ifndef KRING_FEATURES_EVENT_CANCEL_H
#define KRING_FEATURES_EVENT_CANCEL_H

#include <jansson.h>

struct req;

/* A condition true while the event whose id is the SQL expression item is
 * not cancelled: for lists of events that should leave cancelled ones out. */
#define EVENT_NOT_CANCELLED_SQL(item) "NOT EXISTS (SELECT 1 FROM event_cancellations c WHERE c.item_id = " item ")"

/* POST /items/{id}/cancel (the event's hosts): {"cancelled": true,
 * "cancelled_at": T}. 409 already_cancelled when it is; 422 event_ended
 * once it is over. */
json_t *event_cancel(struct req *r);

#endif
