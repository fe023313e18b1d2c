/* render: turns a handler's view model into the answer's bytes: JSON for
 * API clients, or the route's template inside the site layout. */
#ifndef KRING_RENDER_H
#define KRING_RENDER_H

struct req;

/* Fills r->body_out and r->content_type from r->model, r->error,
 * r->redirect and r->template. */
void render_response(struct req *r);

/* Adds KEY_iso and KEY_text for the UTC time t to o, as pages show times
 * (templates write them for every *_at member by themselves, template.h;
 * call it for other time fields). */
struct json_t;
void render_add_time(struct json_t *o, const char *key, long long t);

/* What every page's header shows a signed-in member besides their name
 * and roles, added to "me" (the count of their unread notifications).
 * Defined at the top level (src/header.c), as routes[] is: it reads a
 * feature's table. */
void render_member_header(struct req *r, struct json_t *me);


#endif
