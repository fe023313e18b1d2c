/*
 * communities: spaces to share in, their members and hosts. Who may see
 * and do what in them is auth/policy.h's to say.
 */
#ifndef KRING_COMMUNITIES_H
#define KRING_COMMUNITIES_H

#include "auth/policy.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct req;

/* Loads the community by slug for r's viewer, with the rights the policy
 * gives them in it. Returns false when it does not exist or the viewer may
 * not know it exists (private). */
bool communities_access(struct req *r, const char *slug, struct community_access *out);
/* The same by id. */
bool communities_access_id(struct req *r, int64_t id, struct community_access *out);

/* The communities the member belongs to (active), by name, for profiles
 * and composers: [{"slug", "name", "role"}]. Only those the viewer can see. */
json_t *communities_of_member(struct req *r, int64_t user_id);

/* The community's own record (as the list shows it, its description as
 * HTML) and what the viewer may do in it: is_member, can_join, … */
json_t *communities_model(struct req *r, const struct community_access *a);
/* People in the community with the membership state (and role, unless
 * NULL), by name or, when newest, the most recent first (which reads no
 * more than limit memberships however large the community):
 * [{"handle", "name", "role", "role_label", "is_host", "since"}]. */
json_t *communities_people(struct req *r, int64_t community_id, const char *state, const char *role, int limit,
			   bool newest);

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

/* The community of the path ({slug}) for those who run it (POLICY_HOST:
 * its hosts and admins); false after answering 404 to who may not know it
 * exists and 403 to other readers. */
bool communities_managed(struct req *r, struct community_access *a);

/* Takes the member out of the community, whatever their membership (a
 * member, a request, an invitation), as a host's removal. False on a
 * database error, and with *last_host when they are its last host. */
bool communities_remove(struct req *r, const struct community_access *a, int64_t member, bool *last_host);
/* Withdraws the member's requests to join and open invitations, in every
 * community (an excluded member's). False on a database error. */
bool communities_forget_requests(struct req *r, int64_t member);

/* The rule for a community's address: NULL when fine, else a message id. */
const char *communities_slug_problem(const char *slug);

/* Route handlers. */
json_t *communities_list(struct req *r);
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
