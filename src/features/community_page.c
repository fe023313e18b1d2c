/* community_page: a community's page (see community_page.h). */
#include "features/community_page.h"

#include "features/ambassadors.h"
#include "features/communities.h"
#include "features/events.h"
#include "features/feeds.h"
#include "features/follows.h"
#include "features/items.h"
#include "features/moderation_log.h"
#include "features/pins.h"
#include "features/subscriptions.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"

#include <string.h>

json_t *community_page(struct req *r)
{
	struct community_access a;
	if (!communities_access(r, req_path_param(r, "slug"), &a))
		return req_fail(r, 404, "not_found", N_("There is no such community."));
	bool invited = a.membership_state && strcmp(a.membership_state, "invited") == 0;
	if (!a.can_read && !invited)
		return req_fail(r, 404, "not_found", N_("There is no such community."));
	req_shows(r, CACHE_SCOPE_COMMUNITY, a.id);
	req_shows(r, CACHE_SCOPE_POSTS, a.id);
	json_t *model = communities_model(r, &a);
	json_object_set_new(model, "title", json_string(a.name));
	if (!a.can_read) {
		/* Someone invited to a private community sees only the invitation. */
		json_object_set_new(model, "invitation_only", json_true());
		return model;
	}
	struct item_filter stream = {.community_id = a.id, .cursor = req_query(r, "cursor")};
	json_t *items = items_list(r, &stream);
	if (!items) {
		json_decref(model);
		return NULL;
	}
	json_object_set_new(model, "stream", items);
	/* "Start here" (features/pins.h) and the public moderation log. */
	json_t *pins = pins_list(r, a.id);
	if (!pins) {
		json_decref(model);
		return NULL;
	}
	json_object_set_new(model, "start_here", json_pack("{s:o, s:b}", "items", pins, "any", json_array_size(pins) > 0));
	if (moderation_log_public(r->db, a.id))
		json_object_set_new(model, "moderation_log_url",
				    json_string(arena_printf(&r->arena, "%s/moderation-log", link_community(&r->arena, a.slug))));
	json_object_set_new(model, "next_events", events_upcoming(r, a.id, 3));
	json_object_set_new(model, "events_url",
			    json_string(arena_printf(&r->arena, "/events?community=%s", a.slug)));
	json_t *follow = follows_button(r, FOLLOW_COMMUNITY, a.id, link_community(&r->arena, a.slug));
	if (follow)
		json_object_set_new(model, "follow", follow);
	if (strcmp(a.visibility, "public") == 0) {
		feeds_offer(r, model, arena_printf(&r->arena, "%s/feed", link_community(&r->arena, a.slug)), a.name);
		json_t *subscribe = a.archived ? NULL : subscriptions_offer(r, link_community(&r->arena, a.slug));
		if (subscribe)
			json_object_set_new(model, "subscribe", subscribe);
	}
	struct item_filter open = {.kind = "question", .community_id = a.id, .status = "unanswered", .limit = 5};
	json_object_set_new(model, "open_questions", items_list(r, &open));
	json_object_set_new(model, "hosts", communities_people(r, a.id, "active", "host", 50, false));
	json_object_set_new(model, "ambassadors", ambassadors_of(r, a.id));
	json_object_set_new(model, "members", communities_people(r, a.id, "active", NULL, 24, true));
	return model;
}
