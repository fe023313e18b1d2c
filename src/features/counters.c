/* counters: counts kept by events (see counters.h). */
#include "features/counters.h"

#include "db/db.h"
#include "jobs/events.h"

bool counters_answers(struct db *db, const struct event *e)
{
	json_int_t question = json_integer_value(json_object_get(e->payload, "parent_id"));
	if (!question)
		return true;
	if (e->type == EVENT_ITEM_CREATED)
		return db_exec(db, "UPDATE items SET answer_count = answer_count + 1, activity_at = ? WHERE id = ?",
			       DB_ARGS(db_int(e->created_at), db_int(question))) == 1;
	/* A deleted answer leaves its question's count, and its acceptance. */
	return db_exec(db, "UPDATE items SET answer_count = answer_count - 1,"
			   " accepted_answer_id = CASE WHEN accepted_answer_id = ? THEN NULL"
			   " ELSE accepted_answer_id END WHERE id = ?",
		       DB_ARGS(db_int(e->item_id), db_int(question))) == 1;
}
