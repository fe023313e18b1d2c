/*
 * import: loads a community from JSON Lines — organisations, people,
 * communities, items, answers, comments and reactions — in batches inside
 * transactions, checking every line. `kring init --demo` loads the demo
 * content this way.
 */
#ifndef KRING_IMPORT_H
#define KRING_IMPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct db;
struct importer;

struct import_options {
	/* Password for people whose line has none; NULL gives them an
	 * unusable one (they set a password later). */
	const char *default_password;
	int64_t now; /* "days_ago" counts back from here */
	FILE *report; /* where line errors are written */
};

struct import_counts {
	long lines, orgs, people, communities, items, answers, comments, reactions;
};

/* Imports text[0..len). Returns 0, or -1 after reporting "line N: why";
 * the batch holding the bad line is rolled back, earlier ones stay. */
int import_jsonl(struct db *db, const char *text, size_t len, const struct import_options *opt,
		 struct import_counts *counts);

/* ---- for the import hooks of the item kinds (features/item_kind.h) ----
 * Each reads a field of the item's line o; on a bad value it records why
 * (the import reports it with the line number) and returns NULL, false
 * or 0. */

struct db *import_db(struct importer *im);
/* The time the import counts back ("days_ago") and forward from. */
int64_t import_now(struct importer *im);
/* A string member of at most max characters without control characters
 * but newlines; "" when missing and not required. */
const char *import_text(struct importer *im, json_t *o, const char *key, size_t max, bool required);
/* Records why the line is refused; returns false. */
bool import_fail(struct importer *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A copy of text that lives until the line is stored. */
const char *import_keep(struct importer *im, const char *text);

/* What earlier lines define, by the names lines use for them. */
enum import_defined { IMPORT_PEOPLE, IMPORT_ORGS, IMPORT_ITEMS };
/* The id of the person (handle), organisation (slug) or item (ref); 0
 * when no earlier line defines it. */
int64_t import_defined(struct importer *im, enum import_defined which, const char *name);
/* The ids of an array of such names under key, at most max, into ids. */
bool import_defined_list(struct importer *im, json_t *o, const char *key, enum import_defined which, int64_t *ids,
			 int max, int *n);

#endif
