/* subscription_digests: the digests of subscribers without an account (see
 * subscription_digests.h). */
#include "features/subscription_digests.h"

#include "auth/policy.h"
#include "core/arena.h"
#include "core/grow.h"
#include "db/db.h"
#include "features/digest_mail.h"
#include "features/digests.h"
#include "features/subscriptions.h"
#include "i18n/i18n.h"
#include "jobs/jobs.h"
#include "render/links.h"

#include <stdio.h>
#include <string.h>
#include <sys/types.h>

/* The most rows one digest looks at; a digest shows DIGEST_MAX_LINES and
 * says how many more there are, so past this it only counts short. */
#define DIGEST_EVENTS 500
/* Subscriptions read at a time. */
#define BATCH 100
#define DB_ERROR "a database error (see the log)"

bool subscription_digests_schedule(struct db *db, int64_t now)
{
	char key[64];
	snprintf(key, sizeof(key), "subscription_digests:%lld", (long long)(now / 3600));
	return jobs_enqueue(db, "subscription_digests", "{}", now, now, key);
}

/* One subscription as the job reads it. */
struct subscriber {
	int64_t id, community_id, last_digest_at;
	const char *name, *email, *secret, *community, *slug;
	bool weekly;
	int locale;
};

/* What happened in a community in the period that a subscriber is told
 * of, as a visitor would see it now: new posts, answers accepted (and
 * still the accepted one), items verified (and still verified). The item
 * is i: the post, the question whose answer was accepted, the item
 * verified; q is an answer's question. Binds: the community, the period's
 * start and end, the time now, the policy's viewer (0: a visitor) and the
 * most rows. */
#define COMMUNITY_SQL \
	"SELECT e.type, i.id, i.kind, i.title, i.parent_id, i.accepted_answer_id, q.title, ic.name, e.object_id" \
	" FROM events e JOIN items i ON i.id = e.item_id LEFT JOIN items q ON q.id = i.parent_id" \
	" JOIN communities ic ON ic.id = i.community_id" \
	" WHERE e.community_id = ? AND e.created_at > ? AND e.created_at <= ? AND (" \
	"(e.type = 'item.created' AND i.parent_id IS NULL) OR" \
	" (e.type = 'answer.accepted' AND i.accepted_answer_id = e.object_id AND EXISTS (SELECT 1 FROM items ea" \
	" WHERE ea.id = e.object_id AND ea.deleted_at IS NULL)) OR" \
	" (e.type = 'item.verified' AND EXISTS (SELECT 1 FROM verifications v WHERE v.item_id = i.id" \
	" AND v.expires_at > ?)))" \
	" AND " POLICY_ITEM_VISIBLE_SQL " ORDER BY e.id LIMIT ?"

/* The catalogue's new best practices, in the same columns. Binds: the
 * period's start and end, the policy's viewer and the most rows. */
#define CATALOGUE_SQL \
	"SELECT 'item.created', i.id, i.kind, i.title, i.parent_id, i.accepted_answer_id, NULL, ic.name, 0" \
	" FROM items i JOIN communities ic ON ic.id = i.community_id" \
	" WHERE i.kind = 'article' AND i.created_at > ? AND i.created_at <= ?" \
	" AND " POLICY_ITEM_VISIBLE_SQL " ORDER BY i.created_at, i.id LIMIT ?"

/* The page of an item: an answer's is its question's, at the answer. */
static const char *item_path(struct arena *a, int64_t id, const char *title, int64_t question,
			     const char *question_title)
{
	if (!question)
		return link_item(a, id, title);
	return arena_printf(a, "%s#answer-%lld", link_item(a, question, question_title), (long long)id);
}

/* Where an item created in the period goes; -1: nowhere (an answered
 * question is told by its accepted answer). */
static int created_section(const char *kind, bool answered)
{
	if (strcmp(kind, "question") == 0)
		return answered ? -1 : DIGEST_UNANSWERED;
	if (strcmp(kind, "article") == 0 || strcmp(kind, "method") == 0)
		return DIGEST_PRACTICES;
	return DIGEST_OTHER;
}

/* The digest's lines for the period (since, now], in a; how many, or -1
 * on a database error. */
static ssize_t digest_lines(struct db *db, struct arena *a, const struct subscriber *s, int64_t now,
			    struct digest_line **out)
{
	struct digest_line *lines = NULL;
	int64_t *ids = NULL; /* each line's item, so that one is told once per section */
	size_t n = 0, cap = 0, idcap = 0;
	struct db_stmt *st =
		s->community_id
			? db_query(db, COMMUNITY_SQL,
				   DB_ARGS(db_int(s->community_id), db_int(s->last_digest_at), db_int(now), db_int(now),
					   POLICY_ITEM_VISIBLE_ARGS(0), db_int(DIGEST_EVENTS)))
			: db_query(db, CATALOGUE_SQL,
				   DB_ARGS(db_int(s->last_digest_at), db_int(now), POLICY_ITEM_VISIBLE_ARGS(0),
					   db_int(DIGEST_EVENTS)));
	while (st && db_step(st) == DB_ROW) {
		const char *type = db_text_col(st, 0), *kind = db_text_col(st, 2);
		int64_t id = db_int_col(st, 1), question = db_null_col(st, 4) ? 0 : db_int_col(st, 4);
		const char *title = db_text_col(st, 3), *question_title = db_text_col(st, 6);
		int section;
		const char *path;
		if (strcmp(type, "item.created") == 0) {
			section = created_section(kind, !db_null_col(st, 5));
			path = item_path(a, id, title, 0, NULL);
		} else if (strcmp(type, "answer.accepted") == 0) {
			section = DIGEST_ACCEPTED;
			path = item_path(a, db_int_col(st, 8), NULL, id, title);
		} else {
			section = DIGEST_VERIFIED;
			path = item_path(a, id, title, question, question_title);
		}
		bool told = section < 0;
		for (size_t k = 0; k < n && !told; k++)
			told = ids[k] == id && (int)lines[k].section == section;
		if (told)
			continue;
		GROW_ARENA(a, lines, n, cap);
		GROW_ARENA(a, ids, n, idcap);
		ids[n] = id;
		lines[n++] = (struct digest_line){
			.section = (enum digest_section)section,
			.title = arena_strdup(a, question ? question_title : *title ? title : i18n_get(s->locale,
												   N_("Update"))),
			.path = path,
			.where = s->community_id ? NULL : arena_strdup(a, db_text_col(st, 7)),
		};
	}
	db_done(st);
	if (db_failed(db))
		return -1;
	*out = lines;
	return (ssize_t)n;
}

/* The subscriber's digest, when due: made, queued and recorded in one
 * transaction. The UPDATE moves the period on only from the value read,
 * so of two runs that read it, one sends and the other finds nothing to
 * do. False on a database error. */
static bool send_one(struct db *db, const struct subscriber *s, int64_t now)
{
	struct arena a = {0};
	struct digest_line *lines = NULL;
	bool ok = db_begin(db);
	int64_t won = ok ? db_exec(db, "UPDATE subscriptions SET last_digest_at = ? WHERE id = ? AND last_digest_at = ?",
				   DB_ARGS(db_int(now), db_int(s->id), db_int(s->last_digest_at)))
			 : -1;
	ssize_t nlines = won == 1 ? digest_lines(db, &a, s, now, &lines) : 0;
	if (won < 0 || nlines < 0) {
		ok = false;
	} else if (nlines > 0) {
		struct digest_mail d = {
			.kind = "subscription_digest",
			.to_name = s->name,
			.to_address = s->email,
			.locale = s->locale,
			.weekly = s->weekly,
			.about = subscriptions_about(&a, s->locale, s->community),
			.lines = lines,
			.nlines = (size_t)nlines,
			.rest_path = s->community_id ? link_community(&a, s->slug) : "/articles",
			.unsubscribe_url = subscriptions_unsubscribe_url(&a, s->secret),
		};
		ok = digest_mail_queue(db, &a, &d, now);
	}
	ok = ok && db_commit(db);
	if (!ok)
		db_rollback(db);
	arena_reset(&a);
	return ok;
}

/* The confirmed subscriptions of the pace whose digest is due (none since
 * the time it was due), after the id `after`, at most BATCH; how many, or
 * -1 on a database error. */
static ssize_t due(struct db *db, struct arena *a, bool weekly, int64_t now, int64_t after, struct subscriber *out)
{
	struct db_stmt *st = db_query(
		db,
		"SELECT s.id, s.community_id, s.last_digest_at, s.name, s.email, s.secret, s.locale, c.name, c.slug"
		" FROM subscriptions s LEFT JOIN communities c ON c.id = s.community_id"
		" WHERE s.confirmed_at IS NOT NULL AND s.pace = ? AND s.last_digest_at < ? AND s.id > ?"
		" ORDER BY s.id LIMIT ?",
		DB_ARGS(db_text(weekly ? "weekly" : "daily"), db_int(digests_due_at(now, weekly)), db_int(after),
			db_int(BATCH)));
	ssize_t n = 0;
	while (st && db_step(st) == DB_ROW) {
		int locale = i18n_locale_index(db_text_col(st, 6));
		out[n++] = (struct subscriber){
			.id = db_int_col(st, 0),
			.community_id = db_null_col(st, 1) ? 0 : db_int_col(st, 1),
			.last_digest_at = db_int_col(st, 2),
			.name = arena_strdup(a, db_text_col(st, 3)),
			.email = arena_strdup(a, db_text_col(st, 4)),
			.secret = arena_strdup(a, db_text_col(st, 5)),
			.community = db_null_col(st, 7) ? NULL : arena_strdup(a, db_text_col(st, 7)),
			.slug = db_null_col(st, 8) ? NULL : arena_strdup(a, db_text_col(st, 8)),
			.weekly = weekly,
			.locale = locale >= 0 ? locale : LOCALE_EN,
		};
	}
	db_done(st);
	return db_failed(db) ? -1 : n;
}

static bool send_pace(struct db *db, bool weekly, int64_t now)
{
	struct subscriber batch[BATCH];
	int64_t after = 0;
	for (;;) {
		struct arena a = {0};
		ssize_t n = due(db, &a, weekly, now, after, batch);
		bool ok = n >= 0;
		for (ssize_t i = 0; ok && i < n; i++)
			ok = send_one(db, &batch[i], now);
		after = n > 0 ? batch[n - 1].id : after;
		arena_reset(&a);
		if (!ok)
			return false;
		if (n < BATCH)
			return true;
	}
}

const char *subscription_digests_send(struct db *db, struct arena *a, const struct job *job, int64_t now)
{
	(void)a;
	(void)job;
	if (!send_pace(db, false, now) || !send_pace(db, true, now))
		return DB_ERROR;
	return NULL;
}
