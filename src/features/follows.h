/* follows: what a member follows — tags, communities, people and threads —
 * and who follows something. The follows table belongs here.
 *
 * A member follows only what they may read: the routes answer the same
 * 404 as reading it, and the lists here leave out what they can no longer
 * see. A thread is followed as a whole: following an answer follows its
 * question. A member follows the threads they write, answer or comment on
 * themselves (an in-step subscriber of the item and comment events,
 * src/subscribers.c) unless they turned that off in their settings.
 *
 * Who follows something (follows_followers) is for what tells members
 * about it later (notifications, mail, feeds), which asks the policy for
 * each member again; a follow is no right to read. */
#ifndef KRING_FOLLOWS_H
#define KRING_FOLLOWS_H

#include "db/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct event;
struct req;

/* What can be followed; follows.kind stores follow_kind_name. */
enum follow_kind { FOLLOW_TAG, FOLLOW_COMMUNITY, FOLLOW_PERSON, FOLLOW_ITEM, FOLLOW_KINDS };

/* "tag", "community", "person", "item". */
const char *follow_kind_name(enum follow_kind kind);

/* Whether the member follows the target (a tag's, community's, member's or
 * thread's id). */
bool follows_has(struct db *db, int64_t member_id, enum follow_kind kind, int64_t target_id);
/* Starts or stops following; doing it again changes nothing. False on a
 * database error. */
DB_MUST_CHECK bool follows_add(struct db *db, int64_t member_id, enum follow_kind kind, int64_t target_id,
			       int64_t now);
DB_MUST_CHECK bool follows_remove(struct db *db, int64_t member_id, enum follow_kind kind, int64_t target_id);
/* Stops everything the member follows (an excluded member's). False on
 * a database error. */
bool follows_forget_member(struct db *db, int64_t member_id);
/* The ids of the members who follow the target, in the arena, *n of them;
 * NULL when none (or on a database error: db_failed says which). */
int64_t *follows_followers(struct db *db, struct arena *a, enum follow_kind kind, int64_t target_id, size_t *n);

/* Whether the member follows the threads they write, answer or comment on
 * (the default), and setting it. */
bool follows_auto_enabled(struct db *db, int64_t member_id);
DB_MUST_CHECK bool follows_set_auto(struct db *db, int64_t member_id, bool on);

/* The in-step subscriber (src/subscribers.c): the author of a new item,
 * answer or comment follows its thread, if their setting says so. */
bool follows_on_contribution(struct db *db, const struct event *e);

/* The button a page shows to a signed-in member, for its model's "follow":
 * {"following": bool, "action": the target's address, to which /follow or
 * /unfollow is added}. NULL for a visitor. */
json_t *follows_button(struct req *r, enum follow_kind kind, int64_t target_id, const char *address);

/* POST {tags/{tag},c/{slug},people/{handle},items/{id}}/{follow,unfollow}:
 * {"following": bool}; the HTML form goes back to the page (to the list of
 * follows when it sends from=follows). */
json_t *follows_tag(struct req *r);
json_t *follows_tag_stop(struct req *r);
json_t *follows_community(struct req *r);
json_t *follows_community_stop(struct req *r);
json_t *follows_person(struct req *r);
json_t *follows_person_stop(struct req *r);
json_t *follows_item(struct req *r);
json_t *follows_item_stop(struct req *r);

/* GET /settings/follows: what the member follows, by kind, each with its
 * address and unfollow action: {"tags", "communities", "people", "items"}. */
json_t *follows_settings_page(struct req *r);

#endif
