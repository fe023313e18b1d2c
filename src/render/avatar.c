/* avatar: initials avatars as inline SVG. */
#include "render/avatar.h"

#include "core/buf.h"
#include "core/mem.h"
#include "core/hash.h"
#include "core/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Dark enough for white text (contrast at least 4.5:1). */
static const char *const palette[] = {
	"#1d4ed8", "#047857", "#b45309", "#be123c", "#6d28d9", "#0e7490",
	"#4d7c0f", "#a21caf", "#374151", "#c2410c", "#0f766e", "#9f1239",
};

uint32_t avatar_hash(const char *name)
{
	return hash_str(name ? name : "");
}

/* The length of the well-formed UTF-8 character at s, or 0. */
static size_t char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t len = c < 0x80 ? 1 : c < 0xC0 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF8 ? 4 : 0;
	if (!len || strnlen(s, len) < len || !utf8_valid(s, len))
		return 0;
	return len;
}

/* Appends the first letter or digit of the word s[0..n) in upper case;
 * false when the word has none. Characters outside ASCII count as letters. */
static bool put_initial(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t len = char_len(s + i);
		if (!len || i + len > n) {
			i++;
			continue;
		}
		unsigned char c[4];
		memcpy(c, s + i, len);
		if (len == 1 && !isalnum(c[0])) {
			i++;
			continue;
		}
		if (len == 1)
			c[0] = (unsigned char)toupper(c[0]);
		else if (len == 2 && c[0] == 0xC3 && c[1] >= 0xA0 && c[1] <= 0xBE && c[1] != 0xB7)
			c[1] -= 0x20; /* à…þ → À…Þ */
		buf_put_html(out, (const char *)c, len);
		return true;
	}
	return false;
}

void avatar_svg(const char *name, int size, struct buf *out)
{
	if (!name)
		name = "";
	if (size < 16)
		size = 16;
	if (size > 512)
		size = 512;

	/* The label: broken bytes replaced, control characters become spaces. */
	size_t n = strlen(name);
	char *label = xmalloc(3 * n + 1);
	utf8_repair(label, name, n);
	for (char *p = label; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = ' ';

	/* Initials of the first and the last word. */
	struct buf initials = {0};
	const char *first = NULL, *last = NULL;
	size_t first_len = 0, last_len = 0;
	for (const char *p = label; *p;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		const char *start = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		struct buf probe = {0};
		bool usable = put_initial(&probe, start, (size_t)(p - start));
		buf_free(&probe);
		if (!usable)
			continue;
		if (!first) {
			first = start;
			first_len = (size_t)(p - start);
		} else {
			last = start;
			last_len = (size_t)(p - start);
		}
	}
	if (first)
		put_initial(&initials, first, first_len);
	if (last)
		put_initial(&initials, last, last_len);
	if (!initials.len)
		buf_puts(&initials, "?");

	const char *fill = palette[avatar_hash(name) % (sizeof(palette) / sizeof(palette[0]))];
	buf_printf(out,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 64 64\" role=\"img\" aria-label=\"",
		   size, size);
	buf_put_html(out, label, strlen(label));
	buf_printf(out,
		   "\"><rect width=\"64\" height=\"64\" rx=\"32\" fill=\"%s\"/>"
		   "<text x=\"32\" y=\"32\" dy=\"0.35em\" text-anchor=\"middle\" "
		   "font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\" "
		   "font-size=\"26\" font-weight=\"600\" fill=\"#ffffff\">%s</text></svg>\n",
		   fill, initials.data);
	buf_free(&initials);
	free(label);
}
