/* plaintext: comments as plain text to HTML, with paragraphs, links and @mentions. */
#ifndef KRING_PLAINTEXT_H
#define KRING_PLAINTEXT_H

#include <stddef.h>

#include "core/buf.h"

/* Appends text[0..len) to out as HTML: all of it escaped, blank lines
 * starting a new <p>, single line breaks (\n, \r\n, \r) as <br>, and web
 * addresses (http://, https://, www.), e-mail addresses and @handle
 * mentions (the rule of mention_at in render/markdown.h) as links. Bytes
 * that are not UTF-8 become U+FFFD. Empty or blank text appends nothing. */
void plaintext_render(const char *text, size_t len, struct buf *out);

#endif
