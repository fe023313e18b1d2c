/* audit: the append-only log of moderation and admin actions (see audit.h). */
#include "features/audit.h"

#include "core/mem.h"
#include "http/req.h"
#include "jobs/events.h"

#include <stdlib.h>
#include <string.h>

bool audit_record(struct db *db, struct audit_entry *e)
{
	if (!e->detail)
		e->detail = json_object();
	char *detail = json_dumps(e->detail, JSON_COMPACT | JSON_SORT_KEYS);
	bool ok = detail &&
		  db_exec(db,
			  "INSERT INTO audit_log (actor_id, action, subject_kind, subject_id, community_id, reason,"
			  " detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			  DB_ARGS(e->actor_id ? db_int(e->actor_id) : db_null(), db_text(e->action),
				  db_text(e->subject_kind), db_int(e->subject_id),
				  e->community_id ? db_int(e->community_id) : db_null(), db_text(e->reason ? e->reason : ""),
				  db_text(detail), db_int(e->created_at))) == 1;
	json_text_free(detail);
	json_decref(e->detail);
	e->detail = NULL;
	return ok;
}

bool audit_by(struct req *r, const char *action, const char *subject_kind, int64_t subject_id, int64_t community_id,
	      const char *reason, json_t *detail)
{
	return audit_record(r->db, &(struct audit_entry){.actor_id = r->user ? r->user->id : 0, .action = action,
							 .subject_kind = subject_kind, .subject_id = subject_id,
							 .community_id = community_id, .reason = reason,
							 .detail = detail, .created_at = r->now});
}

bool audit_on_event(struct db *db, const struct event *e)
{
	json_t *reason = json_object_get(e->payload, "reason");
	return audit_record(db, &(struct audit_entry){
					.actor_id = e->actor_id, .action = event_type_name(e->type),
					.subject_kind = "member", .subject_id = e->member_id,
					.community_id = e->community_id, .reason = json_string_value(reason),
					.detail = e->payload ? json_deep_copy(e->payload) : NULL,
					.created_at = e->created_at});
}
