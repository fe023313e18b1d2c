/* Unit tests of i18n: catalogs, look-up, locale negotiation, and a coverage
 * check that every translatable string in the source tree is in every
 * catalog. The source root comes from the environment variable KRING_SRC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "i18n/i18n.h"

/* Catalog entries the look-up tests rely on (i18n/sv.po, i18n/nl.po). */
#define MSGID "Sign in"
#define MSGSTR_SV "Logga in"
#define MSGSTR_NL "Inloggen"

static int setup(void **state)
{
	(void)state;
	return i18n_load() ? 0 : -1;
}

/* ---- look-up ------------------------------------------------------- */

static void test_load_twice(void **state)
{
	(void)state;
	assert_true(i18n_load());
	assert_string_equal(i18n_get(LOCALE_SV, MSGID), MSGSTR_SV);
}

static void test_get(void **state)
{
	(void)state;
	assert_string_equal(i18n_get(LOCALE_EN, MSGID), MSGID);
	assert_string_equal(i18n_get(LOCALE_SV, MSGID), MSGSTR_SV);
	assert_string_equal(i18n_get(LOCALE_NL, MSGID), MSGSTR_NL);
	assert_true(i18n_has(LOCALE_SV, MSGID));
	assert_true(i18n_has(LOCALE_NL, MSGID));
}

static void test_get_fallback(void **state)
{
	(void)state;
	const char *msgid = "A sentence no catalog holds 91f0";
	for (int l = 0; l < LOCALE_COUNT; l++) {
		assert_false(i18n_has(l, msgid));
		/* The very same pointer comes back. */
		assert_ptr_equal(i18n_get(l, msgid), msgid);
	}
	assert_string_equal(i18n_get(LOCALE_SV, ""), "");
	/* Look-ups are exact: case and surrounding space matter. */
	assert_false(i18n_has(LOCALE_SV, "sign in"));
	assert_false(i18n_has(LOCALE_SV, " " MSGID));
	assert_string_equal(i18n_get(LOCALE_SV, "sign in"), "sign in");
	/* The PO header (empty msgid) is not an entry. */
	assert_false(i18n_has(LOCALE_SV, ""));
}

static void test_get_bad_locale(void **state)
{
	(void)state;
	assert_string_equal(i18n_get(-1, MSGID), MSGID);
	assert_string_equal(i18n_get(LOCALE_COUNT, MSGID), MSGID);
	assert_false(i18n_has(-1, MSGID));
	assert_false(i18n_has(LOCALE_COUNT, MSGID));
}

static void test_locale_index_and_code(void **state)
{
	(void)state;
	assert_int_equal(i18n_locale_index("en"), LOCALE_EN);
	assert_int_equal(i18n_locale_index("sv"), LOCALE_SV);
	assert_int_equal(i18n_locale_index("nl"), LOCALE_NL);
	assert_int_equal(i18n_locale_index("de"), -1);
	assert_int_equal(i18n_locale_index(""), -1);
	assert_int_equal(i18n_locale_index("svx"), -1);
	assert_int_equal(i18n_locale_index("s"), -1);
	assert_int_equal(i18n_locale_index(NULL), -1);
	assert_string_equal(i18n_locale_code(LOCALE_EN), "en");
	assert_string_equal(i18n_locale_code(LOCALE_SV), "sv");
	assert_string_equal(i18n_locale_code(LOCALE_NL), "nl");
	for (int l = 0; l < LOCALE_COUNT; l++)
		assert_int_equal(i18n_locale_index(i18n_locale_code(l)), l);
}

/* ---- negotiation --------------------------------------------------- */

static void test_negotiate_examples(void **state)
{
	(void)state;
	assert_int_equal(i18n_negotiate("sv-SE,sv;q=0.9,en;q=0.8"), LOCALE_SV);
	assert_int_equal(i18n_negotiate("nl-BE"), LOCALE_NL);
	assert_int_equal(i18n_negotiate("de, en;q=0.5"), LOCALE_EN);
	assert_int_equal(i18n_negotiate("fr"), LOCALE_EN);
	assert_int_equal(i18n_negotiate("sv"), LOCALE_SV);
	assert_int_equal(i18n_negotiate("nl"), LOCALE_NL);
	assert_int_equal(i18n_negotiate("en-US,en;q=0.9"), LOCALE_EN);
	assert_int_equal(i18n_negotiate("SV-se"), LOCALE_SV);
}

static void test_negotiate_q_values(void **state)
{
	(void)state;
	/* The highest q wins, whatever the order. */
	assert_int_equal(i18n_negotiate("en;q=0.5, sv;q=0.8"), LOCALE_SV);
	assert_int_equal(i18n_negotiate("sv;q=0.5, nl"), LOCALE_NL);
	assert_int_equal(i18n_negotiate("nl;q=0.1,sv;q=0.2"), LOCALE_SV);
	assert_int_equal(i18n_negotiate("de;q=1.0, fr;q=0.9, nl;q=0.3"), LOCALE_NL);
	assert_int_equal(i18n_negotiate("sv;q=0.7, en;q=0.71"), LOCALE_EN);
	/* Equal q: the first listed wins. */
	assert_int_equal(i18n_negotiate("nl, sv"), LOCALE_NL);
	assert_int_equal(i18n_negotiate("sv;q=0.5,nl;q=0.5"), LOCALE_SV);
	/* Spaces around parameters. */
	assert_int_equal(i18n_negotiate("de , nl ; q=0.4 , fr"), LOCALE_NL);
}

static void test_negotiate_q_zero_excluded(void **state)
{
	(void)state;
	assert_int_equal(i18n_negotiate("sv;q=0"), LOCALE_EN);
	assert_int_equal(i18n_negotiate("sv;q=0.0, fr"), LOCALE_EN);
	assert_int_equal(i18n_negotiate("nl;q=0, sv;q=0.1"), LOCALE_SV);
	assert_int_equal(i18n_negotiate("sv;q=0.000"), LOCALE_EN);
}

static void test_negotiate_garbage(void **state)
{
	(void)state;
	assert_int_equal(i18n_negotiate(NULL), LOCALE_EN);
	assert_int_equal(i18n_negotiate(""), LOCALE_EN);
	assert_int_equal(i18n_negotiate("   "), LOCALE_EN);
	assert_int_equal(i18n_negotiate(",,,;;;"), LOCALE_EN);
	assert_int_equal(i18n_negotiate("*"), LOCALE_EN);
	assert_int_equal(i18n_negotiate("!!@@##"), LOCALE_EN);
	assert_int_equal(i18n_negotiate(";q=1"), LOCALE_EN);
	assert_int_equal(i18n_negotiate("q=0.5"), LOCALE_EN);
	assert_int_equal(i18n_negotiate("sv;q="), LOCALE_EN);
	assert_int_equal(i18n_negotiate("\xff\xfe"), LOCALE_EN);
	/* Three-letter codes are not two-letter ones. */
	assert_int_equal(i18n_negotiate("swe"), LOCALE_EN);
	assert_int_equal(i18n_negotiate("nld, svk"), LOCALE_EN);
	assert_int_equal(i18n_negotiate("svenska"), LOCALE_EN);
	/* Garbage before a good entry does not hide it. */
	assert_int_equal(i18n_negotiate("!!, sv"), LOCALE_SV);
	assert_int_equal(i18n_negotiate("*, nl;q=0.5"), LOCALE_NL);
	/* A very long header. */
	struct buf b = {0};
	for (int i = 0; i < 2000; i++)
		buf_puts(&b, "xx-YY;q=0.1, ");
	buf_puts(&b, "nl;q=0.2");
	assert_int_equal(i18n_negotiate(b.data), LOCALE_NL);
	buf_free(&b);
}

/* ---- coverage of the source tree ----------------------------------- */

struct msg {
	char *text;
	char *where; /* file:line */
};

struct msgs {
	struct msg *items;
	size_t count, cap;
};

static void msgs_add(struct msgs *m, const char *text, size_t len, const char *file, int line)
{
	if (m->count == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->items = realloc(m->items, m->cap * sizeof(*m->items));
	}
	char where[1024];
	snprintf(where, sizeof(where), "%s:%d", file, line);
	m->items[m->count++] = (struct msg){strndup(text, len), strdup(where)};
}

static void msgs_free(struct msgs *m)
{
	for (size_t i = 0; i < m->count; i++) {
		free(m->items[i].text);
		free(m->items[i].where);
	}
	free(m->items);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = {0};
	bool read = buf_read_file(&b, f);
	fclose(f);
	if (!read) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

static int line_of(const char *start, const char *at)
{
	int line = 1;
	for (const char *p = start; p < at; p++)
		line += *p == '\n';
	return line;
}

/* Replaces comments in C source by spaces (keeping newlines), leaving
 * string and character literals alone. */
static void blank_c_comments(char *s)
{
	for (char *p = s; *p;) {
		if (*p == '"' || *p == '\'') {
			char q = *p++;
			while (*p && *p != q) {
				if (*p == '\\' && p[1])
					p++;
				p++;
			}
			if (*p)
				p++;
		} else if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				*p++ = ' ';
		} else if (p[0] == '/' && p[1] == '*') {
			*p++ = ' ';
			*p++ = ' ';
			while (*p && !(p[0] == '*' && p[1] == '/')) {
				if (*p != '\n')
					*p = ' ';
				p++;
			}
			if (*p) {
				*p++ = ' ';
				*p++ = ' ';
			}
		} else {
			p++;
		}
	}
}

/* Reads one C string literal at p (which points at the quote), appending
 * its value to out; returns the position after it. */
static const char *c_literal(const char *p, struct buf *out)
{
	p++;
	while (*p && *p != '"') {
		if (*p == '\\' && p[1]) {
			p++;
			switch (*p) {
			case 'n': buf_putc(out, '\n'); break;
			case 't': buf_putc(out, '\t'); break;
			case '\\': buf_putc(out, '\\'); break;
			case '"': buf_putc(out, '"'); break;
			case '\'': buf_putc(out, '\''); break;
			default:
				if (*p >= '0' && *p <= '7') {
					int v = 0, k = 0;
					while (k < 3 && *p >= '0' && *p <= '7')
						v = v * 8 + (*p++ - '0'), k++;
					buf_putc(out, (char)v);
					continue;
				}
				if (*p == 'x') {
					int v = 0;
					p++;
					while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
					       (*p >= 'A' && *p <= 'F')) {
						int d = *p <= '9' ? *p - '0' : (*p | 32) - 'a' + 10;
						v = v * 16 + d;
						p++;
					}
					buf_putc(out, (char)v);
					continue;
				}
				buf_putc(out, *p);
			}
			p++;
		} else {
			buf_putc(out, *p++);
		}
	}
	return *p ? p + 1 : p;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* When [p, end) is nothing but adjacent string literals, puts their value
 * in out and returns true. */
static bool pure_literal(const char *p, const char *end, struct buf *out)
{
	p = skip_space(p, end);
	if (p >= end || *p != '"')
		return false;
	while (p < end && *p == '"') {
		p = c_literal(p, out);
		p = skip_space(p, end);
	}
	return p >= end;
}

/* Finds the top-level argument list of a call whose '(' is at open; stores
 * the start of the last argument and the position of ')'. Also the top
 * level '?' and ':' of the last argument, for `cond ? "a" : "b"`. */
static bool last_argument(const char *open, const char **arg, const char **close,
			  const char **qmark, const char **colon)
{
	int depth = 0;
	*arg = open + 1;
	*qmark = *colon = NULL;
	for (const char *p = open; *p; p++) {
		if (*p == '"' || *p == '\'') {
			char q = *p++;
			while (*p && *p != q) {
				if (*p == '\\' && p[1])
					p++;
				p++;
			}
			if (!*p)
				return false;
			continue;
		}
		if (*p == '(' || *p == '[' || *p == '{') {
			depth++;
		} else if (*p == ')' || *p == ']' || *p == '}') {
			if (--depth == 0) {
				*close = p;
				return true;
			}
		} else if (depth == 1 && *p == ',') {
			*arg = p + 1;
			*qmark = *colon = NULL;
		} else if (depth == 1 && *p == '?' && !*qmark) {
			*qmark = p;
		} else if (depth == 1 && *p == ':' && *qmark && !*colon) {
			*colon = p;
		}
	}
	return false;
}

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Collects the message ids of tr(), req_fail(), req_field_error() and N_()
 * calls in one C file. */
static void scan_c(const char *path, const char *rel, struct msgs *out)
{
	char *src = read_file(path);
	if (!src)
		return;
	blank_c_comments(src);
	static const char *const calls[] = {"tr", "req_fail", "req_field_error", "N_"};
	for (size_t c = 0; c < sizeof(calls) / sizeof(calls[0]); c++) {
		size_t n = strlen(calls[c]);
		for (const char *p = src; (p = strstr(p, calls[c])); p += n) {
			if (p > src && (ident_char(p[-1]) || p[-1] == '.' || p[-1] == '>' || p[-1] == '"'))
				continue;
			const char *q = skip_space(p + n, p + n + 64);
			if (*q != '(')
				continue;
			const char *arg, *close, *qmark, *colon;
			if (!last_argument(q, &arg, &close, &qmark, &colon))
				continue;
			int line = line_of(src, p);
			struct buf b = {0};
			if (pure_literal(arg, close, &b)) {
				msgs_add(out, b.data, b.len, rel, line);
			} else if (qmark && colon) {
				/* cond ? "a" : "b": each branch that is a literal. */
				if (pure_literal(qmark + 1, colon, &b))
					msgs_add(out, b.data, b.len, rel, line);
				buf_reset(&b);
				if (pure_literal(colon + 1, close, &b))
					msgs_add(out, b.data, b.len, rel, line);
			}
			buf_free(&b);
		}
	}
	free(src);
}

static const char *find_in(const char *p, const char *end, const char *needle)
{
	const char *f = strstr(p, needle);
	return f && f < end ? f : NULL;
}

static char *trimmed(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return strndup(s, n);
}

/* Collects {{_ text}} and {{#_}}text{{/_}} from one template, reading tags
 * the way the template parser does. */
static void scan_template(const char *path, const char *rel, struct msgs *out)
{
	char *src = read_file(path);
	if (!src)
		return;
	const char *end = src + strlen(src);
	const char *p = src;
	while ((p = find_in(p, end, "{{"))) {
		bool triple = p[2] == '{';
		const char *inner = p + (triple ? 3 : 2);
		const char *close = find_in(inner, end, triple ? "}}}" : "}}");
		if (!close)
			break;
		const char *next = close + (triple ? 3 : 2);
		if (!triple && *inner == '_') {
			char *t = trimmed(inner + 1, (size_t)(close - inner - 1));
			msgs_add(out, t, strlen(t), rel, line_of(src, p));
			free(t);
		} else if (!triple && *inner == '#') {
			char *name = trimmed(inner + 1, (size_t)(close - inner - 1));
			if (strcmp(name, "_") == 0) {
				const char *stop = find_in(next, end, "{{/_}}");
				if (stop) {
					char *t = trimmed(next, (size_t)(stop - next));
					msgs_add(out, t, strlen(t), rel, line_of(src, p));
					free(t);
					next = stop + 6;
				}
			}
			free(name);
		}
		p = next;
	}
	free(src);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Walks dir recursively, scanning files whose name ends in suffix. */
static void walk(const char *root, const char *dir, const char *suffix,
		 void (*scan)(const char *, const char *, struct msgs *), struct msgs *out, int *files)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", root, dir);
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char rel[4096], full[8192];
		snprintf(rel, sizeof(rel), "%s/%s", dir, e->d_name);
		snprintf(full, sizeof(full), "%s/%s", root, rel);
		struct stat st;
		if (stat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(root, rel, suffix, scan, out, files);
		} else if (ends_with(e->d_name, suffix)) {
			scan(full, rel, out);
			(*files)++;
		}
	}
	closedir(d);
}

static const char *source_root(void)
{
	static char root[4096];
	const char *env = getenv("KRING_SRC");
	const char *candidates[] = {env, ".", "..", "../..", "../../.."};
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		if (!candidates[i] || !*candidates[i])
			continue;
		char probe[4096];
		snprintf(probe, sizeof(probe), "%s/src/i18n/i18n.h", candidates[i]);
		struct stat st;
		if (stat(probe, &st) == 0) {
			snprintf(root, sizeof(root), "%s", candidates[i]);
			return root;
		}
	}
	return NULL;
}

static void collect_all(struct msgs *m, int *cfiles, int *tfiles)
{
	const char *root = source_root();
	if (!root) {
		fprintf(stderr, "KRING_SRC is not set and the source tree was not found\n");
		fail();
	}
	walk(root, "src", ".c", scan_c, m, cfiles);
	walk(root, "templates", ".html", scan_template, m, tfiles);
}

static void test_scanner_sees_sources(void **state)
{
	(void)state;
	struct msgs m = {0};
	int cfiles = 0, tfiles = 0;
	collect_all(&m, &cfiles, &tfiles);
	/* The scanner found the tree and its strings: password.c has N_(). */
	assert_true(cfiles > 0);
	assert_true(tfiles > 0);
	bool password_msg = false;
	for (size_t i = 0; i < m.count; i++)
		password_msg |= strstr(m.items[i].where, "password.c") != NULL;
	assert_true(password_msg);
	msgs_free(&m);
}

static void test_catalog_coverage(void **state)
{
	(void)state;
	struct msgs m = {0};
	int cfiles = 0, tfiles = 0;
	collect_all(&m, &cfiles, &tfiles);
	int missing = 0;
	bool list = getenv("KRING_LIST_MSGIDS") != NULL;
	for (size_t i = 0; i < m.count; i++) {
		const char *id = m.items[i].text;
		if (list)
			printf("%s: \"%s\"\n", m.items[i].where, id);
		if (!*id) {
			fprintf(stderr, "%s: empty message id\n", m.items[i].where);
			missing++;
			continue;
		}
		/* Report each string once, at its first place. */
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(m.items[k].text, id) == 0;
		if (seen)
			continue;
		char locales[64] = "";
		for (int l = 0; l < LOCALE_COUNT; l++) {
			if (!i18n_has(l, id)) {
				snprintf(locales + strlen(locales), sizeof(locales) - strlen(locales), "%s%s.po",
					 locales[0] ? ", " : "", i18n_locale_code(l));
				missing++;
			}
		}
		if (locales[0])
			fprintf(stderr, "%s: msgid \"%s\" is missing from %s\n", m.items[i].where, id, locales);
	}
	fprintf(stderr, "coverage: %zu translatable strings in %d C files and %d templates; "
		"%d catalog entries missing\n", m.count, cfiles, tfiles, missing);
	msgs_free(&m);
	assert_int_equal(missing, 0);
}

/* ---- catalog consistency ------------------------------------------- */

/* The {{name}} placeholders in s, as a sorted, comma-joined list. */
static void placeholders(const char *s, struct buf *out)
{
	char *names[64];
	int n = 0;
	for (const char *p = s; (p = strstr(p, "{{")) && n < 64;) {
		const char *c = strstr(p + 2, "}}");
		if (!c)
			break;
		names[n++] = trimmed(p + 2, (size_t)(c - p - 2));
		p = c + 2;
	}
	for (int i = 1; i < n; i++)
		for (int k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
			char *t = names[k];
			names[k] = names[k - 1];
			names[k - 1] = t;
		}
	buf_reset(out);
	buf_puts(out, "");
	for (int i = 0; i < n; i++)
		if (i == 0 || strcmp(names[i], names[i - 1]) != 0)
			buf_printf(out, "%s,", names[i]);
	for (int i = 0; i < n; i++)
		free(names[i]);
}

/* Every msgid of every catalog: a translation uses exactly the placeholders
 * of its msgid, so no value silently goes missing. Reads the PO files with a
 * small parser of its own (single- and multi-line strings). */
static void test_catalog_placeholders(void **state)
{
	(void)state;
	const char *root = source_root();
	assert_non_null(root);
	int bad = 0, entries = 0;
	struct msgs ids[LOCALE_COUNT] = {{0}};
	for (int l = 0; l < LOCALE_COUNT; l++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/i18n/%s.po", root, i18n_locale_code(l));
		char *po = read_file(path);
		if (!po) {
			fprintf(stderr, "%s is missing\n", path);
			bad++;
			continue;
		}
		struct buf id = {0}, str = {0}, *cur = NULL;
		int id_line = 0, line = 0;
		char *next_line = po;
		for (;;) {
			char *ln = next_line;
			if (ln) {
				char *nl = strchr(ln, '\n');
				if (nl)
					*nl = '\0';
				next_line = nl ? nl + 1 : NULL;
				if (!nl && !*ln)
					ln = NULL;
			}
			line++;
			const char *p = ln ? skip_space(ln, ln + strlen(ln)) : NULL;
			bool new_entry = !p || strncmp(p, "msgid ", 6) == 0;
			if (new_entry && id.data && id.len) {
				/* Finish the previous entry. */
				entries++;
				msgs_add(&ids[l], id.data, id.len, path, id_line);
				if (str.len && i18n_has(l, id.data) &&
				    strcmp(i18n_get(l, id.data), str.data) != 0) {
					fprintf(stderr, "%s:%d: i18n_get disagrees with the file\n", path, id_line);
					bad++;
				}
				if (str.len) {
					struct buf a = {0}, b = {0};
					placeholders(id.data, &a);
					placeholders(str.data, &b);
					if (strcmp(a.data, b.data) != 0) {
						fprintf(stderr, "%s:%d: placeholders of \"%s\" are {%s} but its "
							"translation has {%s}\n", path, id_line, id.data, a.data, b.data);
						bad++;
					}
					buf_free(&a);
					buf_free(&b);
				}
			}
			if (!p)
				break;
			if (new_entry) {
				buf_reset(&id);
				buf_reset(&str);
				buf_puts(&id, "");
				buf_puts(&str, "");
				cur = &id;
				id_line = line;
				p += 6;
			} else if (strncmp(p, "msgstr ", 7) == 0) {
				cur = &str;
				p += 7;
			} else if (*p != '"') {
				continue;
			}
			p = skip_space(p, p + strlen(p));
			if (cur && *p == '"')
				c_literal(p, cur);
		}
		buf_free(&id);
		buf_free(&str);
		free(po);
	}
	/* No msgid twice in one catalog, and every catalog has the same ids. */
	for (int l = 0; l < LOCALE_COUNT; l++) {
		for (size_t i = 0; i < ids[l].count; i++) {
			for (size_t k = 0; k < i; k++)
				if (strcmp(ids[l].items[k].text, ids[l].items[i].text) == 0) {
					fprintf(stderr, "%s: msgid \"%s\" appears twice\n", ids[l].items[i].where,
						ids[l].items[i].text);
					bad++;
					break;
				}
			for (int o = 0; o < LOCALE_COUNT; o++) {
				bool found = false;
				for (size_t k = 0; k < ids[o].count && !found; k++)
					found = strcmp(ids[o].items[k].text, ids[l].items[i].text) == 0;
				if (!found) {
					fprintf(stderr, "%s: msgid \"%s\" is not in i18n/%s.po\n",
						ids[l].items[i].where, ids[l].items[i].text, i18n_locale_code(o));
					bad++;
				}
			}
		}
	}
	for (int l = 0; l < LOCALE_COUNT; l++)
		msgs_free(&ids[l]);
	printf("catalogs: %d entries checked\n", entries);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_twice),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_get_fallback),
		cmocka_unit_test(test_get_bad_locale),
		cmocka_unit_test(test_locale_index_and_code),
		cmocka_unit_test(test_negotiate_examples),
		cmocka_unit_test(test_negotiate_q_values),
		cmocka_unit_test(test_negotiate_q_zero_excluded),
		cmocka_unit_test(test_negotiate_garbage),
		cmocka_unit_test(test_scanner_sees_sources),
		cmocka_unit_test(test_catalog_coverage),
		cmocka_unit_test(test_catalog_placeholders),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
