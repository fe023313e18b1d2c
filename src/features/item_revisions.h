/* item_revisions: an item's history: every version, any two side by side,
 * and restoring one (as a new version). */
#ifndef KRING_ITEM_REVISIONS_H
#define KRING_ITEM_REVISIONS_H

#include <jansson.h>

struct req;

/* GET /items/{id}/revisions and POST /items/{id}/revisions/{n}/restore. */
json_t *items_revisions(struct req *r);
json_t *items_restore(struct req *r);

#endif
