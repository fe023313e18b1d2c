/* event_lookup: the event a request names (see event_lookup.h). */
#include "features/event_lookup.h"

#include "features/items.h"
#include "http/req.h"
#include "i18n/i18n.h"

#include <string.h>

bool event_lookup(struct req *r, struct item *it)
{
	if (!items_load(r, req_path_param(r, "id"), it))
		return false;
	if (strcmp(it->kind, "event") != 0) {
		req_fail(r, 404, "not_found", N_("There is no such event."));
		return false;
	}
	return true;
}
