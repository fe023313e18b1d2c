/* community_page: a community's page, its stream of items with the open
 * questions, hosts and newest members. The communities themselves, their
 * memberships and forms are kept by features/communities. */
#ifndef KRING_COMMUNITY_PAGE_H
#define KRING_COMMUNITY_PAGE_H

#include <jansson.h>

struct req;

/* GET /c/{slug} */
json_t *community_page(struct req *r);

#endif
