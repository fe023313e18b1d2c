/* articles: best practices and their catalogue (see articles.h). */
#include "features/articles.h"

#include "auth/users.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/text.h"
#include "db/db.h"
#include "features/communities.h"
#include "features/event_recap.h"
#include "features/experts.h"
#include "features/items.h"
#include "features/subscriptions.h"
#include "features/orgs.h"
#include "features/tags.h"
#include "import/import.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"
#include "render/markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECTION_MAX 20000
#define ARTICLE_SUMMARY_MAX 500
#define ARTICLE_CONTACTS_MAX 5
#define ARTICLE_RELATED_MAX 10

/* What an article adds to an item, as it is read and stored. */
struct article_input {
	const char *situation, *approach, *results;
	int64_t contacts[ARTICLE_CONTACTS_MAX];
	int ncontacts;
	int64_t related[ARTICLE_RELATED_MAX];
	int nrelated;
	int64_t org_id; /* 0: none */
};

static const char *const sections[] = {"situation", "approach", "results"};

/* The next entry of a comma-separated list, trimmed; NULL at the end. */
static char *next_entry(char **rest)
{
	while (*rest && **rest) {
		char *entry = *rest, *comma = strchr(entry, ',');
		*rest = comma ? comma + 1 : NULL;
		if (comma)
			*comma = '\0';
		entry = text_trim(entry);
		if (*entry)
			return entry;
	}
	return NULL;
}

static bool already(const int64_t *ids, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Active members by handle ("@anna" or "anna"), in the order given. */
static void read_contacts(struct req *r, json_t *model, char *list, struct article_input *in)
{
	in->ncontacts = 0;
	for (char *handle; (handle = next_entry(&list));) {
		if (*handle == '@')
			handle++;
		if (in->ncontacts == ARTICLE_CONTACTS_MAX) {
			req_field_error(r, model, "contacts", N_("Name at most 5 people to contact."));
			return;
		}
		int64_t id = db_scalar_int(r->db, 0, "SELECT id FROM users WHERE lower(handle) = lower(?)"
						     " AND " POLICY_ACCOUNT_SHOWN_SQL("status"), DB_ARGS(db_text(handle)));
		if (!id) {
			req_field_error(r, model, "contacts", N_("Name people by their handle, as on their profile."));
			return;
		}
		if (!already(in->contacts, in->ncontacts, id))
			in->contacts[in->ncontacts++] = id;
	}
}

/* Items the writer may read, by id ("12" or "12-a-slug"), in the order
 * given. */
static void read_related(struct req *r, json_t *model, char *list, int64_t self, struct article_input *in)
{
	int64_t viewer = r->user ? r->user->id : 0;
	in->nrelated = 0;
	for (char *entry; (entry = next_entry(&list));) {
		if (in->nrelated == ARTICLE_RELATED_MAX) {
			req_field_error(r, model, "related", N_("Link at most 10 related posts."));
			return;
		}
		char *end = NULL;
		long long id = strtoll(entry, &end, 10);
		if (id <= 0 || (*end && *end != '-') || id == self ||
		    !db_exists(r->db, "SELECT 1 FROM items i WHERE i.id = ? AND i.kind <> 'answer' AND " POLICY_ITEM_VISIBLE_SQL,
			       DB_ARGS(db_int(id), POLICY_ITEM_VISIBLE_ARGS(viewer)))) {
			req_field_error(r, model, "related", N_("Link posts you can read, by their number."));
			return;
		}
		if (!already(in->related, in->nrelated, id))
			in->related[in->nrelated++] = id;
	}
}

/* The ids of an article's contacts or related items, in their order. */
static int stored_ids(struct db *db, const char *sql, int64_t item_id, int64_t *ids, int max)
{
	int n = 0;
	struct db_stmt *st = db_query(db, sql, DB_ARGS(db_int(item_id)));
	while (db_step(st) == DB_ROW && n < max)
		ids[n++] = db_int_col(st, 0);
	db_done(st);
	return n;
}

#define CONTACT_IDS_SQL "SELECT user_id FROM item_contacts WHERE item_id = ? ORDER BY position"
#define RELATED_IDS_SQL "SELECT related_id FROM item_links WHERE item_id = ? ORDER BY position"

/* Reads and checks the article's own fields; author_org is the
 * organisation a new article gets when the request names none. */
static void read_article(struct req *r, json_t *model, const struct item *current, int64_t author_org,
			 struct article_input *in)
{
	const char **fields[] = {&in->situation, &in->approach, &in->results};
	struct db_stmt *st = current ? db_query(r->db, "SELECT situation, approach, results FROM articles"
						       " WHERE item_id = ?", DB_ARGS(db_int(current->id)))
				     : NULL;
	bool found = st && db_step(st) == DB_ROW;
	for (int i = 0; i < 3; i++) {
		const char *v = req_param_trimmed(r, sections[i]);
		*fields[i] = v ? v : found ? arena_strdup(&r->arena, db_text_col(st, i)) : "";
	}
	db_done(st);
	if (!*in->approach)
		req_field_error(r, model, "approach", N_("Describe the approach: what was done, step by step."));
	for (int i = 0; i < 3; i++) {
		if (utf8_length(*fields[i]) > SECTION_MAX)
			req_field_error(r, model, sections[i], N_("The text has at most 20000 characters."));
		else if (!text_printable(*fields[i], true))
			req_field_error(r, model, sections[i], N_("The text cannot contain control characters."));
	}

	const char *contacts = req_param_trimmed(r, "contacts");
	if (contacts)
		read_contacts(r, model, arena_strdup(&r->arena, contacts), in);
	else if (current)
		in->ncontacts = stored_ids(r->db, CONTACT_IDS_SQL, current->id, in->contacts, ARTICLE_CONTACTS_MAX);

	const char *related = req_param_trimmed(r, "related");
	if (related)
		read_related(r, model, arena_strdup(&r->arena, related), current ? current->id : 0, in);
	else if (current)
		in->nrelated = stored_ids(r->db, RELATED_IDS_SQL, current->id, in->related, ARTICLE_RELATED_MAX);

	const char *org = req_param_trimmed(r, "org");
	in->org_id = current ? db_scalar_int(r->db, 0, "SELECT org_id FROM items WHERE id = ?",
					     DB_ARGS(db_int(current->id)))
			     : author_org;
	if (org && *org) {
		struct org o;
		if (orgs_find(r->db, &r->arena, org, &o))
			in->org_id = o.id;
		else
			req_field_error(r, model, "org", N_("Choose an organisation from the list."));
	} else if (org) {
		in->org_id = 0; /* sent empty: none */
	}
}

static bool store_article(struct db *db, int64_t item_id, const void *input)
{
	const struct article_input *in = input;
	bool ok = db_exec(db, "INSERT INTO articles (item_id, situation, approach, results) VALUES (?, ?, ?, ?)"
			      " ON CONFLICT (item_id) DO UPDATE SET situation = excluded.situation,"
			      " approach = excluded.approach, results = excluded.results",
			  DB_ARGS(db_int(item_id), db_text(in->situation), db_text(in->approach),
				  db_text(in->results))) == 1 &&
		  db_exec(db, "UPDATE items SET org_id = ? WHERE id = ?",
			  DB_ARGS(in->org_id ? db_int(in->org_id) : db_null(), db_int(item_id))) == 1 &&
		  db_exec(db, "DELETE FROM item_contacts WHERE item_id = ?", DB_ARGS(db_int(item_id))) >= 0 &&
		  db_exec(db, "DELETE FROM item_links WHERE item_id = ?", DB_ARGS(db_int(item_id))) >= 0;
	for (int i = 0; ok && i < in->ncontacts; i++)
		ok = db_exec(db, "INSERT INTO item_contacts (item_id, user_id, position) VALUES (?, ?, ?)",
			     DB_ARGS(db_int(item_id), db_int(in->contacts[i]), db_int(i))) == 1;
	for (int i = 0; ok && i < in->nrelated; i++)
		ok = db_exec(db, "INSERT INTO item_links (item_id, related_id, position) VALUES (?, ?, ?)",
			     DB_ARGS(db_int(item_id), db_int(in->related[i]), db_int(i))) == 1;
	return ok;
}

/* The fields as the revision records them: the sections, the contacts'
 * handles, the organisation's slug and the related items' ids, as text
 * that reads well in a diff. */
static json_t *article_history(struct db *db, const void *input)
{
	const struct article_input *in = input;
	struct buf contacts = {0}, related = {0};
	for (int i = 0; i < in->ncontacts; i++) {
		struct db_stmt *st = db_query(db, "SELECT handle FROM users WHERE id = ?", DB_ARGS(db_int(in->contacts[i])));
		if (db_step(st) == DB_ROW)
			buf_printf(&contacts, "%s%s", contacts.len ? ", " : "", db_text_col(st, 0));
		db_done(st);
	}
	for (int i = 0; i < in->nrelated; i++)
		buf_printf(&related, "%s%lld", i ? ", " : "", (long long)in->related[i]);
	char *org = NULL;
	if (in->org_id) {
		struct db_stmt *st = db_query(db, "SELECT slug FROM orgs WHERE id = ?", DB_ARGS(db_int(in->org_id)));
		if (db_step(st) == DB_ROW)
			org = xstrdup(db_text_col(st, 0));
		db_done(st);
	}
	json_t *fields = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "situation", in->situation,
				   "approach", in->approach, "results", in->results,
				   "contacts", contacts.data ? contacts.data : "", "related", related.data ? related.data : "",
				   "org", org ? org : "");
	buf_free(&contacts);
	buf_free(&related);
	free(org);
	return fields;
}

/* A revision's text field, or "". */
static const char *revision_text(struct req *r, json_t *fields, const char *key)
{
	const char *v = json_string_value(json_object_get(fields, key));
	return arena_strdup(&r->arena, v ? v : "");
}

/* Contacts, organisation and related items that are gone are left out. */
static void article_from_history(struct req *r, json_t *fields, void *input)
{
	struct article_input *in = input;
	in->situation = revision_text(r, fields, "situation");
	in->approach = revision_text(r, fields, "approach");
	in->results = revision_text(r, fields, "results");
	char *list = (char *)revision_text(r, fields, "contacts");
	for (char *handle; (handle = next_entry(&list)) && in->ncontacts < ARTICLE_CONTACTS_MAX;) {
		int64_t id = db_scalar_int(r->db, 0, "SELECT id FROM users WHERE handle = ? AND " POLICY_ACCOUNT_SHOWN_SQL("status"),
					   DB_ARGS(db_text(handle)));
		if (id && !already(in->contacts, in->ncontacts, id))
			in->contacts[in->ncontacts++] = id;
	}
	list = (char *)revision_text(r, fields, "related");
	for (char *entry; (entry = next_entry(&list)) && in->nrelated < ARTICLE_RELATED_MAX;) {
		int64_t id = db_scalar_int(r->db, 0, "SELECT id FROM items WHERE id = ? AND deleted_at IS NULL",
					   DB_ARGS(db_int(strtoll(entry, NULL, 10))));
		if (id && !already(in->related, in->nrelated, id))
			in->related[in->nrelated++] = id;
	}
	struct org o;
	const char *org = revision_text(r, fields, "org");
	in->org_id = *org && orgs_find(r->db, &r->arena, org, &o) ? o.id : 0;
}

static json_t *contacts_json(struct req *r, int64_t item_id)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT u.handle, u.name, u.title, u.ask_me_about, o.slug, o.name FROM item_contacts ic"
		" JOIN users u ON u.id = ic.user_id LEFT JOIN orgs o ON o.id = u.org_id"
		" WHERE ic.item_id = ? AND " POLICY_ACCOUNT_SHOWN_SQL("u.status") " ORDER BY ic.position", DB_ARGS(db_int(item_id)));
	while (db_step(st) == DB_ROW) {
		const char *handle = db_text_col(st, 0);
		json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:s}", "handle", handle, "name", db_text_col(st, 1),
				      "title", db_text_col(st, 2), "ask_me_about", db_text_col(st, 3),
				      "url", link_person(&r->arena, handle));
		json_object_set_new(c, "org", db_null_col(st, 4) ? json_null()
				    : json_pack("{s:s, s:s, s:s}", "slug", db_text_col(st, 4), "name", db_text_col(st, 5),
						"url", link_org(&r->arena, db_text_col(st, 4))));
		json_array_append_new(list, c);
	}
	db_done(st);
	return list;
}

static json_t *related_json(struct req *r, int64_t item_id)
{
	int64_t viewer = r->user ? r->user->id : 0;
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT i.id, i.kind, i.title FROM item_links l JOIN items i ON i.id = l.related_id"
		" WHERE l.item_id = ? AND " POLICY_ITEM_VISIBLE_SQL " ORDER BY l.position",
		DB_ARGS(db_int(item_id), POLICY_ITEM_VISIBLE_ARGS(viewer)));
	while (db_step(st) == DB_ROW) {
		int64_t id = db_int_col(st, 0);
		const char *kind = db_text_col(st, 1), *title = db_text_col(st, 2);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "kind", kind,
						      "kind_label", items_label(r, kind),
						      "title", *title ? title : items_label(r, kind),
						      "url", link_item(&r->arena, id, title)));
	}
	db_done(st);
	return list;
}

static void fill_article(struct req *r, json_t *model, const struct item *it)
{
	int64_t item_id = it->id;
	json_t *article = json_object(), *org = json_null();
	struct db_stmt *st = db_query(r->db, "SELECT a.situation, a.approach, a.results, o.slug, o.name FROM items i"
					     " LEFT JOIN articles a ON a.item_id = i.id LEFT JOIN orgs o ON o.id = i.org_id"
					     " WHERE i.id = ?", DB_ARGS(db_int(item_id)));
	bool found = db_step(st) == DB_ROW;
	for (int i = 0; i < 3; i++) {
		const char *text = found && !db_null_col(st, i) ? db_text_col(st, i) : "";
		json_object_set_new(article, sections[i], json_string(text));
		json_object_set_new(article, arena_printf(&r->arena, "%s_html", sections[i]), markdown_json(text));
	}
	if (found && !db_null_col(st, 3))
		org = json_pack("{s:s, s:s}", "slug", db_text_col(st, 3), "name", db_text_col(st, 4));
	db_done(st);
	json_object_set_new(model, "org", org);
	json_object_set_new(model, "article", article);
	json_object_set_new(model, "summary", json_incref(json_object_get(model, "body")));
	json_object_set_new(model, "contacts", contacts_json(r, item_id));
	json_object_set_new(model, "related", related_json(r, item_id));
}

static void article_form_values(struct req *r, json_t *values, int64_t item_id)
{
	struct db_stmt *st = db_query(r->db, "SELECT situation, approach, results FROM articles WHERE item_id = ?",
				      DB_ARGS(db_int(item_id)));
	bool found = db_step(st) == DB_ROW;
	for (int i = 0; i < 3; i++)
		json_object_set_new(values, sections[i], json_string(found ? db_text_col(st, i) : ""));
	db_done(st);
	struct buf list = {0};
	st = db_query(r->db, "SELECT u.handle FROM item_contacts ic JOIN users u ON u.id = ic.user_id"
			     " WHERE ic.item_id = ? ORDER BY ic.position", DB_ARGS(db_int(item_id)));
	while (db_step(st) == DB_ROW)
		buf_printf(&list, "%s%s", list.len ? ", " : "", db_text_col(st, 0));
	db_done(st);
	json_object_set_new(values, "contacts", json_string(list.data ? list.data : ""));
	buf_reset(&list);
	int64_t ids[ARTICLE_RELATED_MAX];
	int n = stored_ids(r->db, RELATED_IDS_SQL, item_id, ids, ARTICLE_RELATED_MAX);
	for (int i = 0; i < n; i++)
		buf_printf(&list, "%s%lld", i ? ", " : "", (long long)ids[i]);
	json_object_set_new(values, "related", json_string(list.data ? list.data : ""));
	buf_free(&list);
	const char *org = NULL;
	st = db_query(r->db, "SELECT o.slug FROM items i JOIN orgs o ON o.id = i.org_id WHERE i.id = ?",
		      DB_ARGS(db_int(item_id)));
	if (db_step(st) == DB_ROW)
		org = arena_strdup(&r->arena, db_text_col(st, 0));
	db_done(st);
	json_object_set_new(values, "org", json_string(org ? org : ""));
}

static void article_read(struct req *r, json_t *model, const struct item *current, void *input)
{
	/* A new article is its author's organisation's unless it names one. */
	struct profile author;
	int64_t org = !current && r->user && users_profile_id(r->db, &r->arena, r->user->id, &author) ? author.org_id : 0;
	read_article(r, model, current, org, input);
}

/* The composer's and the edit form's organisations, the author's own
 * chosen until they choose another. */
static void article_form_options(struct req *r, json_t *model, json_t *values)
{
	const char *org = json_string_value(json_object_get(values, "org"));
	struct profile author;
	struct org own;
	if (!org && r->user && users_profile_id(r->db, &r->arena, r->user->id, &author) && author.org_id &&
	    orgs_get(r->db, &r->arena, author.org_id, &own))
		org = own.slug;
	json_object_set_new(model, "orgs", orgs_options(r->db, org));
}

/* An article's fields from an import line (import/import.h). */
static bool article_import(struct importer *im, json_t *o, int64_t item_id, void *input)
{
	struct article_input *in = input;
	in->situation = import_text(im, o, "situation", SECTION_MAX, false);
	in->approach = in->situation ? import_text(im, o, "approach", SECTION_MAX, true) : NULL;
	in->results = in->approach ? import_text(im, o, "results", SECTION_MAX, false) : NULL;
	if (!in->results)
		return false;
	if (!*in->approach)
		return import_fail(im, "\"approach\" is empty");
	if (!import_defined_list(im, o, "contacts", IMPORT_PEOPLE, in->contacts, ARTICLE_CONTACTS_MAX, &in->ncontacts) ||
	    !import_defined_list(im, o, "related", IMPORT_ITEMS, in->related, ARTICLE_RELATED_MAX, &in->nrelated))
		return false;
	const char *org = json_string_value(json_object_get(o, "org"));
	in->org_id = org ? import_defined(im, IMPORT_ORGS, org)
			 : db_scalar_int(import_db(im), 0, "SELECT org_id FROM items WHERE id = ?", DB_ARGS(db_int(item_id)));
	if (org && !in->org_id)
		return import_fail(im, "organisation \"%s\" is not defined above", org);
	return event_recap_import_article(im, o, item_id);
}

static const struct item_field article_fields[] = {
	{"situation", N_("Situation or problem")}, {"approach", N_("Approach")},
	{"results", N_("Results and lessons")}, {"contacts", N_("People to contact")},
	{"org", N_("Organisation")}, {"related", N_("Related posts")}, {NULL, NULL},
};

const struct item_kind kind_article = {
	.name = "article",
	.label = N_("Best practice"),
	.compose_title = N_("Share a best practice"),
	.submit_label = N_("Share"),
	.places = KIND_IN_COMMUNITY,
	.title_missing = N_("Give the practice a title."),
	.body_field = "summary",
	.body_label = N_("Summary"),
	.body_max = ARTICLE_SUMMARY_MAX,
	.body_missing = N_("Sum the practice up in a few sentences."),
	.body_too_long = N_("A summary has at most 500 characters."),
	.tagged = true,
	.verifiable = true,
	.own_fields = "summary,situation,approach,results,contacts:list,org,related:list",
	.history_fields = article_fields,
	.input_size = sizeof(struct article_input),
	.read = article_read,
	.store = store_article,
	.history = article_history,
	.from_history = article_from_history,
	.import = article_import,
	.fill = fill_article,
	.form_values = article_form_values,
	.form_options = article_form_options,
	.search_text_sql = "SELECT situation, approach, results FROM articles WHERE item_id = ?",
};

/* ---- the catalogue ---------------------------------------------------------- */

enum { FACET_TAG, FACET_ORG, FACET_COMMUNITY, FACET_LANGUAGE, FACET_VERIFIED, FACETS };
static const char *const facet_keys[FACETS] = {"tag", "org", "community", "language", "verified"};
static const enum item_count_by facet_by[FACETS] = {COUNT_BY_TAG, COUNT_BY_ORG, COUNT_BY_COMMUNITY,
						      COUNT_BY_LANGUAGE, COUNT_BY_VERIFIED};

/* The catalogue's filters as they came in the query string. */
struct catalogue {
	const char *value[FACETS]; /* "" when not filtered */
	const char *updated_since;
	struct item_filter filter;
};

/* /articles with the filters, one facet's value set (value) or taken out
 * (NULL) when facet >= 0. */
static const char *catalogue_url(struct req *r, const struct catalogue *c, int facet, const char *value)
{
	struct buf b = {0};
	buf_puts(&b, "/articles");
	for (int f = 0; f < FACETS; f++) {
		const char *v = f == facet ? value : c->value[f];
		if (v && *v) {
			buf_printf(&b, "%c%s=", b.len == strlen("/articles") ? '?' : '&', facet_keys[f]);
			buf_put_url(&b, v);
		}
	}
	if (*c->updated_since) {
		buf_printf(&b, "%cupdated_since=", b.len == strlen("/articles") ? '?' : '&');
		buf_put_url(&b, c->updated_since);
	}
	const char *url = arena_strdup(&r->arena, b.data);
	buf_free(&b);
	return url;
}

/* Each facet's values with their counts under the other filters. */
static json_t *catalogue_facets(struct req *r, const struct catalogue *c)
{
	json_t *facets = json_object();
	for (int f = 0; f < FACETS; f++) {
		struct item_filter others = c->filter;
		if (f == FACET_TAG)
			others.tag = NULL;
		else if (f == FACET_ORG)
			others.org_id = 0;
		else if (f == FACET_COMMUNITY)
			others.community_id = 0;
		else if (f == FACET_LANGUAGE)
			others.language = NULL;
		else
			others.verified = 0;
		json_t *values = items_count(r, &others, facet_by[f]);
		size_t i;
		json_t *v;
		json_array_foreach(values, i, v) {
			const char *value = json_string_value(json_object_get(v, "value"));
			bool selected = strcmp(value, c->value[f]) == 0;
			json_object_set_new(v, "selected", json_boolean(selected));
			json_object_set_new(v, "url", json_string(catalogue_url(r, c, f, selected ? NULL : value)));
			if (f == FACET_LANGUAGE)
				json_object_set_new(v, "label", json_string(i18n_locale_name(i18n_locale_index(value))));
			else if (f == FACET_VERIFIED)
				json_object_set_new(v, "label", json_string(experts_verified_label(r, value)));
		}
		json_object_set_new(facets, facet_keys[f], values);
	}
	return facets;
}

/* Checks the query string into c; false after req_fail. */
static bool catalogue_filters(struct req *r, struct catalogue *c, char *tag_buf, size_t tag_len)
{
	for (int f = 0; f < FACETS; f++) {
		const char *v = req_query(r, facet_keys[f]);
		c->value[f] = v ? v : "";
	}
	const char *since = req_query(r, "updated_since");
	c->updated_since = since ? since : "";
	c->filter = (struct item_filter){.kind = "article", .cursor = req_query(r, "cursor")};
	if (*c->value[FACET_TAG]) {
		if (!tag_normalise(c->value[FACET_TAG], tag_buf, tag_len)) {
			req_fail(r, 400, "bad_filter", N_("A tag has 1 to 32 letters, digits or hyphens."));
			r->error.field = "tag";
			return false;
		}
		c->filter.tag = tag_buf;
		c->value[FACET_TAG] = tag_buf;
	}
	if (*c->value[FACET_COMMUNITY]) {
		struct community_access a;
		/* One the viewer cannot see is as unknown as one that does not exist. */
		if (!communities_access(r, c->value[FACET_COMMUNITY], &a) || !a.can_read) {
			req_fail(r, 404, "not_found", N_("There is no such community."));
			return false;
		}
		c->filter.community_id = a.id;
	}
	if (*c->value[FACET_ORG]) {
		struct org o;
		if (!orgs_find(r->db, &r->arena, c->value[FACET_ORG], &o)) {
			req_fail(r, 404, "not_found", N_("There is no such organisation."));
			return false;
		}
		c->filter.org_id = o.id;
	}
	if (*c->value[FACET_LANGUAGE]) {
		if (i18n_locale_index(c->value[FACET_LANGUAGE]) < 0) {
			req_fail(r, 400, "bad_filter", N_("Choose English, Swedish or Dutch."));
			r->error.field = "language";
			return false;
		}
		c->filter.language = c->value[FACET_LANGUAGE];
	}
	if (*c->value[FACET_VERIFIED] && !experts_verified_filter(r, c->value[FACET_VERIFIED], &c->filter.verified))
		return false;
	if (*c->updated_since) {
		int64_t day = text_parse_date(c->updated_since);
		if (day < 0) {
			req_fail(r, 400, "bad_filter", N_("Give the date as YYYY-MM-DD."));
			r->error.field = "updated_since";
			return false;
		}
		c->filter.updated_since = day;
	}
	return true;
}

json_t *articles_catalogue(struct req *r)
{
	struct catalogue c;
	char tag[4 * TAG_MAX_CHARS + 8];
	if (!catalogue_filters(r, &c, tag, sizeof(tag)))
		return NULL;
	json_t *page = items_list(r, &c.filter);
	if (!page)
		return NULL;
	experts_fill_summaries(r, json_object_get(page, "items"));
	json_object_set_new(page, "title", json_string(tr(r, N_("Best practices"))));
	json_object_set_new(page, "facets", catalogue_facets(r, &c));
	json_t *filters = json_object();
	bool filtered = false;
	for (int f = 0; f < FACETS; f++) {
		json_object_set_new(filters, facet_keys[f], json_string(c.value[f]));
		filtered |= *c.value[f] != '\0';
	}
	json_object_set_new(filters, "updated_since", json_string(c.updated_since));
	filtered |= *c.updated_since != '\0';
	json_object_set_new(page, "filters", filters);
	json_object_set_new(page, "filtered", json_boolean(filtered));
	json_t *subscribe = subscriptions_offer(r, "/articles");
	if (subscribe)
		json_object_set_new(page, "subscribe", subscribe);
	json_t *next = json_object_get(page, "next");
	if (json_is_string(next)) {
		const char *base = catalogue_url(r, &c, -1, NULL);
		struct buf b = {0};
		buf_printf(&b, "%s%ccursor=", base, strchr(base, '?') ? '&' : '?');
		buf_put_url(&b, json_string_value(next));
		json_object_set_new(page, "next_url", json_string(b.data));
		buf_free(&b);
	}
	return page;
}
