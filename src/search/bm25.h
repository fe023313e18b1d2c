/*
 * bm25: how well an item matches a query, by BM25 with the title worth ten
 * times the body and the tags four: the formula of SQLite FTS5's bm25()
 * with those weights (k1 1.2, b 0.75, the length of all fields together),
 * so that both backends rank alike. For several words FTS5 computes it on
 * SQLite, and search/pg.c on PostgreSQL from the positions and weights
 * of the item's tsvector; for one word the lists of search/top.h hold each
 * item's part of it.
 */
#ifndef KRING_SEARCH_BM25_H
#define KRING_SEARCH_BM25_H

#include "core/arena.h"
#include "search/query.h"

#include <stddef.h>
#include <stdint.h>

struct db;

/* The weight of a term in `docs` items when `matching` of them have it:
 * never below a millionth, so that a word in most items still counts. */
double bm25_idf(double docs, double matching);
/* One term's part of the score: tf is its weighted count in the item
 * (title 10, tags 4, body 1 per occurrence), length the item's terms. */
double bm25_term(double idf, double tf, double length, double avg_length);

/* The idf of a phrase (its terms space-separated; a single term is a
 * phrase of one) in the index, as FTS5 counts it, and into *matching (when
 * not NULL) how many items have it; false on a database error. */
bool bm25_idf_of(struct db *db, const char *phrase, double *idf, double *matching);
/* How many items have the phrase, as bm25_idf_of counts it; -1 on a
 * database error. */
double bm25_matching(struct db *db, const char *phrase);
/* How many items the index holds and their average length (0 where the
 * backend ranks by itself and does not count it); false on a database
 * error. */
bool bm25_index_size(struct db *db, double *docs, double *avg_length);
/* Drops what bm25_idf_of and bm25_index_size remember of the index (how many
 * items, their average length, how many have each term): called after the
 * index is rebuilt or loaded in bulk. Otherwise it is read again after a
 * minute. */
void bm25_forget(void);

#endif
