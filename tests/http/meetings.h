/* meetings: the steps the HTTP tests of events share — times written as
 * an event's form takes them, answering an event and reading it back. */
#ifndef KRING_TEST_MEETINGS_H
#define KRING_TEST_MEETINGS_H

#include "actors.h"

#include <stdint.h>

/* UTC seconds of a UTC calendar time. */
int64_t utc(int y, int mo, int d, int h, int mi);
/* "YYYY-MM-DDTHH:MM" of t in UTC (kept until teardown). */
const char *utc_text(int64_t t);

/* POST /items/{id}/rsvp with answer; the state is want, and the place on
 * the waitlist is position (not checked when it is -1). */
void rsvp(struct actor *a, int64_t id, const char *answer, const char *want, int64_t position);
/* The event's JSON as a sees it (200). */
struct response *event_of(struct actor *a, int64_t id);

#endif
