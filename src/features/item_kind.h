/*
 * item_kind: what makes one kind of item (a question, an answer, an update,
 * a best practice, a method) different from another, as one row the item
 * core, the search index, the importer and the routes ask. Each kind is a
 * `const struct item_kind` in its own file; the table of kinds is
 * item_kinds[] in src/kinds.c. The core includes no kind's header.
 *
 * A kind with fields of its own keeps them in its own table and gives the
 * hooks below; a kind without (an update) leaves them NULL.
 */
#ifndef KRING_ITEM_KIND_H
#define KRING_ITEM_KIND_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct importer;
struct item;
struct req;

/* Where an item of the kind may be created. */
enum item_place {
	KIND_IN_COMMUNITY = 1 << 0, /* from a community's composer and /ask */
	KIND_ON_PROFILE = 1 << 1,   /* on its author's profile (POST /items) */
	KIND_UNDER_ITEM = 1 << 2,   /* under another item (an answer under its question) */
};

/* A field of the kind's own as its history shows it: the key in a
 * revision's fields and the label (a msgid). */
struct item_field {
	const char *key, *label;
};

struct item_kind {
	const char *name;          /* items.kind, and the "kind" field */
	const char *label;         /* msgid: "Best practice" */
	const char *compose_title; /* msgid of the composer's title: "Share a best practice" */
	const char *submit_label;  /* msgid of the composer's button: "Share" */
	unsigned places;           /* enum item_place */
	bool circle_only;          /* created only in circles (features/circles.h) */

	/* The title: the message when it is empty; NULL for a kind without
	 * a title (its title is ""). Its label on the plain form (msgid). */
	const char *title_missing;
	const char *title_label;
	/* The body: the field that carries it in forms and the API ("body",
	 * an article's "summary"), its label on the composer (msgid), its
	 * length limit and the messages when it is missing (NULL: it may be
	 * empty) and too long. */
	const char *body_field;
	const char *body_label;
	size_t body_max;
	const char *body_missing, *body_too_long;
	bool tagged;       /* takes tags (an answer has its question's) */
	bool has_deadline; /* takes "needed_by", a date it is needed by */
	bool answered;     /* others answer it; its page lists the answers */
	bool verifiable;   /* experts may verify it (features/experts.h) */

	/* The fields of its own beyond title, body, tags, language and
	 * needed_by, as a route's field list names them ("situation,
	 * contacts:list"), and their labels in the history; NULL when none. */
	const char *own_fields;
	const struct item_field *history_fields; /* ends with {NULL} */

	/* The hooks of a kind with fields of its own. input is input_size
	 * bytes, zeroed, that read, from_history or import fill and store and
	 * history read. */
	size_t input_size;
	/* Reads and checks the fields from the request; errors go on model
	 * (req_field_error). current is the item when editing: what the
	 * request leaves out keeps its value. */
	void (*read)(struct req *r, json_t *model, const struct item *current, void *input);
	/* Stores (or replaces) the fields in the caller's transaction. */
	bool (*store)(struct db *db, int64_t item_id, const void *input);
	/* The fields as the item's revision records them (a JSON object of
	 * texts and numbers that read well in a diff), and back. */
	json_t *(*history)(struct db *db, const void *input);
	void (*from_history)(struct req *r, json_t *fields, void *input);
	/* Reads the fields of an item from an import line (import/import.h);
	 * false after import_fail. */
	bool (*import)(struct importer *im, json_t *o, int64_t item_id, void *input);
	/* Keeps what the kind makes of an imported comment on its item (the
	 * comment's line o, its id); false after import_fail. NULL: nothing. */
	bool (*import_comment)(struct importer *im, json_t *o, int64_t item_id, int64_t comment_id);

	/* The item's page (and the API's item): sets what the kind adds. */
	void (*fill)(struct req *r, json_t *model, const struct item *it);
	/* The edit form's values of the fields (values has title and body). */
	void (*form_values)(struct req *r, json_t *values, int64_t item_id);
	/* What the composer and the edit form offer (an article's
	 * organisations), given the values shown. */
	void (*form_options)(struct req *r, json_t *model, json_t *values);

	/* Why the member may not add this comment to the item now (a case's
	 * round rule, as a msgid), or NULL when they may; NULL: always. */
	const char *(*comment_refused)(struct req *r, const struct item *it, const char *body);

	/* The text the search index takes from the kind's table besides the
	 * title, body and tags: a statement with ? for the item's id whose
	 * columns are Markdown texts; NULL when none. */
	const char *search_text_sql;
};

/* The kinds, in the order the composer offers them; ends with NULL.
 * Defined at the top level (src/kinds.c). */
extern const struct item_kind *const item_kinds[];

/* The kind of that name; NULL when there is none. */
const struct item_kind *item_kind_find(const char *name);

#endif
