/* body: a request body turned into fields (see body.h). */
#include "http/body.h"

#include "core/buf.h"
#include "core/text.h"
#include "http/router.h"

#include <jansson.h>
#include <string.h>

bool body_parse_form(struct arena *a, const char *data, size_t len, struct params *out)
{
	char *body = arena_strndup(a, data ? data : "", len);
	char *save = NULL;
	for (char *pair = strtok_r(body, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '=');
		char *value = eq ? eq + 1 : pair + strlen(pair);
		if (eq)
			*eq = '\0';
		if (url_decode(pair, strlen(pair)) < 0 || url_decode(value, strlen(value)) < 0)
			return false;
		if (*pair)
			params_add(a, out, pair, value);
	}
	return true;
}

/* A people field's array as its text form: one per line, a member's
 * handle as "@handle", a guest's {"name": …} as the name on one line;
 * NULL when an element is neither. */
static const char *people_text(struct arena *a, json_t *v)
{
	struct buf lines = {0};
	size_t i;
	json_t *el;
	bool ok = true;
	json_array_foreach(v, i, el) {
		json_t *name = json_object_get(el, "name");
		if (json_is_string(el)) {
			const char *handle = json_string_value(el);
			buf_printf(&lines, "%s%s%s", i ? "\n" : "", *handle == '@' ? "" : "@", handle);
		} else if (json_is_object(el) && json_object_size(el) == 1 && json_is_string(name)) {
			if (i)
				buf_putc(&lines, '\n');
			for (const char *p = json_string_value(name); *p; p++)
				buf_putc(&lines, *p == '\n' || *p == '\r' ? ' ' : *p);
		} else {
			ok = false;
			break;
		}
	}
	const char *text = ok ? arena_strdup(a, lines.data ? lines.data : "") : NULL;
	buf_free(&lines);
	return text;
}

/* The text of a JSON value for a field of the given kind, in a; NULL when
 * the value does not fit the kind. */
static const char *json_field_text(struct arena *a, json_t *v, enum field_kind kind)
{
	if (json_is_string(v) && (kind == FIELD_TEXT || kind == FIELD_LIST || kind == FIELD_PEOPLE))
		return arena_strdup(a, json_string_value(v));
	if (json_is_array(v) && kind == FIELD_PEOPLE)
		return people_text(a, v);
	if (json_is_integer(v) && kind == FIELD_INT)
		return arena_printf(a, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	if (json_is_boolean(v) && kind == FIELD_BOOL)
		return json_is_true(v) ? "true" : "false";
	if (!json_is_array(v) || kind != FIELD_LIST)
		return NULL;
	struct buf joined = {0};
	size_t i;
	json_t *el;
	json_array_foreach(v, i, el) {
		if (!json_is_string(el))
			break;
		if (i)
			buf_putc(&joined, ',');
		buf_puts(&joined, json_string_value(el));
	}
	const char *text = i == json_array_size(v) ? arena_strdup(a, joined.data ? joined.data : "") : NULL;
	buf_free(&joined);
	return text;
}

bool body_parse_json(struct arena *a, const char *data, size_t len, const char *fields,
		     struct params *out, const char **bad_key)
{
	json_error_t jerr;
	json_t *obj = json_loadb(data ? data : "", len, 0, &jerr);
	if (!json_is_object(obj)) {
		json_decref(obj);
		return false;
	}
	const char *key;
	json_t *v;
	bool ok = true;
	json_object_foreach(obj, key, v) {
		enum field_kind kind = router_field_kind(fields, key);
		if (kind == FIELD_UNKNOWN) {
			/* refused with the other unknown fields, whatever its value */
			params_add(a, out, arena_strdup(a, key), "");
			continue;
		}
		if (json_is_null(v))
			continue;
		const char *text = json_field_text(a, v, kind);
		if (!text) {
			*bad_key = arena_strdup(a, key);
			ok = false;
			break;
		}
		params_add(a, out, arena_strdup(a, key), text);
	}
	json_decref(obj);
	return ok;
}
