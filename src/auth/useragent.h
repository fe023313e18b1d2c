/* useragent: a readable name for the program behind a User-Agent header
 * ("Firefox" on "Windows"), for the list of a member's sessions. A guess
 * from well-known markers, never used to decide anything. */
#ifndef KRING_USERAGENT_H
#define KRING_USERAGENT_H

#include <stdbool.h>

struct useragent {
	const char *browser;  /* "Firefox", "Chrome", …; NULL when unknown */
	const char *platform; /* "Windows", "iPhone", …; NULL when unknown */
	bool program;         /* a script or command-line client, not a browser */
};

/* Reads ua (may be NULL). The names are static strings. */
void useragent_parse(const char *ua, struct useragent *out);

#endif
