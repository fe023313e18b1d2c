/*
 * fts5_rank: kring_bm25, an FTS5 auxiliary function that scores a row as
 * FTS5's bm25() does, to the same double, but takes how many rows hold
 * each phrase of the match from the caller instead of counting them in
 * the index for every statement (search/bm25.h remembers those counts).
 *
 *   kring_bm25(table, counts, best, weight, ...)
 *
 * counts: the number of rows holding each phrase of the match, in the
 * order of the phrases in the match, space-separated; a phrase without a
 * count (the list is shorter, or "-") is counted in the index as bm25()
 * counts it. best: when more than 0, the statement asks for its best
 * `best` rows only (ORDER BY the score LIMIT best): a row that cannot be
 * among them scores below every row that can, at a fraction of the cost
 * (its length is not read). weight: each column's, as bm25() takes them
 * (1.0 for columns without one). Returns minus the score, as bm25() does.
 */
#ifndef KRING_SEARCH_FTS5_RANK_H
#define KRING_SEARCH_FTS5_RANK_H


/* Makes kring_bm25 known to every SQLite connection opened afterwards:
 * called first thing by every program that searches (kring's main, the
 * tests). */
void fts5_rank_install(void);

#endif
