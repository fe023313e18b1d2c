/*
 * kinds: every kind of item kring knows, in one table (see
 * features/item_kind.h). Adding a kind is its file and a row here.
 */
#include "features/item_kind.h"
#include "http/router.h"
#include "search/index.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each is defined in its kind's file under features/. */
extern const struct item_kind kind_question, kind_update, kind_article, kind_method, kind_event, kind_answer,
	kind_case;

/* In the order the composer offers them. */
const struct item_kind *const item_kinds[] = {
	&kind_question,
	&kind_update,
	&kind_article,
	&kind_method,
	&kind_event,
	&kind_answer,
	&kind_case,
	NULL,
};

const struct item_kind *item_kind_find(const char *name)
{
	for (const struct item_kind *const *k = item_kinds; name && *k; k++)
		if (strcmp((*k)->name, name) == 0)
			return *k;
	return NULL;
}

static char kind_fields[1024];
static pthread_once_t kind_fields_once = PTHREAD_ONCE_INIT;

static void join_kind_fields(void)
{
	size_t used = 0;
	for (const struct item_kind *const *k = item_kinds; *k; k++) {
		if (!(*k)->own_fields)
			continue;
		int n = snprintf(kind_fields + used, sizeof(kind_fields) - used, "%s%s", used ? "," : "",
				 (*k)->own_fields);
		/* The table is ours: a list that does not fit is a mistake here. */
		if (n < 0 || (size_t)n >= sizeof(kind_fields) - used)
			abort();
		used += (size_t)n;
	}
}

const char *item_kind_fields(void)
{
	pthread_once(&kind_fields_once, join_kind_fields);
	return kind_fields;
}

const char *search_kind_text_sql(const char *kind)
{
	const struct item_kind *k = item_kind_find(kind);
	return k ? k->search_text_sql : NULL;
}
