/* pins: "start here" posts of a community (see pins.h). */
#include "features/pins.h"

#include "auth/policy.h"
#include "db/db.h"
#include "features/audit.h"
#include "features/items.h"
#include "http/cache.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"

#include <string.h>

/* The live pins of a community: of posts not deleted. */
#define LIVE_PINS \
	"FROM community_pins p JOIN items i ON i.id = p.item_id AND i.deleted_at IS NULL WHERE p.community_id = ?"

/* The item of the path, for who may pin in its community; false after
 * answering. */
static bool pinnable(struct req *r, struct item *it)
{
	if (!items_load(r, req_path_param(r, "id"), it))
		return false;
	if (!it->in_community || it->parent_id) {
		req_fail(r, 422, "not_pinnable", N_("Only a post in a community can be pinned, not an answer."));
		return false;
	}
	struct policy_subject s = {.kind = POLICY_COMMUNITY, .place = &it->access};
	enum policy_verdict v = policy_decide(r->user, POLICY_PIN, &s);
	if (v != POLICY_ALLOW) {
		policy_refuse(r, v, NULL, N_("Only the community's hosts, ambassadors and moderators can pin posts."));
		return false;
	}
	return true;
}

/* The audit entry, the pages that show the pin, and the answer. */
static json_t *done(struct req *r, const struct item *it, bool pinned)
{
	struct cache_scope scopes[] = {{CACHE_SCOPE_ITEM, it->id}, {CACHE_SCOPE_COMMUNITY, it->community_id},
				       {CACHE_SCOPE_POSTS, it->community_id}};
	if (!audit_by(r, pinned ? "item.pinned" : "item.unpinned", "item", it->id, it->community_id, NULL,
		      json_pack("{s:s}", "title", it->title)) ||
	    !cache_invalidate_scopes(r->db, scopes, sizeof(scopes) / sizeof(scopes[0])))
		return req_fail_internal(r);
	return req_done(r, 200, link_item(&r->arena, it->id, it->title),
			json_pack("{s:I, s:s, s:b}", "id", (json_int_t)it->id, "community", it->access.slug, "pinned",
				  pinned));
}

/* Pins the item after the community's other pins. */
static bool pin_last(struct db *db, int64_t community_id, int64_t item_id, int64_t by, int64_t now)
{
	return db_exec(db,
		       "INSERT INTO community_pins (item_id, community_id, position, pinned_by, created_at) VALUES (?, ?,"
		       " (SELECT COALESCE(MAX(position), 0) + 1 FROM community_pins WHERE community_id = ?), ?, ?)",
		       DB_ARGS(db_int(item_id), db_int(community_id), db_int(community_id), by ? db_int(by) : db_null(),
			       db_int(now))) == 1;
}

bool pins_store(struct db *db, int64_t community_id, int64_t item_id, int64_t now)
{
	return pin_last(db, community_id, item_id, 0, now);
}

json_t *pins_pin(struct req *r)
{
	struct item it;
	if (!pinnable(r, &it))
		return NULL;
	if (it.hidden)
		return req_fail(r, 409, "hidden", N_("Hidden content cannot be pinned."));
	if (it.pending)
		return req_fail(r, 409, "pending", N_("A post waiting for approval cannot be pinned."));
	if (pins_is_pinned(r->db, it.id))
		return req_fail(r, 409, "pinned", N_("This post is pinned already."));
	int64_t pinned = db_scalar_int(r->db, -1, "SELECT COUNT(*) " LIVE_PINS, DB_ARGS(db_int(it.community_id)));
	if (pinned < 0)
		return req_fail_internal(r);
	if (pinned >= PINS_MAX)
		return req_fail(r, 409, "too_many_pins",
				N_("A community has at most 5 pinned posts: unpin one before you pin another."));
	if (!pin_last(r->db, it.community_id, it.id, r->user->id, r->now))
		return req_fail_internal(r);
	return done(r, &it, true);
}

json_t *pins_unpin(struct req *r)
{
	struct item it;
	if (!pinnable(r, &it))
		return NULL;
	int64_t removed = db_exec(r->db, "DELETE FROM community_pins WHERE item_id = ?", DB_ARGS(db_int(it.id)));
	if (removed < 0)
		return req_fail_internal(r);
	if (removed == 0)
		return req_fail(r, 404, "not_found", N_("This post is not pinned."));
	return done(r, &it, false);
}

bool pins_is_pinned(struct db *db, int64_t item_id)
{
	return db_exists(db, "SELECT 1 FROM community_pins WHERE item_id = ?", DB_ARGS(db_int(item_id)));
}

json_t *pins_list(struct req *r, int64_t community_id)
{
	int64_t ids[PINS_MAX];
	size_t n = 0;
	struct db_stmt *st = db_query(r->db, "SELECT p.item_id " LIVE_PINS " ORDER BY p.position LIMIT ?",
				      DB_ARGS(db_int(community_id), db_int(PINS_MAX)));
	while (st && db_step(st) == DB_ROW && n < PINS_MAX)
		ids[n++] = db_int_col(st, 0);
	db_done(st);
	if (db_failed(r->db))
		return req_fail_internal(r);
	if (!n)
		return json_array();
	/* items_list says which the viewer may read; the pins say the order. */
	struct item_filter f = {.community_id = community_id, .ids = ids, .nids = n, .limit = PINS_MAX};
	json_t *list = items_list(r, &f);
	if (!list)
		return NULL;
	json_t *found = json_object_get(list, "items"), *ordered = json_array();
	for (size_t k = 0; k < n; k++) {
		size_t i;
		json_t *item;
		json_array_foreach(found, i, item)
			if (json_integer_value(json_object_get(item, "id")) == ids[k])
				json_array_append(ordered, item);
	}
	json_decref(list);
	return ordered;
}

json_t *pins_item_model(struct req *r, const struct item *it)
{
	if (!it->in_community || it->parent_id)
		return NULL;
	return json_pack("{s:b, s:b}", "pinned", pins_is_pinned(r->db, it->id), "can_pin", it->access.can_pin);
}
