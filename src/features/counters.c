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

bool counters_comments(struct db *db, const struct event *e)
{
	if (e->type == EVENT_COMMENT_DELETED)
		return db_exec(db, "UPDATE items SET comment_count = comment_count - 1 WHERE id = ?",
			       DB_ARGS(db_int(e->item_id))) == 1;
	json_int_t question = json_integer_value(json_object_get(e->payload, "parent_id"));
	return db_exec(db, "UPDATE items SET comment_count = comment_count + CASE WHEN id = ? THEN 1 ELSE 0 END,"
			   " activity_at = ? WHERE id IN (?, ?)",
		       DB_ARGS(db_int(e->item_id), db_int(e->created_at), db_int(e->item_id),
			       db_int(question ? question : e->item_id))) >= 1;
}

bool counters_reactions(struct db *db, const struct event *e)
{
	if (e->object_id)
		return true; /* on a comment, which keeps no count */
	int delta = json_is_true(json_object_get(e->payload, "added")) ? 1 : -1;
	return db_exec(db, "UPDATE items SET reaction_count = reaction_count + ? WHERE id = ?",
		       DB_ARGS(db_int(delta), db_int(e->item_id))) == 1;
}

/* Counted again rather than moved by one: joining, leaving, an invitation
 * accepted or declined and a request approved change it in different
 * ways, and membership writes are few next to the views of the count. */
#define COUNT_MEMBERS_SQL                                                                               \
	"INSERT INTO community_counts (community_id, members)"                                          \
	" SELECT c.id, (SELECT COUNT(*) FROM memberships m WHERE m.community_id = c.id AND m.state = 'active')" \
	" FROM communities c WHERE "

#define COUNT_MEMBERS_UPSERT " ON CONFLICT (community_id) DO UPDATE SET members = excluded.members"

bool counters_members(struct db *db, const struct event *e)
{
	return db_exec(db, COUNT_MEMBERS_SQL "c.id = ?" COUNT_MEMBERS_UPSERT, DB_ARGS(db_int(e->community_id))) >= 0;
}

bool counters_members_all(struct db *db)
{
	return db_exec(db, COUNT_MEMBERS_SQL "true" COUNT_MEMBERS_UPSERT, DB_NOARGS) >= 0;
}
