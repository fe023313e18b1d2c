/* format: messages with values, and sizes (see format.h). */
#include "i18n/format.h"

#include "core/arena.h"
#include "core/buf.h"
#include "i18n/i18n.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

/* text with each {{key}} replaced by its value from the key and value
 * pairs in ap (ended by NULL), in a. */
static const char *fill(struct arena *a, const char *text, va_list ap)
{
	struct buf out = {0};
	for (const char *p = text; *p;) {
		const char *open = strstr(p, "{{"), *close = open ? strstr(open + 2, "}}") : NULL;
		if (!close) {
			buf_puts(&out, p);
			break;
		}
		buf_append(&out, p, (size_t)(open - p));
		size_t key_len = (size_t)(close - open - 2);
		const char *value = NULL;
		va_list pairs;
		va_copy(pairs, ap);
		for (const char *key; !value && (key = va_arg(pairs, const char *));) {
			const char *v = va_arg(pairs, const char *);
			if (strlen(key) == key_len && strncmp(key, open + 2, key_len) == 0)
				value = v;
		}
		va_end(pairs);
		if (value)
			buf_puts(&out, value);
		else
			buf_append(&out, open, (size_t)(close + 2 - open));
		p = close + 2;
	}
	const char *s = arena_strndup(a, out.data ? out.data : "", out.len);
	buf_free(&out);
	return s;
}

const char *format_message(struct arena *a, int locale, const char *msgid, ...)
{
	va_list ap;
	va_start(ap, msgid);
	const char *s = fill(a, i18n_get(locale, msgid), ap);
	va_end(ap);
	return s;
}

const char *format_count(struct arena *a, int locale, const char *msgid, int64_t count, ...)
{
	const char *text = i18n_get(locale, msgid), *bar = strchr(text, '|');
	if (bar)
		text = count == 1 ? arena_strndup(a, text, (size_t)(bar - text)) : bar + 1;
	va_list ap;
	va_start(ap, count);
	const char *s = fill(a, text, ap);
	va_end(ap);
	return s;
}

const char *format_size(struct arena *a, int locale, int64_t bytes)
{
	if (bytes < 1024)
		return arena_printf(a, "%" PRId64 " %s", bytes, i18n_get(locale, bytes == 1 ? N_("byte") : N_("bytes")));
	static const char *const units[] = {"KiB", "MiB", "GiB"};
	/* The size in tenths of the largest unit it reaches, rounded; a size
	 * that rounds up to 1024 of a unit is shown in the next one. */
	int u = 0;
	int64_t unit = 1024;
	while (u < 2 && (bytes * 10 + unit / 2) / unit >= 1024 * 10) {
		unit *= 1024;
		u++;
	}
	int64_t tenths = (bytes * 10 + unit / 2) / unit;
	if (tenths >= 100 || tenths % 10 == 0)
		return arena_printf(a, "%" PRId64 " %s", (bytes + unit / 2) / unit, units[u]);
	const char *comma = locale == LOCALE_EN ? "." : ",";
	return arena_printf(a, "%" PRId64 "%s%" PRId64 " %s", tenths / 10, comma, tenths % 10, units[u]);
}
