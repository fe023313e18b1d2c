/*
 * item_page: an item as a page and as the API's object (with its answers,
 * tags, reactions, comments, files and verifications), and the forms that
 * create, edit and delete items of every kind.
 */
#ifndef KRING_ITEM_PAGE_H
#define KRING_ITEM_PAGE_H

#include <jansson.h>

struct community_access;
struct item;
struct req;

/* The composer's model for a new item of the kind in community c (NULL:
 * on the author's profile), with the values the person sent. */
json_t *items_composer_model(struct req *r, const char *kind, const struct community_access *c);
/* Creates the item the request describes (its kind from the field "kind",
 * a question by default) in community c, which the member may post in, or
 * on their profile when c is NULL: 201 with the item, or the composer's
 * model with field errors (422), or NULL after req_fail. */
json_t *items_create_in(struct req *r, const struct community_access *c);
/* The answer to a write that stored a new version of it: 200 with the
 * item as it now is. */
json_t *item_page_saved(struct req *r, struct item *it);

/* Route handlers. */
json_t *items_page(struct req *r);
json_t *items_edit_form(struct req *r);
json_t *items_edit(struct req *r);
json_t *items_delete(struct req *r);
json_t *items_composer(struct req *r);
json_t *items_create_in_community(struct req *r);
json_t *items_create_on_profile(struct req *r);

#endif
