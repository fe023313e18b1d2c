/* fuzz_multipart: a Content-Type line, then a multipart/form-data body,
 * through multipart_boundary and multipart_parse (src/http/multipart.c). */
#include "fuzz.h"

#include "http/multipart.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = {0};
	const char *in = (const char *)data;
	const char *nl = memchr(in, '\n', size);
	size_t ctlen = nl ? (size_t)(nl - in) : size;
	const char *boundary = multipart_boundary(&a, arena_strndup(&a, in, ctlen));
	if (boundary)
		FUZZ_CHECK(strlen(boundary) >= 1 && strlen(boundary) <= 70 &&
			   !strpbrk(boundary, "\r\n\""));
	else
		boundary = "b"; /* so inputs with a broken first line still reach the parser */

	const char *body = nl ? nl + 1 : in + size;
	size_t len = (size_t)(in + size - body);
	struct params fields = {0};
	struct uploads files = {0};
	if (multipart_parse(&a, boundary, body, len, &fields, &files)) {
		/* every part ends right before "\r\n--boundary" */
		const char *delim = arena_printf(&a, "\r\n--%s", boundary);
		size_t dlen = strlen(delim);
		for (size_t i = 0; i < files.count; i++) {
			const struct upload *u = &files.items[i];
			FUZZ_CHECK(u->field[0] && u->filename && (u->filename[0] || u->len));
			FUZZ_CHECK(u->data >= body && u->len + dlen <= (size_t)(body + len - u->data));
			FUZZ_CHECK(memcmp(u->data + u->len, delim, dlen) == 0);
		}
		for (size_t i = 0; i < fields.count; i++) {
			/* had the copy stopped at a NUL inside the text, what it
			 * holds would not be followed by a delimiter */
			const char *v = fields.items[i].value, *part = arena_printf(&a, "%s%s", v, delim);
			FUZZ_CHECK(fields.items[i].name[0] && strlen(v) <= len);
			FUZZ_CHECK(memmem(body, len, part, strlen(part)));
		}
	}
	arena_reset(&a);
	return 0;
}
