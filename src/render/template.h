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
 *   {{created_at_iso}}       a time: when the object has no member of that
 *   {{created_at_text}}      name, its integer created_at (UTC seconds)
 *                            written as 2026-12-07T09:30:00Z or as
 *                            2026-12-07 09:30 UTC (a date alone at midnight),
 *                            for every name ending in _at
 *
 * Templates are files under templates/, compiled into the binary and parsed
 * once at start-up.
 *
 * Where a name is looked up: a template sees the page model, and each
 * section over an object or over a list element opens a new, inner object
 * (a section over true, a number or a string opens none). A name is looked
 * up in the innermost object only, never in the objects around it, so an
 * item without a title shows no title rather than the page's:
 *
 *   {{title}}                 the innermost object's title
 *   {{../title}}              the title one section out; "../../" two out
 *   {{.}}                     the innermost value itself (a list of strings)
 *   {{#list.0}}{{#../list}}…  a list that is not empty: {{#list.0}} opens
 *                             its first element, so the list is one out
 *   {{#../.}}…{{/../.}}       the enclosing object opened again, e.g. for a
 *                             translated text whose placeholders are its
 *   {{csrf}} {{me.handle}}    the page globals, visible everywhere unless the
 *                             innermost object has the same name: csrf, me,
 *                             lang, path, site_name, asset_version, error
 *                             and, in the layout, content_html
 *
 * Text for people is written {{_ …}} and needs no name. A name missing from
 * the object it is looked up in (the innermost, or the one ../ names) but
 * present in an enclosing one is a mistake in the template or its model: in
 * strict mode (tmpl_set_strict, the tests) the render fails with the
 * template, line and name; otherwise it is empty.
 */
#ifndef KRING_TEMPLATE_H
#define KRING_TEMPLATE_H

#include <jansson.h>
#include <stdbool.h>

struct buf;
struct tmpl;

/* Writes t (UTC seconds) as the ISO 8601 time 2026-12-07T09:30:00Z, or as
 * the text "2026-12-07 09:30 UTC" ("2026-12-07" at midnight: a date). */
void tmpl_write_time(long long t, bool iso, struct buf *out);

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

/* Renders t with the page globals and the model (either may be NULL) into
 * out. Returns false only in strict mode, when a name fell through to an
 * enclosing object; err then says where ("item:12: ..."). */
bool tmpl_render(const struct tmpl *t, json_t *globals, json_t *model, int locale,
		 struct buf *out, char *err, size_t errlen);

/* Strict mode: a name that only an enclosing object has fails the render
 * (KRING_TEMPLATE_STRICT=1, which the tests set). Off by default. */
void tmpl_set_strict(bool on);

#endif
