/*
 * fuzz_json: JSON request bodies through body_parse_json, as server.c reads
 * an API post. The first line of the input is the route's field list
 * ("title,tags:list,answer:int"), the rest the body.
 */
#include "fuzz.h"

#include "core/text.h"
#include "http/body.h"
#include "http/router.h"

#include <string.h>

/* What a field of each kind holds once read. */
static bool fits(enum field_kind kind, const char *value)
{
	char *end;
	switch (kind) {
	case FIELD_INT:
		strtoll(value, &end, 10);
		return *value && !*end;
	case FIELD_BOOL:
		return strcmp(value, "true") == 0 || strcmp(value, "false") == 0;
	case FIELD_UNKNOWN:
		return !*value;
	default:
		return utf8_valid(value, strlen(value));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t flen = nl ? (size_t)(nl - (const char *)data) : size;
	char *fields = strndup((const char *)data, flen);
	const char *body = nl ? nl + 1 : (const char *)data + size;

	struct arena a = {0};
	struct params out = {0};
	const char *bad_key = NULL;
	bool ok = body_parse_json(&a, body, size - (size_t)(body - (const char *)data), fields, &out, &bad_key);
	FUZZ_CHECK(!ok || !bad_key);
	for (size_t i = 0; ok && i < out.count; i++)
		FUZZ_CHECK(fits(router_field_kind(fields, out.items[i].name), out.items[i].value));
	arena_reset(&a);
	free(fields);
	return 0;
}
