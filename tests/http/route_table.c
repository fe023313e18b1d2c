/* route_table: the routes of src/routes.c for the tests (see route_table.h). */
#include "route_table.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t route_table_read(struct route_line *out, size_t max)
{
	const char *src = getenv("KRING_SRC");
	assert_non_null(src);
	char path[4096];
	snprintf(path, sizeof path, "%s/src/routes.c", src);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[1024];
	size_t n = 0;
	while (fgets(line, sizeof line, f)) {
		static const char *const methods[] = {"GET", "POST"};
		const char *at = NULL;
		size_t m = 0;
		for (; m < 2 && !at; m++) {
			char head[16];
			snprintf(head, sizeof head, "{\"%s\", \"", methods[m]);
			at = strstr(line, head);
			if (at)
				at += strlen(head);
		}
		if (!at)
			continue;
		const char *end = strchr(at, '"');
		assert_non_null(end);
		assert_true(n < max);
		snprintf(out[n].method, sizeof out[n].method, "%s", methods[m - 1]);
		snprintf(out[n].pattern, sizeof out[n].pattern, "%.*s", (int)(end - at), at);
		/* the flags: after the handler, up to the template's quote */
		const char *flags = strchr(end + 1, ',');
		flags = flags ? strchr(flags + 1, ',') : NULL;
		const char *flags_end = flags ? strchr(flags, '"') : NULL;
		snprintf(out[n].flags, sizeof out[n].flags, "%.*s",
			 flags ? (int)(flags_end ? (size_t)(flags_end - flags) : strlen(flags)) : 0, flags ? flags : "");
		n++;
	}
	fclose(f);
	assert_true(n > 0);
	return n;
}

const char *route_table_address(const char *pattern, const struct route_values *v)
{
	static char out[256];
	size_t o = (size_t)snprintf(out, sizeof out, "/api/v1");
	for (const char *p = pattern; *p && o < sizeof out - 32;) {
		if (*p != '{') {
			out[o++] = *p++;
			continue;
		}
		const char *close = strchr(p, '}');
		assert_non_null(close);
		char name[32];
		snprintf(name, sizeof name, "%.*s", (int)(close - p - 1), p + 1);
		const char *value = strcmp(name, "slug") == 0 ? v->slug
				  : strcmp(name, "handle") == 0 ? v->handle
				  : strcmp(name, "tag") == 0 ? v->tag
				  : strcmp(name, "kind") == 0 ? v->kind
				  : strcmp(name, "decision") == 0 ? v->decision : NULL;
		if (value)
			o += (size_t)snprintf(out + o, sizeof out - o, "%s", value);
		else
			o += (size_t)snprintf(out + o, sizeof out - o, "%lld", (long long)v->item);
		p = close + 1;
	}
	out[o] = '\0';
	return out;
}
