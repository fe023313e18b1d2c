/* migrate: numbered schema migrations compiled into the binary. */
#ifndef KRING_MIGRATE_H
#define KRING_MIGRATE_H

#include <stdbool.h>

struct db;

/* Applies every migration newer than the database's schema version, each in
 * its own transaction, recording it in schema_migrations. Prints one line per
 * migration applied when verbose. Returns the number applied, or -1. */
int migrate_apply(struct db *db, bool verbose);
/* The highest migration version recorded in the database (0 when none). */
int migrate_current_version(struct db *db);
/* The highest migration version compiled into this binary. */
int migrate_latest_version(struct db *db);

/* The tables the migrations create, in the order they create them (so a
 * table comes after those it refers to, but for references to itself),
 * less those they drop, and by the name a later migration renamed it to.
 * Fills names with pointers into a malloc'd block returned through *block;
 * returns how many. A table created again later (rebuilt) is listed once. */
int migrate_tables(struct db *db, const char **names, int max, char **block);

#endif
