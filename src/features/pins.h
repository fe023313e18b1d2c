/*
 * pins: posts pinned as "start here" in a community, shown first on its
 * page in the order they were pinned. The table community_pins belongs
 * here.
 *
 *   POST /items/{id}/pin    pins a post (not an answer) of a community
 *   POST /items/{id}/unpin  takes the pin away
 *
 * Who may pin is the policy's POLICY_PIN: the community's hosts and
 * ambassadors (features/ambassadors.h), and moderators and admins who can
 * read it. A community has at most PINS_MAX pinned posts (409
 * too_many_pins beyond). A pinned post that is deleted or hidden leaves
 * the list as it leaves every other (POLICY_ITEM_VISIBLE_SQL). Each pin
 * and unpin is an audit entry (item.pinned, item.unpinned).
 */
#ifndef KRING_PINS_H
#define KRING_PINS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct item;
struct req;

#define PINS_MAX 5

json_t *pins_pin(struct req *r);
json_t *pins_unpin(struct req *r);

/* The community's pinned posts the viewer may read, as items_list's
 * summaries, in pin order; NULL after answering on a database error. */
json_t *pins_list(struct req *r, int64_t community_id);

/* For an item's page: {"pinned", "can_pin"} for a post of a community;
 * NULL for an answer or an update on a profile. */
json_t *pins_item_model(struct req *r, const struct item *it);

/* Pins the item last in its community, for an import (no audit entry, no
 * limit checked). False on a database error. */
bool pins_store(struct db *db, int64_t community_id, int64_t item_id, int64_t now);

/* Whether the item is pinned. */
bool pins_is_pinned(struct db *db, int64_t item_id);

#endif
