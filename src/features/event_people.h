/*
 * event_people: the hosts and speakers an event names, each a member (by
 * handle) or a guest by name, at most 10 of each, in the order given. A
 * member named as a host runs the event as its author does (sign-up, the
 * attendees, the recap, the best practice drawn from it). This module owns
 * the event_people table; the event kind (features/events.c) reads, stores
 * and shows them through features/event_recap.h.
 *
 * In forms and revisions they are text, one per line: "@handle" for a
 * member (a line of handles may separate them with commas), anything else a
 * guest's name. The API takes an array of handles and {"name": …} objects
 * (the field kind "people", http/router.h) and answers
 * [{"handle", "name", "url"} | {"name", "handle": null, "guest": true}].
 */
#ifndef KRING_FEATURES_EVENT_PEOPLE_H
#define KRING_FEATURES_EVENT_PEOPLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct importer;
struct item;
struct req;

#define EVENT_PEOPLE_MAX 10

/* One host or speaker: a member (user_id) or a guest (name). */
struct event_person {
	int64_t user_id;
	const char *name;
};

struct event_people {
	struct event_person hosts[EVENT_PEOPLE_MAX], speakers[EVENT_PEOPLE_MAX];
	int nhosts, nspeakers;
};

/* Whether r's member hosts the event: its author, a host of its community
 * (or an admin who can read it), or a member it names as a host. */
bool event_people_hosts(struct req *r, const struct item *it);

/* Reads "hosts" and "speakers" from the request; a field the request leaves
 * out keeps the event's (item_id; 0 for a new one). Field errors go on
 * model: a handle that names no member, more than 10, a guest's name too
 * long. */
void event_people_read(struct req *r, json_t *model, int64_t item_id, struct event_people *in);
/* Replaces the event's hosts and speakers, in the caller's transaction. */
bool event_people_store(struct db *db, int64_t item_id, const struct event_people *in);
/* Adds "hosts" and "speakers" as the revision records them (text, one per
 * line) to fields, and reads them back (members gone are left out). */
void event_people_history(struct db *db, json_t *fields, const struct event_people *in);
void event_people_from_history(struct req *r, json_t *fields, struct event_people *in);
/* Reads "hosts" and "speakers" of an import line: arrays of handles of
 * people defined above and {"name": …}; false after import_fail. */
bool event_people_import(struct importer *im, json_t *o, struct event_people *in);
/* The event's stored hosts and speakers. */
void event_people_load(struct req *r, int64_t item_id, struct event_people *out);
/* Sets "hosts" and "speakers" on the event's object, for reading. */
void event_people_fill(struct req *r, json_t *event, int64_t item_id);
/* Sets the edit form's "hosts" and "speakers" values. */
void event_people_form_values(struct req *r, json_t *values, int64_t item_id);

#endif
