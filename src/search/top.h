/*
 * top: the best items for each term (a champion list), so that a query of
 * one word reads its best matches in order instead of scoring every item
 * that has the word. An item's entry for a term is the term's BM25 part
 * without its idf (search/bm25.h), at the average item length counted so
 * far (each item added counts, an edited one again); a query multiplies it
 * by the idf.
 *
 * A list holds the term's TOP_PER_TERM best items as of the last whole
 * build (kring reindex, an import), and every item indexed since. So the
 * first TOP_PER_TERM entries of a list are the best items for the term,
 * but for items that were taken out since, whose places items beyond the
 * list do not take until the next whole build.
 */
#ifndef KRING_SEARCH_TOP_H
#define KRING_SEARCH_TOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOP_PER_TERM 500

struct db;
struct buf;

/* An item's distinct terms with their weighted counts (title 10, tags 4,
 * body 1) and its length, from the space-separated terms of its fields. */
struct top_item {
	struct top_term {
		char *term;
		double tf;
	} *terms;
	size_t nterms;
	double length;
};
void top_item_read(struct top_item *it, const struct buf *title, const struct buf *tags, const struct buf *body);
void top_item_free(struct top_item *it);

/* Takes the item out of the lists of its terms as the index held them
 * (space-separated), and puts it into its terms' lists; inside the
 * caller's transaction. */
bool top_remove(struct db *db, int64_t item_id, const char *terms);
bool top_add(struct db *db, int64_t item_id, const struct top_item *it);

/* A whole build: items are added in memory, each term keeping its best
 * TOP_PER_TERM, and stored at the end. first: the lists are empty (kring
 * reindex), so the average length is this build's. */
struct top_build *top_build_new(struct db *db, bool first);
void top_build_add(struct top_build *b, int64_t item_id, const struct top_item *it);
bool top_build_store(struct top_build *b);
void top_build_free(struct top_build *b);

/* Whether the lists are built: false for a database indexed before they
 * were, until a whole build (search_reindex). */
bool top_ready(struct db *db);

/* The term's best items, at most max, best first: ids[] and their entries
 * (without the idf) in parts[]. Returns how many, or -1 on a database
 * error. */
long top_read(struct db *db, const char *term, size_t max, int64_t *ids, double *parts);

#endif
