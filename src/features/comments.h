/* comments: plain-text comments on any item, and reactions. */
#ifndef KRING_COMMENTS_H
#define KRING_COMMENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct item;
struct policy_subject;
struct req;

/* Sets "comments" on every object of the array (items, each with an "id"
 * and "can_react"): its live comments, oldest first, each with body_html,
 * its reactions (as reactions_fill's) and what the viewer may do with it;
 * with two queries for the whole list, as the policy says for a comment
 * on an item of place (items_subject of one of them: the items share a
 * community, a question and its answers). */
void comments_fill(struct req *r, json_t *items, const struct policy_subject *place);
/* Sets "reactions" on every object of the array (items, each with an "id"):
 * {"like": n, "thanks": n, "insightful": n, "mine": [kind…], "url": where
 * to post a reaction, "buttons": […]}, with one query for the whole list. */
void reactions_fill(struct req *r, json_t *items);

/* Loads the live comment of the path's {id}, whose item (into it) the
 * viewer may read, and which is not hidden from them; false after
 * answering 404. */
bool comments_load(struct req *r, int64_t *id, int64_t *author_id, struct item *it);

json_t *comments_create(struct req *r);
json_t *comments_edit(struct req *r);
json_t *comments_delete(struct req *r);
json_t *reactions_toggle(struct req *r);
json_t *comments_react(struct req *r);

#endif
