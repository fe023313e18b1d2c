/* backend: which implementation of the search index a database has (see
 * backend.h). */
#include "search/backend.h"

#include <string.h>

const struct search_backend *search_backend(struct db *db)
{
	return strcmp(db_backend_name(db), "postgres") == 0 ? &search_pg : &search_fts5;
}
