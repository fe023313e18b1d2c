/*
 * index: keeps the search index (migrations/{sqlite,postgres}/0010_search.sql
 * and 0011_search_ranking.sql: terms, words, and each term's best items,
 * search/top.h; written through the database's search/backend.h) in step
 * with the items. The index is derived data: it reads what an item is made of from the tables of the modules that own it
 * (items, tags, articles, methods) and is rebuilt whole by `kring reindex`.
 * Every write of an item indexes it again in the same transaction, so a
 * search never disagrees with what was committed.
 */
#ifndef KRING_SEARCH_INDEX_H
#define KRING_SEARCH_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* Indexes the item as it now is, or takes it out when it is deleted or
 * gone; inside the caller's transaction. */
bool search_index_item(struct db *db, int64_t item_id);
/* What an item of the kind adds to its title, body and tags: a statement
 * with ? for the item's id whose columns are Markdown texts; NULL when
 * nothing. Defined with the table of kinds (src/kinds.c), which asks each
 * kind (features/item_kind.h). */
const char *search_kind_text_sql(const char *kind);
/* Indexes the items in one transaction of its own: a bulk load indexes
 * what it wrote at its end, as one transaction writes the index many times
 * faster than one per batch. */
bool search_index_items(struct db *db, const int64_t *ids, size_t n);
/* Empties the index and indexes every live item, and the people and
 * organisations (search/profiles.h), in one transaction. Returns how many
 * items were indexed, or -1 (the index is as it was). */
int64_t search_reindex(struct db *db);
/* Rebuilds the index when a migration left it to be rebuilt (the lists of
 * best items per term, search/top.h, in a database indexed before them;
 * the people and organisations of a database that had none indexed);
 * after migrate_apply. False, with a message, when that fails. */
bool search_index_ready(struct db *db);

#endif
