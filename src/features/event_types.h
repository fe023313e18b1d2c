/*
 * event_types: the kinds of events (features/events.h). Four are built in
 * — talk, fika (a fika with a topic), workshop and meetup — with names
 * translated like every other string; admins add more at
 * /admin/event-types, each with a code (what events store and /events
 * filters by) and a name in English, Swedish and Dutch (an empty one is
 * the English one). Admins rename any kind, built in or not, and retire
 * it: a retired kind stays on the events that have it, shown by its name,
 * but a new event (or an event changed to another kind) cannot take it.
 * The event_types table belongs here; it holds the added kinds and what
 * admins changed of the built-in ones.
 */
#ifndef KRING_FEATURES_EVENT_TYPES_H
#define KRING_FEATURES_EVENT_TYPES_H

#include <jansson.h>
#include <stdbool.h>

struct db;
struct req;

/* Whether code is a kind of event, retired or not. False on a database
 * error too (the error is sticky). */
bool event_types_known(struct db *db, const char *code);
/* Whether an event may be given the kind: known and not retired. */
bool event_types_offered(struct db *db, const char *code);
/* The kind's name in the request's language; the code when unknown. */
const char *event_types_label(struct req *r, const char *code);
/* The kinds offered, for a form's or a filter's choice:
 * [{"value", "label", "selected"}], with chosen among them (selected)
 * even when it is retired. */
json_t *event_types_options(struct req *r, const char *chosen);

/* GET /admin/event-types: every kind with its names and whether it is
 * built in or retired. */
json_t *event_types_page(struct req *r);
/* POST /admin/event-types: a new kind (code, name_en, name_sv, name_nl);
 * 201 with it. */
json_t *event_types_add(struct req *r);
/* POST /admin/event-types/{code}: new names (one left out keeps its
 * value) and retired (true or false; left out keeps it); 200 with it. */
json_t *event_types_save(struct req *r);

#endif
