/* people: member profiles, their avatars, the people directory and the
 * form where members edit their own profile. */
#ifndef KRING_PEOPLE_H
#define KRING_PEOPLE_H

#include <jansson.h>

struct req;
struct users_dir_row;

/* Members as lists show them: [{"id", "handle", "name", "title", "org"
 * {slug, name} or null, "expertise" [{tag, level}] (the top three),
 * "avatar_url", "url"}]. */
json_t *people_summaries(struct req *r, const struct users_dir_row *rows, int n);
/* The address of a member's avatar, with a version that changes with the
 * name (in the arena). */
const char *people_avatar_url(struct req *r, const char *handle, const char *name);

/* Route handlers. */
json_t *people_directory(struct req *r);
json_t *people_profile(struct req *r);
json_t *people_avatar(struct req *r);
json_t *people_profile_form(struct req *r);
json_t *people_profile_save(struct req *r);

#endif
