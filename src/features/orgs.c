/* orgs: member organisations, their list and the admins' forms. */
#include "features/orgs.h"

#include "auth/policy.h"
#include "auth/users.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/text.h"
#include "db/db.h"
#include "features/audit.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"
#include "render/markdown.h"
#include "search/profiles.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ORG_NAME_MAX 100
#define ORG_DESCRIPTION_MAX 5000
#define ORG_WEBSITE_MAX 300
#define ORGS_PER_PAGE 60

/* ---- the table ----------------------------------------------------------- */

#define ORG_COLUMNS "id, slug, name, description, website, created_at, updated_at"

static void org_from_row(struct db_stmt *st, struct arena *a, struct org *o)
{
	o->id = db_int_col(st, 0);
	o->slug = arena_strdup(a, db_text_col(st, 1));
	o->name = arena_strdup(a, db_text_col(st, 2));
	o->description = arena_strdup(a, db_text_col(st, 3));
	o->website = arena_strdup(a, db_text_col(st, 4));
	o->created_at = db_int_col(st, 5);
	o->updated_at = db_int_col(st, 6);
}

bool orgs_get(struct db *db, struct arena *a, int64_t id, struct org *out)
{
	struct db_stmt *st = db_query(db, "SELECT " ORG_COLUMNS " FROM orgs WHERE id = ?",
				      DB_ARGS(db_int(id)));
	bool found = db_step(st) == DB_ROW;
	if (found)
		org_from_row(st, a, out);
	db_done(st);
	return found;
}

size_t orgs_get_list(struct db *db, struct arena *a, const int64_t *ids, size_t n, struct org *out)
{
	if (!n)
		return 0;
	struct db_stmt *st = db_query_in(db, "SELECT " ORG_COLUMNS " FROM orgs WHERE id IN ", "", DB_NOARGS, ids, n);
	struct org *found = arena_alloc(a, n * sizeof(*found));
	size_t m = 0;
	while (m < n && db_step(st) == DB_ROW)
		org_from_row(st, a, &found[m++]);
	db_done(st);
	/* in the order asked for: the rows come in the database's */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < m; k++)
			if (found[k].id == ids[i]) {
				out[kept++] = found[k];
				break;
			}
	return kept;
}

bool orgs_find(struct db *db, struct arena *a, const char *slug, struct org *out)
{
	struct db_stmt *st = db_query(db, "SELECT " ORG_COLUMNS " FROM orgs WHERE slug = ?",
				      DB_ARGS(db_text(slug)));
	bool found = db_step(st) == DB_ROW;
	if (found)
		org_from_row(st, a, out);
	db_done(st);
	return found;
}

json_t *orgs_brief(struct arena *a, const struct org *o)
{
	return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)o->id, "slug", o->slug,
			 "name", o->name, "url", link_org(a, o->slug));
}

json_t *orgs_options(struct db *db, const char *selected_slug)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(db, "SELECT id, slug, name FROM orgs ORDER BY lower(name), id",
				      DB_NOARGS);
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:b}", "id",
						      (json_int_t)db_int_col(st, 0),
						      "slug", db_text_col(st, 1), "name", db_text_col(st, 2),
						      "selected", selected_slug &&
						      strcmp(selected_slug, db_text_col(st, 1)) == 0));
	db_done(st);
	return list;
}

/* ---- rules for the fields ----------------------------------------------- */

const char *orgs_slug_problem(const char *slug)
{
	size_t n = strlen(slug);
	if (n == 0)
		return N_("Choose a short name for the organisation's address.");
	if (n < 2 || n > 64)
		return N_("A short name has 2 to 64 characters: lower-case letters a-z, digits and -.");
	for (const char *p = slug; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-'))
			return N_("A short name has 2 to 64 characters: lower-case letters a-z, digits and -.");
	if (strcmp(slug, "new") == 0)
		return N_("This short name is reserved. Choose another one.");
	return NULL;
}

/* A web address to link to: http or https, a host, and nothing that could
 * leave an attribute or start markup. The scheme is lower-cased in place. */
const char *orgs_website_problem(char *url)
{
	if (!*url)
		return NULL;
	if (utf8_length(url) > ORG_WEBSITE_MAX)
		return N_("A web address has at most 300 characters.");
	size_t skip = strncasecmp(url, "https://", 8) == 0 ? 8 : strncasecmp(url, "http://", 7) == 0 ? 7 : 0;
	if (!skip)
		return N_("Enter a web address that starts with http:// or https://.");
	for (size_t i = 0; i < skip - 3; i++)
		url[i] = (char)tolower((unsigned char)url[i]);
	const char *host = url + skip;
	size_t host_len = strcspn(host, "/?#");
	if (host_len == 0)
		return N_("Enter a web address that starts with http:// or https://.");
	for (size_t i = 0; i < host_len; i++) {
		unsigned char c = (unsigned char)host[i];
		if (!(c >= 0x80 || isalnum(c) || strchr(".-:[]", c)))
			return N_("Enter a web address that starts with http:// or https://.");
	}
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= 0x20 || *p == 0x7F || strchr("<>\"'`\\{}|^", *p))
			return N_("Enter a web address that starts with http:// or https://.");
	return NULL;
}

/* ---- view models ---------------------------------------------------------- */

/* The host of a website for people to read, lower-case and without
 * "www.", the scheme or the path: "https://www.Lindewaard.se/kommun/" is
 * "lindewaard.se" (a whole address is long and breaks mid-word on a
 * card). "" for no website; an address that is no http(s) URL as it is. */
static const char *website_host(struct arena *a, const char *url)
{
	size_t skip = strncasecmp(url, "https://", 8) == 0 ? 8 : strncasecmp(url, "http://", 7) == 0 ? 7 : 0;
	if (!skip)
		return url;
	const char *host = url + skip;
	size_t n = strcspn(host, "/?#");
	if (n > 4 && strncasecmp(host, "www.", 4) == 0)
		host += 4, n -= 4;
	char *out = arena_strndup(a, host, n);
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

/* Sets "website" and "website_host" (see website_host) on an organisation's model. */
static void set_website(json_t *j, struct arena *a, const char *website)
{
	json_object_set_new(j, "website", json_string(website));
	json_object_set_new(j, "website_host", json_string(website_host(a, website)));
}

static json_int_t member_count(json_t *counts, int64_t id)
{
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)id);
	return json_integer_value(json_object_get(counts, key));
}

json_t *orgs_json(struct db *db, struct arena *a, const struct org *o)
{
	json_t *counts = users_org_counts(db, &o->id, 1);
	json_int_t members = member_count(counts, o->id);
	json_decref(counts);
	json_t *j = orgs_brief(a, o);
	json_object_set_new(j, "description", json_string(o->description));
	json_object_set_new(j, "description_html", markdown_json(o->description));
	set_website(j, a, o->website);
	json_object_set_new(j, "member_count", json_integer(members));
	json_object_set_new(j, "created_at", json_integer(o->created_at));
	json_object_set_new(j, "updated_at", json_integer(o->updated_at));
	return j;
}

/* One page of organisations by name; the cursor is the last one's id. */
json_t *orgs_list(struct req *r)
{
	const char *cursor = req_query(r, "cursor");
	char *end = NULL;
	long long after = cursor && *cursor ? strtoll(cursor, &end, 10) : 0;
	if (cursor && *cursor && (after <= 0 || *end)) {
		req_fail(r, 400, "bad_cursor", N_("This page link is not valid. Start from the first page."));
		r->error.field = "cursor";
		return NULL;
	}
	json_t *items = json_array();
	int64_t ids[ORGS_PER_PAGE];
	size_t n = 0;
	bool more = false;
	struct db_stmt *st = db_query(r->db, "SELECT " ORG_COLUMNS " FROM orgs"
		" WHERE ? = 0 OR (lower(name), id) > (SELECT lower(name), id FROM orgs WHERE id = ?)"
		" ORDER BY lower(name), id LIMIT ?", DB_ARGS(db_int(after), db_int(after), db_int(ORGS_PER_PAGE + 1)));
	while (db_step(st) == DB_ROW) {
		if (n == ORGS_PER_PAGE) {
			more = true;
			break;
		}
		struct org o;
		org_from_row(st, &r->arena, &o);
		json_t *j = orgs_brief(&r->arena, &o);
		set_website(j, &r->arena, o.website);
		json_array_append_new(items, j);
		ids[n++] = o.id;
	}
	db_done(st);
	if (n > 0) {
		json_t *counts = users_org_counts(r->db, ids, n);
		for (size_t i = 0; i < n; i++)
			json_object_set_new(json_array_get(items, i), "member_count",
					    json_integer(member_count(counts, ids[i])));
		json_decref(counts);
	}
	json_t *next = more ? json_sprintf("%lld", (long long)ids[n - 1]) : json_null();
	json_t *model = json_pack("{s:s, s:o, s:o, s:b}", "title", tr(r, N_("Organisations")), "items", items,
				  "next", next, "can_create", policy_site_allows(r, POLICY_ADMINISTER));
	if (more)
		json_object_set_new(model, "next_url", json_sprintf("/orgs?cursor=%lld", (long long)ids[n - 1]));
	return model;
}

/* ---- the admins' forms ---------------------------------------------------- */

static json_t *form_model(struct req *r, const char *title_msgid, const char *action)
{
	json_t *model = json_pack("{s:s, s:s, s:{}}", "title", tr(r, title_msgid), "action", action,
				  "values");
	return model;
}

static void set_values(json_t *model, const char *slug, const char *name, const char *description,
		       const char *website)
{
	json_object_set_new(model, "values", json_pack("{s:s, s:s, s:s, s:s}",
						       "slug", slug ? slug : "", "name", name ? name : "",
						       "description", description ? description : "",
						       "website", website ? website : ""));
}

json_t *orgs_new_form(struct req *r)
{
	json_t *model = form_model(r, N_("New organisation"), "/orgs");
	json_object_set_new(model, "is_new", json_true());
	return model;
}

json_t *orgs_edit_form(struct req *r)
{
	struct org o;
	if (!orgs_find(r->db, &r->arena, req_path_param(r, "slug"), &o))
		return req_fail(r, 404, "not_found", N_("There is no such organisation."));
	json_t *model = form_model(r, N_("Edit organisation"),
				   arena_printf(&r->arena, "%s/edit", link_org(&r->arena, o.slug)));
	set_values(model, o.slug, o.name, o.description, o.website);
	json_object_set_new(model, "org", orgs_brief(&r->arena, &o));
	return model;
}

/* Checks and saves the form; existing is NULL when creating. */
static json_t *org_save(struct req *r, const struct org *existing, json_t *model)
{
	const char *slug = req_param(r, "slug"), *name = req_param(r, "name");
	const char *description = req_param(r, "description"), *website = req_param(r, "website");
	if (existing) {
		/* Fields left out of an API call keep their value. */
		slug = slug ? slug : existing->slug;
		name = name ? name : existing->name;
		description = description ? description : existing->description;
		website = website ? website : existing->website;
	}
	set_values(model, slug, name, description, website);

	char *clean_slug = text_trim(arena_strdup(&r->arena, slug ? slug : ""));
	for (char *p = clean_slug; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	char *clean_name = text_clean_name(arena_strdup(&r->arena, name ? name : ""));
	char *clean_description = text_trim(arena_strdup(&r->arena, description ? description : ""));
	char *clean_website = text_trim(arena_strdup(&r->arena, website ? website : ""));

	const char *problem;
	if ((problem = orgs_slug_problem(clean_slug)))
		req_field_error(r, model, "slug", problem);
	if (!*clean_name)
		req_field_error(r, model, "name", N_("Enter the organisation's name."));
	else if (utf8_length(clean_name) > ORG_NAME_MAX)
		req_field_error(r, model, "name", N_("A name has at most 100 characters."));
	else if (!text_printable(clean_name, false))
		req_field_error(r, model, "name", N_("A name cannot contain control characters."));
	if (utf8_length(clean_description) > ORG_DESCRIPTION_MAX)
		req_field_error(r, model, "description", N_("A description has at most 5000 characters."));
	else if (!text_printable(clean_description, true))
		req_field_error(r, model, "description", N_("The text cannot contain control characters."));
	if ((problem = orgs_website_problem(clean_website)))
		req_field_error(r, model, "website", problem);
	if (req_has_field_errors(r))
		return req_invalid(r, model);

	int64_t now = r->now, id = existing ? existing->id : 0;
	int64_t changed;
	/* The organisation and its place in search (its members' too) change together. */
	if (!db_begin(r->db)) {
		json_decref(model);
		return req_fail_internal(r);
	}
	if (existing) {
		changed = db_exec(r->db, "UPDATE orgs SET slug = ?, name = ?, description = ?, website = ?, "
					 "updated_at = ? WHERE id = ?",
				  DB_ARGS(db_text(clean_slug), db_text(clean_name), db_text(clean_description),
					  db_text(clean_website), db_int(now), db_int(id)));
	} else {
		id = db_scalar_int(r->db, 0, "INSERT INTO orgs (slug, name, description, website, created_at, "
					     "updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
				   DB_ARGS(db_text(clean_slug), db_text(clean_name), db_text(clean_description),
					   db_text(clean_website), db_int(now), db_int(now)));
		changed = id ? 1 : -1;
	}
	if (changed == 1 &&
	    (!search_index_org(r->db, id) ||
	     !audit_by(r, existing ? "org.edited" : "org.created", "org", id, 0, NULL,
		       json_pack("{s:s, s:s}", "slug", clean_slug, "name", clean_name)) ||
	     !db_commit(r->db)))
		changed = -1;
	if (changed != 1) {
		bool taken = db_unique_violation(r->db);
		db_rollback(r->db);
		if (taken) {
			req_field_error(r, model, "slug", N_("Another organisation has this short name."));
			r->status = 409;
			r->error.code = "taken";
			return model;
		}
		json_decref(model);
		return req_fail_internal(r);
	}
	json_decref(model);
	struct org saved;
	if (!orgs_get(r->db, &r->arena, id, &saved))
		return req_fail_internal(r);
	json_t *out = orgs_json(r->db, &r->arena, &saved);
	return req_done(r, existing ? 200 : 201, link_org(&r->arena, saved.slug), out);
}

json_t *orgs_create(struct req *r)
{
	json_t *model = form_model(r, N_("New organisation"), "/orgs");
	json_object_set_new(model, "is_new", json_true());
	return org_save(r, NULL, model);
}

json_t *orgs_edit(struct req *r)
{
	struct org o;
	if (!orgs_find(r->db, &r->arena, req_path_param(r, "slug"), &o))
		return req_fail(r, 404, "not_found", N_("There is no such organisation."));
	json_t *model = form_model(r, N_("Edit organisation"),
				   arena_printf(&r->arena, "%s/edit", link_org(&r->arena, o.slug)));
	json_object_set_new(model, "org", orgs_brief(&r->arena, &o));
	return org_save(r, &o, model);
}
