/*
 * import: loads a community from JSON Lines — organisations, people,
 * communities, items, answers, comments and reactions — in batches inside
 * transactions, checking every line. `kring init --demo` loads the demo
 * content this way.
 */
#ifndef KRING_IMPORT_H
#define KRING_IMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct db;

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

#endif
