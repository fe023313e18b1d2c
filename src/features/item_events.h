/*
 * item_events: the payload of an item's events (item.created, .edited,
 * .restored, .deleted; docs/events.md), made where the item is written.
 */
#ifndef KRING_ITEM_EVENTS_H
#define KRING_ITEM_EVENTS_H

#include <jansson.h>
#include <stdint.h>

struct community_access;

/* {"kind", "title", "public", "parent_id"}: public when anyone may read
 * the item (in a public community, c; NULL for a profile's item);
 * parent_id, an answer's question, only when there is one. */
json_t *item_event_payload(const char *kind, const char *title, int64_t parent_id,
			   const struct community_access *c);

#endif
