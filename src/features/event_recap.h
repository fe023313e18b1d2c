/*
 * event_recap: what an event has besides its time, place and sign-up —
 * its hosts and speakers (features/event_people.h), a method from the
 * method book as its plan, and from its start on the hosts' recap (notes,
 * slides as files, "what we learned") and the best practice drafted from
 * it. This module owns the event_recaps table. The event kind
 * (features/events.c) reads, stores, records and shows these fields
 * through the hooks below, so an event's revision holds them all.
 *
 * The method is shown to a reader who may read it (features/methods.h),
 * else not at all. The recap is a write of the event (a revision, like
 * every edit) that only its hosts make, from the start on
 * (POST /items/{id}/recap). From the recap a host drafts a best practice
 * (POST /items/{id}/to-article): articles have no draft state, so the
 * draft is the composer of a best practice in the event's community,
 * filled in from the event; the article exists when the host publishes it
 * (the same address with publish=true), and the event then links to it.
 */
#ifndef KRING_FEATURES_EVENT_RECAP_H
#define KRING_FEATURES_EVENT_RECAP_H

#include "features/event_people.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct importer;
struct item;
struct req;

/* What an event adds to its details, as it is read and stored. */
struct event_extras {
	struct event_people people;
	int64_t method_id; /* 0: none */
	const char *notes, *learned;
};

/* The fields these add to the event kind's own fields (a route's field
 * list) and their labels in the history. */
#define EVENT_EXTRAS_FIELDS "hosts:people,speakers:people,method:int"

/* What search finds of an event besides its place: the recap's notes and
 * what was learned, as columns of the event kind's search_text_sql, which
 * joins them to its details (alias d). */
#define EVENT_RECAP_SEARCH_COLUMNS "COALESCE(x.notes, ''), COALESCE(x.learned, '')"
#define EVENT_RECAP_SEARCH_JOIN " LEFT JOIN event_recaps x ON x.item_id = d.item_id"

/* The event kind's hooks (features/item_kind.h) for these fields: item_id
 * is the event's, 0 for a new one; what the request leaves out keeps its
 * value. Notes and what was learned are read only where a route takes
 * them (the recap). */
void event_extras_read(struct req *r, json_t *model, int64_t item_id, struct event_extras *in);
bool event_extras_store(struct db *db, int64_t item_id, const struct event_extras *in);
void event_extras_history(struct db *db, json_t *fields, const struct event_extras *in);
void event_extras_from_history(struct req *r, json_t *fields, struct event_extras *in);
bool event_extras_import(struct importer *im, json_t *o, struct event_extras *in);
/* The best practice of an import line (import/import.h) that says it was
 * drawn from an event ("from_event": the event's ref): the event links to
 * it as when a host publishes one. True when the line says none; false
 * after import_fail. */
bool event_recap_import_article(struct importer *im, json_t *o, int64_t article_id);

/* Sets hosts, speakers, "plan" (the method, when the reader may read it),
 * "recap", "article" and the hosts' "can_recap" on the event's object;
 * started: whether the event has started; hosts: whether the viewer hosts
 * it (event_people_hosts). */
void event_extras_fill(struct req *r, json_t *event, const struct item *it, bool started, bool hosts);
void event_extras_form_values(struct req *r, json_t *values, int64_t item_id);

/* What POST /items/{id}/recap and /to-article (features/events.h) do with
 * the event it, which the viewer may read; started: whether it has
 * started. Both take its hosts only (403 for others), from its start on
 * (409 not_started before), in a community that is not archived.
 *
 * The recap: notes, learned (Markdown) and files; a new revision of the
 * event. */
json_t *event_recap_save(struct req *r, const struct item *it, bool started);
/* The draft of a best practice from the event; with publish=true and the
 * article's fields, the best practice itself (201), linked from the event,
 * with the event's files. 409 when the event has a best practice already. */
json_t *event_recap_to_article(struct req *r, const struct item *it, bool started);

#endif
