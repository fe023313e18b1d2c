/* comments: plain-text comments on any item, and reactions. */
#ifndef KRING_COMMENTS_H
#define KRING_COMMENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct req;

/* The item's live comments, oldest first, each with body_html and what the
 * viewer may do with it. */
json_t *comments_of_item(struct req *r, int64_t item_id, bool can_moderate);
/* {"like": n, "thanks": n, "insightful": n, "mine": [...]} */
json_t *items_reactions_json(struct req *r, int64_t item_id);

json_t *comments_create(struct req *r);
json_t *comments_edit(struct req *r);
json_t *comments_delete(struct req *r);
json_t *reactions_toggle(struct req *r);

#endif
