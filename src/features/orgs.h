/* orgs: the member organisations of a community: their list, and the
 * admins' forms to create and edit them. The orgs table belongs here; the
 * page of one organisation is features/org_page. */
#ifndef KRING_ORGS_H
#define KRING_ORGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct req;

struct org {
	int64_t id, created_at, updated_at;
	const char *slug, *name, *description, *website;
};

/* Loads an organisation by id or by slug; false when there is none.
 * Strings live in the arena. */
bool orgs_get(struct db *db, struct arena *a, int64_t id, struct org *out);
bool orgs_find(struct db *db, struct arena *a, const char *slug, struct org *out);
/* The organisations of ids[0..n) (each once) in one statement, in the order
 * of ids, into out (room for n), leaving out the ids that have none; how
 * many. */
size_t orgs_get_list(struct db *db, struct arena *a, const int64_t *ids, size_t n, struct org *out);
/* {"id", "slug", "name", "url"}: how other pages link to an organisation. */
json_t *orgs_brief(struct arena *a, const struct org *o);
/* The brief with "description", "description_html", "website",
 * "website_host", "member_count", "created_at" and "updated_at": an
 * organisation as its page and its form show it. */
json_t *orgs_json(struct db *db, struct arena *a, const struct org *o);
/* Every organisation by name, for pickers: [{"id", "slug", "name",
 * "selected"}], selected where the slug equals selected_slug. */
json_t *orgs_options(struct db *db, const char *selected_slug);

/* The rules for an organisation's fields: NULL when fine, else a message
 * id. The website's scheme is lower-cased in place. */
const char *orgs_slug_problem(const char *slug);
const char *orgs_website_problem(char *url);

/* Route handlers. */
json_t *orgs_list(struct req *r);
json_t *orgs_new_form(struct req *r);
json_t *orgs_create(struct req *r);
json_t *orgs_edit_form(struct req *r);
json_t *orgs_edit(struct req *r);

#endif
