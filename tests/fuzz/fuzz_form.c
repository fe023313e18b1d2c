/* fuzz_form: application/x-www-form-urlencoded bodies through
 * body_parse_form, as server.c reads a form post. */
#include "fuzz.h"

#include "http/body.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = {0};
	struct params fields = {0};
	if (body_parse_form(&a, (const char *)data, size, &fields)) {
		for (size_t i = 0; i < fields.count; i++) {
			/* decoding only ever shortens */
			size_t n = strlen(fields.items[i].name), v = strlen(fields.items[i].value);
			FUZZ_CHECK(n > 0 && n + v <= size);
		}
	}
	arena_reset(&a);
	return 0;
}
