/* hidden: content a moderator hid (see hidden.h). */
#include "features/hidden.h"

#include "core/arena.h"
#include "core/grow.h"

#include <string.h>

bool hidden_kind_known(const char *kind)
{
	return kind && (strcmp(kind, "item") == 0 || strcmp(kind, "comment") == 0);
}

bool hidden_set(struct db *db, const char *kind, int64_t id, int64_t by, int64_t now)
{
	return db_exec(db,
		       "INSERT INTO hidden_content (subject_kind, subject_id, hidden_by, hidden_at) VALUES (?, ?, ?, ?)"
		       " ON CONFLICT (subject_kind, subject_id) DO UPDATE SET hidden_by ="
		       " COALESCE(hidden_content.hidden_by, excluded.hidden_by)",
		       DB_ARGS(db_text(kind), db_int(id), by ? db_int(by) : db_null(), db_int(now))) >= 0;
}

bool hidden_clear(struct db *db, const char *kind, int64_t id)
{
	return db_exec(db, "DELETE FROM hidden_content WHERE subject_kind = ? AND subject_id = ?",
		       DB_ARGS(db_text(kind), db_int(id))) >= 0;
}

bool hidden_automatically(struct db *db, const char *kind, int64_t id)
{
	return db_exists(db,
			 "SELECT 1 FROM hidden_content WHERE subject_kind = ? AND subject_id = ? AND hidden_by IS NULL",
			 DB_ARGS(db_text(kind), db_int(id)));
}

bool hidden_is(struct db *db, const char *kind, int64_t id)
{
	return db_exists(db, "SELECT 1 FROM hidden_content WHERE subject_kind = ? AND subject_id = ?",
			 DB_ARGS(db_text(kind), db_int(id)));
}

bool hidden_item_or(struct db *db, int64_t id, int64_t other)
{
	return db_exists(db, "SELECT 1 FROM hidden_content WHERE subject_kind = 'item' AND subject_id IN (?, ?)",
			 DB_ARGS(db_int(id), db_int(other)));
}

ssize_t hidden_answers(struct db *db, struct arena *a, int64_t question, int64_t **ids)
{
	int64_t *out = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st = db_query(db,
				      "SELECT h.subject_id FROM hidden_content h JOIN items i ON i.id = h.subject_id"
				      " WHERE h.subject_kind = 'item' AND i.parent_id = ?",
				      DB_ARGS(db_int(question)));
	while (st && db_step(st) == DB_ROW) {
		GROW_ARENA(a, out, n, cap);
		out[n++] = db_int_col(st, 0);
	}
	db_done(st);
	*ids = out;
	return db_failed(db) ? -1 : (ssize_t)n;
}
