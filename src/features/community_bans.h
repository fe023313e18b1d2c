/*
 * community_bans: a community's hosts (or an admin) remove a member and
 * ban them, so that leaving and coming back does not undo it: a banned
 * member cannot join, ask to join or be invited (the policy's
 * POLICY_BANNED, from POLICY_COMMUNITY_BANNED_SQL) until the ban is
 * lifted. The table community_bans belongs here.
 *
 *   POST /c/{slug}/members/{handle}/ban    reason: removes and bans
 *   POST /c/{slug}/members/{handle}/unban  lifts the ban
 *
 * Nobody bans themselves or an admin, and only an admin bans one of the
 * community's hosts. Each records member.banned or member.unbanned, which
 * tells the member (features/notifications.h).
 */
#ifndef KRING_COMMUNITY_BANS_H
#define KRING_COMMUNITY_BANS_H

#include <jansson.h>
#include <stdint.h>

struct req;

json_t *community_bans_ban(struct req *r);
json_t *community_bans_unban(struct req *r);

/* GET /c/{slug}/members: the page of members (communities_members) and,
 * for those who run the community, who is banned from it: "bans":
 * [{"handle", "name", "reason", "since_text"…}], the newest first. */
json_t *community_bans_members_page(struct req *r);

#endif
