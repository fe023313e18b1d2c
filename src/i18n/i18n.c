/*
 * i18n: translation catalogs (PO files compiled into the binary) and locale
 * negotiation. Catalogs are read once at start-up and only read afterwards,
 * so look-ups need no locking.
 */
#include "i18n/i18n.h"

#include "core/assets.h"
#include "core/grow.h"
#include "core/mem.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const locale_codes[LOCALE_COUNT] = {"en", "sv", "nl"};

struct entry {
	char *msgid, *msgstr;
};

struct catalog {
	struct entry *entries; /* sorted by msgid */
	size_t count;
};

static struct catalog catalogs[LOCALE_COUNT];

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->msgid, ((const struct entry *)b)->msgid);
}

/* Reads a PO string literal starting at the opening quote; appends its
 * unescaped text to *out. Returns false when malformed. */
static bool po_string(const char *p, char **out)
{
	if (*p != '"')
		return false;
	size_t have = *out ? strlen(*out) : 0;
	char *s = xrealloc(*out, have + strlen(p) + 1);
	char *o = s + have;
	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\') {
			p++;
			switch (*p) {
			case 'n': *o++ = '\n'; break;
			case 't': *o++ = '\t'; break;
			case '"': *o++ = '"'; break;
			case '\\': *o++ = '\\'; break;
			default: free(s); *out = NULL; return false;
			}
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	*out = s;
	return *p == '"';
}

static bool catalog_add(struct catalog *c, size_t *cap, char *msgid, char *msgstr)
{
	/* The header entry (empty msgid) and untranslated entries are skipped:
	 * look-ups fall back to the English msgid. */
	if (!msgid || !*msgid || !msgstr || !*msgstr) {
		free(msgid);
		free(msgstr);
		return true;
	}
	GROW(c->entries, c->count, *cap);
	c->entries[c->count++] = (struct entry){msgid, msgstr};
	return true;
}

static bool catalog_parse(struct catalog *c, const char *file, const char *text)
{
	size_t cap = 0;
	char *msgid = NULL, *msgstr = NULL, **current = NULL;
	int lineno = 0;
	const char *line = text;
	while (*line) {
		lineno++;
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *l = xstrndup(line, len);
		char *p = l;
		while (isspace((unsigned char)*p))
			p++;
		bool ok = true;
		if (strncmp(p, "msgid ", 6) == 0) {
			catalog_add(c, &cap, msgid, msgstr);
			msgid = msgstr = NULL;
			current = &msgid;
			ok = po_string(p + 6, current);
		} else if (strncmp(p, "msgstr ", 7) == 0) {
			current = &msgstr;
			ok = msgid != NULL && po_string(p + 7, current);
		} else if (*p == '"') {
			ok = current != NULL && po_string(p, current);
		} else if (*p != '#' && *p != '\0') {
			ok = false;
		}
		free(l);
		if (!ok) {
			fprintf(stderr, "i18n: %s:%d: malformed entry\n", file, lineno);
			free(msgid);
			free(msgstr);
			return false;
		}
		line = end ? end + 1 : line + len;
	}
	catalog_add(c, &cap, msgid, msgstr);
	if (c->count)
		qsort(c->entries, c->count, sizeof(*c->entries), entry_cmp);
	return true;
}

bool i18n_load(void)
{
	for (int i = 0; i < LOCALE_COUNT; i++) {
		if (catalogs[i].count)
			continue; /* already loaded */
		char name[32];
		snprintf(name, sizeof(name), "i18n/%s.po", locale_codes[i]);
		const struct asset *a = asset_find(name);
		if (!a) {
			fprintf(stderr, "i18n: %s is missing\n", name);
			return false;
		}
		if (!catalog_parse(&catalogs[i], name, (const char *)a->data))
			return false;
	}
	return true;
}

static const struct entry *lookup(int locale, const char *msgid)
{
	if (locale < 0 || locale >= LOCALE_COUNT || !msgid || !catalogs[locale].count)
		return NULL;
	struct entry key = {(char *)msgid, NULL};
	return bsearch(&key, catalogs[locale].entries, catalogs[locale].count,
		       sizeof(struct entry), entry_cmp);
}

const char *i18n_get(int locale, const char *msgid)
{
	const struct entry *e = lookup(locale, msgid);
	return e ? e->msgstr : msgid;
}

bool i18n_has(int locale, const char *msgid)
{
	return lookup(locale, msgid) != NULL;
}

int i18n_locale_index(const char *code)
{
	for (int i = 0; code && i < LOCALE_COUNT; i++)
		if (strcmp(code, locale_codes[i]) == 0)
			return i;
	return -1;
}

const char *i18n_locale_code(int locale)
{
	return locale >= 0 && locale < LOCALE_COUNT ? locale_codes[locale] : "en";
}

const char *i18n_locale_name(int locale)
{
	static const char *const names[LOCALE_COUNT] = {"English", "Svenska", "Nederlands"};
	return locale >= 0 && locale < LOCALE_COUNT ? names[locale] : names[LOCALE_EN];
}

int i18n_negotiate(const char *header)
{
	int best = LOCALE_EN;
	double best_q = 0;
	const char *p = header;
	while (p && *p) {
		/* One range: language[-region][;q=value] */
		while (*p == ' ' || *p == ',')
			p++;
		char lang[3] = {0};
		size_t n = 0;
		while (isalpha((unsigned char)*p) && n < 3) {
			if (n < 2)
				lang[n] = (char)tolower((unsigned char)*p);
			n++;
			p++;
		}
		double q = 1.0;
		const char *next = strchr(p, ',');
		const char *qp = strcasestr(p, "q=");
		if (qp && (!next || qp < next))
			q = atof(qp + 2);
		int idx = n == 2 ? i18n_locale_index(lang) : -1;
		if (idx >= 0 && q > best_q) {
			best = idx;
			best_q = q;
		}
		p = next;
	}
	return best;
}
