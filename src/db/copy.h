/* copy: moves a whole community from one database to another (`kring
 * migrate-data`), typically from the embedded SQLite file to PostgreSQL. */
#ifndef KRING_COPY_H
#define KRING_COPY_H

#include <stdio.h>

struct db;

/* Copies every table the migrations create from `from` into `to`, which
 * must be empty and is migrated first, in one transaction on each side; then
 * compares row counts and checksums per table and prints them to report.
 * The search index's tables are left out: the caller builds the index of
 * `to` again (search_reindex). Returns how many tables were copied, all
 * matching, or -1 when the copy failed or was refused (with the reason on
 * standard error). */
int copy_database(struct db *from, struct db *to, FILE *report);

#endif
