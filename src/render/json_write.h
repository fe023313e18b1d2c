/*
 * json_write: a view model written as the API's JSON, compact and in
 * ASCII (every other character as \uXXXX, as JSON_COMPACT |
 * JSON_ENSURE_ASCII makes jansson write it, byte for byte), straight into
 * the answer's buffer. jansson's own writer formats each escape and each
 * number through snprintf and hands the text over in pieces of a few
 * bytes; a page's model has thousands of them.
 */
#ifndef KRING_JSON_WRITE_H
#define KRING_JSON_WRITE_H

#include <jansson.h>

struct buf;

/* Appends v to out. */
void json_write(const json_t *v, struct buf *out);

#endif
