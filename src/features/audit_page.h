/* audit_page: the audit log (features/audit.h) as its readers see it, the
 * newest entry first, a page at a time (?cursor=). */
#ifndef KRING_AUDIT_PAGE_H
#define KRING_AUDIT_PAGE_H

#include <jansson.h>

struct req;

/* GET /admin/audit, for admins: every entry, filtered by ?actor= (a
 * handle), ?action= and ?community= (a slug). Communities the admin may
 * not know of (private) are not named. {"items": [...], "next": cursor or
 * null}. */
json_t *audit_admin_page(struct req *r);
/* What the log's pages call an action ("content.hidden": "Content
 * hidden"), in r's language; the code itself for one it does not know. */
const char *audit_action_label(struct req *r, const char *action);
/* GET /c/{slug}/audit, for the community's hosts (and admins): its
 * entries only, filtered by ?actor= and ?action=. */
json_t *audit_community_page(struct req *r);

#endif
