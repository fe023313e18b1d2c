/* items: everything people share (updates, questions, answers, …): the
 * common machinery of creating, editing with revisions, deleting, and
 * listing with keyset pagination. */
#ifndef KRING_ITEMS_H
#define KRING_ITEMS_H

#include <jansson.h>
#include <stdint.h>

struct req;

struct item_filter {
	const char *kind;       /* "question", "update", …; NULL: every kind but answers */
	int64_t community_id;   /* 0: any the viewer can see */
	int64_t author_id;
	int64_t org_id;
	const char *tag;        /* a normalised tag name */
	const char *status;     /* questions: "unanswered", "answered", "accepted" */
	const char *sort;       /* "newest" (default), "active", "reactions" */
	const char *cursor;     /* from the previous page's "next" */
	int limit;              /* default 20, at most 100 */
};

/* One page of items the viewer may see: {"items": [summary…], "next":
 * cursor or null}. A summary has id, kind, title, excerpt, url, author
 * {handle, name}, community {slug, name} or null, tags, counts and times.
 * Returns NULL after req_fail when the filter is invalid (a bad cursor). */
json_t *items_list(struct req *r, const struct item_filter *f);

#endif
