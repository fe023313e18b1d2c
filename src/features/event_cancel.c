/* event_cancel: calling an event off (see event_cancel.h). Part of the
 * events feature: it owns the table event_cancellations and reads
 * event_details. */
#include "features/event_cancel.h"

#include "db/db.h"
#include "features/event_lookup.h"
#include "features/event_people.h"
#include "features/guests.h"
#include "features/items.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"

json_t *event_cancel(struct req *r)
{
	struct item it;
	if (!event_lookup(r, &it))
		return NULL;
	if (!event_people_hosts(r, &it))
		return req_fail(r, 403, "forbidden", N_("Only the event's hosts can cancel it."));
	struct db_stmt *st = db_query(r->db, "SELECT e.ends_at, c.cancelled_at FROM event_details e"
				      " LEFT JOIN event_cancellations c ON c.item_id = e.item_id WHERE e.item_id = ?",
				      DB_ARGS(db_int(it.id)));
	bool found = st && db_step(st) == DB_ROW;
	int64_t ends_at = found ? db_int_col(st, 0) : 0;
	bool cancelled = found && !db_null_col(st, 1);
	db_done(st);
	if (!found)
		return req_fail_internal(r);
	if (cancelled)
		return req_fail(r, 409, "already_cancelled", N_("The event is already cancelled."));
	if (r->now >= ends_at)
		return req_fail(r, 422, "event_ended", N_("The event is over: it can no longer be cancelled."));
	if (db_exec(r->db, "INSERT INTO event_cancellations (item_id, cancelled_by, cancelled_at) VALUES (?, ?, ?)",
		    DB_ARGS(db_int(it.id), db_int(r->user->id), db_int(r->now))) != 1 ||
	    !event_record(r->db, &(struct event){.type = EVENT_EVENT_CANCELLED, .actor_id = r->user->id,
						 .community_id = it.community_id, .item_id = it.id,
						 .created_at = r->now}) ||
	    !guests_tell_all(r->db, it.id, GUEST_CANCELLED, r->now))
		return req_fail_internal(r);
	return req_done(r, 200, link_item(&r->arena, it.id, it.title),
			json_pack("{s:b, s:I}", "cancelled", true, "cancelled_at", (json_int_t)r->now));
}
