/* answers: an answer to a question. It lives under its question (in its
 * community and language, with its tags) and is shown on its page. */
#ifndef KRING_ANSWERS_H
#define KRING_ANSWERS_H

#include "features/item_kind.h"

#include <jansson.h>

struct req;

extern const struct item_kind kind_answer;

/* POST /items/{id}/answers */
json_t *answers_create(struct req *r);

#endif
