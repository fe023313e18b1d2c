/* tag_page: the page of a topic tag, with what carries it and who knows
 * about it. The tags themselves are kept by features/tags. */
#ifndef KRING_TAG_PAGE_H
#define KRING_TAG_PAGE_H

#include <jansson.h>

struct req;

/* GET /tags/{tag}: what the viewer may see on the tag, and its experts. */
json_t *tag_page(struct req *r);

#endif
