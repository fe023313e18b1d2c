/*
 * fuzz_template: the template engine. The input is a JSON object or array,
 * the view model, then template text:
 *
 *   {"title": "x", "items": [{"id": 1}]}
 *   <h1>{{title}}</h1>{{#items}}…{{/items}}
 *
 * When the text after the model is the name of a real template (one line,
 * "item" for templates/item.html), that one is rendered with the model;
 * otherwise the text is parsed with tmpl_parse and, when it parses,
 * rendered. The locale follows the input's length.
 */
#include "fuzz.h"

#include "core/buf.h"
#include "core/text.h"
#include "i18n/i18n.h"
#include "render/template.h"

#include <ctype.h>
#include <string.h>

/* Output grows as array length to the power of section nesting, which
 * templates and handlers keep small; a fuzzer would spend its time there
 * (the time goes into output, not into anything that can break). So arrays
 * are cut to a few elements, and a parsed template is rendered only when
 * that bound keeps its output small. */
#define MAX_ELEMENTS 3
#define MAX_OUTPUT (1u << 22)

static void cut_arrays(json_t *v)
{
	size_t i;
	const char *key;
	json_t *el;
	if (json_is_array(v)) {
		while (json_array_size(v) > MAX_ELEMENTS)
			json_array_remove(v, json_array_size(v) - 1);
		json_array_foreach(v, i, el)
			cut_arrays(el);
	} else {
		json_object_foreach(v, key, el)
			cut_arrays(el);
	}
}

/* Whether rendering text cannot write more than MAX_OUTPUT bytes (what
 * partials would add does not count: they are not linked here). */
static bool small_enough(const char *text, size_t len)
{
	size_t bound = len + 1;
	for (const char *p = text; (p = strstr(p, "{{#")); p += 3)
		if ((bound *= MAX_ELEMENTS) > MAX_OUTPUT)
			return false;
	return true;
}

/* Renders t as in production and in strict mode: production always
 * succeeds; strict either gives the same page or fails with a message that
 * says where ("template:line: ..."). */
static void render(const struct tmpl *t, json_t *model, int locale, bool valid_text)
{
	struct buf out = {0}, strict_out = {0};
	char err[256];
	FUZZ_CHECK(tmpl_render(t, NULL, model, locale, &out, err, sizeof(err)));
	/* Model strings are UTF-8 (jansson checks), tags are ASCII: valid
	 * text in, valid text out. */
	FUZZ_CHECK(!valid_text || utf8_valid(out.data ? out.data : "", out.len));
	tmpl_set_strict(true);
	bool ok = tmpl_render(t, NULL, model, locale, &strict_out, err, sizeof(err));
	tmpl_set_strict(false);
	if (ok)
		FUZZ_CHECK(out.len == strict_out.len &&
			   (out.len == 0 || memcmp(out.data, strict_out.data, out.len) == 0));
	else
		FUZZ_CHECK(strchr(err, ':') && isdigit((unsigned char)strchr(err, ':')[1]));
	buf_free(&out);
	buf_free(&strict_out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool loaded;
	if (!loaded && !(loaded = tmpl_load_all()))
		abort();
	json_error_t jerr;
	json_t *model = json_loadb((const char *)data, size, JSON_DISABLE_EOF_CHECK, &jerr);
	size_t used = model ? (size_t)jerr.position : 0;
	if (!model)
		model = json_object();
	cut_arrays(model);

	char *text = strndup((const char *)data + used, size - used);
	if (text[0] == '\n')
		memmove(text, text + 1, strlen(text));
	size_t len = strlen(text);
	int locale = (int)(size % LOCALE_COUNT);
	const struct tmpl *real = NULL;
	size_t line = strcspn(text, "\n");
	if (line + 1 >= len && line < 64) {
		char name[64];
		memcpy(name, text, line);
		name[line] = '\0';
		real = tmpl_get(name);
	}
	if (real) {
		render(real, model, locale, true);
	} else {
		char err[256];
		struct tmpl *t = tmpl_parse("fuzz", text, err, sizeof(err));
		FUZZ_CHECK(t || strncmp(err, "fuzz:", 5) == 0);
		if (t && small_enough(text, len))
			render(t, model, locale, utf8_valid(text, len));
		tmpl_free(t);
	}
	free(text);
	json_decref(model);
	return 0;
}
