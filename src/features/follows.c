/* follows: what members follow (see follows.h). */
#include "features/follows.h"

#include "auth/policy.h"
#include "auth/users.h"
#include "core/arena.h"
#include "features/communities.h"
#include "features/items.h"
#include "features/tags.h"
#include "http/cache.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"

#include <string.h>

static const char *const kind_names[FOLLOW_KINDS] = {
	[FOLLOW_TAG] = "tag",
	[FOLLOW_COMMUNITY] = "community",
	[FOLLOW_PERSON] = "person",
	[FOLLOW_ITEM] = "item",
};

const char *follow_kind_name(enum follow_kind kind)
{
	return kind < FOLLOW_KINDS ? kind_names[kind] : NULL;
}

bool follows_has(struct db *db, int64_t member_id, enum follow_kind kind, int64_t target_id)
{
	return db_exists(db, "SELECT 1 FROM follows WHERE user_id = ? AND kind = ? AND target_id = ?",
			 DB_ARGS(db_int(member_id), db_text(kind_names[kind]), db_int(target_id)));
}

bool follows_add(struct db *db, int64_t member_id, enum follow_kind kind, int64_t target_id, int64_t now)
{
	return db_exec(db, "INSERT INTO follows (user_id, kind, target_id, created_at) VALUES (?, ?, ?, ?)"
			   " ON CONFLICT (user_id, kind, target_id) DO NOTHING",
		       DB_ARGS(db_int(member_id), db_text(kind_names[kind]), db_int(target_id), db_int(now))) >= 0;
}

bool follows_remove(struct db *db, int64_t member_id, enum follow_kind kind, int64_t target_id)
{
	return db_exec(db, "DELETE FROM follows WHERE user_id = ? AND kind = ? AND target_id = ?",
		       DB_ARGS(db_int(member_id), db_text(kind_names[kind]), db_int(target_id))) >= 0;
}

int64_t *follows_followers(struct db *db, struct arena *a, enum follow_kind kind, int64_t target_id, size_t *n)
{
	*n = 0;
	struct db_stmt *st = db_query(db, "SELECT user_id FROM follows WHERE kind = ? AND target_id = ? ORDER BY user_id",
				      DB_ARGS(db_text(kind_names[kind]), db_int(target_id)));
	if (!st)
		return NULL;
	int64_t *ids = NULL;
	size_t cap = 0;
	while (db_step(st) == DB_ROW) {
		if (*n == cap) {
			int64_t *more = arena_alloc(a, (cap ? cap * 2 : 16) * sizeof(*more));
			if (*n)
				memcpy(more, ids, *n * sizeof(*ids));
			ids = more;
			cap = cap ? cap * 2 : 16;
		}
		ids[(*n)++] = db_int_col(st, 0);
	}
	db_done(st);
	return ids;
}

bool follows_auto_enabled(struct db *db, int64_t member_id)
{
	return db_scalar_int(db, 1, "SELECT auto_follow FROM follow_settings WHERE user_id = ?",
			     DB_ARGS(db_int(member_id))) != 0;
}

bool follows_set_auto(struct db *db, int64_t member_id, bool on)
{
	return db_exec(db, "INSERT INTO follow_settings (user_id, auto_follow) VALUES (?, ?)"
			   " ON CONFLICT (user_id) DO UPDATE SET auto_follow = excluded.auto_follow",
		       DB_ARGS(db_int(member_id), db_int(on ? 1 : 0))) == 1;
}

bool follows_on_contribution(struct db *db, const struct event *e)
{
	/* Writes from the command line (an import) have no member to follow. */
	if (!e->actor_id || !e->item_id || !follows_auto_enabled(db, e->actor_id))
		return !db_failed(db);
	int64_t thread, community_id;
	if (!items_thread(db, e->item_id, &thread, &community_id))
		return !db_failed(db);
	return follows_add(db, e->actor_id, FOLLOW_ITEM, thread, e->created_at);
}

json_t *follows_button(struct req *r, enum follow_kind kind, int64_t target_id, const char *address)
{
	if (!r->user)
		return NULL;
	return json_pack("{s:b, s:s}", "following", target_id && follows_has(r->db, r->user->id, kind, target_id),
			 "action", address);
}

/* ---- the routes ------------------------------------------------------------- */

/* What a route's path names, as its page shows it. */
struct follow_target {
	int64_t id;          /* 0: a tag nothing carries yet */
	const char *tag;     /* a tag's name */
	const char *address; /* the page, where the HTML form goes back to */
};

/* Each kind finds its target as its page does, failing the request with
 * the page's 404 when the member may not read it. */
static bool find_tag(struct req *r, struct follow_target *t)
{
	char name[4 * TAG_MAX_CHARS + 8];
	if (!tag_normalise(req_path_param(r, "tag"), name, sizeof(name))) {
		req_fail(r, 404, "not_found", N_("There is no such tag."));
		return false;
	}
	t->id = tags_find(r->db, name);
	t->tag = arena_strdup(&r->arena, name);
	t->address = link_tag(&r->arena, name);
	return true;
}

static bool find_community(struct req *r, struct follow_target *t)
{
	struct community_access a;
	if (!communities_access(r, req_path_param(r, "slug"), &a) || !a.can_read) {
		req_fail(r, 404, "not_found", N_("There is no such community."));
		return false;
	}
	t->id = a.id;
	t->address = link_community(&r->arena, a.slug);
	return true;
}

static bool find_person(struct req *r, struct follow_target *t)
{
	struct profile p;
	if (!users_profile(r->db, &r->arena, req_path_param(r, "handle"), &p)) {
		req_fail(r, 404, "not_found", N_("There is no such member."));
		return false;
	}
	if (p.id == r->user->id) {
		req_fail(r, 422, "invalid", N_("You cannot follow yourself."));
		return false;
	}
	t->id = p.id;
	t->address = link_person(&r->arena, p.handle);
	return true;
}

/* An item is followed as its thread: an answer's question. */
static bool find_item(struct req *r, struct follow_target *t)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return false;
	if (it.parent_id) {
		char id_text[24];
		snprintf(id_text, sizeof(id_text), "%lld", (long long)it.parent_id);
		if (!items_load(r, id_text, &it))
			return false;
	}
	t->id = it.id;
	t->address = link_item(&r->arena, it.id, it.title);
	return true;
}

static bool (*const finders[FOLLOW_KINDS])(struct req *, struct follow_target *) = {
	[FOLLOW_TAG] = find_tag,
	[FOLLOW_COMMUNITY] = find_community,
	[FOLLOW_PERSON] = find_person,
	[FOLLOW_ITEM] = find_item,
};

/* Follows or stops following what the path names. Only the member's own
 * pages show it (the button): their scope is made stale, so the button
 * shows the new state at once and everyone else's pages stay kept. */
static json_t *set_following(struct req *r, enum follow_kind kind, bool follow)
{
	struct follow_target t = {0};
	if (!finders[kind](r, &t))
		return NULL;
	bool ok;
	if (follow) {
		/* A tag's page shows before anything carries the tag; following
		 * it stores the tag, to be followed by its id. */
		if (!t.id)
			t.id = tags_ensure(r->db, t.tag);
		ok = t.id && follows_add(r->db, r->user->id, kind, t.id, r->now);
	} else {
		/* A tag that is not stored is followed by nobody. */
		ok = t.id ? follows_remove(r->db, r->user->id, kind, t.id) : !db_failed(r->db);
	}
	if (!ok || !cache_invalidate_scopes(r->db, &(struct cache_scope){CACHE_SCOPE_MEMBER, r->user->id}, 1))
		return req_fail_internal(r);
	const char *from = req_param(r, "from");
	const char *back = from && strcmp(from, "follows") == 0 ? "/settings/follows" : t.address;
	return req_done(r, 200, back, json_pack("{s:b}", "following", follow));
}

json_t *follows_tag(struct req *r)
{
	return set_following(r, FOLLOW_TAG, true);
}

json_t *follows_tag_stop(struct req *r)
{
	return set_following(r, FOLLOW_TAG, false);
}

json_t *follows_community(struct req *r)
{
	return set_following(r, FOLLOW_COMMUNITY, true);
}

json_t *follows_community_stop(struct req *r)
{
	return set_following(r, FOLLOW_COMMUNITY, false);
}

json_t *follows_person(struct req *r)
{
	return set_following(r, FOLLOW_PERSON, true);
}

json_t *follows_person_stop(struct req *r)
{
	return set_following(r, FOLLOW_PERSON, false);
}

json_t *follows_item(struct req *r)
{
	return set_following(r, FOLLOW_ITEM, true);
}

json_t *follows_item_stop(struct req *r)
{
	return set_following(r, FOLLOW_ITEM, false);
}

/* ---- the list ----------------------------------------------------------------- */

/* At most this many of each kind are listed, the newest follows first. */
#define LIST_LIMIT " LIMIT 500"

/* One kind's list: each row of `sql` (the target's id, its name and its
 * address key: a tag, a slug, a handle or an item's title) becomes
 * {"id", "name", "url", "unfollow"} with link's address. */
static json_t *list_kind(struct req *r, const char *sql, const struct db_value *args, size_t nargs,
			 const char *(*link)(struct arena *, const char *), bool items)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db, sql, args, nargs);
	if (!st)
		return list;
	while (db_step(st) == DB_ROW) {
		int64_t id = db_int_col(st, 0);
		const char *name = db_text_col(st, 1), *key = db_text_col(st, 2);
		const char *url = items ? link_item(&r->arena, id, key) : link(&r->arena, key);
		if (items && !*name)
			name = tr(r, N_("Update"));
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "name", name, "url",
						      url, "unfollow", arena_printf(&r->arena, "%s/unfollow", url)));
	}
	db_done(st);
	return list;
}

json_t *follows_settings_page(struct req *r)
{
	int64_t me = r->user->id;
#define FOLLOWED(kind_name) "f.user_id = ? AND f.kind = '" kind_name "'"
	json_t *tags = list_kind(r,
				 "SELECT t.id, t.name, t.name FROM follows f JOIN tags t ON t.id = f.target_id WHERE "
				 FOLLOWED("tag") " ORDER BY f.created_at DESC, t.id DESC" LIST_LIMIT,
				 DB_ARGS(db_int(me)), link_tag, false);
	json_t *communities = list_kind(
		r,
		"SELECT c.id, c.name, c.slug FROM follows f JOIN communities c ON c.id = f.target_id WHERE "
		FOLLOWED("community") " AND " POLICY_COMMUNITY_VISIBLE_SQL " ORDER BY f.created_at DESC, c.id DESC" LIST_LIMIT,
		DB_ARGS(db_int(me), POLICY_COMMUNITY_VISIBLE_ARGS(me)), link_community, false);
	json_t *people = list_kind(r,
				   "SELECT u.id, u.name, u.handle FROM follows f JOIN users u ON u.id = f.target_id WHERE "
				   FOLLOWED("person") " AND " POLICY_ACCOUNT_SHOWN_SQL("u.status")
				   " ORDER BY f.created_at DESC, u.id DESC" LIST_LIMIT,
				   DB_ARGS(db_int(me)), link_person, false);
	json_t *items = list_kind(r,
				  "SELECT i.id, i.title, i.title FROM follows f JOIN items i ON i.id = f.target_id WHERE "
				  FOLLOWED("item") " AND " POLICY_ITEM_VISIBLE_SQL
				  " ORDER BY f.created_at DESC, i.id DESC" LIST_LIMIT,
				  DB_ARGS(db_int(me), POLICY_ITEM_VISIBLE_ARGS(me)), NULL, true);
#undef FOLLOWED
	if (db_failed(r->db)) {
		json_decref(tags);
		json_decref(communities);
		json_decref(people);
		json_decref(items);
		return req_fail_internal(r);
	}
	bool none = !json_array_size(tags) && !json_array_size(communities) && !json_array_size(people) &&
		    !json_array_size(items);
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:b, s:b}", "title", tr(r, N_("What you follow")), "tags", tags,
			 "communities", communities, "people", people, "items", items, "none", none, "auto_follow",
			 follows_auto_enabled(r->db, me));
}

bool follows_forget_member(struct db *db, int64_t member_id)
{
	return db_exec(db, "DELETE FROM follows WHERE user_id = ?", DB_ARGS(db_int(member_id))) >= 0;
}
