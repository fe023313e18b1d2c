/* questions: the question list, answers and accepting one. */
#ifndef KRING_QUESTIONS_H
#define KRING_QUESTIONS_H

#include <jansson.h>

struct req;

json_t *questions_list(struct req *r);
json_t *questions_answer(struct req *r);
json_t *questions_accept(struct req *r);

#endif
