/* multipart: multipart/form-data bodies (RFC 7578), the way browsers send
 * forms with files. Text parts become fields; parts with a filename become
 * uploads whose bytes stay in the request body. */
#ifndef KRING_MULTIPART_H
#define KRING_MULTIPART_H

#include "http/req.h"

#include <stdbool.h>
#include <stddef.h>

/* The boundary of a "multipart/form-data; boundary=…" content type (quoted
 * or not), in a; NULL when content_type is not multipart/form-data or has
 * no usable boundary (1 to 70 characters). */
const char *multipart_boundary(struct arena *a, const char *content_type);

/* Splits data[0..len) at boundary. Each part's Content-Disposition must be
 * form-data with a name. A part with a filename parameter (even an empty
 * one) is added to uploads: field, filename and content_type (NULL when the
 * part has none) allocated in a, data pointing into data[]. Other parts are
 * added to fields as text (allocated in a, NUL-terminated; a NUL byte in
 * a text part makes the body malformed). A part with an empty filename and
 * no bytes (a file input left empty) is skipped. False when the body is malformed: no opening boundary, a part
 * without headers' end, a missing or empty name, no closing boundary;
 * then nothing is added to fields or uploads. */
bool multipart_parse(struct arena *a, const char *boundary, const char *data, size_t len,
		     struct params *fields, struct uploads *uploads);

#endif
