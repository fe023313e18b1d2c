/* webhooks: which events the site's webhook sends, and their messages (see
 * webhooks.h). */
#include "features/webhooks.h"

#include "auth/users.h"
#include "core/arena.h"
#include "core/mem.h"
#include "features/communities.h"
#include "features/features.h"
#include "features/items.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "jobs/webhook.h"
#include "render/links.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool webhooks_wants(struct db *db, const struct event *e)
{
	if (!json_is_true(json_object_get(e->payload, "public")))
		return false;
	struct arena a = {0};
	bool configured = admin_setting_get(db, &a, WEBHOOK_URL_SETTING) != NULL;
	arena_reset(&a);
	return configured;
}

/* The item as a signed-out visitor sees it: {"id", "kind", "title", "url",
 * "community", "author", "created_at"}, or NULL when such a visitor may
 * not read it (deleted, or its community is no longer public). An answer
 * has its question's title and its place on the question's page. */
static json_t *visible_item(struct req *r, int64_t id)
{
	struct item it, question;
	char id_text[24];
	snprintf(id_text, sizeof(id_text), "%lld", (long long)id);
	if (!items_load(r, id_text, &it) || !it.in_community || strcmp(it.access.visibility, "public") != 0)
		return NULL;
	const char *title = it.title, *url = link_item(&r->arena, it.id, it.title);
	if (it.parent_id) {
		snprintf(id_text, sizeof(id_text), "%lld", (long long)it.parent_id);
		if (!items_load(r, id_text, &question))
			return NULL;
		title = question.title;
		url = arena_printf(&r->arena, "%s#answer-%lld", link_item(&r->arena, question.id, question.title),
				   (long long)it.id);
	}
	struct user *author = users_get(r->db, &r->arena, it.author_id);
	return webhooks_item_json(&(struct webhooks_item){
		.id = it.id, .kind = it.kind, .title = title, .url = url, .community_slug = it.access.slug,
		.community_name = it.access.name, .author_handle = author ? author->handle : NULL,
		.author_name = author ? author->name : NULL, .created_at = it.created_at});
}

json_t *webhooks_item_json(const struct webhooks_item *it)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:I}", "id", (json_int_t)it->id, "kind", it->kind,
			 "title", it->title, "url", it->url, "community", "slug", it->community_slug, "name",
			 it->community_name, "author",
			 it->author_handle ? json_pack("{s:s, s:s}", "handle", it->author_handle, "name", it->author_name)
					   : json_null(),
			 "created_at", (json_int_t)it->created_at);
}

char *webhooks_body(const struct event *e, int64_t now, json_t *item)
{
	json_t *message = json_pack("{s:s, s:I, s:I, s:I, s:o}", "event", event_type_name(e->type), "sent_at",
				    (json_int_t)now, "happened_at", (json_int_t)e->created_at, "event_id",
				    (json_int_t)e->id, "item", item);
	char *body = json_dumps(message, JSON_COMPACT);
	json_decref(message);
	return body;
}

/* A deleted item as the event recorded it, while its community is public:
 * {"id", "kind", "title", "url", "community"}; an answer's title is its
 * question's while that question is visible. */
static json_t *deleted_item(struct req *r, const struct event *e)
{
	struct community_access c;
	if (!communities_access_id(r, e->community_id, &c) || strcmp(c.visibility, "public") != 0)
		return NULL;
	const char *kind = json_string_value(json_object_get(e->payload, "kind"));
	const char *title = json_string_value(json_object_get(e->payload, "title"));
	json_int_t parent_id = json_integer_value(json_object_get(e->payload, "parent_id"));
	const char *url = link_item(&r->arena, e->item_id, title ? title : "");
	if (parent_id) {
		struct item question;
		char id_text[24];
		snprintf(id_text, sizeof(id_text), "%lld", (long long)parent_id);
		if (!items_load(r, id_text, &question))
			return NULL;
		title = question.title;
		url = arena_printf(&r->arena, "%s#answer-%lld", link_item(&r->arena, question.id, question.title),
				   (long long)e->item_id);
	}
	return json_pack("{s:I, s:s, s:s, s:s, s:{s:s, s:s}}", "id", (json_int_t)e->item_id, "kind", kind ? kind : "",
			 "title", title ? title : "", "url", url, "community", "slug", c.slug, "name", c.name);
}

const char *webhooks_deliver(struct db *db, struct arena *a, const struct event *e, int64_t delivery, int64_t now)
{
	const char *url = admin_setting_get(db, a, WEBHOOK_URL_SETTING);
	const char *secret = admin_setting_get(db, a, WEBHOOK_SECRET_SETTING);
	/* Without an address (turned off since) or anything a visitor may
	 * read there is nothing to send, and the delivery is done. */
	if (!url)
		return NULL;
	if (!secret)
		return "the webhook has no signing secret; save its address again";
	struct req visitor = {.db = db, .locale = LOCALE_EN, .now = now};
	json_t *item = e->type == EVENT_ITEM_DELETED ? deleted_item(&visitor, e) : visible_item(&visitor, e->item_id);
	const char *error = NULL;
	if (item) {
		char *body = webhooks_body(e, now, item);
		long status;
		error = webhook_post(a, &(struct webhook_message){.url = url, .body = body,
								  .event = event_type_name(e->type),
								  .delivery = delivery, .secret = secret},
				     &status);
		json_text_free(body);
	}
	arena_reset(&visitor.arena);
	return error;
}
