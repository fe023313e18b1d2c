/* analyze: turns text into what the search index stores and what a query
 * looks for. Words are runs of letters and digits of any script, as
 * core/fold.h defines them; everything else separates them. Terms are
 * words lower-cased, stemmed with the Snowball stemmer of the text's
 * language (English, Swedish, Dutch; no stemming for other codes), then
 * folded (case fold, no diacritics: å→a, ö→o, é→e, ß→ss, ł→l, ș→s, ά→α,
 * ё→е …), so "frågor", "fråga" and "fragor" meet. The stemmers see the
 * words with their diacritics, as their language writes them. Words (for
 * matches inside compounds) are folded but not stemmed. Terms and words
 * hold letters, digits and combining marks only, never a character that
 * FTS5 or tsquery would need quoted.
 *
 * Stemmers are not thread-safe, so each thread gets its own, made on first
 * use. They are freed when the thread ends (a pthread key's destructor) or
 * earlier by analyze_thread_done(); the main thread's stay reachable until
 * the process exits, which LeakSanitizer does not count as a leak. */
#ifndef KRING_ANALYZE_H
#define KRING_ANALYZE_H
#include "core/buf.h"
#include <stdbool.h>
#include <stddef.h>

#define ANALYZE_WORD_MAX 64 /* bytes; longer runs are cut to this (at a character boundary) */

/* Appends the terms of text[0..len) to out, each followed by one space.
 * language is "en", "sv" or "nl" (anything else: not stemmed). Bytes that
 * are not valid UTF-8 separate words. */
void analyze_terms(const char *text, size_t len, const char *language, struct buf *out);
/* Appends the words of text[0..len) to out, lower-cased and folded, each
 * followed by one space. */
void analyze_words(const char *text, size_t len, struct buf *out);
/* Appends the terms of text[0..len) in every language a query tries
 * (English, Swedish, Dutch, then unstemmed), one analysis after the other
 * and each different one once:
 * for short texts whose language is not known, such as names and profiles,
 * which a query then finds in whichever language it stems by. */
void analyze_terms_all(const char *text, size_t len, struct buf *out);
/* Appends the distinct words of words (space-separated, as analyze_words
 * gives them) that are long enough to be compounds, space-separated: the
 * words whose parts a query finds through trigrams. */
void analyze_compounds(const struct buf *words, struct buf *out);
/* The term of one word as a query uses it (lower-cased, stemmed, folded),
 * into out (at least ANALYZE_WORD_MAX * 2 + 1 bytes); false when the word
 * has no letters or digits. Of a word that holds separators ("e-arkiv"),
 * the first word counts. */
bool analyze_term(const char *word, size_t len, const char *language, char *out);
/* Frees this thread's stemmers now rather than when the thread ends; the
 * next call in this thread makes new ones. */
void analyze_thread_done(void);
#endif
