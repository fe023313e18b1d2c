/*
 * item_store: what is written when an item is created, edited or deleted:
 * the input read and checked once for every kind (asking the kind for its
 * own fields, features/item_kind.h), the item row, its tags, the kind's
 * fields and the revision that records them, in the caller's transaction.
 */
#ifndef KRING_ITEM_STORE_H
#define KRING_ITEM_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct community_access;
struct db;
struct event;
struct item;
struct item_kind;
struct req;

struct item_input {
	const struct item_kind *kind;
	const char *title, *body, *language;
	const char **tags;
	int ntags;
	int64_t needed_by;
	void *own; /* the kind's input (kind->input_size bytes), or NULL */
};

/* Reads and checks an item of the kind from the request; field errors go
 * on model. When editing, current is the item as it is, and what the
 * request leaves out keeps its value. */
void item_input_read(struct req *r, json_t *model, const struct item_kind *kind, const char *default_language,
		     const struct item *current, struct item_input *in);
/* The input of an item as a revision recorded it (a JSON object as
 * item_revisions lists them), in the item's language and deadline. */
void item_input_from_revision(struct req *r, const struct item *it, json_t *revision, struct item_input *in);

/* The fields a form of the kind takes back when something is wrong, from
 * the request: title, body, tags, language, needed_by and the kind's own.
 * Only those sent, unless all (an edit form shows every field). */
json_t *item_input_values(struct req *r, const struct item_kind *kind, bool all);

/* Stores a new item (in community c, or on the author's profile when c is
 * NULL; under parent_id when not 0) and its first revision; its id, or 0
 * on a database error. */
int64_t item_store_insert(struct req *r, const struct community_access *c, int64_t parent_id,
			  const struct item_input *in);
/* Stores a new version of the item and its revision; restored is the
 * number of the version it brings back, or 0 for an edit; moderator_note
 * why a moderator changed someone else's item (features/moderator_edits.h),
 * NULL for the author's own change. */
bool item_store_edit(struct req *r, const struct item *it, const struct item_input *in, int64_t restored,
		     const char *moderator_note);
/* Deletes the item (softly). Each records its event (jobs/events.h), which
 * sets off the rest: the search index, the question's answer count, … */
bool item_store_delete(struct req *r, const struct item *it);
/* The in-step subscriber of post.approved (src/subscribers.c): dates an
 * item that waited for approval at its approval, when others first see
 * it, so that lists, feeds and digests take it as new
 * (features/premoderation.h). False on a database error. */
bool item_store_on_approved(struct db *db, const struct event *e);

#endif
