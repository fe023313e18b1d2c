/* updates: the update kind, a short post on what a member is working on,
 * in a community or on their profile ("working out loud"). */
#include "features/item_kind.h"

#include "i18n/i18n.h"

const struct item_kind kind_update = {
	.name = "update",
	.label = N_("Update"),
	.compose_title = N_("Post an update"),
	.submit_label = N_("Post"),
	.places = KIND_IN_COMMUNITY | KIND_ON_PROFILE,
	.body_field = "body",
	.body_label = N_("What are you working on?"),
	.body_max = 5000,
	.body_missing = N_("Write your update."),
	.body_too_long = N_("An update has at most 5000 characters."),
	.tagged = true,
};
