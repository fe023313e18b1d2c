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

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct item;
struct req;

#define METHOD_PURPOSE_MAX 1000

struct method_input {
	const char *when_to_use, *materials, *tips;
	const char *steps; /* one step per line, trimmed, no empty lines */
	int64_t duration, group_min, group_max;
};

/* Reads and checks the method's own fields from the request; field errors
 * go on model. When editing, current is the method as it is, and what the
 * request leaves out keeps its value. */
void methods_read(struct req *r, json_t *model, const struct item *current, struct method_input *in);
/* Stores (or replaces) the fields, inside the caller's transaction. */
bool methods_store(struct db *db, int64_t item_id, const struct method_input *in);
/* The fields as JSON, for the item's revision record. */
json_t *methods_revision_fields(const struct method_input *in);
/* The fields of a revision record back into in (strings in r's arena). */
void methods_from_revision(struct req *r, json_t *fields, struct method_input *in);
/* Sets "method", "purpose", "uses" and "variations" on a method's model. */
void methods_fill(struct req *r, json_t *model, const struct item *it);
/* Sets the values of a method's edit form on values. */
void methods_form_values(struct req *r, json_t *values, int64_t item_id);

/* Route handlers: the method book, "I used this" and its withdrawal, and
 * contributing a variation. */
json_t *methods_book(struct req *r);
json_t *methods_use(struct req *r);
json_t *methods_unuse(struct req *r);
json_t *methods_add_variation(struct req *r);

#endif
