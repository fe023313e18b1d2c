/* route_table: the routes of src/routes.c as the tests that walk every
 * route read them, and the API address of a route with its {names}
 * filled in. */
#ifndef KRING_TEST_ROUTE_TABLE_H
#define KRING_TEST_ROUTE_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct route_line {
	char method[8];    /* "GET" or "POST" */
	char pattern[128]; /* "/items/{id}/report" */
	char flags[256];   /* the text after the handler: "ROUTE_AUTH | …" */
};

/* Every GET and POST line of src/routes.c (under $KRING_SRC), at most max,
 * into out; fails the test when there are none or more than max. */
size_t route_table_read(struct route_line *out, size_t max);

/* What fills a pattern's {names}: slug, handle, tag, kind and decision by
 * name, and every other name (id, …) the item's id. */
struct route_values {
	int64_t item;
	const char *slug, *handle, *tag, *kind, *decision;
};

/* "/api/v1" + the pattern filled in (static storage: the next call
 * overwrites it). */
const char *route_table_address(const char *pattern, const struct route_values *v);

#endif
