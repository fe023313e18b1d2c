/*
 * warnings: a moderator or a community's host warns a member, with a
 * reason the member reads; owner of the warnings table.
 *
 *   POST /people/{handle}/warn   reason (required), community (a slug),
 *                                subject_kind (item, comment or person)
 *                                and subject_id: what it is about, which
 *                                must be theirs; return=/moderation sends
 *                                the HTML form back to the queue
 *   GET /settings/standing       the member's own standing: their
 *                                warnings, a cool-down, a suspension
 *
 * Who may warn whom: whoever may suspend the member (POLICY_MODERATE on
 * the account: an admin anyone, a moderator a member), and a host of a
 * community a member (not staff) about content in it or in the community
 * they name. Nobody warns themselves.
 *
 * A warning records member.warned in the write's transaction (its audit
 * entry and the member's notification "warning", in their language and by
 * e-mail as they chose), then the ladder takes its step
 * (features/ladder.h).
 */
#ifndef KRING_WARNINGS_H
#define KRING_WARNINGS_H

#include <jansson.h>

struct req;

json_t *warnings_warn(struct req *r);
json_t *warnings_standing(struct req *r);

/* GET /people/{handle}: the person's page (features/member_states.h) with
 * the member's warnings on its moderation card: "warnings": [{"reason",
 * "created_iso", "created_text", "by", "community"}]. */
json_t *warnings_person_page(struct req *r);

/* For a subject of the review queue (features/moderation.h, {"kind",
 * "id", "author": {"id", "handle"}, "community": {"slug"}}): what the
 * viewer may do about its author, "author_actions": {"may_warn",
 * "may_suspend", "warnings": [...], "upheld": N}; nothing when they may do
 * nothing. */
void warnings_author_actions(struct req *r, json_t *subject);

#endif
