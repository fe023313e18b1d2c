/*
 * methods: the method book. A method is an item (title, its purpose as the
 * body, tags, community) with the plan of a workshop or process: when to
 * use it, how long it takes, for how many people, materials, numbered
 * steps and facilitation tips. Members mark "I used this" with a note and
 * contribute variations. This module owns the methods, method_uses and
 * method_variations tables and the list at /methods.
 */
#ifndef KRING_METHODS_H
#define KRING_METHODS_H

#include "features/item_kind.h"

#include <jansson.h>
#include <stdint.h>

struct req;

extern const struct item_kind kind_method;

/* Route handlers: the method book, "I used this" and its withdrawal, and
 * contributing a variation. */
json_t *methods_book(struct req *r);
json_t *methods_use(struct req *r);
json_t *methods_unuse(struct req *r);
json_t *methods_add_variation(struct req *r);

/* A method as another item's plan (an event's, features/event_recap.h):
 * {"id", "title", "url", "duration" (minutes), "step_count"} when it is a
 * live method the viewer may read; NULL otherwise. */
json_t *methods_plan(struct req *r, int64_t method_id);

#endif
