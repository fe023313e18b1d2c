/* start: brings a database up to this kring before it is served or a
 * command works on it, the same for `kring serve` (http/server.c) and the
 * other commands (main.c). It is at the top level, declared in
 * http/server.h, because it reaches above the server: the tags are kept by
 * a feature. */
#include "http/server.h"

#include "db/migrate.h"
#include "features/tags.h"
#include "search/index.h"

bool start_database(struct db *db, bool verbose)
{
	return migrate_apply(db, verbose) >= 0 && tags_refold(db) && search_index_ready(db);
}
