/* questions: a question, which members answer and its asker accepts one
 * answer of; the question list. */
#ifndef KRING_QUESTIONS_H
#define KRING_QUESTIONS_H

#include "features/item_kind.h"

#include <jansson.h>

struct req;

extern const struct item_kind kind_question;

/* GET /questions and POST /items/{id}/accept. */
json_t *questions_list(struct req *r);
json_t *questions_accept(struct req *r);

#endif
