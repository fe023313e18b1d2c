/*
 * template: a logic-less mustache subset (see template.h for the syntax).
 * A template is parsed once into a tree of nodes; rendering walks the tree
 * with a stack of jansson contexts.
 */
#include "render/template.h"

#include "core/assets.h"
#include "core/buf.h"
#include "core/grow.h"
#include "core/mem.h"
#include "i18n/i18n.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STACK 32
#define MAX_NESTING 24

enum node_type {
	NODE_TEXT,      /* literal template text, written as is */
	NODE_PLAIN,     /* text from a catalog, escaped when written */
	NODE_VAR,       /* {{name}} */
	NODE_RAW,       /* {{{name_html}}} */
	NODE_SECTION,   /* {{#name}} */
	NODE_INVERTED,  /* {{^name}} */
	NODE_PARTIAL,   /* {{> name}} */
	NODE_TRANSLATE, /* {{_ text}} and {{#_}}text{{/_}} */
};

struct node {
	enum node_type type;
	char *text; /* the literal text, or the name */
	size_t len;
	int line; /* where the tag is, for messages */
	struct node *children;
	size_t nchildren;
	const struct tmpl *partial;                 /* linked after loading */
	struct tmpl *translations[LOCALE_COUNT];    /* NODE_TRANSLATE */
	/* A msgid "{{n}} answer|{{n}} answers" has two forms; the first
	 * placeholder's value picks one (1: the first, else the second). */
	struct tmpl *plurals[LOCALE_COUNT];
	char *count_name;
	/* {{x_at_iso}}, {{x_at_text}}: the time x_at written on the way
	 * when the object has no member of the whole name. */
	char *time_of;
	bool time_iso;
};

struct tmpl {
	char *name;
	struct node *nodes;
	size_t count;
};

struct parser {
	const char *name, *start, *p, *end;
	char *err;
	size_t errlen;
	bool failed;
	bool catalog_text; /* parsing a translation: literal text is escaped */
	int line;          /* the line of counted_to */
	const char *counted_to;
	int fixed_line;    /* a translation's tags are on the line of its {{_}} */
};

/* The line of `at`, counting on from the last call (tags come in order). */
static int line_of(struct parser *ps, const char *at)
{
	if (ps->fixed_line)
		return ps->fixed_line;
	if (at < ps->counted_to) {
		ps->counted_to = ps->start;
		ps->line = 1;
	}
	for (; ps->counted_to < at; ps->counted_to++)
		ps->line += *ps->counted_to == '\n';
	return ps->line;
}

static void parse_error(struct parser *ps, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void parse_error(struct parser *ps, const char *at, const char *fmt, ...)
{
	if (ps->failed)
		return;
	ps->failed = true;
	int line = 1;
	for (const char *q = ps->start; q < at; q++)
		line += *q == '\n';
	int n = snprintf(ps->err, ps->errlen, "%s:%d: ", ps->name, line);
	if (n < 0 || (size_t)n >= ps->errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

static struct node *add_node(struct node **nodes, size_t *count, size_t *cap, enum node_type type)
{
	GROW(*nodes, *count, *cap);
	struct node *n = &(*nodes)[(*count)++];
	memset(n, 0, sizeof(*n));
	n->type = type;
	return n;
}

static char *trimmed_copy(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' && *s != '-' && *s != '/')
			return false;
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void free_nodes(struct node *nodes, size_t count);

static void compile_translations(const char *msgid, struct node *n, struct parser *ps,
				 const char *at);

/* Parses nodes until the end of input or until the closing tag of the
 * section `closing`. */
static void parse_nodes(struct parser *ps, const char *closing, const char *opened_at,
			struct node **out, size_t *count, int depth)
{
	size_t cap = 0;
	*out = NULL;
	*count = 0;
	if (depth > MAX_NESTING) {
		parse_error(ps, ps->p, "sections nested too deeply");
		return;
	}
	while (ps->p < ps->end && !ps->failed) {
		const char *open = strstr(ps->p, "{{");
		if (!open || open >= ps->end)
			open = ps->end;
		if (open > ps->p) {
			struct node *t = add_node(out, count, &cap, ps->catalog_text ? NODE_PLAIN : NODE_TEXT);
			t->text = xstrndup(ps->p, (size_t)(open - ps->p));
			t->len = (size_t)(open - ps->p);
		}
		if (open == ps->end) {
			ps->p = ps->end;
			break;
		}
		bool triple = open[2] == '{';
		const char *inner = open + (triple ? 3 : 2);
		const char *close = strstr(inner, triple ? "}}}" : "}}");
		if (!close || close >= ps->end) {
			parse_error(ps, open, "tag is not closed");
			break;
		}
		ps->p = close + (triple ? 3 : 2);
		int line = line_of(ps, open);
		char sigil = triple ? '{' : *inner;
		if (!triple && strchr("#^/>!&_", sigil))
			inner++;
		char *name = trimmed_copy(inner, (size_t)(close - inner));
		struct node *n = NULL;

		if (sigil == '!') {
			free(name);
			continue;
		}
		if (sigil == '_' && !triple) {
			n = add_node(out, count, &cap, NODE_TRANSLATE);
			n->text = name;
			n->line = line;
			compile_translations(name, n, ps, open);
			continue;
		}
		if (sigil == '/') {
			if (!closing || strcmp(name, closing) != 0)
				parse_error(ps, open, "closing tag {{/%s}} does not match %s%s%s", name,
					    closing ? "{{#" : "no open section", closing ? closing : "",
					    closing ? "}}" : "");
			free(name);
			return;
		}
		if (sigil == '#' && strcmp(name, "_") == 0) {
			/* {{#_}}text with {{placeholders}}{{/_}}: the raw text is the msgid. */
			const char *stop = strstr(ps->p, "{{/_}}");
			if (!stop || stop >= ps->end) {
				parse_error(ps, open, "{{#_}} is not closed by {{/_}}");
				free(name);
				break;
			}
			free(name);
			n = add_node(out, count, &cap, NODE_TRANSLATE);
			n->line = line;
			n->text = trimmed_copy(ps->p, (size_t)(stop - ps->p));
			compile_translations(n->text, n, ps, open);
			ps->p = stop + 6;
			continue;
		}
		if (!valid_name(name) && strcmp(name, ".") != 0) {
			parse_error(ps, open, "bad tag name \"%s\"", name);
			free(name);
			break;
		}
		if (triple || sigil == '&') {
			if (!ends_with(name, "_html")) {
				parse_error(ps, open, "raw output {{{%s}}} needs a name ending in _html", name);
				free(name);
				break;
			}
			n = add_node(out, count, &cap, NODE_RAW);
		} else if (sigil == '#' || sigil == '^') {
			n = add_node(out, count, &cap, sigil == '#' ? NODE_SECTION : NODE_INVERTED);
			n->text = name;
			n->line = line;
			parse_nodes(ps, name, open, &n->children, &n->nchildren, depth + 1);
			continue;
		} else if (sigil == '>') {
			n = add_node(out, count, &cap, NODE_PARTIAL);
		} else {
			n = add_node(out, count, &cap, NODE_VAR);
			n->time_iso = ends_with(name, "_at_iso");
			if (n->time_iso || ends_with(name, "_at_text"))
				n->time_of = trimmed_copy(name, strlen(name) - (n->time_iso ? 4 : 5));
		}
		n->text = name;
		n->line = line;
	}
	if (closing && !ps->failed)
		parse_error(ps, opened_at, "section {{#%s}} is not closed", closing);
}

/* Parses text[0..len) of a catalog entry into a template; false when
 * malformed. */
static struct tmpl *compile_catalog_text(struct parser *ps, const char *text, size_t len, int line,
					 bool *failed)
{
	struct parser sub = {
		.name = ps->name, .start = text, .p = text, .end = text + len,
		.err = ps->err, .errlen = ps->errlen, .catalog_text = true,
		.line = 1, .counted_to = text, .fixed_line = line,
	};
	struct tmpl *t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(ps->name);
	parse_nodes(&sub, NULL, NULL, &t->nodes, &t->count, 0);
	*failed |= sub.failed;
	return t;
}

/* Parses the translation of msgid in every locale into n->translations. */
static void compile_translations(const char *msgid, struct node *n, struct parser *ps,
				 const char *at)
{
	bool plural = strchr(msgid, '|') != NULL;
	if (plural) {
		const char *open = strstr(msgid, "{{"), *close = open ? strstr(open, "}}") : NULL;
		if (!close) {
			parse_error(ps, at, "plural \"%s\" has no {{count}} placeholder", msgid);
			return;
		}
		n->count_name = trimmed_copy(open + 2, (size_t)(close - open - 2));
	}
	for (int l = 0; l < LOCALE_COUNT && !ps->failed; l++) {
		const char *text = i18n_get(l, msgid);
		const char *bar = plural ? strchr(text, '|') : NULL;
		bool failed = false;
		n->translations[l] = compile_catalog_text(ps, text, bar ? (size_t)(bar - text) : strlen(text),
							  n->line, &failed);
		if (bar)
			n->plurals[l] = compile_catalog_text(ps, bar + 1, strlen(bar + 1), n->line, &failed);
		if (failed || (plural && !bar))
			parse_error(ps, at, "translation of \"%s\" into %s is malformed",
				    msgid, i18n_locale_code(l));
	}
}

static void free_nodes(struct node *nodes, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(nodes[i].text);
		free_nodes(nodes[i].children, nodes[i].nchildren);
		free(nodes[i].count_name);
		free(nodes[i].time_of);
		for (int l = 0; l < LOCALE_COUNT; l++) {
			tmpl_free(nodes[i].translations[l]);
			tmpl_free(nodes[i].plurals[l]);
		}
	}
	free(nodes);
}

void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	free_nodes(t->nodes, t->count);
	free(t->name);
	free(t);
}

struct tmpl *tmpl_parse(const char *name, const char *text, char *err, size_t errlen)
{
	struct parser ps = {
		.name = name, .start = text, .p = text, .end = text + strlen(text),
		.err = err, .errlen = errlen, .line = 1, .counted_to = text,
	};
	struct tmpl *t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	parse_nodes(&ps, NULL, NULL, &t->nodes, &t->count, 0);
	if (ps.failed) {
		tmpl_free(t);
		return NULL;
	}
	return t;
}

/* ---- the loaded set ---------------------------------------------------- */

static struct tmpl **loaded;
static size_t nloaded, loaded_cap;

struct tmpl *tmpl_get(const char *name)
{
	for (size_t i = 0; i < nloaded; i++)
		if (strcmp(loaded[i]->name, name) == 0)
			return loaded[i];
	return NULL;
}

static bool link_partials(struct tmpl *owner, struct node *nodes, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct node *n = &nodes[i];
		if (n->type == NODE_PARTIAL) {
			n->partial = tmpl_get(n->text);
			if (!n->partial) {
				fprintf(stderr, "template %s: partial \"%s\" does not exist\n",
					owner->name, n->text);
				return false;
			}
		}
		if (!link_partials(owner, n->children, n->nchildren))
			return false;
	}
	return true;
}

bool tmpl_load_all(void)
{
	if (nloaded)
		return true;
	if (!i18n_load())
		return false;
	const char *prefix = "templates/", *suffix = ".html";
	for (const struct asset *a = assets; a->name; a++) {
		if (strncmp(a->name, prefix, strlen(prefix)) != 0 || !ends_with(a->name, suffix))
			continue;
		size_t len = strlen(a->name) - strlen(prefix) - strlen(suffix);
		char *name = xstrndup(a->name + strlen(prefix), len);
		char err[256];
		struct tmpl *t = tmpl_parse(name, (const char *)a->data, err, sizeof(err));
		free(name);
		if (!t) {
			fprintf(stderr, "template %s\n", err);
			tmpl_free_all();
			return false;
		}
		GROW(loaded, nloaded, loaded_cap);
		loaded[nloaded++] = t;
	}
	for (size_t i = 0; i < nloaded; i++) {
		if (!link_partials(loaded[i], loaded[i]->nodes, loaded[i]->count)) {
			tmpl_free_all();
			return false;
		}
	}
	return true;
}

void tmpl_free_all(void)
{
	for (size_t i = 0; i < nloaded; i++)
		tmpl_free(loaded[i]);
	free(loaded);
	loaded = NULL;
	nloaded = loaded_cap = 0;
}

/* ---- rendering --------------------------------------------------------- */

static bool strict;

void tmpl_set_strict(bool on)
{
	strict = on;
}

struct render {
	json_t *globals;
	json_t *stack[MAX_STACK]; /* the model, then one object per open section */
	int depth;
	int locale;
	struct buf *out;
	const char *tmpl_name; /* the template being rendered, for messages */
	char *err;
	size_t errlen;
	bool failed;
};

static void render_error(struct render *r, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void render_error(struct render *r, int line, const char *fmt, ...)
{
	if (r->failed)
		return;
	r->failed = true;
	if (!r->err || r->errlen == 0)
		return;
	int n = snprintf(r->err, r->errlen, "%s:%d: ", r->tmpl_name, line);
	if (n < 0 || (size_t)n >= r->errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* The member `first[0..len)` of ctx, or ctx itself for ".". */
static json_t *member(json_t *ctx, const char *first, size_t len)
{
	if (len == 1 && first[0] == '.')
		return ctx;
	return json_is_object(ctx) ? json_object_getn(ctx, first, len) : NULL;
}

/* Follows the rest of a dotted path: ".b.0.c". */
static json_t *follow(json_t *v, const char *dot)
{
	while (v && dot) {
		const char *part = dot + 1;
		dot = strchr(part, '.');
		size_t len = dot ? (size_t)(dot - part) : strlen(part);
		if (json_is_array(v) && len > 0 && isdigit((unsigned char)part[0]))
			v = json_array_get(v, strtoul(part, NULL, 10));
		else if (json_is_object(v))
			v = json_object_getn(v, part, len);
		else
			return NULL;
	}
	return v;
}

/* Resolves a name by the rule in template.h: the innermost object (or the
 * one "../" steps out to, one section per step), then the page globals. A
 * name that only an object further out has is a template error in strict
 * mode and nothing otherwise. */
static json_t *lookup(struct render *r, const char *name, int line)
{
	int up = 0;
	const char *path = name;
	while (strncmp(path, "../", 3) == 0) {
		up++;
		path += 3;
	}
	const char *dot = strcmp(path, ".") == 0 ? NULL : strchr(path, '.');
	size_t first_len = dot ? (size_t)(dot - path) : strlen(path);
	int frame = r->depth - 1 - up;
	if (frame < 0) {
		if (strict && up > 0)
			render_error(r, line, "{{%s}} steps out of more sections than are open", name);
		else if (up == 0 && r->globals)
			return follow(member(r->globals, path, first_len), dot);
		return NULL;
	}
	json_t *v = member(r->stack[frame], path, first_len);
	if (v)
		return follow(v, dot);
	v = r->globals ? member(r->globals, path, first_len) : NULL;
	if (strict) {
		for (int i = frame - 1; i >= 0; i--) {
			if (member(r->stack[i], path, first_len)) {
				char up_path[3 * MAX_STACK + 1] = "";
				for (int k = 0; k < r->depth - 1 - i; k++)
					strcat(up_path, "../");
				render_error(r, line, "{{%s}}: \"%.*s\" is missing here but an enclosing "
					     "object has it; write {{%s%s}} or add it to this object",
					     name, (int)first_len, path, up_path, path);
				return NULL;
			}
		}
	}
	return follow(v, dot);
}

static bool truthy(const json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_TRUE: case JSON_OBJECT: return true;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0;
	case JSON_ARRAY: return json_array_size(v) > 0;
	default: return false;
	}
}

static void write_value(const json_t *v, bool escape, struct buf *out)
{
	if (json_is_string(v)) {
		if (escape)
			buf_put_html(out, json_string_value(v), json_string_length(v));
		else
			buf_append(out, json_string_value(v), json_string_length(v));
	} else if (json_is_integer(v)) {
		buf_put_int(out, json_integer_value(v));
	} else if (json_is_real(v)) {
		buf_printf(out, "%.15g", json_real_value(v));
	} else if (json_is_true(v)) {
		buf_puts(out, "true");
	}
}

/* The UTC date of a day counted from 1970-01-01 (the proleptic Gregorian
 * calendar, in 400-year eras): pages show many times, and gmtime_r takes
 * glibc's time zone lock on every call. */
static void civil_from_days(long long days, long long *year, int *month, int *day)
{
	days += 719468; /* from 0000-03-01, so that a leap day ends a year */
	long long era = (days >= 0 ? days : days - 146096) / 146097;
	long long doe = days - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}

static char *two_digits(char *p, int v)
{
	*p++ = (char)('0' + v / 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

void tmpl_write_time(long long t, bool iso, struct buf *out)
{
	long long days = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	long long year;
	int month, day, hh = (int)(secs / 3600), mm = (int)(secs / 60 % 60), ss = (int)(secs % 60);
	civil_from_days(days, &year, &month, &day);
	if (year < 0 || year > 9999) {
		buf_put_int(out, t); /* no calendar date a page would show */
		return;
	}
	char text[32], *p = text;
	p = two_digits(p, (int)(year / 100));
	p = two_digits(p, (int)(year % 100));
	*p++ = '-';
	p = two_digits(p, month);
	*p++ = '-';
	p = two_digits(p, day);
	if (iso) {
		*p++ = 'T';
		p = two_digits(p, hh);
		*p++ = ':';
		p = two_digits(p, mm);
		*p++ = ':';
		p = two_digits(p, ss);
		*p++ = 'Z';
	} else if (secs != 0) {
		*p++ = ' ';
		p = two_digits(p, hh);
		*p++ = ':';
		p = two_digits(p, mm);
		memcpy(p, " UTC", 4);
		p += 4;
	}
	buf_append(out, text, (size_t)(p - text));
}

/* {{x_at_iso}} and {{x_at_text}}: the member itself when the object has
 * one, else the time x_at written. */
static void write_time_var(struct render *r, const struct node *n)
{
	json_t *v = lookup(r, n->text, n->line);
	if (v) {
		write_value(v, true, r->out);
		return;
	}
	json_t *t = lookup(r, n->time_of, n->line);
	if (json_is_integer(t))
		tmpl_write_time(json_integer_value(t), n->time_iso, r->out);
}

static void render_nodes(struct render *r, const struct node *nodes, size_t count, int level);

static void render_pushed(struct render *r, const struct node *n, json_t *ctx, int level)
{
	if (r->depth >= MAX_STACK)
		return;
	r->stack[r->depth++] = ctx;
	render_nodes(r, n->children, n->nchildren, level);
	r->depth--;
}

/* Renders a partial so that messages name it. */
static void render_partial(struct render *r, const struct tmpl *t, int level)
{
	const char *outer = r->tmpl_name;
	r->tmpl_name = t->name;
	render_nodes(r, t->nodes, t->count, level);
	r->tmpl_name = outer;
}

static void render_nodes(struct render *r, const struct node *nodes, size_t count, int level)
{
	if (level > MAX_NESTING * 2)
		return; /* a partial that includes itself without end */
	for (size_t i = 0; i < count && !r->failed; i++) {
		const struct node *n = &nodes[i];
		switch (n->type) {
		case NODE_TEXT:
			buf_append(r->out, n->text, n->len);
			break;
		case NODE_PLAIN:
			buf_put_html(r->out, n->text, n->len);
			break;
		case NODE_VAR:
			if (n->time_of)
				write_time_var(r, n);
			else
				write_value(lookup(r, n->text, n->line), true, r->out);
			break;
		case NODE_RAW:
			write_value(lookup(r, n->text, n->line), false, r->out);
			break;
		case NODE_SECTION: {
			json_t *v = lookup(r, n->text, n->line);
			if (json_is_array(v)) {
				size_t k;
				json_t *el;
				json_array_foreach(v, k, el)
					render_pushed(r, n, el, level);
			} else if (json_is_object(v)) {
				render_pushed(r, n, v, level);
			} else if (truthy(v)) {
				render_nodes(r, n->children, n->nchildren, level);
			}
			break;
		}
		case NODE_INVERTED:
			if (!truthy(lookup(r, n->text, n->line)))
				render_nodes(r, n->children, n->nchildren, level);
			break;
		case NODE_PARTIAL:
			if (n->partial)
				render_partial(r, n->partial, level + 1);
			break;
		case NODE_TRANSLATE: {
			const struct tmpl *t = n->translations[r->locale];
			if (n->count_name) {
				json_t *number = lookup(r, n->count_name, n->line);
				if (!(json_is_integer(number) && json_integer_value(number) == 1))
					t = n->plurals[r->locale];
			}
			if (t)
				render_nodes(r, t->nodes, t->count, level + 1);
			break;
		}
		}
	}
}

bool tmpl_render(const struct tmpl *t, json_t *globals, json_t *model, int locale,
		 struct buf *out, char *err, size_t errlen)
{
	struct render r = {
		.globals = globals, .depth = model ? 1 : 0, .out = out,
		.locale = locale < 0 || locale >= LOCALE_COUNT ? LOCALE_EN : locale,
		.tmpl_name = t->name, .err = err, .errlen = errlen,
	};
	r.stack[0] = model;
	render_nodes(&r, t->nodes, t->count, 0);
	return !r.failed;
}
