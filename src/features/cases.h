/*
 * cases: a case a member brings to a circle (features/circles.h), the item
 * kind "case": the situation (its body) and the question to the circle.
 * The circle's hosts take it through rounds, one after the other:
 *
 *   clarifying  the others ask questions only; the case-bringer answers
 *   analysis    the others explore what is going on; the case-bringer
 *               listens
 *   advice      the others give advice; the case-bringer listens
 *   reflection  the case-bringer says what they take from it
 *   closed      done, with the lessons learned
 *
 * Contributions are comments, each kept with the round it was made in; one
 * that does not fit the round is refused with the round's rule. The
 * case-bringer may publish a closed case's lessons as a best practice
 * (features/case_lessons.h). A case is
 * brought only in a circle, and like all of a circle it shows nowhere
 * else. The cases and case_contributions tables belong here.
 */
#ifndef KRING_CASES_H
#define KRING_CASES_H

#include "features/item_kind.h"

#include <jansson.h>
#include <stdbool.h>

struct db;
struct event;
struct req;

extern const struct item_kind kind_case;

/* POST /items/{id}/round: the next round (`round`, the name of the one
 * after the current), by a host of the circle; closing takes `lessons`. */
json_t *cases_next_round(struct req *r);

/* GET and POST /items/{id}/publish-lessons: the case of the path, for
 * features/case_lessons.h to publish its lessons (404 for no case). */
json_t *cases_lessons_draft(struct req *r);
json_t *cases_lessons_publish(struct req *r);

/* The in-step subscriber of comment.added: records the round a
 * contribution to a case was made in. */
bool cases_contribution_added(struct db *db, const struct event *e);


#endif
