/* comments: plain-text comments on any item, and reactions. */
#ifndef KRING_COMMENTS_H
#define KRING_COMMENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct req;

/* Sets "comments" on every object of the array (items, each with an "id"
 * and "can_react"): its live comments, oldest first, each with body_html,
 * its reactions (as reactions_fill's) and what the viewer may do with it;
 * with two queries for the whole list. can_moderate: whether
 * the viewer may moderate the items (who may delete any comment). */
void comments_fill(struct req *r, json_t *items, bool can_moderate);
/* Sets "reactions" on every object of the array (items, each with an "id"):
 * {"like": n, "thanks": n, "insightful": n, "mine": [kind…], "url": where
 * to post a reaction, "buttons": […]}, with one query for the whole list. */
void reactions_fill(struct req *r, json_t *items);

json_t *comments_create(struct req *r);
json_t *comments_edit(struct req *r);
json_t *comments_delete(struct req *r);
json_t *reactions_toggle(struct req *r);
json_t *comments_react(struct req *r);

#endif
