/* router: matches a method and path against the route table. */
#include "http/router.h"

#include <string.h>

/* Matches one pattern against a path, segment by segment. */
static bool pattern_match(const char *pattern, const char *path, struct route_match *m)
{
	m->nparams = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			const char *seg_end = strchr(s, '/');
			if (!seg_end)
				seg_end = s + strlen(s);
			if (!close || seg_end == s || m->nparams == ROUTER_MAX_PARAMS)
				return false;
			m->params[m->nparams].name = p + 1;
			m->params[m->nparams].name_len = (size_t)(close - p - 1);
			m->params[m->nparams].value = s;
			m->params[m->nparams].value_len = (size_t)(seg_end - s);
			m->nparams++;
			p = close + 1;
			s = seg_end;
		} else if (*p == *s) {
			p++;
			s++;
		} else {
			return false;
		}
	}
	/* A trailing slash on the path is accepted: /settings/ is /settings. */
	if (*p == '\0' && (*s == '\0' || (s[0] == '/' && s[1] == '\0' && s != path)))
		return true;
	return false;
}

bool router_match(const struct route *table, size_t n, const char *method, const char *path,
		  struct route_match *match)
{
	bool is_head = strcmp(method, "HEAD") == 0;
	match->route = NULL;
	match->method_mismatch = false;
	match->allow[0] = '\0';
	struct route_match candidate;
	for (size_t i = 0; i < n; i++) {
		if (!pattern_match(table[i].pattern, path, &candidate))
			continue;
		if (strcmp(table[i].method, method) == 0 ||
		    (is_head && strcmp(table[i].method, "GET") == 0)) {
			*match = candidate;
			match->route = &table[i];
			match->method_mismatch = false;
			return true;
		}
		match->method_mismatch = true;
		const char *m = strcmp(table[i].method, "GET") == 0 ? "GET, HEAD" : table[i].method;
		if (!strstr(match->allow, m) && strlen(match->allow) + strlen(m) + 3 < sizeof(match->allow)) {
			if (match->allow[0])
				strcat(match->allow, ", ");
			strcat(match->allow, m);
		}
	}
	return false;
}

enum field_kind router_field_kind(const char *fields, const char *name)
{
	if (!fields || !*name)
		return FIELD_UNKNOWN;
	size_t len = strlen(name);
	const char *p = fields;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		const char *colon = memchr(p, ':', n);
		size_t name_len = colon ? (size_t)(colon - p) : n;
		if (name_len == len && strncmp(p, name, len) == 0) {
			if (!colon)
				return FIELD_TEXT;
			size_t type_len = n - name_len - 1;
			if (type_len == 3 && strncmp(colon + 1, "int", 3) == 0)
				return FIELD_INT;
			if (type_len == 4 && strncmp(colon + 1, "bool", 4) == 0)
				return FIELD_BOOL;
			if (type_len == 4 && strncmp(colon + 1, "list", 4) == 0)
				return FIELD_LIST;
			if (type_len == 4 && strncmp(colon + 1, "file", 4) == 0)
				return FIELD_FILE;
			if (type_len == 6 && strncmp(colon + 1, "people", 6) == 0)
				return FIELD_PEOPLE;
			return FIELD_TEXT;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	return FIELD_UNKNOWN;
}

bool router_field_allowed(const char *fields, const char *name)
{
	return router_field_kind(fields, name) != FIELD_UNKNOWN;
}
