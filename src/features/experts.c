/* experts: experts per tag and verification (see experts.h). */
#include "features/experts.h"

#include "auth/policy.h"
#include "auth/users.h"
#include "core/text.h"
#include "db/db.h"
#include "features/audit.h"
#include "features/communities.h"
#include "features/item_kind.h"
#include "features/items.h"
#include "features/tags.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"
#include "render/render.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOTE_MAX 500
#define DEFAULT_ENDORSEMENTS 3
#define DEFAULT_MONTHS 12
#define EXPERTS_SHOWN 200

/* Endorsements that count: those of members who are experts in the tag. */
#define COUNTING_ENDORSEMENTS \
	" FROM expert_endorsements d JOIN tag_experts x ON x.tag_id = d.tag_id AND x.user_id = d.endorser_id"

/* A numeric site setting (admin.c keeps the choices), or fallback. */
static int64_t setting_number(struct db *db, const char *key, int64_t fallback)
{
	int64_t n = db_scalar_int(db, 0, "SELECT CAST(value AS BIGINT) FROM settings WHERE key = ?",
				  DB_ARGS(db_text(key)));
	return n > 0 ? n : fallback;
}

static bool is_expert(struct req *r, int64_t tag_id, int64_t user_id)
{
	return db_exists(r->db, "SELECT 1 FROM tag_experts WHERE tag_id = ? AND user_id = ?",
			 DB_ARGS(db_int(tag_id), db_int(user_id)));
}

/* The tag through which the viewer may verify the item: one of its tags
 * (its question's, for an answer) they are an expert in; 0 for none. */
static int64_t verifying_tag(struct req *r, const struct item *it)
{
	if (!r->user)
		return 0;
	return db_scalar_int(r->db, 0, "SELECT e.tag_id FROM item_tags t JOIN tag_experts e ON e.tag_id = t.tag_id"
				       " WHERE t.item_id = ? AND e.user_id = ? ORDER BY e.tag_id LIMIT 1",
			     DB_ARGS(db_int(it->parent_id ? it->parent_id : it->id), db_int(r->user->id)));
}

/* The same time of day, months calendar months later (a day that month
 * lacks rolls over: 31 March + 1 month is 1 May). */
static int64_t months_later(int64_t t, int64_t months)
{
	time_t start = (time_t)t;
	struct tm tm;
	gmtime_r(&start, &tm);
	tm.tm_mon += (int)months;
	return (int64_t)timegm(&tm);
}

int64_t experts_expiry(struct db *db, int64_t verified_at)
{
	return months_later(verified_at, setting_number(db, "verification_months", DEFAULT_MONTHS));
}

bool experts_verifiable_kind(const char *kind)
{
	const struct item_kind *k = item_kind_find(kind);
	return k && k->verifiable;
}

/* ---- on items ---------------------------------------------------------- */

#define VERIFICATION_SELECT \
	"SELECT v.item_id, u.handle, u.name, t.name, v.note, v.verified_at, v.expires_at, v.edited_at" \
	" FROM verifications v JOIN users u ON u.id = v.verifier_id JOIN tags t ON t.id = v.tag_id"

/* A row of VERIFICATION_SELECT as the item's "verification". */
static json_t *verification_json(struct db_stmt *st, int64_t now)
{
	int64_t expires = db_int_col(st, 6);
	bool edited = !db_null_col(st, 7), expired = expires <= now;
	json_t *v = json_pack("{s:{s:s, s:s}, s:s, s:s, s:b, s:b, s:b}", "verifier", "handle", db_text_col(st, 1),
			      "name", db_text_col(st, 2), "tag", db_text_col(st, 3), "note", db_text_col(st, 4),
			      "holds", !edited && !expired, "expired", expired, "edited", edited);
	json_object_set_new(v, "verified_at", json_integer(db_int_col(st, 5)));
	json_object_set_new(v, "expires_at", json_integer(expires));
	render_add_time(v, "verified_at", db_int_col(st, 5));
	render_add_time(v, "expires_at", expires);
	return v;
}

/* The item (or an answer to it, by author_id) as the policy sees it. */
static struct policy_subject verified_subject(const struct item *it, int64_t author_id, bool expert_here)
{
	struct policy_subject s = items_subject(it);
	s.owner_id = author_id;
	s.expert = expert_here;
	return s;
}

/* What the viewer may do about the verification on an item's model. */
static void set_rights(struct req *r, json_t *model, const struct policy_subject *s)
{
	bool verified = !json_is_null(json_object_get(model, "verification"));
	json_object_set_new(model, "can_verify", json_boolean(policy_allows(r->user, POLICY_VERIFY, s)));
	json_object_set_new(model, "can_withdraw_verification",
			    json_boolean(verified && policy_allows(r->user, POLICY_WITHDRAW, s)));
}

void experts_fill(struct req *r, json_t *model, const struct item *it)
{
	if (!experts_verifiable_kind(it->kind))
		return;
	struct db_stmt *st = db_query(r->db, VERIFICATION_SELECT " WHERE v.item_id = ?", DB_ARGS(db_int(it->id)));
	json_object_set_new(model, "verification", db_step(st) == DB_ROW ? verification_json(st, r->now)
									 : json_null());
	db_done(st);
	struct policy_subject s = verified_subject(it, it->author_id, verifying_tag(r, it) != 0);
	set_rights(r, model, &s);
}

void experts_fill_answers(struct req *r, json_t *answers, const struct item *question)
{
	/* Answers are in their question's tags: one expert check for all. */
	bool expert_here = verifying_tag(r, question) != 0;
	size_t i;
	json_t *a;
	json_array_foreach(answers, i, a)
		json_object_set_new(a, "verification", json_null());
	json_t *index;
	struct db_stmt *st = items_batch_query(r->db, answers, VERIFICATION_SELECT " WHERE v.item_id IN ", "",
					       DB_NOARGS, &index);
	int64_t now = r->now;
	while (st && db_step(st) == DB_ROW)
		json_object_set_new(items_indexed(index, db_int_col(st, 0)), "verification", verification_json(st, now));
	if (st)
		db_done(st);
	json_decref(index);
	json_array_foreach(answers, i, a) {
		const char *author = json_string_value(json_object_get(json_object_get(a, "author"), "handle"));
		bool mine = r->user && author && strcmp(author, r->user->handle) == 0;
		struct policy_subject s = verified_subject(question, mine ? r->user->id : 0, expert_here);
		set_rights(r, a, &s);
	}
}

void experts_fill_summaries(struct req *r, json_t *items)
{
	size_t i;
	json_t *o;
	json_array_foreach(items, i, o) {
		json_object_set_new(o, "verified", json_false());
		json_object_set_new(o, "needs_review", json_false());
	}
	json_t *index;
	struct db_stmt *st = items_batch_query(r->db, items,
		"SELECT item_id, expires_at > ? AND edited_at IS NULL FROM verifications WHERE item_id IN ", "",
		DB_ARGS(db_int(r->now)), &index);
	while (st && db_step(st) == DB_ROW) {
		o = items_indexed(index, db_int_col(st, 0));
		bool holds = db_int_col(st, 1) != 0;
		json_object_set_new(o, "verified", json_boolean(holds));
		json_object_set_new(o, "needs_review", json_boolean(!holds));
	}
	if (st)
		db_done(st);
	json_decref(index);
}

bool experts_verified_filter(struct req *r, const char *value, int *verified)
{
	if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0) {
		req_fail(r, 400, "bad_filter", N_("Filter verified with yes or no."));
		r->error.field = "verified";
		return false;
	}
	*verified = strcmp(value, "yes") == 0 ? 1 : -1;
	return true;
}

const char *experts_verified_label(struct req *r, const char *value)
{
	return tr(r, strcmp(value, "yes") == 0 ? N_("Verified by an expert") : N_("Not verified"));
}

bool experts_item_edited(struct db *db, const struct event *e)
{
	return db_exec(db, "UPDATE verifications SET edited_at = ? WHERE item_id = ? AND verifier_id <> ?"
			   " AND edited_at IS NULL",
		       DB_ARGS(db_int(e->created_at), db_int(e->item_id), db_int(e->actor_id))) >= 0;
}

/* The item of /items/{id}/verify…, when it is of a kind experts verify. */
static bool verifiable_item(struct req *r, struct item *it)
{
	if (!items_load(r, req_path_param(r, "id"), it))
		return false;
	if (!experts_verifiable_kind(it->kind)) {
		req_fail(r, 422, "invalid", N_("Experts verify best practices, methods and answers."));
		return false;
	}
	return true;
}

static const char *item_location(struct req *r, const struct item *it)
{
	if (it->parent_id)
		return arena_printf(&r->arena, "%s#answer-%lld", link_item_id(&r->arena, it->parent_id),
				    (long long)it->id);
	return link_item(&r->arena, it->id, it->title);
}

static json_t *verification_model(struct req *r, const struct item *it)
{
	json_t *m = json_object();
	experts_fill(r, m, it);
	return m;
}

json_t *experts_verify(struct req *r)
{
	struct item it;
	if (!verifiable_item(r, &it))
		return NULL;
	if (it.author_id == r->user->id)
		return req_fail(r, 403, "forbidden", N_("Someone else must verify what you wrote."));
	int64_t tag_id = verifying_tag(r, &it);
	struct policy_subject s = verified_subject(&it, it.author_id, tag_id != 0);
	enum policy_verdict v = policy_decide(r->user, POLICY_VERIFY, &s);
	if (v != POLICY_ALLOW)
		return policy_refuse(r, v, NULL, N_("Only an expert in one of its tags can verify this."));
	const char *note = req_param_trimmed(r, "note");
	if (!note)
		note = "";
	if (utf8_length(note) > NOTE_MAX || !text_printable(note, true)) {
		req_fail(r, 422, "invalid", N_("A note has at most 500 characters, without control characters."));
		r->error.field = "note";
		return NULL;
	}
	int64_t now = r->now;
	int64_t until = experts_expiry(r->db, now);
	if (db_exec(r->db, "INSERT INTO verifications (item_id, verifier_id, tag_id, note, verified_at, expires_at)"
			   " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET"
			   " verifier_id = excluded.verifier_id, tag_id = excluded.tag_id, note = excluded.note,"
			   " verified_at = excluded.verified_at, expires_at = excluded.expires_at, edited_at = NULL",
		    DB_ARGS(db_int(it.id), db_int(r->user->id), db_int(tag_id), db_text(note), db_int(now),
			    db_int(until))) != 1 ||
	    !event_record(r->db, &(struct event){.type = EVENT_ITEM_VERIFIED, .actor_id = r->user->id,
						  .community_id = it.community_id, .item_id = it.id,
						  .member_id = r->user->id, .created_at = now,
						  .payload = json_pack("{s:I}", "expires_at", (json_int_t)until)}))
		return req_fail_internal(r);
	return req_done(r, 200, item_location(r, &it), verification_model(r, &it));
}

json_t *experts_withdraw(struct req *r)
{
	struct item it;
	if (!verifiable_item(r, &it))
		return NULL;
	struct policy_subject s = verified_subject(&it, it.author_id, verifying_tag(r, &it) != 0);
	enum policy_verdict v = policy_decide(r->user, POLICY_WITHDRAW, &s);
	if (v != POLICY_ALLOW)
		return policy_refuse(r, v, NULL, N_("Only an expert in one of its tags or a moderator can do that."));
	int64_t verifier = db_scalar_int(r->db, 0, "SELECT verifier_id FROM verifications WHERE item_id = ?",
					 DB_ARGS(db_int(it.id)));
	int64_t removed = db_exec(r->db, "DELETE FROM verifications WHERE item_id = ?", DB_ARGS(db_int(it.id)));
	if (removed < 0 ||
	    (removed > 0 && !event_record(r->db, &(struct event){.type = EVENT_VERIFICATION_WITHDRAWN,
								  .actor_id = r->user->id, .community_id = it.community_id,
								  .item_id = it.id, .member_id = verifier,
								  .created_at = r->now})))
		return req_fail_internal(r);
	return req_done(r, 200, item_location(r, &it), verification_model(r, &it));
}

/* ---- experts of a tag -------------------------------------------------- */

/* The tag of /tags/{tag}/experts…: its name into name and its id into
 * *id, 0 when no item ever had it (which is not told apart from a tag
 * without experts: only private posts may carry it). False after a 404
 * when the name cannot be a tag. */
static bool path_tag(struct req *r, char *name, size_t len, int64_t *id)
{
	if (!tag_normalise(req_path_param(r, "tag"), name, len)) {
		req_fail(r, 404, "not_found", N_("There is no such tag."));
		return false;
	}
	*id = tags_find(r->db, name);
	return true;
}

static json_t *experts_model(struct req *r, int64_t tag_id, const char *tag)
{
	int64_t needed = setting_number(r->db, "expert_endorsements", DEFAULT_ENDORSEMENTS);
	bool admin = policy_site_allows(r, POLICY_ADMINISTER), expert = r->user && is_expert(r, tag_id, r->user->id);
	json_t *experts = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT u.handle, u.name, e.via = 'endorsements', e.created_at FROM tag_experts e"
		" JOIN users u ON u.id = e.user_id WHERE e.tag_id = ? AND " POLICY_ACCOUNT_SHOWN_SQL("u.status")
		" ORDER BY u.name, u.id LIMIT ?",
		DB_ARGS(db_int(tag_id), db_int(EXPERTS_SHOWN)));
	while (db_step(st) == DB_ROW) {
		json_t *e = json_pack("{s:s, s:s, s:b}", "handle", db_text_col(st, 0), "name", db_text_col(st, 1),
				      "endorsed", db_int_col(st, 2) != 0);
		json_object_set_new(e, "since", json_integer(db_int_col(st, 3)));
		render_add_time(e, "since", db_int_col(st, 3));
		if (admin)
			json_object_set_new(e, "revoke_url", json_string(arena_printf(
				&r->arena, "%s/revoke", link_tag_expert(&r->arena, tag, db_text_col(st, 0)))));
		json_array_append_new(experts, e);
	}
	db_done(st);
	/* Members on their way: endorsed by experts, not yet enough of them. */
	json_t *candidates = json_array();
	st = db_query(r->db,
		"SELECT u.handle, u.name, COUNT(*), SUM(CASE WHEN d.endorser_id = ? THEN 1 ELSE 0 END)"
		COUNTING_ENDORSEMENTS " JOIN users u ON u.id = d.user_id"
		" WHERE d.tag_id = ? AND " POLICY_ACCOUNT_SHOWN_SQL("u.status")
		" AND NOT EXISTS (SELECT 1 FROM tag_experts e WHERE e.tag_id = d.tag_id"
		" AND e.user_id = d.user_id) GROUP BY u.id, u.handle, u.name ORDER BY 3 DESC, u.name LIMIT ?",
		DB_ARGS(db_int(r->user ? r->user->id : 0), db_int(tag_id), db_int(EXPERTS_SHOWN)));
	while (db_step(st) == DB_ROW)
		json_array_append_new(candidates, json_pack("{s:s, s:s, s:I, s:b}", "handle", db_text_col(st, 0),
							    "name", db_text_col(st, 1),
							    "endorsements", (json_int_t)db_int_col(st, 2),
							    "endorsed_by_me", db_int_col(st, 3) > 0));
	db_done(st);
	return json_pack("{s:s, s:s, s:o, s:o, s:I, s:b, s:b, s:b, s:b}", "title", tr(r, N_("Experts")), "tag", tag,
			 "experts", experts, "candidates", candidates, "endorsements_needed", (json_int_t)needed,
			 "can_grant", admin, "can_endorse", expert && !admin, "can_add", admin || expert,
			 "is_expert", expert);
}

json_t *experts_page(struct req *r)
{
	char tag[4 * TAG_MAX_CHARS + 8];
	int64_t tag_id;
	return path_tag(r, tag, sizeof(tag), &tag_id) ? experts_model(r, tag_id, tag) : NULL;
}

bool experts_promote_endorsed(struct db *db, int64_t now)
{
	/* WHERE true: SQLite would read ON CONFLICT as a join's ON otherwise. */
	return db_exec(db, "INSERT INTO tag_experts (tag_id, user_id, via, created_at)"
			   " SELECT d.tag_id, d.user_id, 'endorsements', ?" COUNTING_ENDORSEMENTS
			   " WHERE true GROUP BY d.tag_id, d.user_id HAVING COUNT(*) >= ?"
			   " ON CONFLICT (tag_id, user_id) DO NOTHING",
		       DB_ARGS(db_int(now),
			       db_int(setting_number(db, "expert_endorsements", DEFAULT_ENDORSEMENTS)))) >= 0;
}

/* The most lapses one maintenance run records; the rest wait an hour. */
#define LAPSES_PER_RUN 500

int64_t experts_record_lapses(struct db *db, int64_t now)
{
	struct lapse {
		int64_t item, verifier, community, expired;
	} lapses[LAPSES_PER_RUN];
	size_t n = 0;
	struct db_stmt *st = db_query(db,
		"SELECT v.item_id, v.verifier_id, COALESCE(i.community_id, 0), v.expires_at FROM verifications v"
		" JOIN items i ON i.id = v.item_id WHERE v.expires_at <= ? AND i.deleted_at IS NULL AND NOT EXISTS"
		" (SELECT 1 FROM verification_lapses l WHERE l.item_id = v.item_id AND l.expires_at = v.expires_at)"
		" ORDER BY v.expires_at, v.item_id LIMIT ?",
		DB_ARGS(db_int(now), db_int(LAPSES_PER_RUN)));
	while (st && db_step(st) == DB_ROW && n < LAPSES_PER_RUN)
		lapses[n++] = (struct lapse){db_int_col(st, 0), db_int_col(st, 1), db_int_col(st, 2), db_int_col(st, 3)};
	db_done(st);
	if (db_failed(db))
		return -1;
	for (size_t i = 0; i < n; i++) {
		/* The claim makes a second node's run record nothing. */
		bool ok = db_begin(db);
		int64_t claimed = ok ? db_exec(db, "INSERT INTO verification_lapses (item_id, expires_at, recorded_at)"
						   " VALUES (?, ?, ?) ON CONFLICT (item_id, expires_at) DO NOTHING",
					       DB_ARGS(db_int(lapses[i].item), db_int(lapses[i].expired), db_int(now)))
				     : -1;
		if (claimed > 0)
			ok = event_record(db, &(struct event){.type = EVENT_VERIFICATION_LAPSED,
							      .community_id = lapses[i].community,
							      .item_id = lapses[i].item, .member_id = lapses[i].verifier,
							      .created_at = now,
							      .payload = json_pack("{s:I}", "expired_at",
										   (json_int_t)lapses[i].expired)});
		if (claimed < 0 || !ok || !db_commit(db)) {
			db_rollback(db);
			return -1;
		}
	}
	return (int64_t)n;
}

json_t *experts_add(struct req *r)
{
	char tag[4 * TAG_MAX_CHARS + 8];
	int64_t tag_id;
	if (!path_tag(r, tag, sizeof(tag), &tag_id))
		return NULL;
	bool admin = policy_site_allows(r, POLICY_ADMINISTER);
	if (!admin && !is_expert(r, tag_id, r->user->id))
		return req_fail(r, 403, "forbidden", N_("Only admins and experts in this tag can name experts."));
	if (!tag_id)
		return req_fail(r, 404, "not_found", N_("No post has this tag yet."));
	json_t *model = experts_model(r, tag_id, tag);
	const char *typed = req_param(r, "handle"), *handle = req_param_trimmed(r, "handle");
	json_object_set_new(model, "values", json_pack("{s:s}", "handle", typed ? typed : ""));
	struct profile who;
	if (!handle || !*handle || !users_profile(r->db, &r->arena, handle, &who)) {
		req_field_error(r, model, "handle", N_("There is no member with this handle."));
		return req_invalid(r, model);
	}
	if (is_expert(r, tag_id, who.id)) {
		req_field_error(r, model, "handle", N_("This member is an expert in the tag already."));
		return req_invalid(r, model);
	}
	json_decref(model);
	int64_t now = r->now;
	bool ok = db_begin(r->db);
	if (ok && admin)
		ok = db_exec(r->db, "INSERT INTO tag_experts (tag_id, user_id, granted_by, via, created_at)"
				    " VALUES (?, ?, ?, 'admin', ?)",
			     DB_ARGS(db_int(tag_id), db_int(who.id), db_int(r->user->id), db_int(now))) == 1;
	else if (ok)
		ok = db_exec(r->db, "INSERT INTO expert_endorsements (tag_id, user_id, endorser_id, created_at)"
				    " VALUES (?, ?, ?, ?) ON CONFLICT (tag_id, user_id, endorser_id) DO NOTHING",
			     DB_ARGS(db_int(tag_id), db_int(who.id), db_int(r->user->id), db_int(now))) >= 0 &&
		     experts_promote_endorsed(r->db, now);
	if (ok)
		ok = event_record(r->db, &(struct event){.type = admin ? EVENT_EXPERT_ADDED : EVENT_EXPERT_ENDORSED,
							  .actor_id = r->user->id, .member_id = who.id, .created_at = now,
							  .payload = json_pack("{s:s}", "tag", tag)});
	if (!ok || !db_commit(r->db)) {
		db_rollback(r->db);
		return req_fail_internal(r);
	}
	return req_done(r, 200, arena_printf(&r->arena, "%s/experts", link_tag(&r->arena, tag)),
			experts_model(r, tag_id, tag));
}

json_t *experts_revoke(struct req *r)
{
	char tag[4 * TAG_MAX_CHARS + 8];
	int64_t tag_id;
	if (!path_tag(r, tag, sizeof(tag), &tag_id))
		return NULL;
	struct profile who;
	if (!users_profile(r->db, &r->arena, req_path_param(r, "handle"), &who) || !is_expert(r, tag_id, who.id))
		return req_fail(r, 404, "not_found", N_("This member is not an expert in the tag."));
	/* Their endorsements go too, or they would count them back in. */
	bool ok = db_begin(r->db) &&
		  db_exec(r->db, "DELETE FROM tag_experts WHERE tag_id = ? AND user_id = ?",
			  DB_ARGS(db_int(tag_id), db_int(who.id))) == 1 &&
		  db_exec(r->db, "DELETE FROM expert_endorsements WHERE tag_id = ? AND user_id = ?",
			  DB_ARGS(db_int(tag_id), db_int(who.id))) >= 0 &&
		  event_record(r->db, &(struct event){.type = EVENT_EXPERT_REVOKED, .actor_id = r->user->id,
						       .member_id = who.id, .created_at = r->now,
						       .payload = json_pack("{s:s}", "tag", tag)}) &&
		  audit_by(r, "expert.revoked", "member", who.id, 0, NULL, json_pack("{s:s}", "tag", tag)) &&
		  db_commit(r->db);
	if (!ok) {
		db_rollback(r->db);
		return req_fail_internal(r);
	}
	return req_done(r, 200, arena_printf(&r->arena, "%s/experts", link_tag(&r->arena, tag)),
			experts_model(r, tag_id, tag));
}

/* ---- review ------------------------------------------------------------ */

json_t *experts_tags_of(struct db *db, int64_t user_id)
{
	json_t *tags = json_array();
	struct db_stmt *st = db_query(db, "SELECT t.name FROM tag_experts e JOIN tags t ON t.id = e.tag_id"
					  " WHERE e.user_id = ? ORDER BY t.name", DB_ARGS(db_int(user_id)));
	while (db_step(st) == DB_ROW)
		json_array_append_new(tags, json_string(db_text_col(st, 0)));
	db_done(st);
	return tags;
}

/* An item whose verification lapsed (expired or edited since); binds now. */
#define NEEDS_REVIEW_SQL \
	"EXISTS (SELECT 1 FROM verifications rv WHERE rv.item_id = i.id AND (rv.expires_at <= ? OR" \
	" rv.edited_at IS NOT NULL))"
/* What the expert (bound twice) may verify, of the kinds experts verify:
 * someone else's item in one of their tags, not verified now (binds now). */
#define QUEUE_SQL \
	"i.author_id <> ? AND EXISTS (SELECT 1 FROM item_tags qt" \
	" JOIN tag_experts qe ON qe.tag_id = qt.tag_id WHERE qt.item_id = COALESCE(i.parent_id, i.id)" \
	" AND qe.user_id = ?) AND NOT " VERIFIED_NOW_SQL

json_t *experts_review(struct req *r)
{
	const char *list = req_query(r, "list");
	bool queue = !list || strcmp(list, "queue") == 0;
	if (!queue && strcmp(list, "needs_review") != 0) {
		req_fail(r, 400, "bad_filter", N_("Choose the review queue or the items that need review."));
		r->error.field = "list";
		return NULL;
	}
	int64_t now = r->now, me = r->user->id;
	struct item_filter f = {.kind = "all", .cursor = req_query(r, "cursor")};
	if (queue) {
		f.verifiable = true;
		f.own_sql = QUEUE_SQL;
		f.own_args[0] = db_int(me);
		f.own_args[1] = db_int(me);
		f.own_args[2] = db_int(now);
		f.nown_args = 3;
	} else {
		f.own_sql = NEEDS_REVIEW_SQL;
		f.own_args[0] = db_int(now);
		f.nown_args = 1;
	}
	json_t *page = items_list(r, &f);
	if (!page)
		return NULL;
	experts_fill_summaries(r, json_object_get(page, "items"));
	json_object_set_new(page, "title", json_string(tr(r, N_("Review"))));
	json_object_set_new(page, "expert_tags", experts_tags_of(r->db, me));
	json_object_set_new(page, "list", json_string(queue ? "queue" : "needs_review"));
	json_object_set_new(page, "is_queue", json_boolean(queue));
	return page;
}
