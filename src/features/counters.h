/*
 * counters: the counts kept on rows for the lists to read, moved by the
 * events that change them, in the write's transaction (an in-step
 * subscriber, src/subscribers.c).
 */
#ifndef KRING_COUNTERS_H
#define KRING_COUNTERS_H

#include <stdbool.h>

struct db;
struct event;

/* A question's answer count (and its activity time, and its accepted
 * answer when that is deleted), from an answer's item.created and
 * item.deleted: the event's payload names the question (parent_id). */
bool counters_answers(struct db *db, const struct event *e);
/* An item's comment count, from comment.added and .deleted; an added one
 * is activity on the item and its question. */
bool counters_comments(struct db *db, const struct event *e);
/* An item's reaction count, from reaction.toggled on the item (not on one
 * of its comments): payload added. */
bool counters_reactions(struct db *db, const struct event *e);
/* A community's count of active members, counted again from its
 * memberships on any member event and when it is created. */
bool counters_members(struct db *db, const struct event *e);
/* The same for every community, after a bulk load (kring import). */
bool counters_members_all(struct db *db);

#endif
