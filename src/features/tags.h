/* tags: normalised topic tags and the tags of items. The tags table
 * belongs here; the page of a tag is features/tag_page. */
#ifndef KRING_TAGS_H
#define KRING_TAGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;

#define TAGS_MAX 5          /* tags on one item */
#define TAG_MAX_CHARS 32    /* characters in one tag */

/* Normalises one tag: lower case (also Å, Ä, Ö, É…), white space and _
 * become '-', anything but letters, digits and '-' is dropped, runs of '-'
 * collapse. Writes to out (at least 4 * TAG_MAX_CHARS + 1 bytes); returns
 * false when nothing is left or it is longer than TAG_MAX_CHARS. */
bool tag_normalise(const char *in, char *out, size_t outlen);

/* Parses a comma-separated list into unique normalised tags (in the arena).
 * Returns how many, or -1 with *problem set to a message id. */
int tags_parse(struct arena *a, const char *list, const char ***tags, const char **problem);

/* Renames the stored tags that tag_normalise now spells otherwise (those
 * kept before it lower-cased every script: "Łódź" becomes "łódź"), a tag
 * whose new name exists merging into that one. Runs at start, before the
 * search index is checked; false, with a message on stderr, on a database
 * error. */
bool tags_refold(struct db *db);

/* The id of a tag, created when new; 0 on error. */
int64_t tags_ensure(struct db *db, const char *name);
/* The id of an existing tag, or 0. */
int64_t tags_find(struct db *db, const char *name);

/* Whether fewer than limit items carry the tag (read no further than that). */
bool tags_is_rare(struct db *db, const char *name, int limit);
/* Replaces the tags of an item. */
bool tags_set_for_item(struct db *db, int64_t item_id, const char *const *tags, int n);
/* Sets "tags" (sorted names) on every object of the array, whose "id"
 * members are item ids, with one query for the whole list. */
void tags_fill(struct db *db, json_t *items);
/* The item's tags as one comma-separated string (for revisions), malloc'd. */
char *tags_of_item_text(struct db *db, int64_t item_id);

#endif
