/*
 * circle_sessions: a circle's sessions are events in the circle
 * (features/events.h), as confidential as the rest of it: private, so the
 * policy keeps them from /events, next-events lists, search, tags, feeds,
 * digests and notifications of everyone but its members. After a
 * session's start, the circle's hosts record who attended; its members see
 * it on the session's page. Notes are the event's own (its description).
 * This module owns the circle_attendance table.
 */
#ifndef KRING_CIRCLE_SESSIONS_H
#define KRING_CIRCLE_SESSIONS_H

#include <jansson.h>

struct item;
struct req;

/* Sets "session" on an event's model (its "event" object) when the event
 * is a circle's session: {"members": [{"handle", "name", "present"}],
 * "recorded", "present_count", "started", "can_record"}; the circle's
 * members are those of it now and whoever was recorded present. */
void circle_sessions_fill(struct req *r, json_t *event, const struct item *it);

/* POST /items/{id}/attendance with `present` (the handles of the members
 * present, a list): the session's attendance, replacing what was
 * recorded, by a host of the circle after the start. {"present": [handles],
 * "present_count"}; 409 before the start, 422 for one who is no member. */
json_t *circle_sessions_attendance(struct req *r);

#endif
