/* sources: a scan of kring's own C sources, for the tests that hold a rule
 * over all of src/ (one clock in test_clock, one allocator in test_mem, the
 * layers and no include cycles in test_includes) or of the tests (one
 * place in test_one_place).
 * The tree is found through KRING_SRC, as tests/run.sh sets it. */
#ifndef KRING_TEST_SOURCES_H
#define KRING_TEST_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* A name to look for: as a whole word, and with call only where an opening
 * parenthesis follows (a call, not a mention). */
struct source_word {
	const char *name;
	bool call;
};

/* The text of a C file with comments and string and character literals
 * blanked (newlines kept, so lines still count), so that only code is
 * searched; malloc'd. */
char *source_code(const char *text);

/* Appends "rel:line: name\n" to found for every occurrence of one of the n
 * words in the code of text: comments and string and character literals
 * do not count. */
void source_find_words(const char *rel, const char *text, const struct source_word *words, size_t n,
		       struct buf *found);

/* Calls visit with the path (relative to KRING_SRC) and the text of every
 * .c and .h file under KRING_SRC/dir; returns how many there were. Fails
 * the test when KRING_SRC is not set. */
int source_visit(const char *dir, void (*visit)(const char *rel, const char *text, void *ctx), void *ctx);
/* source_visit of src. */
int source_visit_src(void (*visit)(const char *rel, const char *text, void *ctx), void *ctx);

/* The number of lines in found; prints them after why when there are any. */
size_t source_report(const struct buf *found, const char *why);

#endif
