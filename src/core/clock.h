/* clock: the time features reason about (when a verification lapses).
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
