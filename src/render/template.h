/*
 * template: a logic-less mustache subset for the HTML pages.
 *
 *   {{name}} {{a.b}} {{.}}   value, HTML-escaped
 *   {{{name_html}}}          raw; only for names ending in _html, which hold
 *                            HTML kring produced itself (rendered Markdown)
 *   {{#name}}…{{/name}}      section: once per array element, once with an
 *                            object pushed, or once when the value is truthy
 *   {{^name}}…{{/name}}      inverted section: when missing, null, false, 0,
 *                            "" or an empty array
 *   {{> name}}               partial: templates/name.html
 *   {{_ Sign in}}            translated text
 *   {{#_}}Hello {{name}}{{/_}}  translated text with placeholders
 *   {{! comment}}
 *
 * Templates are files under templates/, compiled into the binary and parsed
 * once at start-up.
 */
#ifndef KRING_TEMPLATE_H
#define KRING_TEMPLATE_H

#include <jansson.h>
#include <stdbool.h>

struct buf;
struct tmpl;

/* Parses a template from text; on error returns NULL and writes a message
 * naming the line to err. The result is freed with tmpl_free. */
struct tmpl *tmpl_parse(const char *name, const char *text, char *err, size_t errlen);
void tmpl_free(struct tmpl *t);

/* Parses every embedded template (templates/NAME.html) and links their
 * partials. */
bool tmpl_load_all(void);
void tmpl_free_all(void);
/* The loaded template named "login" for templates/login.html, or NULL. */
struct tmpl *tmpl_get(const char *name);

/* Renders t with a context stack (stack[depth-1] is looked up first). */
void tmpl_render(const struct tmpl *t, json_t *const *stack, int depth, int locale,
		 struct buf *out);

#endif
