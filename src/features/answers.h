/* answers: an answer to a question. It lives under its question (in its
 * community and language, with its tags) and is shown on its page. */
#ifndef KRING_ANSWERS_H
#define KRING_ANSWERS_H

#include "features/item_kind.h"

#include <jansson.h>

struct item;
struct req;

extern const struct item_kind kind_answer;

/* Loads the question of /items/{id}/… into q when the member may add to
 * it (answer it, accept an answer); false after req_fail: 404 when it is
 * not a question, 403 or 409 when they may not write. */
bool answers_load_question(struct req *r, struct item *q);

/* POST /items/{id}/answers */
json_t *answers_create(struct req *r);

#endif
