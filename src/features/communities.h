/*
 * communities: spaces to share in, their members and hosts, and the one
 * rule of who may see what.
 *
 * Visibility: public communities are read by anyone, members communities by
 * every signed-in member, private ones only by their active members — to
 * everyone else (admins included) a private community does not exist.
 * Updates on a profile (items without a community) are read by signed-in
 * members. An answer goes with its question: deleting the question hides it.
 */
#ifndef KRING_COMMUNITIES_H
#define KRING_COMMUNITIES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct req;

/*
 * SQL conditions for lists, so that every list, count and feed applies the
 * same rule. Use the alias `i` for items and `c` for communities, and bind
 * the viewer's id (0 when signed out) with the matching ARGS macro, in the
 * place of the condition among the statement's other values:
 *
 *   "SELECT … FROM items i WHERE i.author_id = ? AND " ITEM_VISIBLE_SQL,
 *   DB_ARGS(db_int(author), ITEM_VISIBLE_ARGS(viewer))
 */
#define COMMUNITY_VISIBLE_SQL \
	"(c.visibility = 'public' OR (c.visibility = 'members' AND ? > 0) OR " \
	"EXISTS (SELECT 1 FROM memberships vm WHERE vm.community_id = c.id " \
	"AND vm.user_id = ? AND vm.state = 'active'))"
#define COMMUNITY_VISIBLE_ARGS(viewer) db_int(viewer), db_int(viewer)

#define ITEM_VISIBLE_SQL \
	"(i.deleted_at IS NULL AND (i.parent_id IS NULL OR EXISTS (SELECT 1 FROM items vp" \
	" WHERE vp.id = i.parent_id AND vp.deleted_at IS NULL)) AND" \
	" ((i.community_id IS NULL AND ? > 0) OR EXISTS (" \
	"SELECT 1 FROM communities c WHERE c.id = i.community_id AND " COMMUNITY_VISIBLE_SQL ")))"
#define ITEM_VISIBLE_ARGS(viewer) db_int(viewer), COMMUNITY_VISIBLE_ARGS(viewer)

/* The ids of the communities a member is active in, for "IN (…)". */
#define MEMBER_COMMUNITIES_SQL \
	"(SELECT mc.community_id FROM memberships mc WHERE mc.user_id = ? AND mc.state = 'active')"

/* What the viewer may do in one community. */
struct community_access {
	int64_t id;
	const char *slug, *name, *visibility, *join_policy, *language;
	bool archived;
	bool can_read;     /* false: answer 404, whoever asks */
	bool is_member;    /* an active member (hosts are members too) */
	bool is_host;
	bool can_post;     /* a member of a community that is not archived */
	bool can_moderate; /* host, or a site moderator or admin who can read it */
	const char *membership_state; /* "active", "requested", "invited" or NULL */
};

/* Loads the community by slug for r's viewer. Returns false when it does
 * not exist or the viewer may not know it exists (private). */
bool communities_access(struct req *r, const char *slug, struct community_access *out);
/* The same by id. */
bool communities_access_id(struct req *r, int64_t id, struct community_access *out);

/* The communities the member belongs to (active), by name, for profiles
 * and composers: [{"slug", "name", "role"}]. Only those the viewer can see. */
json_t *communities_of_member(struct req *r, int64_t user_id);

/* Open communities the signed-in member could join (can see, not archived,
 * not a member): at most limit, the most members first, as the list of
 * communities shows them. */
json_t *communities_joinable(struct req *r, int limit);
/* Where the signed-in member may ask: the communities they are an active
 * member of and the open ones they could join, none archived; members'
 * first, then by name: [{"slug", "name", "is_member"}]. */
json_t *communities_askable(struct req *r);
/* Whether the viewer may join the community (loaded by communities_access)
 * at once: an open one, not archived, that they are not in (nor invited
 * to). */
bool communities_open_to_join(const struct community_access *a);
/* Makes the signed-in member an active member of a community open to them
 * and updates a; false when it is not open to them or on a database error.
 * Runs in the caller's transaction when there is one. */
bool communities_join_open(struct req *r, struct community_access *a);

/* The rule for a community's address: NULL when fine, else a message id. */
const char *communities_slug_problem(const char *slug);

/* Route handlers. */
json_t *communities_list(struct req *r);
json_t *communities_page(struct req *r);
json_t *communities_new_form(struct req *r);
json_t *communities_create(struct req *r);
json_t *communities_edit_form(struct req *r);
json_t *communities_edit(struct req *r);
json_t *communities_archive(struct req *r);
json_t *communities_join(struct req *r);
json_t *communities_leave(struct req *r);
json_t *communities_members(struct req *r);
json_t *communities_invite(struct req *r);
json_t *communities_decide_request(struct req *r);
json_t *communities_set_role(struct req *r);

#endif
