/*
 * search: one box that finds what the viewer may see. A query is words
 * (each matching its inflected forms in English, Swedish and Dutch, any
 * case and with or without diacritics), "phrases in quotes", -words to
 * leave out, and filters typed in the box (tag:, org:, community:, kind:).
 * Whole words rank by BM25 with the title above the tags above the body;
 * a word found only inside a longer word (a part of a compound) ranks
 * below; newer posts, verified ones and accepted answers rank higher.
 * The index is search/index.h's.
 */
#ifndef KRING_SEARCH_H
#define KRING_SEARCH_H

#include <jansson.h>

struct req;

/* GET /search: results with snippets, facets with counts, keyset pages;
 * who knows about the topic ("experts"), and the first members and
 * organisations that match ("people", "organisations"; search/profiles.h). */
json_t *search_page(struct req *r);
/* GET /search/suggest (JSON): up to 8 titles for what is being typed, its
 * last word taken as the start of a word, for the search box's script. */
json_t *search_suggest(struct req *r);
/* GET /search/feed?q=… (with the filters of /search): the best 20
 * matches as an Atom feed (features/feeds.h), what a visitor may read. */
json_t *search_feed(struct req *r);

#endif
