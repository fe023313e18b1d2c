/*
 * webhooks: the site webhook's event subscriber (src/subscribers.c). Items
 * created, edited, restored and deleted in a public community go out; the
 * message is made when the jobs worker delivers it, from the item as a
 * signed-out visitor sees it then, so nothing that has become hidden is
 * sent (docs/webhooks.md). jobs/webhook.c signs and posts it.
 */
#ifndef KRING_FEATURES_WEBHOOKS_H
#define KRING_FEATURES_WEBHOOKS_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct event;

/* Whether the event goes out: the site has a webhook and the item was
 * public when it happened. */
bool webhooks_wants(struct db *db, const struct event *e);
/* Posts the event's message; see struct event_subscriber. */
const char *webhooks_deliver(struct db *db, struct arena *a, const struct event *e, int64_t delivery, int64_t now);

#endif
