/* clock: the only wall clock in kring. Each request reads it once, at
 * dispatch, into r->now; the jobs worker once per run; a command once at its
 * start. Everything below gets that time as r->now or a `now` argument, so
 * one request never sees two times (tests/unit/test_clock.c fails on any
 * other read). Durations (timings, deadlines) use the monotonic clock.
 *
 * Normally the system clock; tests point it at a file holding the number
 * of seconds since 1970, and move time by rewriting the file. */
#ifndef KRING_CLOCK_H
#define KRING_CLOCK_H

#include <stdint.h>

/* Reads the time from path from now on; NULL goes back to the system clock. */
void clock_use_file(const char *path);
/* Seconds since 1970: the file's number when one is set and readable,
 * else the system clock. */
int64_t clock_now(void);

#endif
