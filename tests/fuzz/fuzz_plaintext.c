/* fuzz_plaintext: comments through plaintext_render; the HTML must be valid
 * UTF-8 and hold only its tags, attributes and links. */
#include "fuzz.h"

#include "../unit/html_check.h"
#include "core/text.h"
#include "render/plaintext.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = {0};
	plaintext_render((const char *)data, size, &out);
	const char *html = out.data ? out.data : "";
	char why[200];
	FUZZ_CHECK(strlen(html) == out.len && utf8_valid(html, out.len));
	if (!html_check(html, &plaintext_html_rules, why, sizeof(why))) {
		fprintf(stderr, "unsafe HTML: %s\n", why);
		abort();
	}
	buf_free(&out);
	return 0;
}
