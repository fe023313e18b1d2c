/* hidden: content a moderator hid (see hidden.h). */
#include "features/hidden.h"

#include <string.h>

bool hidden_kind_known(const char *kind)
{
	return kind && (strcmp(kind, "item") == 0 || strcmp(kind, "comment") == 0);
}

bool hidden_set(struct db *db, const char *kind, int64_t id, int64_t by, int64_t now)
{
	return db_exec(db,
		       "INSERT INTO hidden_content (subject_kind, subject_id, hidden_by, hidden_at) VALUES (?, ?, ?, ?)"
		       " ON CONFLICT (subject_kind, subject_id) DO NOTHING",
		       DB_ARGS(db_text(kind), db_int(id), by ? db_int(by) : db_null(), db_int(now))) >= 0;
}

bool hidden_clear(struct db *db, const char *kind, int64_t id)
{
	return db_exec(db, "DELETE FROM hidden_content WHERE subject_kind = ? AND subject_id = ?",
		       DB_ARGS(db_text(kind), db_int(id))) >= 0;
}

bool hidden_is(struct db *db, const char *kind, int64_t id)
{
	return db_exists(db, "SELECT 1 FROM hidden_content WHERE subject_kind = ? AND subject_id = ?",
			 DB_ARGS(db_text(kind), db_int(id)));
}
