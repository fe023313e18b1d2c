/*
 * webhooks: the site webhook's event subscriber (src/subscribers.c). Items
 * created, edited, restored and deleted in a public community go out; the
 * message is made when the jobs worker delivers it, from the item as a
 * signed-out visitor sees it then, so nothing that has become hidden is
 * sent (docs/webhooks.md). jobs/webhook.c signs and posts it.
 */
#ifndef KRING_FEATURES_WEBHOOKS_H
#define KRING_FEATURES_WEBHOOKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct event;

/* What a message says about a live item (the same for the site's webhook
 * and those of communities). An answer has its question's title and its
 * place on the question's page as url. */
struct webhooks_item {
	int64_t id;
	const char *kind, *title, *url;
	const char *community_slug, *community_name;
	const char *author_handle, *author_name; /* NULL: the account is gone */
	int64_t created_at;
};
/* {"id", "kind", "title", "url", "community": {"slug", "name"}, "author":
 * {"handle", "name"} or null, "created_at"} */
json_t *webhooks_item_json(const struct webhooks_item *it);
/* The signed JSON message of the event as text (json_text_free it):
 * {"event", "sent_at", "happened_at", "event_id", "item"}. Takes item. */
char *webhooks_body(const struct event *e, int64_t now, json_t *item);

/* Whether the event goes out: the site has a webhook and the item was
 * public when it happened. */
bool webhooks_wants(struct db *db, const struct event *e);
/* Posts the event's message; see struct event_subscriber. */
const char *webhooks_deliver(struct db *db, struct arena *a, const struct event *e, int64_t delivery, int64_t now);

#endif
