/* items: everything people share (updates, questions, answers, …): what
 * every kind shares when read — lists with keyset pagination, counts, and
 * loading one for a viewer. Writing is item_store.h, the page item_page.h,
 * the history item_revisions.h, what differs per kind item_kind.h. */
#ifndef KRING_ITEMS_H
#define KRING_ITEMS_H

#include "auth/policy.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct arena;
struct db;
struct db_stmt;
struct db_value;
struct req;

/* The item `i` has an expert's verification (features/experts.h) that
 * holds now; binds the request's time (r->now). Lists filter and count by
 * it. */
#define VERIFIED_NOW_SQL \
	"EXISTS (SELECT 1 FROM verifications vv WHERE vv.item_id = i.id AND vv.expires_at > ?" \
	" AND vv.edited_at IS NULL)"

struct item_filter {
	const char *kind;       /* "question", "update", …; NULL: every kind but answers */
	bool verifiable;        /* only kinds experts verify (item_kind.verifiable) */
	int64_t community_id;   /* 0: any the viewer can see */
	int64_t author_id;
	int64_t org_id;
	const char *tag;        /* a normalised tag name */
	const char *const *tags_any; /* or: any of these tags */
	int ntags_any;
	int64_t member_of;      /* in this member's communities, or on a profile */
	const char *status;     /* questions: "unanswered", "answered", "accepted" */
	const char *language;   /* "en", "sv" or "nl" */
	/* A condition of a kind's own module on i, with ? for own_args (a
	 * method's duration, say): the module keeps its table to itself. */
	const char *own_sql;
	struct db_value own_args[4];
	int nown_args;
	int64_t updated_since;  /* created or edited at or after this time */
	int verified;           /* 1: a verification holds now; -1: none does */
	/* A search (features/search.h): joined to the items as h, with ? for
	 * join_args (the caller's), giving h.id and an integer h.rank; sort
	 * "rank" lists the highest rank first. Only items it joins are listed
	 * and counted. */
	const char *join_sql;
	const struct db_value *join_args;
	size_t njoin_args;
	/* Only these items (a search's matches, for describing them); NULL: any. */
	const int64_t *ids;
	size_t nids;
	const char *sort;       /* "newest" (default), "active", "reactions", "rank" */
	const char *cursor;     /* from the previous page's "next" */
	int limit;              /* default 20, at most 100 */
};

/* One page of items the viewer may see: {"items": [summary…], "next":
 * cursor or null}. A summary has id, kind, title, excerpt, url, author
 * {handle, name}, community {slug, name} or null, tags, counts and times.
 * Returns NULL after req_fail when the filter is invalid (a bad cursor) or
 * the list cannot be read. */
json_t *items_list(struct req *r, const struct item_filter *f);
/* A list's cursor: the sort's first letter and the last row's key and id,
 * "n:CREATED:ID" ("r:RANK:ID" for sort "rank"). False when it is not one. */
bool items_cursor_parse(const char *cursor, char sort, int64_t *key, int64_t *id);

/* How many items the viewer may see match the filter, per tag, organisation,
 * community, language or whether a verification holds: [{"value", "label",
 * "count"}], the most first (then by label), at most 50 values. The value
 * is the tag, slug, language code or "yes"/"no"; the label the tag or name
 * (the value itself for a language, "" for verified). */
enum item_count_by { COUNT_BY_TAG, COUNT_BY_ORG, COUNT_BY_COMMUNITY, COUNT_BY_LANGUAGE, COUNT_BY_VERIFIED };
json_t *items_count(struct req *r, const struct item_filter *f, enum item_count_by by);

/* Runs `select` (which reads items as i) with the filter's join and
 * conditions, the visibility rule first, and then tail (ORDER BY …): for
 * reading what a list's items have in common in one pass. NULL on error. */
struct db_stmt *items_query(struct req *r, const struct item_filter *f, const char *select, const char *tail);

/* One item as its handlers need it, loaded for r's viewer. */
struct item {
	int64_t id, community_id, author_id, parent_id, accepted_answer_id;
	int64_t created_at, edited_at, needed_by, answer_count;
	const char *kind, *title, *body, *language;
	const char *author_handle, *author_name; /* NULL when the account is gone */
	bool in_community;
	struct community_access access; /* when in_community */
	bool can_read, can_write, can_moderate, is_author;
	bool hidden; /* hidden by a moderator (features/hidden.h) */
	/* held for approval: "waiting" or "rejected" (with its reason),
	 * NULL when published (features/premoderation.h) */
	const char *pending, *rejection;
	/* what the policy lets the viewer do with it */
	bool can_edit, can_delete, can_accept;
};

/* Loads a live item the viewer may read; false (and a 404 via req_fail)
 * when it is missing, deleted or hidden from them. id_text is "123" or
 * "123-a-slug". */
bool items_load(struct req *r, const char *id_text, struct item *it);
/* For filling a list of item objects (each with an "id") with a statement
 * for the whole list: runs `head (?, ?, …)tail` with args followed by the
 * items' ids, and sets *index to the objects by id for items_indexed (the
 * caller json_decrefs it). NULL, and no index, when the list is empty. */
struct db_stmt *items_batch_query(struct db *db, json_t *items, const char *head, const char *tail,
				  const struct db_value *args, size_t nargs, json_t **index);
/* The object with the id in such an index; NULL when it is not there. */
json_t *items_indexed(json_t *index, int64_t id);
/* The item as the policy sees it: where it lives and who wrote it (a
 * comment or file on it: change kind and owner_id). */
struct policy_subject items_subject(const struct item *it);
/* Whether the viewer may add to the item (answer, comment, react); when not,
 * fails the request as the policy says: 409 in an archived community, 403
 * suspended, else 403 with the message (which says to join). */
bool items_may_write(struct req *r, const struct item *it, const char *join_msgid);
/* The live items under the item (a question's answers), the accepted one
 * first, at most max, each with the viewer's rights; an array of *n in r's
 * arena. */
struct item *items_answers(struct req *r, const struct item *question, size_t max, size_t *n);
/* "unanswered", "answered" or "accepted". */
const char *items_status(int64_t answers, bool accepted);
/* The translated label of a kind or a question's status; the code itself
 * when unknown. */
const char *items_label(struct req *r, const char *code);

/* The thread an item belongs to (the question of an answer, the item
 * itself otherwise) and the community it is in (0 for none). False when
 * there is no such item or the database failed (db_failed says which). */
bool items_thread(struct db *db, int64_t id, int64_t *thread, int64_t *community_id);

/* Whether the member has shared anything (a question, an answer, a post)
 * that is not deleted. */
bool items_has_posted(struct db *db, int64_t author_id);

#endif
