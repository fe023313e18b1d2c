/*
 * hidden: content a moderator hid from the review queue
 * (features/moderation.h), the owner of the hidden_content table. Hiding
 * is reversible: the content stays as it was and comes back when it is
 * shown again.
 *
 * Hidden content is gone for everyone but its author and the site's
 * moderators (the policy's POLICY_NOT_HIDDEN_SQL, part of
 * POLICY_ITEM_VISIBLE_SQL, so every list, count, search, feed, digest and
 * notification leaves it out), and its page answers 404 to them; the
 * community's hosts see it on its page too, marked hidden. An answer to a
 * hidden question goes with it in lists.
 */
#ifndef KRING_HIDDEN_H
#define KRING_HIDDEN_H

#include "db/db.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct arena;

/* What can be hidden: "item" (an answer too) or "comment". */
bool hidden_kind_known(const char *kind);

/* Hides the content, by the moderator by (0: by itself, features/ladder.h;
 * a moderator hiding it again takes it over); false on a database error. */
DB_MUST_CHECK bool hidden_set(struct db *db, const char *kind, int64_t id, int64_t by, int64_t now);
/* Shows it again; false on a database error. */
DB_MUST_CHECK bool hidden_clear(struct db *db, const char *kind, int64_t id);
/* Whether it was hidden by itself (features/ladder.h: by no one, pending
 * review), not by a moderator. */
bool hidden_automatically(struct db *db, const char *kind, int64_t id);
/* Whether it is hidden (false on a database error too: db_failed says). */
bool hidden_is(struct db *db, const char *kind, int64_t id);
/* Whether the item or the other one (its question; 0: none) is hidden, in
 * one statement. */
bool hidden_item_or(struct db *db, int64_t id, int64_t other);
/* The hidden answers of a question, into *ids (in a): how many; -1 on a
 * database error. One statement however many answers it has. */
ssize_t hidden_answers(struct db *db, struct arena *a, int64_t question, int64_t **ids);

#endif
