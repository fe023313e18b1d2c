/* item_events: what an item's events carry (see item_events.h). */
#include "features/item_events.h"

#include "features/communities.h"

#include <string.h>

json_t *item_event_payload(const char *kind, const char *title, int64_t parent_id,
			   const struct community_access *c)
{
	json_t *o = json_pack("{s:s, s:s, s:b}", "kind", kind, "title", title ? title : "", "public",
			      c && strcmp(c->visibility, "public") == 0);
	if (parent_id)
		json_object_set_new(o, "parent_id", json_integer(parent_id));
	return o;
}
