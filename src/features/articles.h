/*
 * articles: best practices. An article is an item (title, the summary as
 * its body, tags, community, organisation) with sections of its own, the
 * members to contact about it and the items it relates to. This module owns
 * the articles, item_contacts and item_links tables and the catalogue at
 * /articles.
 */
#ifndef KRING_ARTICLES_H
#define KRING_ARTICLES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct item;
struct req;

#define ARTICLE_SUMMARY_MAX 500
#define ARTICLE_CONTACTS_MAX 5
#define ARTICLE_RELATED_MAX 10

struct article_input {
	const char *situation, *approach, *results;
	int64_t contacts[ARTICLE_CONTACTS_MAX];
	int ncontacts;
	int64_t related[ARTICLE_RELATED_MAX];
	int nrelated;
	int64_t org_id; /* 0: none */
};

/* Reads and checks the article's own fields from the request; field errors
 * go on model. When editing, current is the article as it is, and what the
 * request leaves out keeps its value. author_org is the organisation an
 * article gets when the request names none. */
void articles_read(struct req *r, json_t *model, const struct item *current, int64_t author_org,
		   struct article_input *in);
/* Stores (or replaces) the article's fields, inside the caller's
 * transaction. */
bool articles_store(struct db *db, int64_t item_id, const struct article_input *in);
/* The fields as JSON, for the item's revision record: the sections, the
 * contacts' handles, the organisation's slug and the related items' ids,
 * as text that reads well in a diff. */
json_t *articles_revision_fields(struct db *db, const struct article_input *in);
/* The fields of a revision record back into in (strings in the arena of
 * r); contacts, organisation and related items that are gone are left
 * out. */
void articles_from_revision(struct req *r, json_t *fields, struct article_input *in);
/* Sets "article", "contacts" and "related" on an article's model, as the
 * viewer of r may see them. */
void articles_fill(struct req *r, json_t *model, int64_t item_id);
/* Sets the values of an article's edit form on values: the sections, the
 * contacts' handles, the organisation's slug, the related items' ids. */
void articles_form_values(struct req *r, json_t *values, int64_t item_id);
/* GET /articles: the faceted catalogue. */
json_t *articles_catalogue(struct req *r);

#endif
