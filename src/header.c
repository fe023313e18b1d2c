/* header: what every page's header shows a signed-in member (see
 * render_member_header in render/render.h). It is at the top level because
 * it reaches above the renderer: notifications are a feature. */
#include "render/render.h"

#include "auth/account_states.h"
#include "features/conduct.h"
#include "features/notifications.h"
#include "http/req.h"

#include <jansson.h>
#include <string.h>

void render_member_header(struct req *r, json_t *me)
{
	/* The bell: read after the request's own span, as a page of its own
	 * would. */
	int64_t unread = r->db ? notifications_unread(r->db, r->user->id) : 0;
	if (unread > 0)
		json_object_set_new(me, "unread_notifications", json_integer(unread));
	/* A suspended member is told on every page until when, and why. */
	/* A newer code of conduct is to be read and accepted
	 * (features/conduct.h). */
	int64_t conduct = r->db ? conduct_to_accept(r->db, r->user->id) : 0;
	if (conduct > 0)
		json_object_set_new(me, "conduct_version", json_integer(conduct));
	if (r->user->status && strcmp(r->user->status, "suspended") == 0)
		json_object_set_new(me, "suspension",
				    json_string(account_states_suspension_text(&r->arena, r->locale, r->user)));
}
