/*
 * i18n: every string shown to a person goes through i18n_get. Catalogs are
 * PO files (i18n/en.po, sv.po, nl.po) compiled into the binary; the message
 * id is the English text. A translation may hold {{name}} placeholders,
 * which templates fill from the page's view model.
 */
#ifndef KRING_I18N_H
#define KRING_I18N_H

#include <stdbool.h>

/* Marks a string literal for translation where it is defined; it is
 * translated where it is shown. */
#define N_(s) s

enum { LOCALE_EN, LOCALE_SV, LOCALE_NL, LOCALE_COUNT };

/* Parses the embedded catalogs; call once before serving. Returns false and
 * prints the file and line of the first malformed entry. */
bool i18n_load(void);

/* The translation of msgid in the locale, or msgid itself when the catalog
 * has none. Never NULL; the result lives as long as the process. */
const char *i18n_get(int locale, const char *msgid);
/* Whether the catalog of the locale has msgid (tests use it for coverage). */
bool i18n_has(int locale, const char *msgid);

/* "en", "sv", "nl" → LOCALE_*, or -1. */
int i18n_locale_index(const char *code);
const char *i18n_locale_code(int locale);
/* The language's name in itself: "English", "Svenska", "Nederlands". */
const char *i18n_locale_name(int locale);
/* Picks the best supported locale from an Accept-Language header value,
 * honouring q-values; LOCALE_EN when nothing matches. */
int i18n_negotiate(const char *accept_language);

#endif
