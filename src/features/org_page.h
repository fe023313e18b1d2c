/* org_page: the page of a member organisation, with its people and what
 * they shared. The organisations themselves are kept by features/orgs. */
#ifndef KRING_ORG_PAGE_H
#define KRING_ORG_PAGE_H

#include <jansson.h>

struct req;

/* GET /orgs/{slug}: the organisation, its first members and one page of
 * the items they shared. */
json_t *org_page(struct req *r);

#endif
