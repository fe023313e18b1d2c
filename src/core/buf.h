/* buf: a growable byte buffer, always NUL-terminated. */
#ifndef KRING_BUF_H
#define KRING_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct buf {
	char *data;
	size_t len, cap;
};

void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
/* v in decimal, as printf's %lld writes it (without printf's cost). */
void buf_put_int(struct buf *b, int64_t v);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends s with the five HTML-significant characters escaped, so the result
 * is safe both as element text and inside a quoted attribute. */
void buf_put_html(struct buf *b, const char *s, size_t n);
/* Appends s[0..n) percent-encoded: unreserved characters (letters, digits,
 * "-._~") and those in keep stay as they are. */
void buf_put_percent(struct buf *b, const char *s, size_t n, const char *keep);
/* Appends s percent-encoded for a URL query value (unreserved characters
 * and '/' stay as they are). */
void buf_put_url(struct buf *b, const char *s);
/* Appends "&key=value" (URL-encoded) for each of the n pairs whose value
 * is neither NULL nor "". */
void buf_put_query(struct buf *b, const char *const *keys, const char *const *values, size_t n);
void buf_reset(struct buf *b);
/* Appends the whole of an open file; false when reading it failed. */
bool buf_read_file(struct buf *b, FILE *f);
/* Hands the data over to the caller, who frees it; the buffer is emptied. */
char *buf_take(struct buf *b);
void buf_free(struct buf *b);

#endif
