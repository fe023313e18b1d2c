/*
 * format: messages that carry values, and sizes, as a person reads them in
 * their language. A message's placeholders are written {{name}}, as in the
 * catalogs and templates.
 */
#ifndef KRING_FORMAT_H
#define KRING_FORMAT_H

#include <stdint.h>

struct arena;

/* The translation of msgid into the locale with each {{key}} replaced by
 * its value; the arguments after msgid are key and value pairs, ended by
 * NULL. A placeholder without a value stays as it is. The result is in a. */
const char *format_message(struct arena *a, int locale, const char *msgid, ...) __attribute__((sentinel));
/* The same for a message with a singular and a plural form,
 * "{{count}} new answer|{{count}} new answers", as templates write them:
 * the first when count is 1. Pass "count" among the pairs too. */
const char *format_count(struct arena *a, int locale, const char *msgid, int64_t count, ...)
	__attribute__((sentinel));

/* A number of bytes in binary units, as every size kring shows: "1 byte",
 * "930 bytes", "1.5 KiB", "14 KiB", "4.8 MiB", "20 MiB", "1 GiB" (one
 * decimal below ten, a decimal comma in Swedish and Dutch). In a. */
const char *format_size(struct arena *a, int locale, int64_t bytes);

#endif
