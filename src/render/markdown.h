/* markdown: untrusted Markdown (CommonMark + GFM) to safe HTML, and @mentions. */
#ifndef KRING_MARKDOWN_H
#define KRING_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Appends the HTML for the Markdown text[0..len) to out. Raw HTML is shown
 * as text, links keep only http, https, mailto and relative addresses,
 * images become links to the image, headings start at <h2>, and @handle
 * mentions link to /people/HANDLE. Bytes that are not UTF-8 become U+FFFD,
 * so the output is always valid UTF-8. Returns false only when md4c fails
 * (out of memory); out then holds a partial document to be discarded. */
bool markdown_render(const char *text, size_t len, struct buf *out);

/* Calls found(handle, n, ctx) once for every distinct handle mentioned in
 * the Markdown text[0..len), in order of first appearance, skipping those in
 * code and in links: exactly the mentions markdown_render links. The
 * handle is not NUL-terminated and lives only during the call. */
void markdown_mentions(const char *text, size_t len,
		       void (*found)(const char *handle, size_t n, void *ctx), void *ctx);

/* Appends the address u[0..n) for a double-quoted href: percent-encoded
 * where a URL needs it, HTML-escaped for the rest. It does not check the
 * scheme; the caller has. */
void markdown_put_href(struct buf *out, const char *u, size_t n);

/* The mention rule, shared with plaintext: true when s[i] is the '@' of a
 * mention, that is, i is 0 or s[i-1] is not a word character (ASCII letter,
 * digit, '_' or any non-ASCII byte, so e-mail addresses do not count), and
 * a handle [a-z0-9][a-z0-9_-]{1,31} follows that is not followed by another
 * letter, digit, '_', '-' or '@'. *handle_len gets the handle's length,
 * without the '@'. */
bool mention_at(const char *s, size_t len, size_t i, size_t *handle_len);
/* True for the characters that keep an '@' after them from starting a
 * mention. */
bool mention_word_char(unsigned char c);

/* Appends the text of Markdown as a reader sees it, without markup, for
 * excerpts, snippets and the search index: what markdown_render shows,
 * unescaped, on one line. Blocks (paragraphs, headings, list items, table
 * cells) are set apart with " · ", or a space after a clause ends ('.',
 * ':' …); spans (emphasis, links, mentions) add nothing, so no space comes
 * before the punctuation after them. Text already in out is set apart from
 * the new text the same way. Valid UTF-8 out of valid or broken input. */
void markdown_plain(const char *text, size_t len, struct buf *out);

/* The HTML of text as a JSON string, for a view model's *_html key; the
 * escaped text when rendering fails. */
struct json_t;
struct json_t *markdown_json(const char *text);
/* The same, kept in memory under key (an item's id): a question's page
 * shows dozens of answers whose bodies change only when edited. The text
 * is compared with what was kept, so an edit is rendered anew; the HTML
 * depends on the text alone. */
struct json_t *markdown_json_kept(int64_t key, const char *text);
/* The excerpt lists and cards show, as a JSON string: the first
 * MARKDOWN_EXCERPT_MAX bytes of the whole text's plain text
 * (markdown_plain), cut as text_excerpt does. Never a cut of the Markdown
 * itself, which would show half a link's syntax, or a link whose
 * reference is defined further down. */
#define MARKDOWN_EXCERPT_MAX 240
struct json_t *markdown_excerpt_json(const char *text);

#endif
