/*
 * articles: best practices. An article is an item (title, the summary as
 * its body, tags, community, organisation) with sections of its own, the
 * members to contact about it and the items it relates to. This module owns
 * the articles, item_contacts and item_links tables and the catalogue at
 * /articles.
 */
#ifndef KRING_ARTICLES_H
#define KRING_ARTICLES_H

#include "features/item_kind.h"

#include <jansson.h>

struct req;

extern const struct item_kind kind_article;

/* GET /articles: the faceted catalogue. */
json_t *articles_catalogue(struct req *r);

#endif
