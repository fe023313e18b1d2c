/*
 * event_messages: the hosts of an event (features/events.h: its author,
 * its community's hosts, admins) write to those going, and when they
 * choose to the waitlist as well: POST /items/{id}/message with subject,
 * body (Markdown) and to = going | going_and_waitlist. Each recipient is
 * told (the event message.sent, the notification `event_message`, which
 * names the subject) and gets the message by e-mail as they chose for
 * that kind (features/mail_settings.h); the mail holds the whole message.
 * Only members who may still read the event are told, never its writer.
 * An event takes at most MESSAGES_PER_DAY messages in a day, so that
 * attendees' mailboxes are not flooded. The event's page lists the
 * messages, newest first, to its hosts, and to those going (and on the
 * waitlist) the ones written to them: one who signs up later reads what
 * was written before. The event_messages table belongs here.
 */
#ifndef KRING_FEATURES_EVENT_MESSAGES_H
#define KRING_FEATURES_EVENT_MESSAGES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct item;
struct req;

#define MESSAGES_PER_DAY 5

/* POST /items/{id}/message: 201 with the message {"id", "subject", "to",
 * "recipients"}; 403 to those who do not host the event, 404 to those who
 * may not read it; 422 on a field's mistake or when no one is going; 429
 * past MESSAGES_PER_DAY. */
json_t *event_messages_send(struct req *r);

/* For an event's page: the messages the viewer reads (newest first) into
 * the item o's "event" object as "messages", and for a host the most a
 * day as "message_limit". Nothing for other items and for viewers who are
 * neither hosts nor signed up. */
void event_messages_fill(struct req *r, json_t *o, const struct item *it);

/* Those the message goes to, as it was sent (going, and the waitlist when
 * chosen), in the order they signed up, into *n; NULL when there are none
 * (or on a database error, which is sticky). In a. */
int64_t *event_messages_recipients(struct db *db, struct arena *a, int64_t message_id, size_t *n);

/* The message's text (Markdown), in a; NULL when it is gone. */
const char *event_messages_body(struct db *db, struct arena *a, int64_t message_id);

#endif
