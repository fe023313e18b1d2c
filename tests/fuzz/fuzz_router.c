/*
 * fuzz_router: router_match over the real route table, and the field-list
 * lookups. The input is up to three lines:
 *
 *   METHOD /path
 *   a field name, looked up in the matched route's fields
 *   a field list of its own (name,name:int,...), with the same name
 */
#include "fuzz.h"

#include "http/router.h"

#include <string.h>

/* The next line of the input as a string, or "" after the last. */
static char *next_line(char **rest)
{
	char *line = *rest, *nl = strchr(line, '\n');
	*rest = nl ? nl + 1 : line + strlen(line);
	if (nl)
		*nl = '\0';
	return line;
}

static void check_fields(const char *fields, const char *name)
{
	enum field_kind kind = router_field_kind(fields, name);
	FUZZ_CHECK(kind >= FIELD_UNKNOWN && kind <= FIELD_LIST);
	FUZZ_CHECK(router_field_allowed(fields, name) == (kind != FIELD_UNKNOWN));
	FUZZ_CHECK(kind == FIELD_UNKNOWN || (fields && *name && strstr(fields, name)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *input = malloc(size + 1);
	memcpy(input, data, size);
	input[size] = '\0';
	char *rest = input, *request = next_line(&rest), *name = next_line(&rest), *fields = next_line(&rest);
	char *path = strchr(request, ' ');
	if (path)
		*path++ = '\0';
	else
		path = request + strlen(request);

	struct route_match m;
	memset(&m, 0xA5, sizeof(m)); /* what it says must not depend on what was there */
	if (router_match(routes, routes_count, request, path, &m)) {
		FUZZ_CHECK(m.route >= routes && m.route < routes + routes_count && !m.method_mismatch);
		FUZZ_CHECK(strcmp(m.route->method, request) == 0 ||
			   (strcmp(request, "HEAD") == 0 && strcmp(m.route->method, "GET") == 0));
		FUZZ_CHECK(m.nparams >= 0 && m.nparams <= ROUTER_MAX_PARAMS);
		for (int i = 0; i < m.nparams; i++) {
			const char *v = m.params[i].value, *n = m.params[i].name;
			/* a whole segment of the path, named by a {name} of the pattern */
			FUZZ_CHECK(v >= path && v + m.params[i].value_len <= path + strlen(path));
			FUZZ_CHECK(m.params[i].value_len > 0 && !memchr(v, '/', m.params[i].value_len));
			FUZZ_CHECK(n > m.route->pattern && n[-1] == '{' && n[m.params[i].name_len] == '}');
		}
		check_fields(m.route->fields, name);
	} else {
		FUZZ_CHECK(m.route == NULL);
		FUZZ_CHECK(strlen(m.allow) < sizeof(m.allow) && (m.allow[0] != '\0') == m.method_mismatch);
	}
	check_fields(fields, name);
	free(input);
	return 0;
}
