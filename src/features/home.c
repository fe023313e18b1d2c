/* home: the front page (with a start for a member's first visits), the
 * signed-in member's own record and the health check. This module owns the
 * home_start_dismissed table. */
#include "features/features.h"

#include "auth/users.h"
#include "db/db.h"
#include "features/communities.h"
#include "features/events.h"
#include "features/items.h"
#include "http/cache.h"
#include "http/req.h"
#include "i18n/i18n.h"

#include <string.h>

/* Unanswered questions in the member's areas of expertise (practising or
 * expert), which they could answer. */
static json_t *questions_for(struct req *r)
{
	json_t *expertise = users_expertise(r->db, r->user->id);
	const char *tags[8];
	int n = 0;
	const char *levels[] = {"expert", "practising"};
	for (int l = 0; l < 2; l++) {
		size_t i;
		json_t *t;
		json_array_foreach(json_object_get(expertise, levels[l]), i, t)
			if (n < 8)
				tags[n++] = arena_strdup(&r->arena, json_string_value(t));
	}
	json_decref(expertise);
	if (n == 0)
		return json_pack("{s:[], s:n}", "items", "next");
	struct item_filter f = {.kind = "question", .status = "unanswered", .tags_any = tags, .ntags_any = n, .limit = 5};
	return items_list(r, &f);
}

/* Whether the member put the first-visit start away. */
static bool start_dismissed(struct req *r)
{
	return db_exists(r->db, "SELECT 1 FROM home_start_dismissed WHERE user_id = ?", DB_ARGS(db_int(r->user->id)));
}

/* Whether the member has said something about themselves: a bio or any
 * expertise. */
static bool profile_started(struct req *r)
{
	struct profile p;
	if (users_profile_id(r->db, &r->arena, r->user->id, &p) && p.bio && *p.bio)
		return true;
	json_t *expertise = users_expertise(r->db, r->user->id);
	bool any = false;
	const char *level;
	json_t *tags;
	json_object_foreach(expertise, level, tags)
		any |= json_array_size(tags) > 0;
	json_decref(expertise);
	return any;
}

/* The first-visit start: three steps, each done or not, with open
 * communities to join; NULL once every step is done or the member put it
 * away. *returning: whether they have been here before (done a step or
 * put the start away). */
static json_t *first_steps(struct req *r, bool in_communities, bool *returning)
{
	bool dismissed = start_dismissed(r);
	bool profile = profile_started(r), posted = items_has_posted(r->db, r->user->id);
	*returning = dismissed || profile || in_communities || posted;
	if (dismissed || (profile && in_communities && posted))
		return NULL;
	json_t *steps = json_pack("[{s:s, s:b}, {s:s, s:b}, {s:s, s:b}]", "step", "profile", "done", profile,
				  "step", "communities", "done", in_communities, "step", "ask", "done", posted);
	json_t *start = json_pack("{s:o, s:b, s:b, s:b}", "steps", steps, "profile_done", profile,
				  "communities_done", in_communities, "ask_done", posted);
	if (!in_communities)
		json_object_set_new(start, "communities", communities_joinable(r, 5));
	return start;
}

json_t *home_page(struct req *r)
{
	json_t *model = json_pack("{s:s}", "title", tr(r, N_("Home")));
	const char *cursor = req_query(r, "cursor");
	if (r->user) {
		json_object_set_new(model, "member", users_to_json(r->user, false));
		json_t *communities = communities_of_member(r, r->user->id);
		bool in_communities = json_array_size(communities) > 0, returning;
		json_t *start = first_steps(r, in_communities, &returning);
		json_object_set_new(model, "start", start ? start : json_null());
		json_object_set_new(model, "first_visit", json_boolean(!returning));
		json_object_set_new(model, "in_communities", json_boolean(in_communities));
		json_object_set_new(model, "communities", communities);
		/* Until they join a community, what everyone shares that they can see. */
		struct item_filter stream = {.member_of = in_communities ? r->user->id : 0, .cursor = cursor};
		json_t *items = items_list(r, &stream);
		if (!items) {
			json_decref(model);
			return NULL;
		}
		json_object_set_new(model, "stream", items);
		json_object_set_new(model, "questions_for_you", questions_for(r));
	} else {
		/* Visitors see what is public, and an invitation to join. */
		struct item_filter stream = {.cursor = cursor};
		json_t *items = items_list(r, &stream);
		if (!items) {
			json_decref(model);
			return NULL;
		}
		json_object_set_new(model, "stream", items);
	}
	struct item_filter open = {.kind = "question", .status = "unanswered", .limit = 5};
	json_object_set_new(model, "unanswered", items_list(r, &open));
	json_object_set_new(model, "next_events", events_upcoming(r, 0, 3));
	json_object_set_new(model, "events_url", json_string("/events"));
	return model;
}

json_t *home_dismiss_start(struct req *r)
{
	if (db_exec(r->db, "INSERT INTO home_start_dismissed (user_id, dismissed_at) VALUES (?, ?)"
			   " ON CONFLICT (user_id) DO NOTHING", DB_ARGS(db_int(r->user->id), db_int(r->now))) < 0)
		return req_fail_internal(r);
	return req_done(r, 200, "/", json_pack("{s:b}", "dismissed", 1));
}

json_t *home_me(struct req *r)
{
	return req_done(r, 200, "/settings", users_to_json(r->user, true));
}

json_t *home_healthz(struct req *r)
{
	bool ok = db_scalar_int(r->db, 0, "SELECT 1", DB_NOARGS) == 1;
	if (!ok) {
		r->status = 503;
		return json_pack("{s:s, s:s}", "status", "unavailable", "database", "unreachable");
	}
	/* The node's own page cache: a hit rate is the change between two
	 * checks (see docs/operations.md). */
	uint64_t hits, misses;
	cache_counts(&hits, &misses);
	return json_pack("{s:s, s:s, s:{s:I, s:I}}", "status", "ok", "database", "ok", "page_cache", "hits",
			 (json_int_t)hits, "misses", (json_int_t)misses);
}
