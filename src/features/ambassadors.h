/*
 * ambassadors: members a community's hosts (or an admin) ask to welcome
 * newcomers and to pin posts to start with (features/pins.h) — the
 * "digicoach" or "super user" of a community. The table
 * community_ambassadors belongs here; a row counts while its member is an
 * active member of the community (the policy's POLICY_AMBASSADOR_SQL and
 * is_ambassador), and goes when they leave or are removed.
 *
 *   POST /c/{slug}/members/{handle}/ambassador         makes them ambassador
 *   POST /c/{slug}/members/{handle}/ambassador/revoke  takes it back
 *
 * Only an active member who is not suspended can be made ambassador. Each
 * change is an audit entry (community.ambassador_granted, …_revoked) and
 * the event member.role (payload role "ambassador", granted true or
 * false), which tells the member (notification role_granted or
 * role_revoked). When someone joins, the community's ambassadors are told
 * (newcomer_joined), so they can welcome them.
 */
#ifndef KRING_AMBASSADORS_H
#define KRING_AMBASSADORS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct event;
struct req;

/* The ambassadors of the community bound first (?) who are active members
 * of it, but the member bound second: their ids, for telling them. */
#define AMBASSADORS_TO_TELL_SQL                                                                     \
	"SELECT ca.user_id FROM community_ambassadors ca JOIN memberships am ON am.community_id ="   \
	" ca.community_id AND am.user_id = ca.user_id AND am.state = 'active' WHERE ca.community_id = ?" \
	" AND ca.user_id <> ? ORDER BY ca.user_id"

json_t *ambassadors_grant(struct req *r);
json_t *ambassadors_revoke(struct req *r);

/* GET /c/{slug}/members: the page of members and bans
 * (community_bans_members_page) with each member's "is_ambassador" and,
 * for who runs the community, the forms to change it. */
json_t *ambassadors_members_page(struct req *r);

/* The community's ambassadors who are active members, by name:
 * [{"handle", "name"}]. */
json_t *ambassadors_of(struct req *r, int64_t community_id);

/* Makes the member ambassador of the community, for an import (no event,
 * no audit entry). False on a database error. */
bool ambassadors_store(struct db *db, int64_t community_id, int64_t member_id, int64_t now);

/* The in-step subscriber of member.left: a member who leaves or is
 * removed is no longer an ambassador there. False on a database error. */
bool ambassadors_on_event(struct db *db, const struct event *e);

#endif
