/* json_write: the API's JSON (see json_write.h). */
#include "render/json_write.h"

#include "core/buf.h"
#include "core/mem.h"

#include <stdint.h>
#include <string.h>

static const char hex_digits[] = "0123456789ABCDEF";

static void put_u_escape(struct buf *out, unsigned unit)
{
	char e[6] = {'\\', 'u', hex_digits[unit >> 12 & 15], hex_digits[unit >> 8 & 15], hex_digits[unit >> 4 & 15],
		     hex_digits[unit & 15]};
	buf_append(out, e, sizeof e);
}

/* The code point of the UTF-8 sequence at s (jansson holds valid UTF-8);
 * *len is its length. */
static uint32_t decode(const unsigned char *s, size_t *len)
{
	if (s[0] < 0xE0) {
		*len = 2;
		return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	}
	if (s[0] < 0xF0) {
		*len = 3;
		return (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	}
	*len = 4;
	return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 | (uint32_t)(s[2] & 0x3F) << 6 |
	       (s[3] & 0x3F);
}

static void put_string(struct buf *out, const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text, *end = s + n, *run = s;
	buf_putc(out, '"');
	while (s < end) {
		unsigned char c = *s;
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			s++;
			continue;
		}
		buf_append(out, (const char *)run, (size_t)(s - run));
		size_t len = 1;
		switch (c) {
		case '"': buf_puts(out, "\\\""); break;
		case '\\': buf_puts(out, "\\\\"); break;
		case '\b': buf_puts(out, "\\b"); break;
		case '\f': buf_puts(out, "\\f"); break;
		case '\n': buf_puts(out, "\\n"); break;
		case '\r': buf_puts(out, "\\r"); break;
		case '\t': buf_puts(out, "\\t"); break;
		default:
			if (c < 0x20) {
				put_u_escape(out, c);
			} else if (s + 1 < end) {
				uint32_t cp = decode(s, &len);
				if (s + len > end)
					len = (size_t)(end - s);
				if (cp >= 0x10000) {
					cp -= 0x10000;
					put_u_escape(out, 0xD800 | (cp >> 10));
					put_u_escape(out, 0xDC00 | (cp & 0x3FF));
				} else {
					put_u_escape(out, cp);
				}
			}
		}
		s += len;
		run = s;
	}
	buf_append(out, (const char *)run, (size_t)(s - run));
	buf_putc(out, '"');
}

void json_write(const json_t *v, struct buf *out)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		buf_putc(out, '{');
		const char *key;
		json_t *member;
		bool first = true;
		json_object_foreach((json_t *)v, key, member) {
			if (!first)
				buf_putc(out, ',');
			first = false;
			put_string(out, key, strlen(key));
			buf_putc(out, ':');
			json_write(member, out);
		}
		buf_putc(out, '}');
		break;
	}
	case JSON_ARRAY: {
		buf_putc(out, '[');
		size_t i;
		json_t *element;
		json_array_foreach(v, i, element) {
			if (i)
				buf_putc(out, ',');
			json_write(element, out);
		}
		buf_putc(out, ']');
		break;
	}
	case JSON_STRING:
		put_string(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		buf_put_int(out, json_integer_value(v));
		break;
	case JSON_REAL: {
		/* Rare in a model: jansson's own shortest round trip. */
		char *text = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
		buf_puts(out, text ? text : "null");
		json_text_free(text);
		break;
	}
	case JSON_TRUE:
		buf_puts(out, "true");
		break;
	case JSON_FALSE:
		buf_puts(out, "false");
		break;
	case JSON_NULL:
		buf_puts(out, "null");
		break;
	}
}
