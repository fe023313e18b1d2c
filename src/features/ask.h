/* ask: a question from anywhere, in a community the member picks (and
 * joins on the way when it is open). */
#ifndef KRING_ASK_H
#define KRING_ASK_H

#include <jansson.h>

struct req;

/* GET /ask: the composer with a choice of community. */
json_t *ask_form(struct req *r);
/* POST /ask: "community" (slug), and a question's fields. 201 with the
 * question and "joined" ({"slug", "name"} of the community joined on the
 * way, or null). */
json_t *ask_create(struct req *r);

#endif
